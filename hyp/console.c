/* Serialises hypervisor and guest output on the physical PL011 so lines never interleave. */
#include "console.h"
#include "pl011.h"
#include "spinlock.h"
#include <fmt.h>

static struct spinlock console_lock = SPINLOCK_INIT;

static void emit_char(void *arg, char c)
{
	(void)arg;
	if (c == '\n')
		pl011_putc('\r');
	pl011_putc(c);
}

void hyp_vprintf(const char *fmt, va_list ap)
{
	spin_lock(&console_lock);
	fmt_vformat(emit_char, NULL, fmt, ap);
	spin_unlock(&console_lock);
}

void hyp_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vprintf(fmt, ap);
	va_end(ap);
}

void console_write_vm_line(const char *vm_name, const char *line, unsigned len)
{
	spin_lock(&console_lock);
	emit_char(NULL, '[');
	for (const char *p = vm_name; *p; p++)
		emit_char(NULL, *p);
	emit_char(NULL, ']');
	emit_char(NULL, ' ');
	for (unsigned i = 0; i < len; i++)
		emit_char(NULL, line[i]);
	emit_char(NULL, '\n');
	spin_unlock(&console_lock);
}

void console_force_unlock(void)
{
	console_lock.owner = console_lock.next;
}
