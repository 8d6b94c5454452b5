/* Interrupt-driven console input from the guest's PL011 (SPI 33): a queue of typed lines. */
#include <modvisor/guest_map.h>
#include <dev/pl011.h>
#include "guest.h"
#include "lineq.h"

static struct lineq rxq;
static char line_copy[UART_RX_LINE_MAX + 1];

static inline volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(GUEST_PL011_BASE + off);
}

static void uart_irq(unsigned intid)
{
	(void)intid;
	while (!(*uart_reg(PL011_FR) & PL011_FR_RXFE))
		lineq_put(&rxq, (char)(*uart_reg(PL011_DR) & 0xff));
	*uart_reg(PL011_ICR) = PL011_INT_RX | PL011_INT_RT;
}

void uart_rx_start(void)
{
	gic_enable_irq(GUEST_PL011_INTID, uart_irq);
	*uart_reg(PL011_IMSC) = PL011_INT_RX | PL011_INT_RT;
}

size_t uart_rx_read(char *buf, size_t len)
{
	return lineq_read(&rxq, buf, len);
}

const char *uart_rx_line(void)
{
	size_t n;

	do {
		n = lineq_read(&rxq, line_copy, sizeof(line_copy));
		if (n == 0)
			return NULL;
	} while (n == 1); /* empty lines say nothing to a probe */
	line_copy[n - 1] = '\0';
	return line_copy;
}
