/* Polled transmit and interrupt-driven receive on the physical PL011. */
#include "pl011.h"
#include <mv_compiler.h>

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTIMSC 0x038
#define UARTICR 0x044
#define FR_TXFF (1U << 5)
#define FR_RXFE (1U << 4)
#define IMSC_RX (1U << 4)
#define IMSC_RT (1U << 6)

static volatile uint32_t *uart_regs = (volatile uint32_t *)0x09000000;

static inline uint32_t reg_read(unsigned off)
{
	return uart_regs[off / 4];
}

static inline void reg_write(unsigned off, uint32_t v)
{
	uart_regs[off / 4] = v;
}

void pl011_init(uint64_t base)
{
	/* The firmware (QEMU or U-Boot) already set baud rate and enabled the UART. */
	uart_regs = (volatile uint32_t *)base;
}

void pl011_putc(char c)
{
	while (reg_read(UARTFR) & FR_TXFF)
		;
	reg_write(UARTDR, (uint8_t)c);
}

int pl011_getc(void)
{
	if (reg_read(UARTFR) & FR_RXFE)
		return -1;
	return (int)(reg_read(UARTDR) & 0xff);
}

void pl011_enable_rx_irq(bool on)
{
	reg_write(UARTICR, IMSC_RX | IMSC_RT);
	reg_write(UARTIMSC, on ? (IMSC_RX | IMSC_RT) : 0);
}
