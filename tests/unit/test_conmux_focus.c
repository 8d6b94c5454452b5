/* Unit tests for hyp/conmux_focus.c: Ctrl-A 1..9 and n/p with up to 16 VMs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "conmux_focus.h"

#define ALL16 0xffffu

static void test_digits_select_the_first_nine(void **state)
{
	(void)state;
	for (char c = '1'; c <= '9'; c++)
		assert_int_equal(conmux_focus_key(c, 0, 16, ALL16), c - '1');
	/* A stopped VM can still be chosen by its digit (its input is dropped). */
	assert_int_equal(conmux_focus_key('3', 0, 16, 0x1), 2);
	/* Past the last VM. */
	assert_int_equal(conmux_focus_key('3', 0, 2, 0x3), CONMUX_NO_VM);
	assert_int_equal(conmux_focus_key('9', 0, 8, 0xff), CONMUX_NO_VM);
	assert_int_equal(conmux_focus_key('1', 0, 0, 0), CONMUX_NO_VM);
}

static void test_other_keys_are_no_focus_keys(void **state)
{
	(void)state;
	assert_int_equal(conmux_focus_key('0', 0, 16, ALL16), CONMUX_NOT_FOCUS);
	assert_int_equal(conmux_focus_key('l', 0, 16, ALL16), CONMUX_NOT_FOCUS);
	assert_int_equal(conmux_focus_key('N', 0, 16, ALL16), CONMUX_NOT_FOCUS);
	assert_int_equal(conmux_focus_key('\x01', 0, 16, ALL16), CONMUX_NOT_FOCUS);
}

static void test_next_walks_all_sixteen_and_wraps(void **state)
{
	unsigned focus = 0;

	(void)state;
	for (unsigned i = 1; i <= 16; i++) {
		focus = (unsigned)conmux_focus_key('n', focus, 16, ALL16);
		assert_int_equal(focus, i % 16);
	}
	/* The 10th and the 16th VM, which no digit reaches. */
	assert_int_equal(conmux_focus_key('n', 8, 16, ALL16), 9);
	assert_int_equal(conmux_focus_key('n', 14, 16, ALL16), 15);
}

static void test_previous_walks_back_and_wraps(void **state)
{
	(void)state;
	assert_int_equal(conmux_focus_key('p', 0, 16, ALL16), 15);
	assert_int_equal(conmux_focus_key('p', 10, 16, ALL16), 9);
	assert_int_equal(conmux_focus_key('p', 1, 3, 0x7), 0);
	assert_int_equal(conmux_focus_key('p', 0, 3, 0x7), 2);
}

static void test_next_and_previous_skip_stopped_vms(void **state)
{
	uint32_t running = (1u << 3) | (1u << 12);

	(void)state;
	assert_int_equal(conmux_focus_key('n', 3, 16, running), 12);
	assert_int_equal(conmux_focus_key('n', 12, 16, running), 3);
	assert_int_equal(conmux_focus_key('p', 3, 16, running), 12);
	assert_int_equal(conmux_focus_key('p', 5, 16, running), 3);
	/* The focused VM is the only one running, or none is: the focus stays. */
	assert_int_equal(conmux_focus_key('n', 3, 16, 1u << 3), 3);
	assert_int_equal(conmux_focus_key('p', 7, 16, 0), 7);
	/* Running bits past count are ignored. */
	assert_int_equal(conmux_focus_key('n', 0, 4, 0x1 | (1u << 9)), 0);
}

static void test_bad_focus_and_no_vms(void **state)
{
	(void)state;
	assert_int_equal(conmux_focus_key('n', 0, 0, 0), CONMUX_NO_VM);
	assert_int_equal(conmux_focus_key('p', 0, 0, 0), CONMUX_NO_VM);
	/* A focus out of range starts from the first VM. */
	assert_int_equal(conmux_focus_key('n', 99, 4, 0xf), 1);
	/* More VMs than bits: only the first 32 count. */
	assert_int_equal(conmux_focus_key('p', 0, 40, UINT32_MAX), 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_digits_select_the_first_nine),
	    cmocka_unit_test(test_other_keys_are_no_focus_keys),
	    cmocka_unit_test(test_next_walks_all_sixteen_and_wraps),
	    cmocka_unit_test(test_previous_walks_back_and_wraps),
	    cmocka_unit_test(test_next_and_previous_skip_stopped_vms),
	    cmocka_unit_test(test_bad_focus_and_no_vms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
