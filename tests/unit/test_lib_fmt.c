/* Unit tests for lib/fmt.c: every case is checked against the host's snprintf. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fmt.h"

#define OUT 600

static int ncases;

/*
 * Formats with the host's vsnprintf and with fmt_vsnprintf into buffers of several sizes,
 * comparing return values, contents and that nothing past size was written.
 */
static void vcompare(const char *fmt, va_list ap)
{
	char want[OUT], got[OUT];
	va_list a1, a2;
	int rw;

	va_copy(a1, ap);
	rw = vsnprintf(want, sizeof(want), fmt, a1);
	va_end(a1);
	assert_true(rw >= 0 && rw < OUT);

	const size_t sizes[] = {0, 1, 2, 3, 5, 8, 13, (size_t)rw, (size_t)rw + 1, OUT};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t size = sizes[i];
		int rg;

		memset(want, 0x5a, sizeof(want));
		memset(got, 0x5a, sizeof(got));
		va_copy(a1, ap);
		va_copy(a2, ap);
		rw = vsnprintf(size ? want : NULL, size, fmt, a1);
		rg = fmt_vsnprintf(size ? got : NULL, size, fmt, a2);
		va_end(a1);
		va_end(a2);
		if (rg != rw || memcmp(got, want, sizeof(got)) != 0)
			fail_msg("format \"%s\" size %zu: got %d \"%.*s\", host %d \"%.*s\"", fmt,
				 size, rg, rg > 0 ? rg : 0, got, rw, rw, want);
	}
	ncases++;
}

__attribute__((format(printf, 1, 2))) static void cmp(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(fmt, ap);
	va_end(ap);
}

/* For formats built at run time, which -Wformat cannot check. */
static void cmp_dyn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(fmt, ap);
	va_end(ap);
}

static void test_table(void **state)
{
	static const char unterminated[5] = {'h', 'e', 'l', 'l', 'o'};

	(void)state;
	cmp("plain text");
	cmp_dyn("");
	cmp("%%");
	cmp("a%%b%%");
	cmp("%d %i", 0, -0);
	cmp("%d", 42);
	cmp("%d", -42);
	cmp("%d %d", INT_MAX, INT_MIN);
	cmp("%5d|%-5d|%05d", 42, 42, 42);
	cmp("%5d|%-5d|%05d", -42, -42, -42);
	cmp("%+d %+d %+d", 0, 5, -5);
	cmp("% d % d % d", 0, 5, -5);
	/* Flags that C says are ignored; -Wformat rejects them, so no compile-time check. */
	cmp_dyn("%+ d % +d", 5, 5);
	cmp("%.0d|%.0d|%5.0d|%-5.0d|", 0, 1, 0, 0);
	cmp("%+.0d|% .0d|", 0, 0);
	cmp("%.3d|%.3d|%8.3d|%-8.3d|", 7, -7, 7, -7);
	cmp_dyn("%08.3d|%-010d|%#010.6x|", 7, -123, 0x1fu);
	cmp("%010d|%+010d|% 010d", -123, 123, 123);
	cmp("%1d|%2d|%3d", 1234, 1234, 1234);
	cmp("%hhd %hhd %hhd %hhd", 127, 128, 255, 300);
	cmp("%hd %hd %hd", 32767, 32768, 70000);
	cmp("%hhu %hhx %hho", 300, 0x1ff, 0777);
	cmp("%hu %hx", 70000, 0x12345);
	cmp("%ld %ld", LONG_MAX, LONG_MIN);
	cmp("%lld %lld", LLONG_MAX, LLONG_MIN);
	cmp("%lu %llu", ULONG_MAX, ULLONG_MAX);
	cmp("%zu %zx %zd", (size_t)SIZE_MAX, (size_t)0xdead, (size_t)1234);
	cmp("%td %tx %tu", (ptrdiff_t)-5, (ptrdiff_t)255, (ptrdiff_t)77);
	cmp("%jd %ju %jx", INTMAX_MIN, UINTMAX_MAX, (uintmax_t)0xabcdef);
	cmp("%u %u", 0u, UINT_MAX);
	cmp("%x %X %x %X", 0xdeadbeefu, 0xdeadbeefu, 0u, 0xabcu);
	cmp("%#x %#X %#x %#o %#o", 255u, 255u, 0u, 8u, 0u);
	cmp("%#.0x|%#.0o|%.0o|%.0x|", 0u, 0u, 0u, 0u);
	cmp("%#5.3o|%#.3o|%#o|%#6o|", 8u, 0777u, 0777u, 1u);
	cmp("%#10x|%#-10x|%#010x|%#10.6x|", 0x1fu, 0x1fu, 0x1fu, 0x1fu);
	cmp("%#lx %#llX %#lo", 0x123456789abcdefUL, 0xfedcba987654321ULL, 01234567UL);
	cmp("%o %o %lo", 0u, 8u, ULONG_MAX);
	cmp("%08x|%-8x|%8.4x|", 0xbeefu, 0xbeefu, 0xbeu);
	cmp("%s", "hello");
	cmp("%10s|%-10s|%.2s|%10.2s|%-10.2s|%.0s|", "hello", "hello", "hello", "hello", "hello",
	    "hello");
	cmp("%s%s%s", "", "a", "");
	cmp("%.5s|%.3s|%3.5s", unterminated, unterminated, unterminated);
	cmp("%c%c%c", 'a', 'b', 'c');
	cmp("%5c|%-5c|%c", 'x', 'y', 0xe9);
	cmp("%c|%3c|", '\0', '\0');
	cmp("%*d|%-*d|%*d|", 6, 42, 6, 42, -6, 42);
	cmp("%.*d|%.*d|%.*d|", 4, 42, 0, 0, -1, 0);
	cmp("%*.*d|%-*.*x|", 8, 3, 5, 8, 3, 0xau);
	cmp("%*s|%.*s|%*.*s|", 7, "ab", 1, "ab", -7, 1, "ab");
	cmp("%*c|%*c|", 3, 'q', -3, 'q');
	cmp("%0*d|%0*d|", 5, -3, -5, -3);
	cmp("%#*x|", 12, 0x55u);
	cmp_dyn("%-+ 0d|%0-5d|% 05d|", 5, 6, 7);
	cmp_dyn("%00005d|%--5d|%++d|%  d", 1, 2, 3, 4);
	cmp("%.10d|%.10u|%.20lx", -1, 1u, 1UL);
	cmp("%200d|%-200u|", 1, 2u);
	cmp("pre %d mid %s post %x end", 1, "two", 3u);
	cmp("%d%d%d%d%d%d%d%d%d%d", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
	cmp("%lld %llx %llo", -1LL, 0x8000000000000000ULL, 0x8000000000000000ULL);
	cmp("%hhd %hhi", -128, -129);
	cmp("%ld|%20ld|%-20ld|%020ld", -1L, LONG_MIN, LONG_MIN, LONG_MIN);
	cmp("%.0u|%5.0u|%-5.0u|", 0u, 0u, 0u);
	cmp("%#.5x|%#8.5X|", 0x12u, 0x12u);
	cmp("%x", 0x80000000u);
}

/* Malformed formats, which -Wformat would refuse at compile time. */
static int fmt_raw(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* What the host cannot be the reference for: %p, NULL %s, bad conversions, truncation. */
static void test_specials(void **state)
{
	char buf[64];
	char want[64];

	(void)state;
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 6);
	assert_string_equal(buf, "0x1234");
	fmt_snprintf(buf, sizeof(buf), "%p", (void *)NULL);
	assert_string_equal(buf, "0x0");
	fmt_snprintf(buf, sizeof(buf), "[%18p|%-18p]", (void *)0xffff000000001000,
		     (void *)0xffff000000001000);
	assert_string_equal(buf, "[0xffff000000001000|0xffff000000001000]");
	fmt_snprintf(buf, sizeof(buf), "[%10p|%-10p]", (void *)0xab, (void *)0xab);
	assert_string_equal(buf, "[      0xab|0xab      ]");
	/* Non-null %p is %#lx on glibc: check our output agrees with that. */
	for (uintptr_t v = 1; v; v <<= 7) {
		fmt_snprintf(buf, sizeof(buf), "%p|%20p", (void *)v, (void *)v);
		snprintf(want, sizeof(want), "%#lx|%#20lx", (unsigned long)v, (unsigned long)v);
		assert_string_equal(buf, want);
	}

	fmt_raw(buf, sizeof(buf), "%s|%8s|%-8s|", (char *)NULL, (char *)NULL, (char *)NULL);
	assert_string_equal(buf, "(null)|  (null)|(null)  |");

	/* A bad conversion is shown literally and consumes no argument. */
	assert_int_equal(fmt_raw(buf, sizeof(buf), "%y %d", 5), 4);
	assert_string_equal(buf, "%y 5");
	assert_int_equal(fmt_raw(buf, sizeof(buf), "abc%"), 4);
	assert_string_equal(buf, "abc%");
	assert_int_equal(fmt_raw(buf, sizeof(buf), "x%-5"), 4);
	assert_string_equal(buf, "x%-5");

	/* Width and precision are capped, not overflowed. */
	assert_int_equal(fmt_raw(NULL, 0, "%99999999999999999999d", 1), 4096);
	assert_int_equal(fmt_raw(NULL, 0, "%.99999999999999999999d", 1), 4096);
	assert_int_equal(fmt_raw(NULL, 0, "%*d", INT_MIN, 1), 4096);

	/* Truncation keeps the return value of the untruncated length. */
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 4, "%s", "abcdef"), 6);
	assert_string_equal(buf, "abc");
	assert_int_equal(buf[4], 'Z');
}

struct sink {
	char text[64];
	size_t n;
};

static void sink_emit(void *arg, char c)
{
	struct sink *s = arg;

	if (s->n < sizeof(s->text))
		s->text[s->n] = c;
	s->n++;
}

static void test_vformat_callback(void **state)
{
	struct sink s = {{0}, 0};

	(void)state;
	assert_int_equal(fmt_format(sink_emit, &s, "%s=%d%c!", "x", -7, '\0'), 6);
	assert_int_equal(s.n, 6);
	assert_memory_equal(s.text, "x=-7\0!", 6);
}

static uint64_t seed = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so any failure reproduces. */
	seed ^= seed >> 12;
	seed ^= seed << 25;
	seed ^= seed >> 27;
	return seed * 0x2545f4914f6cdd1dULL;
}

static uint64_t rnd_value(void)
{
	static const uint64_t edges[] = {0,
					 1,
					 7,
					 8,
					 9,
					 10,
					 15,
					 16,
					 99,
					 127,
					 128,
					 255,
					 256,
					 32767,
					 32768,
					 65535,
					 65536,
					 INT32_MAX,
					 (uint64_t)INT32_MAX + 1,
					 UINT32_MAX,
					 (uint64_t)UINT32_MAX + 1,
					 INT64_MAX,
					 (uint64_t)INT64_MAX + 1,
					 UINT64_MAX};

	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % (sizeof(edges) / sizeof(edges[0]))];
	case 1:
		return rnd() % 1000;
	case 2:
		return -(rnd() % 1000);
	default:
		return rnd() >> (rnd() % 64);
	}
}

/* Random well-defined conversion specifications: flags, widths, precisions, stars, lengths. */
static void test_random(void **state)
{
	static const char *const lens[] = {"", "hh", "h", "l", "ll", "z", "t", "j"};
	static const char convs[] = "diuxXocs";
	static const char *const strs[] = {"", "a", "hello", "modvisor frame allocator"};

	(void)state;
	for (int iter = 0; iter < 30000; iter++) {
		char fmt[64];
		size_t n = 0;
		char conv = convs[rnd() % (sizeof(convs) - 1)];
		const char *flags = conv == 'd' || conv == 'i'	 ? "-0+ "
				    : conv == 'u'		 ? "-0"
				    : conv == 'c' || conv == 's' ? "-"
								 : "-0#";
		int stars = 0, a[2] = {0, 0};
		uint64_t v = rnd_value();

		if (rnd() % 3 == 0)
			fmt[n++] = (char)('a' + rnd() % 26);
		fmt[n++] = '%';
		for (int k = rnd() % 4; k > 0; k--)
			fmt[n++] = flags[rnd() % strlen(flags)];
		switch (rnd() % 3) {
		case 0:
			break;
		case 1:
			n += (size_t)sprintf(fmt + n, "%d", (int)(rnd() % 30));
			break;
		default:
			fmt[n++] = '*';
			a[stars++] = (int)(rnd() % 61) - 30;
			break;
		}
		if (conv != 'c' && rnd() % 2) {
			fmt[n++] = '.';
			switch (rnd() % 3) {
			case 0:
				break;
			case 1:
				n += (size_t)sprintf(fmt + n, "%d", (int)(rnd() % 30));
				break;
			default:
				fmt[n++] = '*';
				a[stars++] = (int)(rnd() % 36) - 5;
				break;
			}
		}
		const char *len = conv == 'c' || conv == 's' ? "" : lens[rnd() % 8];

		n += (size_t)sprintf(fmt + n, "%s%c|", len, conv);
		fmt[n] = '\0';

#define CALL(expr)                                                                                 \
	do {                                                                                       \
		if (stars == 0)                                                                    \
			cmp_dyn(fmt, expr);                                                        \
		else if (stars == 1)                                                               \
			cmp_dyn(fmt, a[0], expr);                                                  \
		else                                                                               \
			cmp_dyn(fmt, a[0], a[1], expr);                                            \
	} while (0)

		if (conv == 's')
			CALL(strs[v % 4]);
		else if (conv == 'c')
			CALL((int)(v % 256));
		else if (!strcmp(len, "l"))
			CALL((unsigned long)v);
		else if (!strcmp(len, "ll"))
			CALL((unsigned long long)v);
		else if (!strcmp(len, "z"))
			CALL((size_t)v);
		else if (!strcmp(len, "t"))
			CALL((ptrdiff_t)v);
		else if (!strcmp(len, "j"))
			CALL((uintmax_t)v);
		else
			CALL((unsigned int)v);
#undef CALL
	}
}

static void test_count(void **state)
{
	(void)state;
	print_message("compared %d formats with the host snprintf\n", ncases);
	assert_true(ncases > 30000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_specials),
	    cmocka_unit_test(test_vformat_callback),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
