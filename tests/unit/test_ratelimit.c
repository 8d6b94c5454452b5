/* Unit tests for hyp/ratelimit.c: burst, steady refill, counting and reporting of drops. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "ratelimit.h"

#define FREQ 62500000ULL /* QEMU virt's generic counter */

static unsigned take_n(struct ratelimit *rl, unsigned n, uint64_t now)
{
	unsigned ok = 0;

	for (unsigned i = 0; i < n; i++)
		ok += ratelimit_take(rl, now);
	return ok;
}

static void test_burst_then_empty(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, FREQ, 100, 50, 1000);
	assert_int_equal(take_n(&rl, 50, 1000), 50);
	assert_false(ratelimit_take(&rl, 1000));
	assert_int_equal(rl.dropped, 1);
}

static void test_refills_at_the_rate(void **state)
{
	struct ratelimit rl;
	uint64_t t = 5;

	(void)state;
	ratelimit_init(&rl, FREQ, 100, 10, t);
	assert_int_equal(take_n(&rl, 20, t), 10);
	/* 0.25 s later: 25 tokens earned but the bucket holds at most 10. */
	t += FREQ / 4;
	assert_int_equal(take_n(&rl, 30, t), 10);
	/* 50 ms: exactly 5 more, not 6. */
	t += FREQ / 20;
	assert_int_equal(take_n(&rl, 6, t), 5);
	assert_int_equal(rl.dropped, 10 + 20 + 1);
}

static void test_flood_is_held_to_the_rate(void **state)
{
	struct ratelimit rl;
	unsigned ok = 0;

	(void)state;
	ratelimit_init(&rl, FREQ, 20, 200, 0);
	/* 10 s of one attempt every 100 us (100,000 attempts, like the flood). */
	for (uint64_t i = 0; i < 100000; i++)
		ok += ratelimit_take(&rl, i * (FREQ / 10000));
	assert_in_range(ok, 200 + 20 * 10 - 1, 200 + 20 * 10 + 1);
	assert_int_equal(rl.dropped, 100000 - ok);
}

static void test_time_going_backwards_earns_nothing(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, FREQ, 100, 1, FREQ);
	assert_true(ratelimit_take(&rl, FREQ));
	assert_false(ratelimit_take(&rl, FREQ - 1000));
	assert_false(ratelimit_take(&rl, 0));
	assert_true(ratelimit_take(&rl, FREQ + FREQ / 100));
}

static void test_report_interval(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, FREQ, 1, 1, 0);
	assert_int_equal(ratelimit_report(&rl, 0, FREQ, true), 0); /* nothing dropped */
	take_n(&rl, 4, 10);
	/* Not due yet, unless asked to report whatever there is. */
	assert_int_equal(ratelimit_report(&rl, 10, FREQ, false), 0);
	assert_int_equal(ratelimit_report(&rl, FREQ + 1, FREQ, false), 3);
	assert_int_equal(ratelimit_report(&rl, FREQ + 2, FREQ, false), 0);
	take_n(&rl, 2, FREQ + 3);
	assert_int_equal(ratelimit_report(&rl, FREQ + 4, FREQ, false), 0);
	assert_int_equal(ratelimit_report(&rl, FREQ + 5, FREQ, true), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_empty),
	    cmocka_unit_test(test_refills_at_the_rate),
	    cmocka_unit_test(test_flood_is_held_to_the_rate),
	    cmocka_unit_test(test_time_going_backwards_earns_nothing),
	    cmocka_unit_test(test_report_interval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
