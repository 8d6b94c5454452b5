/* Unit tests for lib/freestanding string.c and stdlib.c, checked against the host libc. */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/*
 * The library defines the real libc names, which would clash with the host's. Renaming them
 * while including the sources turns them into t_* functions that can be compared with libc;
 * the system headers are already included, so their declarations keep the real names.
 */
#define memchr t_memchr
#define memcmp t_memcmp
#define memcpy t_memcpy
#define memmove t_memmove
#define memset t_memset
#define strchr t_strchr
#define strcmp t_strcmp
#define strncmp t_strncmp
#define strlen t_strlen
#define strnlen t_strnlen
#define strrchr t_strrchr
#define strlcpy t_strlcpy
#define strtoul t_strtoul
#include "../../lib/freestanding/string.c"
#include "../../lib/freestanding/stdlib.c"
#undef memchr
#undef memcmp
#undef memcpy
#undef memmove
#undef memset
#undef strchr
#undef strcmp
#undef strncmp
#undef strlen
#undef strnlen
#undef strrchr
#undef strlcpy
#undef strtoul

#define BUF 256

static uint32_t rng = 12345;

static uint8_t rnd8(void)
{
	rng = rng * 1103515245u + 12345u;
	return (uint8_t)(rng >> 16);
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = rnd8();
}

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_memcpy(void **state)
{
	uint8_t src[BUF], a[BUF], b[BUF];

	(void)state;
	for (size_t so = 0; so < 17; so++) {
		for (size_t doff = 0; doff < 17; doff++) {
			for (size_t n = 0; n < 120; n++) {
				fill_random(src, sizeof(src));
				fill_random(a, sizeof(a));
				memcpy(b, a, sizeof(a));
				assert_ptr_equal(t_memcpy(a + doff, src + so, n), a + doff);
				memcpy(b + doff, src + so, n);
				assert_memory_equal(a, b, sizeof(a));
			}
		}
	}
}

/* Overlap in both directions, at every alignment, plus the src == dst case. */
static void test_memmove(void **state)
{
	uint8_t a[BUF], b[BUF];

	(void)state;
	for (size_t so = 0; so < 40; so++) {
		for (size_t doff = 0; doff < 40; doff++) {
			for (size_t n = 0; n < 100; n += 1 + n / 16) {
				fill_random(a, sizeof(a));
				memcpy(b, a, sizeof(a));
				assert_ptr_equal(t_memmove(a + doff, a + so, n), a + doff);
				memmove(b + doff, b + so, n);
				assert_memory_equal(a, b, sizeof(a));
			}
		}
	}
}

static void test_memset(void **state)
{
	static const int values[] = {0, 1, 0x5a, 0x7f, 0x80, 0xff, -1, 0x1ab, -129};
	uint8_t a[BUF], b[BUF];

	(void)state;
	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		for (size_t off = 0; off < 17; off++) {
			for (size_t n = 0; n < 150; n++) {
				fill_random(a, sizeof(a));
				memcpy(b, a, sizeof(a));
				assert_ptr_equal(t_memset(a + off, values[v], n), a + off);
				memset(b + off, values[v], n);
				assert_memory_equal(a, b, sizeof(a));
			}
		}
	}
}

static void test_memcmp_memchr(void **state)
{
	uint8_t a[64], b[64];

	(void)state;
	for (int iter = 0; iter < 5000; iter++) {
		size_t n = rnd8() % sizeof(a);

		fill_random(a, sizeof(a));
		memcpy(b, a, sizeof(a));
		/* A difference somewhere (maybe past n), often in a byte with the top bit set. */
		b[rnd8() % sizeof(b)] = rnd8();
		assert_int_equal(sign(t_memcmp(a, b, n)), sign(memcmp(a, b, n)));

		int c = rnd8() % 4 ? a[rnd8() % sizeof(a)] : rnd8() | 0x100;
		assert_ptr_equal(t_memchr(a, c, n), memchr(a, c, n));
	}
	assert_int_equal(t_memcmp("", "x", 0), 0);
	assert_true(t_memcmp("\x80", "\x7f", 1) > 0);
	assert_null(t_memchr("abc", 'a', 0));
}

static const char *const strings[] = {
    "",
    "a",
    "ab",
    "abc",
    "abd",
    "abcdef",
    "abcdefgh",
    "ABC",
    "\x80",
    "\xff\x01",
    "a\xe9",
    "zz",
    "hello, world",
    "hello",
    "hello, w",
    "/chosen/linux,initrd-start",
    "/",
    "//a/b/",
};
#define NSTR (sizeof(strings) / sizeof(strings[0]))

static void test_str_compare(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSTR; i++) {
		for (size_t j = 0; j < NSTR; j++) {
			const char *a = strings[i], *b = strings[j];

			assert_int_equal(sign(t_strcmp(a, b)), sign(strcmp(a, b)));
			for (size_t n = 0; n < 16; n++)
				assert_int_equal(sign(t_strncmp(a, b, n)), sign(strncmp(a, b, n)));
		}
	}
}

static void test_str_length_search(void **state)
{
	static const int chars[] = {0, 'a', 'b', 'l', 'o', '/', ',', 0xe9, 0x80, 0x180, 'q'};

	(void)state;
	for (size_t i = 0; i < NSTR; i++) {
		const char *s = strings[i];

		assert_int_equal(t_strlen(s), strlen(s));
		for (size_t n = 0; n < 30; n++)
			assert_int_equal(t_strnlen(s, n), strnlen(s, n));
		for (size_t c = 0; c < sizeof(chars) / sizeof(chars[0]); c++) {
			assert_ptr_equal(t_strchr(s, chars[c]), strchr(s, chars[c]));
			assert_ptr_equal(t_strrchr(s, chars[c]), strrchr(s, chars[c]));
		}
	}
	/* strnlen must not read past maxlen: this array has no terminator. */
	{
		const char raw[4] = {'a', 'b', 'c', 'd'};

		assert_int_equal(t_strnlen(raw, sizeof(raw)), 4);
		assert_int_equal(t_strnlen(raw, 2), 2);
	}
}

static void test_strlcpy(void **state)
{
	char dst[40];

	(void)state;
	for (size_t i = 0; i < NSTR; i++) {
		const char *s = strings[i];
		size_t len = strlen(s);

		for (size_t size = 0; size <= len + 2; size++) {
			memset(dst, '#', sizeof(dst));
			assert_int_equal(t_strlcpy(dst, s, size), len);
			if (size) {
				size_t n = len < size - 1 ? len : size - 1;

				assert_memory_equal(dst, s, n);
				assert_int_equal(dst[n], '\0');
				for (size_t k = n + 1; k < sizeof(dst); k++)
					assert_int_equal(dst[k], '#');
			} else {
				assert_int_equal(dst[0], '#');
			}
		}
	}
	/* size 0 may come with a NULL destination. */
	assert_int_equal(t_strlcpy(NULL, "abc", 0), 3);
}

static void check_strtoul(const char *s, int base)
{
	char *e1 = NULL, *e2 = NULL;
	unsigned long want = strtoul(s, &e1, base);
	unsigned long got = t_strtoul(s, &e2, base);

	if (got != want || e1 != e2)
		fail_msg("strtoul(\"%s\", %d): got %lu end +%td, libc %lu end +%td", s, base, got,
			 e2 - s, want, e1 - s);
	assert_int_equal(t_strtoul(s, NULL, base), want);
}

static void test_strtoul(void **state)
{
	static const char *const inputs[] = {
	    "",
	    " ",
	    "0",
	    "00",
	    "7",
	    "8",
	    "9",
	    "08",
	    "077",
	    "0x",
	    "0X",
	    "0xg",
	    "0x1g",
	    "0x7fffffff",
	    "0XaBcDeF",
	    "-0x10",
	    "+0x10",
	    "  -1",
	    "+42",
	    "-42",
	    "+",
	    "-",
	    "+-1",
	    "-+1",
	    " 0x 1",
	    "00x10",
	    "0b101",
	    "\t\n\v\f\r 12abc",
	    "zz",
	    "Zz9",
	    "123456789",
	    "4294967295",
	    "4294967296",
	    "9223372036854775807",
	    "9223372036854775808",
	    "18446744073709551615",
	    "18446744073709551616",
	    "99999999999999999999999999",
	    "-18446744073709551615",
	    "-18446744073709551616",
	    "0xffffffffffffffff",
	    "0x10000000000000000",
	    "0x000000000000000000000000001",
	    "1777777777777777777777",
	    "2000000000000000000000",
	    "-0",
	    "0x0",
	    "12 34",
	    "1_000",
	};
	static const int bases[] = {0, 2, 8, 10, 16, 36};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		for (size_t b = 0; b < sizeof(bases) / sizeof(bases[0]); b++)
			check_strtoul(inputs[i], bases[b]);
	}
	/* Random digit strings, some long enough to overflow. */
	for (int iter = 0; iter < 20000; iter++) {
		static const char alphabet[] = "0123456789abcdefxX+- ";
		size_t n = rnd8() % 30;

		for (size_t k = 0; k < n; k++)
			buf[k] = alphabet[rnd8() % (sizeof(alphabet) - 1)];
		buf[n] = '\0';
		check_strtoul(buf, bases[rnd8() % 6]);
	}
	/* Bad bases: nothing consumed. */
	{
		char *end = NULL;

		assert_int_equal(t_strtoul("123", &end, 1), 0);
		assert_string_equal(end, "123");
		assert_int_equal(t_strtoul("123", &end, 37), 0);
		assert_string_equal(end, "123");
		assert_int_equal(t_strtoul("  x", &end, 10), 0);
		assert_string_equal(end, "  x");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_memcpy),	cmocka_unit_test(test_memmove),
	    cmocka_unit_test(test_memset),	cmocka_unit_test(test_memcmp_memchr),
	    cmocka_unit_test(test_str_compare), cmocka_unit_test(test_str_length_search),
	    cmocka_unit_test(test_strlcpy),	cmocka_unit_test(test_strtoul),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
