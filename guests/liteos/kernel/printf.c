/* Console output for tasks: one message at a time, so that concurrent tasks' lines stay whole. */
#include "guest.h"
#include "los_hwi.h"
#include "los_printf.h"
#include <stdarg.h>

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
	CHAR buf[OS_PRINT_BUF];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (len > 0)
		OsConsoleEmit(buf, MIN((UINT32)len, OS_PRINT_BUF - 1));
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
