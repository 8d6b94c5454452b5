/* Polled output on the guest's PL011; the hypervisor prefixes each line with the VM's name. */
#include "guest.h"
#include <fmt.h>
#include <stdarg.h>

#define UART_BASE 0x09000000UL
#define UARTDR 0x000
#define UARTFR 0x018
#define FR_TXFF (1U << 5)

static inline volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(UART_BASE + off);
}

void console_putc(char c)
{
	while (*uart_reg(UARTFR) & FR_TXFF)
		;
	*uart_reg(UARTDR) = (uint8_t)c;
}

static void emit(void *arg, char c)
{
	(void)arg;
	console_putc(c);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(emit, NULL, fmt, ap);
	va_end(ap);
	return n;
}

void mv_stack_smashed(void)
{
	kprintf("kernel: stack smashed\n");
	psci_system_off();
}
