/* Unit tests for guests/lib/lineq.c: lines typed ahead queue whole and in order, long ones up
 * to the limit, with the line discipline's erase, kill and line ends. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lineq.h"

static struct lineq q;
static char got[LINEQ_SIZE + 1];

static int setup(void **state)
{
	(void)state;
	memset(&q, 0, sizeof(q));
	return 0;
}

static void type(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		lineq_put(&q, s[i]);
}

static void types(const char *s)
{
	type(s, strlen(s));
}

/* The next whole line, read in one call, as a string with its '\n'; "" when none. */
static const char *next_line(void)
{
	size_t n = lineq_read(&q, got, sizeof(got) - 1);

	got[n] = '\0';
	return got;
}

static void test_lines_typed_at_once_come_out_one_by_one_in_order(void **state)
{
	(void)state;
	types("echo one\recho two\recho three\r");
	assert_string_equal(next_line(), "echo one\n");
	assert_string_equal(next_line(), "echo two\n");
	assert_string_equal(next_line(), "echo three\n");
	assert_string_equal(next_line(), "");
}

static void test_an_unfinished_line_is_not_read(void **state)
{
	(void)state;
	types("ls");
	assert_string_equal(next_line(), "");
	types(" /\r");
	assert_string_equal(next_line(), "ls /\n");
}

static void test_a_long_line_is_read_whole_or_in_pieces(void **state)
{
	char line[LINEQ_LINE_MAX + 1];
	char part[100];

	(void)state;
	for (unsigned i = 0; i < LINEQ_LINE_MAX; i++)
		line[i] = (char)('0' + i % 10);
	line[LINEQ_LINE_MAX] = '\r';
	type(line, sizeof(line));
	type(line, sizeof(line));
	line[LINEQ_LINE_MAX] = '\n';
	assert_int_equal(lineq_read(&q, got, sizeof(got)), LINEQ_LINE_MAX + 1);
	assert_memory_equal(got, line, LINEQ_LINE_MAX + 1);
	/* A small buffer gets the line in pieces, never past its end. */
	for (unsigned off = 0; off < LINEQ_LINE_MAX + 1; off += sizeof(part)) {
		size_t want = LINEQ_LINE_MAX + 1 - off < sizeof(part) ? LINEQ_LINE_MAX + 1 - off
								      : sizeof(part);

		assert_int_equal(lineq_read(&q, part, sizeof(part)), want);
		assert_memory_equal(part, line + off, want);
	}
	assert_string_equal(next_line(), "");
}

static void test_a_line_over_the_limit_keeps_its_start(void **state)
{
	(void)state;
	for (unsigned i = 0; i < LINEQ_LINE_MAX + 50; i++)
		lineq_put(&q, 'x');
	types("\rnext\r");
	assert_int_equal(strlen(next_line()), LINEQ_LINE_MAX + 1);
	assert_int_equal(got[LINEQ_LINE_MAX], '\n');
	assert_string_equal(next_line(), "next\n");
}

static void test_erase_kill_and_line_ends(void **state)
{
	(void)state;
	types("echo abX\x7f"
	      "c\r");
	types("junk\b\b\bno\x15"
	      "echo killed\r");
	types("\x7f\x7f"
	      "crlf\r\n");
	types("lf\n");
	types("\r");	   /* an empty line is a line: the shell prompts again */
	types("cr\r\r\n"); /* CR then CR LF: two lines */
	assert_string_equal(next_line(), "echo abc\n");
	assert_string_equal(next_line(), "echo killed\n");
	assert_string_equal(next_line(), "crlf\n");
	assert_string_equal(next_line(), "lf\n");
	assert_string_equal(next_line(), "\n");
	assert_string_equal(next_line(), "cr\n");
	assert_string_equal(next_line(), "\n");
	assert_string_equal(next_line(), "");
}

static void test_a_full_queue_drops_but_never_cuts_a_line(void **state)
{
	char line[64];
	unsigned lines = 0;

	(void)state;
	/* Lines of 63 characters and '\n' until nothing more fits. */
	for (unsigned i = 0; i < LINEQ_SIZE / 64 + 5; i++) {
		snprintf(line, sizeof(line), "%063u", i);
		types(line);
		types("\r");
	}
	/* What was stored is whole lines, in order; the ones that did not fit are gone whole
	 * (their newline was kept room for, their characters dropped: empty lines at most). */
	for (;;) {
		const char *l = next_line();

		if (!*l)
			break;
		if (strcmp(l, "\n") == 0)
			continue;
		snprintf(line, sizeof(line), "%063u", lines++);
		assert_int_equal(strlen(l), 64);
		assert_memory_equal(l, line, 63);
	}
	assert_int_equal(lines, LINEQ_SIZE / 64);
	/* Read out, the queue takes lines again, across the counters' wrap. */
	types("after\r");
	assert_string_equal(next_line(), "after\n");
}

static void test_the_counters_wrap(void **state)
{
	(void)state;
	q.head = q.tail = UINT32_MAX - 3;
	types("wrapped around\r");
	assert_string_equal(next_line(), "wrapped around\n");
	assert_int_equal(q.tail, q.head);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_lines_typed_at_once_come_out_one_by_one_in_order, setup),
	    cmocka_unit_test_setup(test_an_unfinished_line_is_not_read, setup),
	    cmocka_unit_test_setup(test_a_long_line_is_read_whole_or_in_pieces, setup),
	    cmocka_unit_test_setup(test_a_line_over_the_limit_keeps_its_start, setup),
	    cmocka_unit_test_setup(test_erase_kill_and_line_ends, setup),
	    cmocka_unit_test_setup(test_a_full_queue_drops_but_never_cuts_a_line, setup),
	    cmocka_unit_test_setup(test_the_counters_wrap, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
