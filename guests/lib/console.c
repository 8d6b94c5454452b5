/* Polled output on the guest's PL011; the hypervisor prefixes each line with the VM's name. */
#include <modvisor/guest_map.h>
#include <dev/pl011.h>
#include "guest.h"
#include <fmt.h>
#include <stdarg.h>

static inline volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(GUEST_PL011_BASE + off);
}

void console_putc(char c)
{
	while (*uart_reg(PL011_FR) & PL011_FR_TXFF)
		;
	*uart_reg(PL011_DR) = (uint8_t)c;
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
