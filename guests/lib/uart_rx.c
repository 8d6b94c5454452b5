/* Interrupt-driven line input from the guest's PL011 (SPI 33). */
#include <modvisor/guest_map.h>
#include <dev/pl011.h>
#include "guest.h"

static char line[128];
static unsigned line_len;
static volatile bool line_ready;

static inline volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(GUEST_PL011_BASE + off);
}

static void uart_irq(unsigned intid)
{
	(void)intid;
	while (!(*uart_reg(PL011_FR) & PL011_FR_RXFE)) {
		char c = (char)(*uart_reg(PL011_DR) & 0xff);

		if (line_ready)
			continue; /* the previous line has not been taken yet */
		if (c == '\r' || c == '\n') {
			line[line_len] = '\0';
			line_ready = line_len > 0;
		} else if (line_len + 1 < sizeof(line)) {
			line[line_len++] = c;
		}
	}
	*uart_reg(PL011_ICR) = PL011_INT_RX | PL011_INT_RT;
}

void uart_rx_start(void)
{
	gic_enable_irq(GUEST_PL011_INTID, uart_irq);
	*uart_reg(PL011_IMSC) = PL011_INT_RX | PL011_INT_RT;
}

const char *uart_rx_line(void)
{
	if (!line_ready)
		return NULL;
	line_ready = false;
	line_len = 0;
	return line;
}
