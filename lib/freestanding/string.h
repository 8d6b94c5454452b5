/* Freestanding <string.h>: the libc string subset our EL2 and EL1 code and libfdt need. */
#ifndef MV_FREESTANDING_STRING_H
#define MV_FREESTANDING_STRING_H

#include <stddef.h>

void *memchr(const void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
char *strchr(const char *s, int c);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
char *strrchr(const char *s, int c);
/* BSD semantics: always terminates when size > 0, returns strlen(src) to detect truncation. */
size_t strlcpy(char *restrict dst, const char *restrict src, size_t size);

#endif /* MV_FREESTANDING_STRING_H */
