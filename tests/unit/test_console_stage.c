/* Unit tests for hyp/console_stage.c: which guest bytes wait, and that none is lost. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "console_stage.h"

/* What reached the console, in the order console_vm_putc() would give it. */
static char seen[4096];
static unsigned nseen, flushes;

static void put(struct console_stage *s, char c, bool focused)
{
	unsigned n;
	const char *held;

	if (console_stage_hold(s, c, focused))
		return;
	held = console_stage_bytes(s, &n);
	memcpy(seen + nseen, held, n);
	nseen += n;
	seen[nseen++] = c;
	console_stage_clear(s);
	flushes++;
}

static void put_str(struct console_stage *s, const char *str, bool focused)
{
	while (*str)
		put(s, *str++, focused);
}

static int reset(void **state)
{
	(void)state;
	nseen = 0;
	flushes = 0;
	memset(seen, 0, sizeof(seen));
	return 0;
}

static void unfocused_line_goes_in_one_piece(void **state)
{
	struct console_stage s = {0};

	(void)state;
	put_str(&s, "hello, world", false);
	assert_int_equal(flushes, 0);
	assert_int_equal(nseen, 0);
	put(&s, '\n', false);
	assert_int_equal(flushes, 1);
	assert_int_equal(nseen, 13);
	assert_memory_equal(seen, "hello, world\n", 13);
}

static void focused_bytes_go_at_once(void **state)
{
	struct console_stage s = {0};

	(void)state;
	put_str(&s, "$ ", true);
	assert_int_equal(flushes, 2);
	assert_memory_equal(seen, "$ ", 2);
}

static void long_line_goes_a_stage_at_a_time_in_order(void **state)
{
	struct console_stage s = {0};
	char line[1000];

	(void)state;
	for (unsigned i = 0; i < sizeof(line); i++)
		line[i] = (char)('a' + i % 26);
	for (unsigned i = 0; i < sizeof(line); i++)
		put(&s, line[i], false);
	/* The stage fills, then goes with the byte that did not fit. */
	assert_int_equal(flushes, sizeof(line) / (CONSOLE_STAGE_MAX + 1));
	put(&s, '\n', false);
	assert_int_equal(nseen, sizeof(line) + 1);
	assert_memory_equal(seen, line, sizeof(line));
	assert_int_equal(seen[sizeof(line)], '\n');
}

static void held_bytes_go_first_when_the_focus_arrives(void **state)
{
	struct console_stage s = {0};

	(void)state;
	put_str(&s, "login: ", false);
	assert_int_equal(nseen, 0);
	put(&s, 'x', true);
	assert_int_equal(nseen, 8);
	assert_memory_equal(seen, "login: x", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(unfocused_line_goes_in_one_piece, reset),
	    cmocka_unit_test_setup(focused_bytes_go_at_once, reset),
	    cmocka_unit_test_setup(long_line_goes_a_stage_at_a_time_in_order, reset),
	    cmocka_unit_test_setup(held_bytes_go_first_when_the_focus_arrives, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
