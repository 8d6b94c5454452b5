/* Freestanding <stdlib.h>: only what our code and libfdt use; there is no heap or exit here. */
#ifndef MV_FREESTANDING_STDLIB_H
#define MV_FREESTANDING_STDLIB_H

#include <stddef.h>

/* No errno in a freestanding build: overflow is reported only as ULONG_MAX. */
unsigned long strtoul(const char *restrict nptr, char **restrict endptr, int base);

#endif /* MV_FREESTANDING_STDLIB_H */
