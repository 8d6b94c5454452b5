/* Host unit tests of the vCPU scheduler: run queues, round robin, block/wake, stop and reset. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <cmocka.h>

#include "sched_rq.h"

#define SLICE 100
#define MAXV 4

struct fixture {
	struct sched_rq rq;
	struct sched_entity v[MAXV];
};

static struct fixture f;

static void setup_n(unsigned n)
{
	sched_rq_init(&f.rq, SLICE);
	for (unsigned i = 0; i < n; i++)
		sched_add_member(&f.rq, &f.v[i]);
}

/* Runs the CPU from `from` to `to` in steps of `step`, asking at each step who runs, and
 * credits each step to the vCPU holding the CPU; returns the credits. */
static void run_span(uint64_t from, uint64_t to, uint64_t step, uint64_t credit[MAXV])
{
	for (uint64_t t = from; t < to; t += step) {
		struct sched_entity *se = sched_pick(&f.rq, t);

		if (se)
			credit[se - f.v] += step;
	}
}

static void test_one_member_is_pinned(void **state)
{
	(void)state;
	setup_n(1);
	assert_false(sched_is_shared(&f.rq));
	assert_true(sched_wake(&f.rq, &f.v[0])); /* the CPU idled: kick it */
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	/* A pinned vCPU's WFI waits on its CPU; it never blocks in the queue. */
	assert_int_equal(sched_wfi(&f.rq, &f.v[0], false, 50, 10), SCHED_WFI_WAIT_IN_PLACE);
	assert_int_equal(f.v[0].state, SCHED_RUNNING);
	assert_int_equal(sched_wfi(&f.rq, &f.v[0], true, 50, 10), SCHED_WFI_RETURN);
	/* Still the same vCPU long after any slice: nobody else is there. */
	assert_ptr_equal(sched_pick(&f.rq, 10 * SLICE), &f.v[0]);
	assert_int_equal(f.rq.switches, 0);
}

static void test_two_members_shared(void **state)
{
	(void)state;
	setup_n(2);
	assert_true(sched_is_shared(&f.rq));
	/* Both off: nothing runs, nothing to wake for. */
	assert_null(sched_pick(&f.rq, 0));
	assert_int_equal(sched_next_event(&f.rq), SCHED_NEVER);
}

static void test_round_robin_is_fair(void **state)
{
	uint64_t credit[MAXV] = {0};

	(void)state;
	setup_n(3);
	for (unsigned i = 0; i < 3; i++)
		sched_wake(&f.rq, &f.v[i]);
	run_span(0, 300 * SLICE, 10, credit);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(credit[i], 100 * SLICE);
	/* Order: each in turn, one slice each. */
	assert_true(f.rq.switches >= 299);
}

static void test_slice_keeps_current_until_its_end(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	struct sched_entity *first = sched_pick(&f.rq, 1000);

	assert_ptr_equal(first, &f.v[0]);
	assert_int_equal(sched_next_event(&f.rq), 1000 + SLICE);
	assert_ptr_equal(sched_pick(&f.rq, 1000 + SLICE - 1), first);
	assert_ptr_equal(sched_pick(&f.rq, 1000 + SLICE), &f.v[1]);
	assert_int_equal(f.v[0].state, SCHED_READY);
	assert_int_equal(f.v[0].ran, SLICE);
	assert_ptr_equal(sched_pick(&f.rq, 1000 + 2 * SLICE), &f.v[0]);
}

static void test_alone_on_shared_cpu_gets_new_slices(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, SLICE), &f.v[1]);
	assert_int_equal(f.rq.slice_end, 2 * SLICE);
	assert_int_equal(f.rq.switches, 0);
}

static void test_wfi_yields_and_timer_deadline_wakes(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	/* v0 idles with its timer at 500: the CPU goes to v1 at once, before the slice ends. */
	assert_int_equal(sched_wfi(&f.rq, &f.v[0], false, 500, 10), SCHED_WFI_YIELD);
	assert_int_equal(f.v[0].state, SCHED_BLOCKED);
	assert_null(f.rq.current);
	assert_ptr_equal(sched_pick(&f.rq, 10), &f.v[1]);
	/* The CPU must look again at v1's slice end (110), before v0's deadline. */
	assert_int_equal(sched_next_event(&f.rq), 10 + SLICE);
	assert_int_equal(sched_wake_expired(&f.rq, 499), 0);
	/* v1 yields too: only v0's deadline is left. */
	assert_int_equal(sched_wfi(&f.rq, &f.v[1], false, SCHED_NEVER, 50), SCHED_WFI_YIELD);
	assert_null(sched_pick(&f.rq, 50));
	assert_int_equal(sched_next_event(&f.rq), 500);
	assert_int_equal(sched_wake_expired(&f.rq, 500), 1);
	assert_int_equal(f.v[0].state, SCHED_READY);
	assert_ptr_equal(sched_pick(&f.rq, 500), &f.v[0]);
	assert_int_equal(f.v[1].state, SCHED_BLOCKED);
}

static void test_wfi_with_pending_interrupt_does_not_block(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	assert_int_equal(sched_wfi(&f.rq, &f.v[0], true, 5, 1), SCHED_WFI_RETURN);
	assert_int_equal(f.v[0].state, SCHED_RUNNING);
	assert_ptr_equal(f.rq.current, &f.v[0]);
}

static void test_interrupt_wakes_blocked_vcpu(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	sched_wfi(&f.rq, &f.v[0], false, SCHED_NEVER, 1);
	assert_ptr_equal(sched_pick(&f.rq, 1), &f.v[1]);
	/* An interrupt for v0 (console, disk, SGI): queued, no kick since v1 runs. */
	assert_false(sched_wake(&f.rq, &f.v[0]));
	assert_int_equal(f.v[0].state, SCHED_READY);
	assert_int_equal(f.v[0].wake_at, SCHED_NEVER);
	/* A second wake of a ready vCPU changes nothing (it is queued once). */
	assert_false(sched_wake(&f.rq, &f.v[0]));
	assert_ptr_equal(f.rq.head, &f.v[0]);
	assert_null(f.rq.head->next);
	/* Both idle; an interrupt for one of them kicks the idle CPU. */
	sched_wfi(&f.rq, &f.v[1], false, SCHED_NEVER, 2);
	assert_ptr_equal(sched_pick(&f.rq, 2), &f.v[0]);
	sched_wfi(&f.rq, &f.v[0], false, SCHED_NEVER, 3);
	assert_null(sched_pick(&f.rq, 3));
	assert_true(sched_wake(&f.rq, &f.v[1]));
	assert_ptr_equal(sched_pick(&f.rq, 4), &f.v[1]);
}

static void test_stopped_vm_vcpus_leave_the_queue(void **state)
{
	(void)state;
	setup_n(3);
	for (unsigned i = 0; i < 3; i++)
		sched_wake(&f.rq, &f.v[i]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	/* v1 (descheduled, in the middle of the queue) and v0 (current) belong to a VM that
	 * stops: the queue keeps v2 only, and the CPU goes to it. */
	sched_remove(&f.rq, &f.v[1], 5);
	assert_int_equal(f.v[1].state, SCHED_OFF);
	sched_remove(&f.rq, &f.v[0], 5);
	assert_null(f.rq.current);
	assert_ptr_equal(sched_pick(&f.rq, 5), &f.v[2]);
	assert_null(f.rq.head);
	assert_null(f.rq.tail);
	/* Removing again, or removing one never queued, is harmless. */
	sched_remove(&f.rq, &f.v[1], 6);
	assert_ptr_equal(sched_pick(&f.rq, 5 + SLICE), &f.v[2]);
	/* The last of the queue leaves: the tail follows. */
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	sched_remove(&f.rq, &f.v[1], 7);
	assert_ptr_equal(f.rq.tail, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(f.rq.tail, &f.v[1]);
	assert_ptr_equal(f.rq.head->next, &f.v[1]);
}

static void test_blocked_vcpu_of_stopped_vm_never_wakes(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	sched_wfi(&f.rq, &f.v[0], false, 300, 1);
	sched_remove(&f.rq, &f.v[0], 2);
	assert_int_equal(sched_wake_expired(&f.rq, 1000), 0);
	assert_int_equal(f.v[0].state, SCHED_OFF);
	assert_int_equal(sched_next_event(&f.rq), SCHED_NEVER); /* nothing current either */
}

static void test_reset_while_descheduled(void **state)
{
	(void)state;
	setup_n(2);
	sched_wake(&f.rq, &f.v[0]);
	sched_wake(&f.rq, &f.v[1]);
	assert_ptr_equal(sched_pick(&f.rq, 0), &f.v[0]);
	assert_ptr_equal(sched_pick(&f.rq, SLICE), &f.v[1]);
	/* v0's VM resets while v0 waits in the queue: taken back, then runnable again from
	 * its new entry point, queued once, behind v1. */
	sched_remove(&f.rq, &f.v[0], SLICE + 1);
	assert_null(f.rq.head);
	assert_false(sched_wake(&f.rq, &f.v[0]));
	assert_ptr_equal(f.rq.head, &f.v[0]);
	assert_ptr_equal(f.rq.tail, &f.v[0]);
	assert_ptr_equal(sched_pick(&f.rq, 2 * SLICE), &f.v[0]);
	assert_ptr_equal(sched_pick(&f.rq, 3 * SLICE), &f.v[1]);
}

static void test_fairness_with_blocking_member(void **state)
{
	uint64_t credit[MAXV] = {0};

	(void)state;
	setup_n(3);
	/* v2 sleeps until 1000 and never comes back after that wake-up's slice; v0 and v1 spin. */
	for (unsigned i = 0; i < 3; i++)
		sched_wake(&f.rq, &f.v[i]);
	for (uint64_t t = 0; t < 100000; t += 10) {
		sched_wake_expired(&f.rq, t);
		struct sched_entity *se = sched_pick(&f.rq, t);

		if (se == &f.v[2]) {
			sched_wfi(&f.rq, se, false, t + 1000, t);
			se = sched_pick(&f.rq, t);
		}
		if (se)
			credit[se - f.v] += 10;
	}
	/* The two spinners share the CPU evenly; the sleeper is never starved of wake-ups. */
	assert_true(credit[0] > 49000 - 2 * SLICE && credit[0] < 50000 + 2 * SLICE);
	assert_true(credit[0] + credit[1] == 100000);
	assert_true(credit[0] >= credit[1] ? credit[0] - credit[1] <= SLICE
					   : credit[1] - credit[0] <= SLICE);
	assert_true(f.v[2].state == SCHED_BLOCKED || f.v[2].state == SCHED_READY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_member_is_pinned),
	    cmocka_unit_test(test_two_members_shared),
	    cmocka_unit_test(test_round_robin_is_fair),
	    cmocka_unit_test(test_slice_keeps_current_until_its_end),
	    cmocka_unit_test(test_alone_on_shared_cpu_gets_new_slices),
	    cmocka_unit_test(test_wfi_yields_and_timer_deadline_wakes),
	    cmocka_unit_test(test_wfi_with_pending_interrupt_does_not_block),
	    cmocka_unit_test(test_interrupt_wakes_blocked_vcpu),
	    cmocka_unit_test(test_stopped_vm_vcpus_leave_the_queue),
	    cmocka_unit_test(test_blocked_vcpu_of_stopped_vm_never_wakes),
	    cmocka_unit_test(test_reset_while_descheduled),
	    cmocka_unit_test(test_fairness_with_blocking_member),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
