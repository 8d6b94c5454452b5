/* Polled transmit and interrupt-driven receive on the physical PL011. */
#include <dev/pl011.h>
#include "pl011.h"
#include <mv_compiler.h>

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
	while (reg_read(PL011_FR) & PL011_FR_TXFF)
		;
	reg_write(PL011_DR, (uint8_t)c);
}

int pl011_getc(void)
{
	if (reg_read(PL011_FR) & PL011_FR_RXFE)
		return -1;
	return (int)(reg_read(PL011_DR) & 0xff);
}

void pl011_enable_rx_irq(bool on)
{
	reg_write(PL011_ICR, PL011_INT_RX | PL011_INT_RT);
	reg_write(PL011_IMSC, on ? (PL011_INT_RX | PL011_INT_RT) : 0);
}
