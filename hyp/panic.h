/* panic() and BUG_ON() for broken hypervisor invariants, never for guest-caused errors. */
#ifndef HYP_PANIC_H
#define HYP_PANIC_H

#include <mv_compiler.h>

__noreturn __printf(3, 4) void panic_at(const char *file, int line, const char *fmt, ...);

#define panic(...) panic_at(__FILE__, __LINE__, __VA_ARGS__)
#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (__builtin_expect(!!(cond), 0))                                                 \
			panic_at(__FILE__, __LINE__, "BUG: %s", #cond);                            \
	} while (0)

#endif /* HYP_PANIC_H */
