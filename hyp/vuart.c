/* PL011 register model: output goes to the shared console, input comes from the focus. */
#include <dev/pl011.h>
#include "vuart.h"
#include "console.h"
#include "vgic.h"
#include "vm.h"
#include <modvisor/status.h>
#include <string.h>

/* PrimeCell identification: PL011 r1p5, as the real device reports it. */
static const uint8_t pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* Registers and input as at power-on; called with the lock held (or before first use). */
static void power_on_state(struct vuart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
	u->cr = 0x300; /* TXE | RXE, UARTEN left to the guest */
	u->imsc = 0;
	u->ris = 0;
	u->lcr_h = 0;
	u->ibrd = 0;
	u->fbrd = 0;
	u->ifls = 0x12;
	u->irq_line = false;
}

void vuart_init(struct vuart *u, struct vm *vm)
{
	memset(u, 0, sizeof(*u));
	u->vm = vm;
	u->lock = (struct spinlock)SPINLOCK_INIT;
	power_on_state(u);
	console_src_init(&u->con, vm->name);
}

void vuart_reset(struct vuart *u)
{
	bool was_high;

	spin_lock(&u->lock);
	was_high = u->irq_line;
	power_on_state(u);
	spin_unlock(&u->lock);
	/* A byte pushed between the vGIC's reset and ours may have raised the line again. */
	if (was_high)
		vgic_set_level(u->vm, VGIC_SPI_UART, false);
}

void vuart_flush(struct vuart *u)
{
	console_vm_flush(&u->con);
}

/* The interrupt line is the OR of the masked status bits; called with the lock held. */
static bool irq_level(struct vuart *u)
{
	/* Transmit never backs up, so TX stays asserted while the guest unmasks it. */
	u->ris = (u->ris & ~(PL011_INT_RX | PL011_INT_RT | PL011_INT_TX)) | PL011_INT_TX |
		 (u->rx_count ? (PL011_INT_RX | PL011_INT_RT) : 0);
	return (u->ris & u->imsc) != 0;
}

/* Releases the lock and passes a change of the interrupt line on to the vGIC. */
static void unlock_and_update_irq(struct vuart *u)
{
	bool level = irq_level(u);
	bool changed = level != u->irq_line;

	u->irq_line = level;
	spin_unlock(&u->lock);
	if (changed)
		vgic_set_level(u->vm, VGIC_SPI_UART, level);
}

bool vuart_rx_push(struct vuart *u, uint8_t byte)
{
	bool ok = false;

	spin_lock(&u->lock);
	if (u->rx_count < VUART_RX_BUF) {
		u->rx[(u->rx_head + u->rx_count) % VUART_RX_BUF] = byte;
		u->rx_count++;
		ok = true;
	}
	unlock_and_update_irq(u);
	return ok;
}

static uint32_t vuart_read(struct vuart *u, uint64_t offset)
{
	switch (offset) {
	case PL011_DR:
		if (u->rx_count) {
			uint8_t c = u->rx[u->rx_head];

			u->rx_head = (u->rx_head + 1) % VUART_RX_BUF;
			u->rx_count--;
			return c;
		}
		return 0;
	case PL011_FR:
		/* Output is consumed at once, so the transmit FIFO always looks empty. */
		return PL011_FR_TXFE | (u->rx_count ? 0 : PL011_FR_RXFE) |
		       (u->rx_count == VUART_RX_BUF ? PL011_FR_RXFF : 0);
	case PL011_IBRD:
		return u->ibrd;
	case PL011_FBRD:
		return u->fbrd;
	case PL011_LCR_H:
		return u->lcr_h;
	case PL011_CR:
		return u->cr;
	case PL011_IFLS:
		return u->ifls;
	case PL011_IMSC:
		return u->imsc;
	case PL011_RIS:
		return u->ris;
	case PL011_MIS:
		return u->ris & u->imsc;
	default:
		if (offset >= PL011_PERIPHID0 && offset < PL011_PERIPHID0 + 32)
			return pl011_id[(offset - PL011_PERIPHID0) / 4];
		return 0;
	}
}

static void vuart_write(struct vuart *u, uint64_t offset, uint32_t value)
{
	switch (offset) {
	case PL011_DR:
		console_vm_putc(&u->con, (char)(value & 0xff));
		break;
	case PL011_IBRD:
		u->ibrd = value;
		break;
	case PL011_FBRD:
		u->fbrd = value;
		break;
	case PL011_LCR_H:
		u->lcr_h = value;
		break;
	case PL011_CR:
		u->cr = value;
		break;
	case PL011_IFLS:
		u->ifls = value;
		break;
	case PL011_IMSC:
		u->imsc = value & PL011_INT_ALL;
		break;
	case PL011_ICR:
		u->ris &= ~value;
		break;
	default:
		break; /* RSR and DMACR: accepted and ignored */
	}
}

int vuart_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		 uint64_t *value)
{
	struct vuart *u = dev;

	(void)vcpu;
	if (size == 8)
		return MV_ERR_INVALID;
	spin_lock(&u->lock);
	if (write)
		vuart_write(u, offset, (uint32_t)*value);
	else
		*value = vuart_read(u, offset);
	unlock_and_update_irq(u);
	return MV_OK;
}
