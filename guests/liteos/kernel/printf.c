/* Console output for tasks: one message at a time, so that concurrent tasks' lines stay whole;
 * the guest libc's printf family. */
#include "guest.h"
#include "los_hwi.h"
#include "los_printf.h"
#include <stdarg.h>
#include <string.h>

#define OS_PRINT_BUF 256U

static VOID OsConsoleEmit(const CHAR *buf, UINT32 len)
{
	/* The hypervisor prints a VM's output a line at a time; masking keeps ours in one piece. */
	UINT32 intSave = LOS_IntLock();

	for (UINT32 i = 0; i < len; i++)
		console_putc(buf[i]);
	LOS_IntRestore(intSave);
}

int dprintf(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vprintf(fmt, ap);
	va_end(ap);
	return len;
}

VOID LOS_ConsoleWrite(const CHAR *buf, UINT32 len)
{
	while (len > 0) {
		UINT32 piece = MIN(len, OS_PRINT_BUF);

		OsConsoleEmit(buf, piece);
		buf += piece;
		len -= piece;
	}
}

int vprintf(const char *fmt, va_list ap)
{
	CHAR buf[OS_PRINT_BUF];
	int len = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);

	if (len > 0)
		OsConsoleEmit(buf, MIN((UINT32)len, OS_PRINT_BUF - 1));
	return len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vprintf(fmt, ap);
	va_end(ap);
	return len;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return fmt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return len;
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int len;

	/* No size is given: the caller promises room, as with any sprintf. */
	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, INT32_MAX, fmt, ap);
	va_end(ap);
	return len;
}

int putchar(int c)
{
	CHAR ch = (CHAR)c;

	OsConsoleEmit(&ch, 1);
	return (UINT8)ch;
}

int puts(const char *s)
{
	UINT32 len = (UINT32)strlen(s);

	LOS_ConsoleWrite(s, len);
	OsConsoleEmit("\n", 1);
	return (int)len + 1;
}
