/* Interrupt-driven line input from the guest's PL011 (SPI 33). */
#include "guest.h"

#define UART_BASE 0x09000000UL
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_RXFE (1U << 4)
#define INT_RX (1U << 4)
#define INT_RT (1U << 6)
#define UART_SPI 33

static char line[128];
static unsigned line_len;
static volatile bool line_ready;

static inline volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(UART_BASE + off);
}

static void uart_irq(unsigned intid)
{
	(void)intid;
	while (!(*uart_reg(UARTFR) & FR_RXFE)) {
		char c = (char)(*uart_reg(UARTDR) & 0xff);

		if (line_ready)
			continue; /* the previous line has not been taken yet */
		if (c == '\r' || c == '\n') {
			line[line_len] = '\0';
			line_ready = line_len > 0;
		} else if (line_len + 1 < sizeof(line)) {
			line[line_len++] = c;
		}
	}
	*uart_reg(UARTICR) = INT_RX | INT_RT;
}

void uart_rx_start(void)
{
	gic_enable_irq(UART_SPI, uart_irq);
	*uart_reg(UARTIMSC) = INT_RX | INT_RT;
}

const char *uart_rx_line(void)
{
	if (!line_ready)
		return NULL;
	line_ready = false;
	line_len = 0;
	return line;
}
