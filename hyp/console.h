/* The hypervisor console: formatted output on the physical UART, one line at a time. */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>
#include <mv_compiler.h>

__printf(1, 2) void hyp_printf(const char *fmt, ...);
void hyp_vprintf(const char *fmt, va_list ap);
/* Writes one finished line of guest output with its "[name] " prefix, atomically. */
void console_write_vm_line(const char *vm_name, const char *line, unsigned len);
/* Used by panic() so that a CPU dying while holding the lock can still report. */
void console_force_unlock(void);

#endif /* HYP_CONSOLE_H */
