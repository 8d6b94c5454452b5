/* LiteOS console output: whole-message writes that tasks cannot interleave, and PRINTK. */
#ifndef _LOS_PRINTF_H
#define _LOS_PRINTF_H

#include "los_typedef.h"
#include <stdarg.h>
/* LiteOS code calls printf after including only LOS headers; the guest's libc has it. */
#include <stdio.h>

/* Formats into a 256-byte buffer, then writes it with IRQs masked (longer output is cut). */
__attribute__((format(printf, 1, 2))) int dprintf(const char *fmt, ...);
/* Raw bytes (file contents), in pieces that are each written whole. */
VOID LOS_ConsoleWrite(const CHAR *buf, UINT32 len);

#define PRINTK(fmt, ...) dprintf(fmt, ##__VA_ARGS__)
/* LiteOS's levelled messages; debug messages are compiled out, as in a release LiteOS. */
#define PRINT_ERR(fmt, ...) dprintf("[ERR] " fmt, ##__VA_ARGS__)
#define PRINT_WARN(fmt, ...) dprintf("[WARN] " fmt, ##__VA_ARGS__)
#define PRINT_INFO(fmt, ...) dprintf(fmt, ##__VA_ARGS__)
#define PRINT_DEBUG(fmt, ...)                                                                      \
	do {                                                                                       \
	} while (0)
#define PRINT_RELEASE(fmt, ...) dprintf(fmt, ##__VA_ARGS__)

#endif /* _LOS_PRINTF_H */
