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
#define VUART_RX_FIFO 32

struct vuart {
	struct vm *vm;
	struct spinlock lock;	/* the console CPU fills rx while the VM's CPU drains it */
	struct console_src con; /* its output on the shared console (under the console's lock) */
	uint8_t rx[VUART_RX_FIFO];
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
/* The mmio_access_fn of the device. */
int vuart_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		 uint64_t *value);
/* Input for the guest; returns false if its receive FIFO is full (the byte is dropped). */
bool vuart_rx_push(struct vuart *u, uint8_t byte);
/* Emits a partial line (at VM stop or reset) so no output is lost. */
void vuart_flush(struct vuart *u);

#endif /* HYP_VUART_H */
