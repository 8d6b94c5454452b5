/* LiteOS console output: whole-message writes that tasks cannot interleave. */
#ifndef _LOS_PRINTF_H
#define _LOS_PRINTF_H

#include "los_typedef.h"

/* Formats into a 256-byte buffer, then writes it with IRQs masked (longer output is cut). */
__attribute__((format(printf, 1, 2))) int dprintf(const char *fmt, ...);
#define PRINTK dprintf
/* Raw bytes (file contents), in pieces that are each written whole. */
VOID LOS_ConsoleWrite(const CHAR *buf, UINT32 len);

#endif /* _LOS_PRINTF_H */
