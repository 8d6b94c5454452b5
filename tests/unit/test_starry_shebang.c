/* Unit tests for Starry's "#!" line parser (proc/shebang.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "proc/shebang.h"

static int parse(const char *text, char *interp, char *arg)
{
	return shebang_parse((const uint8_t *)text, strlen(text), interp, 64, arg, 64);
}

static void test_plain_and_with_argument(void **state)
{
	char i[64], a[64];

	(void)state;
	assert_int_equal(parse("#!/bin/sh\necho hi\n", i, a), 1);
	assert_string_equal(i, "/bin/sh");
	assert_string_equal(a, "");
	assert_int_equal(parse("#! \t/usr/bin/env  python3 -u  \nx", i, a), 1);
	assert_string_equal(i, "/usr/bin/env");
	assert_string_equal(a, "python3 -u"); /* one argument, not split */
	assert_int_equal(parse("#!/bin/sh -e\r\n", i, a), 1);
	assert_string_equal(a, "-e");
	assert_int_equal(parse("#!/bin/busybox", i, a), 1); /* no newline: the whole header */
	assert_string_equal(i, "/bin/busybox");
}

static void test_not_a_script_or_malformed(void **state)
{
	char i[64], a[64], longname[300];

	(void)state;
	assert_int_equal(parse("\177ELF", i, a), 0);
	assert_int_equal(parse("#", i, a), 0);
	assert_int_equal(parse("# !/bin/sh\n", i, a), 0);
	assert_int_equal(parse("#!\n/bin/sh\n", i, a), -1); /* no interpreter on the line */
	assert_int_equal(parse("#!   \t \n", i, a), -1);
	memset(longname, 'x', sizeof(longname));
	longname[0] = '#';
	longname[1] = '!';
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(parse(longname, i, a), -1); /* does not fit the 64-byte buffer */
}

static void test_line_limit(void **state)
{
	char i[300], a[300], text[400];

	(void)state;
	/* Only SHEBANG_MAX bytes count: an argument running past them is cut there. */
	memset(text, 'a', sizeof(text));
	memcpy(text, "#!/bin/sh ", 10);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(
	    shebang_parse((const uint8_t *)text, strlen(text), i, sizeof(i), a, sizeof(a)), 1);
	assert_int_equal(strlen(a), SHEBANG_MAX - 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_and_with_argument),
	    cmocka_unit_test(test_not_a_script_or_malformed),
	    cmocka_unit_test(test_line_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
