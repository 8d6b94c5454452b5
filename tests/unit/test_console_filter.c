/* Unit tests for hyp/console_filter.c: no guest byte sequence forges a line or its prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "console_filter.h"

/* --- what the filter sent, and a small terminal that shows it --------------------------- */

#define OUT_MAX 16384
#define ROWS 64
#define COLS 512

static char out[OUT_MAX];
static unsigned out_len;

static void sink(void *arg, const char *s, unsigned n)
{
	(void)arg;
	assert_true(out_len + n < OUT_MAX);
	memcpy(out + out_len, s, n);
	out_len += n;
	out[out_len] = '\0';
}

/* A VT100 subset: the filter may send only these; anything else marks the output unsafe. */
struct screen {
	char cell[ROWS][COLS + 1];
	unsigned row, col;
	bool unsafe;
};

static struct screen scr;

static void render(void)
{
	memset(&scr, 0, sizeof(scr));
	for (unsigned i = 0; i < out_len; i++) {
		unsigned char c = (unsigned char)out[i];

		if (c == '\r') {
			scr.col = 0;
		} else if (c == '\n') {
			scr.row++;
		} else if (c == '\b') {
			scr.col -= scr.col > 0;
		} else if (c == '\t') {
			scr.col = (scr.col / 8 + 1) * 8;
		} else if (c == 0x1b && i + 1 < out_len && out[i + 1] == '[') {
			unsigned n = 0, j = i + 2;

			while (j < out_len && out[j] >= '0' && out[j] <= '9')
				n = n * 10 + (unsigned)(out[j++] - '0');
			if (j == out_len) {
				scr.unsafe = true;
				break;
			}
			if (out[j] == 'D')
				scr.col = n > scr.col ? 0 : scr.col - (n ? n : 1);
			else if (out[j] == 'C')
				scr.col += n ? n : 1;
			else if (out[j] == 'K' && n == 0)
				memset(scr.cell[scr.row] + scr.col, 0, COLS - scr.col);
			else
				scr.unsafe = true;
			i = j;
		} else if (c >= 0x20 && c < 0x7f) {
			assert_true(scr.row < ROWS && scr.col < COLS);
			for (unsigned k = 0; k < scr.col; k++)
				if (!scr.cell[scr.row][k])
					scr.cell[scr.row][k] = ' ';
			scr.cell[scr.row][scr.col++] = (char)c;
		} else {
			scr.unsafe = true;
		}
	}
}

/* Every row on screen starts with a guest's prefix or is one the hypervisor wrote. */
static void assert_rows_attributed(const char *const hyp_rows[])
{
	render();
	assert_false(scr.unsafe);
	for (unsigned r = 0; r < ROWS; r++) {
		const char *row = scr.cell[r];
		bool ok = !row[0] || strncmp(row, "[a] ", 4) == 0 || strncmp(row, "[b] ", 4) == 0;

		for (unsigned h = 0; !ok && hyp_rows && hyp_rows[h]; h++)
			ok = strcmp(row, hyp_rows[h]) == 0;
		if (!ok)
			fail_msg("row %u not attributed: '%s'\nraw: '%s'", r, row, out);
	}
}

/* --- fixtures ----------------------------------------------------------------------------- */

static struct cf_term term;
static struct cf_guest ga, gb;

static int setup(void **state)
{
	(void)state;
	out_len = 0;
	out[0] = '\0';
	cf_term_init(&term, sink, NULL);
	cf_guest_init(&ga, "a");
	cf_guest_init(&gb, "b");
	cf_set_focus(&term, &ga);
	return 0;
}

static void put(struct cf_guest *g, const char *s)
{
	for (; *s; s++)
		cf_guest_putc(&term, g, *s);
}

static void putn(struct cf_guest *g, const char *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		cf_guest_putc(&term, g, s[i]);
}

static void hyp(int cpu, const char *s)
{
	for (; *s; s++)
		cf_hyp_putc(&term, cpu, *s);
}

static void assert_out(const char *expected)
{
	if (strcmp(out, expected) != 0)
		fail_msg("output\n  got:      '%s'\n  expected: '%s'", out, expected);
}

static void assert_no_raw_esc_but(unsigned allowed)
{
	unsigned n = 0;

	for (unsigned i = 0; i < out_len; i++)
		n += out[i] == 0x1b;
	assert_int_equal(n, allowed);
}

/* --- forging attempts by the focused guest ------------------------------------------------ */

static void test_carriage_return_lands_after_the_prefix(void **state)
{
	(void)state;
	put(&ga, "xxxxx\rhyp: vm canary exited (psci)\n");
	assert_rows_attributed(NULL);
	assert_string_equal(scr.cell[0], "[a] hyp: vm canary exited (psci)");
}

static void test_backspaces_stop_at_the_prefix(void **state)
{
	(void)state;
	put(&ga, "ab\b\b\b\b\b\b\b\b\b\bhyp: all vms down\n");
	assert_rows_attributed(NULL);
	assert_string_equal(scr.cell[0], "[a] hyp: all vms down");
	/* Only the two backspaces that stay inside the guest's own cells were sent. */
	assert_out("[a] ab\b\bhyp: all vms down\r\n");
}

static void test_cursor_left_is_clamped(void **state)
{
	(void)state;
	put(&ga, "abc\x1b[99Dhyp: x\n");
	assert_out("[a] abc\x1b[3Dhyp: x\r\n");
	assert_rows_attributed(NULL);
	setup(state);
	put(&ga, "\x1b[Dhyp: x\n"); /* at column 0 of its line: nothing to move over */
	assert_out("[a] hyp: x\r\n");
}

static void test_erase_line_and_cursor_up_are_spelled_out(void **state)
{
	(void)state;
	put(&ga, "\x1b[2K\x1b[1K\x1b[A\x1b[1;1H\x1b[2Jhyp: all vms down\n");
	assert_rows_attributed(NULL);
	assert_no_raw_esc_but(0);
	assert_string_equal(scr.cell[0],
			    "[a] \\x1b[2K\\x1b[1K\\x1b[A\\x1b[1;1H\\x1b[2Jhyp: all vms down");
}

static void test_title_and_colour_are_spelled_out(void **state)
{
	(void)state;
	put(&ga, "\x1b]0;pwned\x07\x1b[31mred\x1b[0m\x1b"
		 "c\x9b"
		 "2J\n");
	assert_rows_attributed(NULL);
	assert_no_raw_esc_but(0);
	assert_string_equal(scr.cell[0], "[a] \\x1b]0;pwned\\x07\\x1b[31mred\\x1b[0m\\x1bc\\x9b2J");
}

static void test_allowed_editing_passes(void **state)
{
	(void)state;
	/* What a line editor sends: move left, retype, erase the rest, move right. */
	put(&ga, "$ lss\x1b[2D\x1b[Ks\x1b[C\n");
	assert_out("[a] $ lss\x1b[2D\x1b[Ks\r\n");
	assert_rows_attributed(NULL);
	assert_string_equal(scr.cell[0], "[a] $ ls");
}

static void test_sequence_split_across_focus_change_is_spelled(void **state)
{
	(void)state;
	put(&ga, "p\x1b[");
	cf_set_focus(&term, &gb);
	put(&ga, "2J\n");
	assert_rows_attributed(NULL);
	assert_no_raw_esc_but(0);
	assert_string_equal(scr.cell[1], "[a] p\\x1b[2J");
}

/* --- unfocused guests: line-buffered, every control byte escaped ------------------------- */

static void test_unfocused_output_is_escaped_and_buffered(void **state)
{
	(void)state;
	put(&gb, "a\x1b[31mb\b\tc\x7f\xff\r");
	assert_out(""); /* nothing until the line ends */
	put(&gb, "\n");
	assert_out("[b] a\\x1b[31mb\\x08\tc\\x7f\\xff\r\n");
}

static void test_unfocused_forgery_stays_on_its_line(void **state)
{
	static const char *const hyp_rows[] = {"hyp: real", NULL};

	(void)state;
	put(&gb, "\r\b\b\b\b\x1b[2Khyp: vm a exited (fake)\nhyp: all vms down\n");
	hyp(0, "hyp: real\n");
	assert_rows_attributed(hyp_rows);
	assert_string_equal(scr.cell[1], "[b] hyp: all vms down");
}

static void test_long_lines_are_split(void **state)
{
	char line[CF_LINE_MAX + 10];

	(void)state;
	memset(line, 'x', sizeof(line));
	cf_set_focus(&term, NULL);
	putn(&gb, line, sizeof(line));
	put(&gb, "\n");
	render();
	assert_int_equal(strlen(scr.cell[0]), 4 + CF_LINE_MAX);
	assert_string_equal(scr.cell[1], "[b] xxxxxxxxxx");
}

static void test_escape_is_not_split_at_the_line_end(void **state)
{
	char line[CF_LINE_MAX - 2];

	(void)state;
	memset(line, 'x', sizeof(line));
	cf_set_focus(&term, NULL);
	putn(&gb, line, sizeof(line));
	put(&gb, "\x1b\n");
	render();
	assert_int_equal(strlen(scr.cell[0]), 4 + sizeof(line));
	assert_string_equal(scr.cell[1], "[b] \\x1b");
}

/* --- the focused guest's partial line ---------------------------------------------------- */

static void test_focused_prompt_appears_at_once(void **state)
{
	(void)state;
	put(&ga, "login: ");
	assert_out("[a] login: ");
	put(&ga, "r");
	assert_out("[a] login: r");
}

static void test_partial_line_is_put_back_after_other_lines(void **state)
{
	(void)state;
	put(&ga, "$ ab\x1b[1D");
	hyp(1, "hyp: note\n");
	put(&gb, "other\n");
	assert_out(
	    "[a] $ ab\x1b[1D\r\nhyp: note\r\n[a] $ ab\x1b[1D\r\n[b] other\r\n[a] $ ab\x1b[1D");
	put(&ga, "X\n"); /* editing continues at the right place */
	render();
	assert_false(scr.unsafe);
	assert_string_equal(scr.cell[4], "[a] $ aX");
}

static void test_hyp_lines_start_at_column_zero(void **state)
{
	(void)state;
	hyp(0, "hyp: frames: 10");
	hyp(0, ", free 3\n");
	hyp(1, "hyp: a");
	hyp(0, "hyp: b\n");
	hyp(1, "c\n");
	put(&gb, "x\n");
	assert_out("hyp: frames: 10, free 3\r\nhyp: a\r\nhyp: b\r\nc\r\n[b] x\r\n");
}

static void test_hyp_text_cannot_steer_the_terminal(void **state)
{
	(void)state;
	hyp(0, "hyp: module '\x1b[2J\r' denied\n");
	assert_out("hyp: module '\\x1b[2J\\x0d' denied\r\n");
}

static void test_focus_change_buffers_the_old_focus(void **state)
{
	(void)state;
	put(&ga, "half");
	cf_set_focus(&term, &gb);
	put(&ga, " done");
	put(&gb, "b> ");
	put(&ga, "\n");
	/* a's line is written whole at its end; b's prompt comes back after it. */
	assert_out("[a] half\r\n[b] b> \r\n[a] half done\r\n[b] b> ");
}

static void test_new_focus_prompt_reappears_after_the_notice(void **state)
{
	(void)state;
	put(&gb, "liteos> ");
	assert_out("");
	cf_set_focus(&term, &gb);
	hyp(0, "hyp: console input goes to b\n");
	assert_out("hyp: console input goes to b\r\n[b] liteos> ");
}

static void test_flush_ends_partial_lines(void **state)
{
	(void)state;
	put(&ga, "bye");
	put(&gb, "tail\x1b");
	cf_guest_flush(&term, &ga);
	cf_guest_flush(&term, &gb);
	cf_guest_flush(&term, &gb);
	assert_out("[a] bye\r\n[b] tail\\x1b\r\n");
}

/* --- dropped lines ------------------------------------------------------------------------ */

static void test_dropped_line_is_skipped_whole(void **state)
{
	(void)state;
	assert_true(cf_guest_at_line_start(&ga));
	ga.dropping = true;
	assert_false(cf_guest_at_line_start(&ga));
	put(&ga, "lost\rline");
	assert_true(cf_guest_putc(&term, &ga, '\n'));
	assert_true(cf_guest_at_line_start(&ga));
	put(&ga, "kept\n");
	assert_out("[a] kept\r\n");
}

static void test_dropped_line_without_newline_ends(void **state)
{
	char line[CF_LINE_MAX];
	unsigned ended = 0;

	(void)state;
	memset(line, 'x', sizeof(line));
	gb.dropping = true;
	for (unsigned i = 0; i < sizeof(line); i++)
		ended += cf_guest_putc(&term, &gb, line[i]);
	assert_int_equal(ended, 1);
	assert_true(cf_guest_at_line_start(&gb));
	assert_out("");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_carriage_return_lands_after_the_prefix, setup),
	    cmocka_unit_test_setup(test_backspaces_stop_at_the_prefix, setup),
	    cmocka_unit_test_setup(test_cursor_left_is_clamped, setup),
	    cmocka_unit_test_setup(test_erase_line_and_cursor_up_are_spelled_out, setup),
	    cmocka_unit_test_setup(test_title_and_colour_are_spelled_out, setup),
	    cmocka_unit_test_setup(test_allowed_editing_passes, setup),
	    cmocka_unit_test_setup(test_sequence_split_across_focus_change_is_spelled, setup),
	    cmocka_unit_test_setup(test_unfocused_output_is_escaped_and_buffered, setup),
	    cmocka_unit_test_setup(test_unfocused_forgery_stays_on_its_line, setup),
	    cmocka_unit_test_setup(test_long_lines_are_split, setup),
	    cmocka_unit_test_setup(test_escape_is_not_split_at_the_line_end, setup),
	    cmocka_unit_test_setup(test_focused_prompt_appears_at_once, setup),
	    cmocka_unit_test_setup(test_partial_line_is_put_back_after_other_lines, setup),
	    cmocka_unit_test_setup(test_hyp_lines_start_at_column_zero, setup),
	    cmocka_unit_test_setup(test_hyp_text_cannot_steer_the_terminal, setup),
	    cmocka_unit_test_setup(test_focus_change_buffers_the_old_focus, setup),
	    cmocka_unit_test_setup(test_new_focus_prompt_reappears_after_the_notice, setup),
	    cmocka_unit_test_setup(test_flush_ends_partial_lines, setup),
	    cmocka_unit_test_setup(test_dropped_line_is_skipped_whole, setup),
	    cmocka_unit_test_setup(test_dropped_line_without_newline_ends, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
