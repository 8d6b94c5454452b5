/* The PL011 each VM sees at IPA 0x0900_0000, emulated by the hypervisor on the shared console. */
#ifndef HYP_VUART_H
#define HYP_VUART_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

#define VUART_BASE 0x09000000ULL
#define VUART_SIZE 0x1000ULL
#define VUART_LINE_MAX 160

struct vuart {
	const char *vm_name;
	char line[VUART_LINE_MAX];
	unsigned line_len;
	uint32_t cr;
	uint32_t imsc;
	uint32_t lcr_h;
	uint32_t ibrd;
	uint32_t fbrd;
};

void vuart_init(struct vuart *u, const char *vm_name);
/* The mmio_access_fn of the device. */
int vuart_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		 uint64_t *value);
/* Emits a partial line (at VM stop) so no output is lost. */
void vuart_flush(struct vuart *u);

#endif /* HYP_VUART_H */
