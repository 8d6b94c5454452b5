/* PL011 register model: transmit goes to the console line by line with the VM's name. */
#include "vuart.h"
#include "console.h"
#include <modvisor/status.h>
#include <string.h>

#define UARTDR 0x000
#define UARTRSR 0x004
#define UARTFR 0x018
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UARTPERIPHID0 0xfe0

#define FR_RXFE (1U << 4)
#define FR_TXFE (1U << 7)

/* PrimeCell identification: PL011 r1p5, as the real device reports it. */
static const uint8_t pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

void vuart_init(struct vuart *u, const char *vm_name)
{
	memset(u, 0, sizeof(*u));
	u->vm_name = vm_name;
	u->cr = 0x300; /* TXE | RXE, UARTEN left to the guest */
}

void vuart_flush(struct vuart *u)
{
	if (u->line_len) {
		console_write_vm_line(u->vm_name, u->line, u->line_len);
		u->line_len = 0;
	}
}

static void vuart_tx(struct vuart *u, char c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		console_write_vm_line(u->vm_name, u->line, u->line_len);
		u->line_len = 0;
		return;
	}
	u->line[u->line_len++] = c;
	if (u->line_len == VUART_LINE_MAX)
		vuart_flush(u);
}

static uint32_t vuart_read(struct vuart *u, uint64_t offset)
{
	switch (offset) {
	case UARTFR:
		/* Output is consumed at once, so the transmit FIFO always looks empty. */
		return FR_TXFE | FR_RXFE;
	case UARTIBRD:
		return u->ibrd;
	case UARTFBRD:
		return u->fbrd;
	case UARTLCR_H:
		return u->lcr_h;
	case UARTCR:
		return u->cr;
	case UARTIMSC:
		return u->imsc;
	default:
		if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 32)
			return pl011_id[(offset - UARTPERIPHID0) / 4];
		return 0;
	}
}

int vuart_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		 uint64_t *value)
{
	struct vuart *u = dev;

	(void)vcpu;
	if (size == 8)
		return MV_ERR_INVALID;
	if (!write) {
		*value = vuart_read(u, offset);
		return MV_OK;
	}
	switch (offset) {
	case UARTDR:
		vuart_tx(u, (char)(*value & 0xff));
		break;
	case UARTIBRD:
		u->ibrd = (uint32_t)*value;
		break;
	case UARTFBRD:
		u->fbrd = (uint32_t)*value;
		break;
	case UARTLCR_H:
		u->lcr_h = (uint32_t)*value;
		break;
	case UARTCR:
		u->cr = (uint32_t)*value;
		break;
	case UARTIMSC:
		u->imsc = (uint32_t)*value & 0x7ff;
		break;
	default:
		break; /* RSR, IFLS, ICR, DMACR: accepted and ignored */
	}
	return MV_OK;
}
