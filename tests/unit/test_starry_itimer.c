/* Unit tests for Starry's interval timer arithmetic (proc/itimer.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proc/itimer.h"

#define MS 1000000ULL

static void test_real_one_shot(void **state)
{
	struct itimer it = {0};

	(void)state;
	itimer_set(&it, true, 50 * MS, 0, 1000 * MS);
	assert_int_equal(itimer_left(&it, true, 1010 * MS), 40 * MS);
	assert_false(itimer_real_expire(&it, 1049 * MS));
	assert_true(itimer_real_expire(&it, 1050 * MS));
	assert_int_equal(it.value, 0); /* disarmed */
	assert_false(itimer_real_expire(&it, 2000 * MS));
	assert_int_equal(itimer_left(&it, true, 2000 * MS), 0);
}

static void test_real_periodic_keeps_its_grid(void **state)
{
	struct itimer it = {0};

	(void)state;
	itimer_set(&it, true, 20 * MS, 20 * MS, 0);
	assert_true(itimer_real_expire(&it, 25 * MS)); /* a late tick */
	assert_int_equal(it.value, 40 * MS);	       /* not 45 */
	/* Three periods missed: one expiry, the next deadline after now. */
	assert_true(itimer_real_expire(&it, 101 * MS));
	assert_int_equal(it.value, 120 * MS);
	assert_int_equal(itimer_left(&it, true, 110 * MS), 10 * MS);
	/* Due and not yet fired: not reported as disarmed. */
	assert_true(itimer_left(&it, true, 120 * MS) > 0);
}

static void test_disarm_and_overflow(void **state)
{
	struct itimer it = {0};

	(void)state;
	itimer_set(&it, true, 5 * MS, 5 * MS, 0);
	itimer_set(&it, true, 0, 5 * MS, 0); /* value 0 disarms, whatever the interval */
	assert_int_equal(it.value, 0);
	assert_int_equal(it.interval, 0);
	itimer_set(&it, true, UINT64_MAX - 10, 0, 100);
	assert_int_equal(it.value, UINT64_MAX); /* saturates: never */
}

static void test_cpu_timers(void **state)
{
	struct itimer it = {0};

	(void)state;
	assert_false(itimer_cpu_charge(&it, 10 * MS)); /* disarmed */
	itimer_set(&it, false, 25 * MS, 10 * MS, 12345);
	assert_int_equal(itimer_left(&it, false, 0), 25 * MS);
	assert_false(itimer_cpu_charge(&it, 10 * MS));
	assert_false(itimer_cpu_charge(&it, 10 * MS));
	assert_true(itimer_cpu_charge(&it, 10 * MS));
	assert_int_equal(it.value, 10 * MS); /* reloaded */
	assert_true(itimer_cpu_charge(&it, 10 * MS));
	itimer_set(&it, false, 10 * MS, 0, 0);
	assert_true(itimer_cpu_charge(&it, 10 * MS));
	assert_int_equal(it.value, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_real_one_shot),
	    cmocka_unit_test(test_real_periodic_keeps_its_grid),
	    cmocka_unit_test(test_disarm_and_overflow),
	    cmocka_unit_test(test_cpu_timers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
