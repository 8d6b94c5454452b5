/* Unit tests for the guests' module idle tracking (guests/lib/modidle.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "modidle.h"

#define S 1000000000ULL
#define MS 1000000ULL

static void test_parse(void **state)
{
	(void)state;
	assert_true(modidle_parse(NULL) == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("") == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("shell") == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("modidle=30") == 30 * S);
	assert_true(modidle_parse("shell modidle=2 bench") == 2 * S);
	assert_true(modidle_parse("modidle=5s") == 5 * S);
	assert_true(modidle_parse("modidle=500ms") == 500 * MS);
	assert_true(modidle_parse("modidle=0") == 0);
	/* Only a whole word counts, and only a number. */
	assert_true(modidle_parse("xmodidle=2") == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("modidle=") == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("modidle=abc") == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("modidle=3x") == MODIDLE_DEFAULT_NS);
	assert_true(modidle_parse("modidle=-1") == MODIDLE_DEFAULT_NS);
	/* Huge values saturate at "never" rather than wrap to a short time. */
	assert_true(modidle_parse("modidle=99999999999999999999999") == UINT64_MAX);
	assert_true(modidle_parse("modidle=18446744074") == UINT64_MAX);
}

static void test_idle_after_time(void **state)
{
	struct modidle s = {0};

	(void)state;
	assert_false(modidle_due(&s, false, 100 * S, 2 * S)); /* not loaded */
	modidle_loaded(&s, 10 * S);
	assert_int_equal(s.loads, 1);
	assert_false(modidle_due(&s, true, 11 * S, 2 * S));
	assert_true(modidle_wait_ns(&s, true, 11 * S, 2 * S) == 1 * S);
	assert_true(modidle_due(&s, true, 12 * S, 2 * S));
	assert_true(modidle_wait_ns(&s, true, 12 * S, 2 * S) == 0);
	/* A use restarts the clock. */
	modidle_touch(&s, 12 * S);
	assert_false(modidle_due(&s, true, 13 * S, 2 * S));
	assert_true(modidle_due(&s, true, 14 * S, 2 * S));
	/* 0 disables. */
	assert_false(modidle_due(&s, true, 1000 * S, 0));
	assert_true(modidle_wait_ns(&s, true, 1000 * S, 0) == UINT64_MAX);
	/* A clock behind the stamp is no time gone by, not a wrap to "long idle". */
	assert_false(modidle_due(&s, true, 5 * S, 2 * S));
}

static void test_users_pin(void **state)
{
	struct modidle s = {0};

	(void)state;
	modidle_loaded(&s, 0);
	modidle_get(&s, 1 * S); /* a file opened */
	modidle_get(&s, 1 * S); /* another */
	assert_false(modidle_due(&s, true, 100 * S, 2 * S));
	assert_true(modidle_wait_ns(&s, true, 100 * S, 2 * S) == UINT64_MAX);
	assert_true(modidle_put(&s, 50 * S));
	assert_false(modidle_due(&s, true, 100 * S, 2 * S));
	assert_true(modidle_put(&s, 60 * S));
	/* The idle time counts from the last close, not from the open. */
	assert_false(modidle_due(&s, true, 61 * S, 2 * S));
	assert_true(modidle_due(&s, true, 62 * S, 2 * S));
	/* An unbalanced put changes nothing. */
	assert_false(modidle_put(&s, 70 * S));
	assert_int_equal(s.users, 0);
	assert_true(modidle_due(&s, true, 62 * S, 2 * S));
}

static void test_unload_reload_counts(void **state)
{
	struct modidle s = {0};

	(void)state;
	modidle_loaded(&s, 0);
	modidle_unloaded(&s);
	assert_true(s.idle_unloaded);
	assert_int_equal(s.idle_unloads, 1);
	assert_int_equal(s.reloads, 0);
	modidle_loaded(&s, 10 * S);
	assert_false(s.idle_unloaded);
	assert_int_equal(s.loads, 2);
	assert_int_equal(s.reloads, 1);
	assert_false(modidle_due(&s, true, 11 * S, 2 * S));
	/* A load not preceded by an idle unload is no reload. */
	modidle_loaded(&s, 20 * S);
	assert_int_equal(s.reloads, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),
	    cmocka_unit_test(test_idle_after_time),
	    cmocka_unit_test(test_users_pin),
	    cmocka_unit_test(test_unload_reload_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
