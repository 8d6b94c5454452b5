/* The PL011 each VM sees at IPA 0x0900_0000, emulated by the hypervisor on the shared console. */
#ifndef HYP_VUART_H
#define HYP_VUART_H

#include <modvisor/guest_map.h>
#include <stdbool.h>
#include <stdint.h>
#include "console.h"
#include "spinlock.h"

struct vcpu;
struct vm;

#define VUART_BASE GUEST_PL011_BASE
#define VUART_SIZE 0x1000ULL
/* Input waiting for the guest. Far deeper than a real PL011's 32 bytes: the host's serial line
 * has no flow control, so whatever arrives while the guest is busy with interrupts masked
 * (a disk wait, a long exec) must be held here; a pasted 1 KiB command line fits four times. */
#define VUART_RX_BUF 4096

struct vuart {
	struct vm *vm;
	struct spinlock lock;	/* the console CPU fills rx while the VM's CPU drains it */
	struct console_src con; /* its output on the shared console (under the console's lock) */
	uint8_t rx[VUART_RX_BUF];
	unsigned rx_head;
	unsigned rx_count;
	uint32_t cr;
	uint32_t imsc;
	uint32_t ris;
	uint32_t lcr_h;
	uint32_t ibrd;
	uint32_t fbrd;
	uint32_t ifls;
	bool irq_line; /* last level given to the vGIC */
};

void vuart_init(struct vuart *u, struct vm *vm);
/* Back to the state after power-on, its pending input dropped (at VM reset, after the vGIC's
 * reset: the new boot must neither read the old one's input nor miss an interrupt edge). */
void vuart_reset(struct vuart *u);
/* The mmio_access_fn of the device. */
int vuart_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		 uint64_t *value);
/* Input for the guest; returns false if its receive buffer is full (the byte is dropped). */
bool vuart_rx_push(struct vuart *u, uint8_t byte);
/* Emits a partial line (at VM stop or reset) so no output is lost. */
void vuart_flush(struct vuart *u);

#endif /* HYP_VUART_H */
