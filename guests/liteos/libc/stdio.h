/* The LiteOS guest's <stdio.h>: formatted console output for applications (no FILE streams). */
#ifndef _LOS_LIBC_STDIO_H
#define _LOS_LIBC_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF (-1)

/*
 * Console output goes through the kernel's whole-message writer (los_printf.h's dprintf), so
 * lines of different tasks do not mix; one call prints at most 255 characters.
 */
__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);
__attribute__((format(printf, 1, 0))) int vprintf(const char *fmt, va_list ap);
__attribute__((format(printf, 2, 3))) int sprintf(char *buf, const char *fmt, ...);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size, const char *fmt, ...);
__attribute__((format(printf, 3, 0))) int vsnprintf(char *buf, size_t size, const char *fmt,
						    va_list ap);
/* Writes s and a newline. */
int puts(const char *s);
int putchar(int c);

#endif /* _LOS_LIBC_STDIO_H */
