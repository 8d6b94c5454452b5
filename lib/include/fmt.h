/* printf-style formatting without floating point, for the hypervisor console and the guests. */
#ifndef MV_FMT_H
#define MV_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Supported: flags - 0 + space #, width and precision (also *), length hh h l ll z t j,
 * conversions d i u x X o p s c %. %p prints 0x-prefixed hex (also "0x0" for NULL), a NULL
 * %s prints "(null)" cut to the precision. An unknown conversion is copied out literally.
 */

/* Sends every output character to emit(arg, c); returns the count, or -1 past INT_MAX. */
__attribute__((format(printf, 3, 0))) int fmt_vformat(void (*emit)(void *arg, char c), void *arg,
						      const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int fmt_format(void (*emit)(void *arg, char c), void *arg,
						     const char *fmt, ...);

/*
 * C99 snprintf semantics: writes at most size - 1 characters plus a NUL when size > 0 (buf
 * may be NULL when size is 0), and returns the length the full output would have had.
 */
__attribute__((format(printf, 3, 0))) int fmt_vsnprintf(char *buf, size_t size, const char *fmt,
							va_list ap);
__attribute__((format(printf, 3, 4))) int fmt_snprintf(char *buf, size_t size, const char *fmt,
						       ...);

#endif /* MV_FMT_H */
