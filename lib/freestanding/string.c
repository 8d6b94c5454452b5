/* Freestanding string and memory functions for the hypervisor, the guests and libfdt. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * gcc recognises the copy and fill loops below as memcpy/memset idioms and would compile them
 * into calls to memcpy/memset, i.e. into infinite recursion. The attribute keeps this file
 * correct even if the build forgets -fno-tree-loop-distribute-patterns.
 */
#if defined(__GNUC__) && !defined(__clang__)
#define MV_NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define MV_NO_LIBCALL
#endif

/* may_alias: word copies must not be reordered against byte accesses to the same memory. */
typedef unsigned long __attribute__((may_alias)) mv_word_t;
#define WORD_SIZE sizeof(mv_word_t)
#define WORD_MASK ((uintptr_t)WORD_SIZE - 1)

/*
 * Word accesses only where both pointers are naturally aligned: the build uses -mstrict-align
 * and early boot runs with the MMU off, where any unaligned access faults.
 */
MV_NO_LIBCALL static void copy_forward(unsigned char *d, const unsigned char *s, size_t n)
{
	if ((((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK) == 0) {
		while (n && ((uintptr_t)d & WORD_MASK)) {
			*d++ = *s++;
			n--;
		}
		while (n >= WORD_SIZE) {
			*(mv_word_t *)d = *(const mv_word_t *)s;
			d += WORD_SIZE;
			s += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n--)
		*d++ = *s++;
}

MV_NO_LIBCALL static void copy_backward(unsigned char *d, const unsigned char *s, size_t n)
{
	d += n;
	s += n;
	if ((((uintptr_t)d ^ (uintptr_t)s) & WORD_MASK) == 0) {
		while (n && ((uintptr_t)d & WORD_MASK)) {
			*--d = *--s;
			n--;
		}
		while (n >= WORD_SIZE) {
			d -= WORD_SIZE;
			s -= WORD_SIZE;
			*(mv_word_t *)d = *(const mv_word_t *)s;
			n -= WORD_SIZE;
		}
	}
	while (n--)
		*--d = *--s;
}

MV_NO_LIBCALL void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

MV_NO_LIBCALL void *memmove(void *dst, const void *src, size_t n)
{
	uintptr_t d = (uintptr_t)dst;
	uintptr_t s = (uintptr_t)src;

	/* Copy away from the overlap so that no source byte is overwritten before it is read. */
	if (d - s >= n)
		copy_forward(dst, src, n);
	else if (d != s)
		copy_backward(dst, src, n);
	return dst;
}

MV_NO_LIBCALL void *memset(void *s, int c, size_t n)
{
	unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	if (n >= WORD_SIZE) {
		mv_word_t w = (mv_word_t)-1 / 0xff * b;

		while ((uintptr_t)p & WORD_MASK) {
			*p++ = b;
			n--;
		}
		while (n >= WORD_SIZE) {
			*(mv_word_t *)p = w;
			p += WORD_SIZE;
			n -= WORD_SIZE;
		}
	}
	while (n--)
		*p++ = b;
	return s;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a;
	const unsigned char *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;
	unsigned char b = (unsigned char)c;

	for (; n; n--, p++) {
		if (*p == b)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

/* Comparisons are on unsigned char, as C requires, whatever the signedness of plain char. */
int strcmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x && *x == *y) {
		x++;
		y++;
	}
	return *x - *y;
}

int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
		if (!*x)
			break;
	}
	return 0;
}

/* The terminator counts as part of the string, so strchr(s, 0) finds it. */
char *strchr(const char *s, int c)
{
	char ch = (char)c;

	for (;; s++) {
		if (*s == ch)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	char ch = (char)c;
	const char *last = NULL;

	for (;; s++) {
		if (*s == ch)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

size_t strlcpy(char *restrict dst, const char *restrict src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		copy_forward((unsigned char *)dst, (const unsigned char *)src, n);
		dst[n] = '\0';
	}
	return len;
}
