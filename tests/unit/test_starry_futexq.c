/* Unit tests for Starry's futex waiter queue and FUTEX_WAKE_OP decoding (proc/futexq.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "proc/futexq.h"

/* The order the wake callback saw owners in. */
static int woke[8];
static int nwoke;

static void on_wake(void *owner)
{
	assert_true(nwoke < 8);
	woke[nwoke++] = *(int *)owner;
}

static int ids[8] = {0, 1, 2, 3, 4, 5, 6, 7};
static const int mm_a, mm_b;

static void setup_waiters(struct futexq *q, struct futex_waiter *w, int n,
			  const struct futex_key *keys, const uint32_t *bitsets)
{
	*q = (struct futexq){0};
	nwoke = 0;
	for (int i = 0; i < n; i++) {
		w[i] = (struct futex_waiter){
		    .key = keys[i], .bitset = bitsets ? bitsets[i] : ~0u, .owner = &ids[i]};
		futexq_add(q, &w[i]);
	}
}

static void test_wake_in_arrival_order_up_to_n(void **state)
{
	const struct futex_key k = {&mm_a, 0x1000}, other = {&mm_a, 0x1004};
	const struct futex_key keys[] = {k, other, k, k};
	struct futex_waiter w[4];
	struct futexq q;

	(void)state;
	setup_waiters(&q, w, 4, keys, NULL);
	assert_int_equal(futexq_wake(&q, &k, ~0u, 2, on_wake), 2);
	assert_int_equal(nwoke, 2);
	assert_int_equal(woke[0], 0);
	assert_int_equal(woke[1], 2);
	assert_true(w[0].woken && w[2].woken && !w[1].woken && !w[3].woken);
	/* The woken are unlinked: removing them finds nothing; the rest are still queued. */
	assert_false(futexq_remove(&q, &w[0]));
	assert_int_equal(futexq_wake(&q, &k, ~0u, 10, on_wake), 1);
	assert_int_equal(woke[2], 3);
	assert_true(futexq_remove(&q, &w[1]));
	assert_null(q.first);
	assert_null(q.last);
}

static void test_keys_need_the_same_address_space(void **state)
{
	const struct futex_key ka = {&mm_a, 0x2000}, kb = {&mm_b, 0x2000};
	const struct futex_key keys[] = {ka, kb};
	struct futex_waiter w[2];
	struct futexq q;

	(void)state;
	setup_waiters(&q, w, 2, keys, NULL);
	assert_int_equal(futexq_wake(&q, &kb, ~0u, 5, on_wake), 1);
	assert_int_equal(woke[0], 1);
	assert_true(futexq_remove(&q, &w[0]));
}

static void test_bitsets_select_waiters(void **state)
{
	const struct futex_key k = {&mm_a, 0x3000};
	const struct futex_key keys[] = {k, k, k};
	const uint32_t bits[] = {0x1, 0x2, 0x3};
	struct futex_waiter w[3];
	struct futexq q;

	(void)state;
	setup_waiters(&q, w, 3, keys, bits);
	assert_int_equal(futexq_wake(&q, &k, 0x2, 5, on_wake), 2);
	assert_int_equal(woke[0], 1);
	assert_int_equal(woke[1], 2);
	assert_int_equal(futexq_wake(&q, &k, 0x4, 5, on_wake), 0);
	assert_int_equal(futexq_wake(&q, &k, 0x1, 5, on_wake), 1);
	assert_null(q.first);
}

static void test_remove_keeps_the_tail_right(void **state)
{
	const struct futex_key k = {&mm_a, 0x4000};
	const struct futex_key keys[] = {k, k, k};
	struct futex_waiter w[3], extra = {.key = k, .bitset = ~0u, .owner = &ids[5]};
	struct futexq q;

	(void)state;
	setup_waiters(&q, w, 3, keys, NULL);
	assert_true(futexq_remove(&q, &w[2]));
	assert_ptr_equal(q.last, &w[1]);
	futexq_add(&q, &extra); /* appended after w[1], not after the removed w[2] */
	assert_int_equal(futexq_wake(&q, &k, ~0u, 5, on_wake), 3);
	assert_int_equal(woke[2], 5);
	assert_false(futexq_remove(&q, &w[2]));
	assert_null(q.last);
}

static void test_requeue_wakes_then_moves_in_order(void **state)
{
	const struct futex_key cond = {&mm_a, 0x5000}, mutex = {&mm_a, 0x5008},
			       other = {&mm_b, 0x5000};
	const struct futex_key keys[] = {cond, other, cond, cond, cond};
	struct futex_waiter w[5];
	struct futexq q;

	(void)state;
	setup_waiters(&q, w, 5, keys, NULL);
	/* One woken, two moved, the last left waiting on the old word. */
	assert_int_equal(futexq_requeue(&q, &cond, &mutex, 1, 2, on_wake), 3);
	assert_int_equal(nwoke, 1);
	assert_int_equal(woke[0], 0);
	assert_true(w[2].key.uaddr == 0x5008 && w[3].key.uaddr == 0x5008);
	assert_true(w[4].key.uaddr == 0x5000 && w[1].key.mm == &mm_b);
	assert_int_equal(futexq_wake(&q, &mutex, ~0u, 10, on_wake), 2);
	assert_int_equal(woke[1], 2);
	assert_int_equal(woke[2], 3);
	/* Nothing to wake: requeue only. */
	assert_int_equal(futexq_requeue(&q, &cond, &mutex, 0, 10, on_wake), 1);
	assert_int_equal(nwoke, 3);
	assert_int_equal(futexq_wake(&q, &mutex, ~0u, 10, on_wake), 1);
	assert_int_equal(woke[3], 4);
}

#define ENC(op, cmp, oparg, cmparg)                                                                \
	((((uint32_t)(op)&0xf) << 28) | (((uint32_t)(cmp)&0xf) << 24) |                            \
	 (((uint32_t)(oparg)&0xfff) << 12) | ((uint32_t)(cmparg)&0xfff))

static void test_wake_op_operations(void **state)
{
	uint32_t nv = 0;

	(void)state;
	assert_int_equal(futex_op_eval(ENC(0, 0, 9, 4), 4, &nv), 1); /* SET 9, old == 4 */
	assert_int_equal(nv, 9);
	assert_int_equal(futex_op_eval(ENC(1, 1, 5, 4), 4, &nv), 0); /* ADD 5, old != 4 */
	assert_int_equal(nv, 9);
	assert_int_equal(futex_op_eval(ENC(1, 2, -1, 0), 0, &nv), 0); /* ADD -1, 0 < 0 */
	assert_int_equal(nv, 0xffffffffu);
	assert_int_equal(futex_op_eval(ENC(2, 3, 0x10, 1), 1, &nv), 1); /* OR, 1 <= 1 */
	assert_int_equal(nv, 0x11);
	assert_int_equal(futex_op_eval(ENC(3, 4, 0x1, 0), 3, &nv), 1); /* ANDN, 3 > 0 */
	assert_int_equal(nv, 2);
	assert_int_equal(futex_op_eval(ENC(4, 5, 0xff, 3), 3, &nv), 1); /* XOR, 3 >= 3 */
	assert_int_equal(nv, 0xfc);
	/* The comparison is signed: -1 < 1. */
	assert_int_equal(futex_op_eval(ENC(0, 2, 0, 1), 0xffffffffu, &nv), 1);
	/* OPARG_SHIFT: the operand is 1 << oparg. */
	assert_int_equal(futex_op_eval(ENC(8 | 2, 0, 4, 0), 1, &nv), 0);
	assert_int_equal(nv, 0x11);
	assert_int_equal(futex_op_eval(ENC(8 | 0, 0, 31, 0), 0, &nv), 1);
	assert_int_equal(nv, 0x80000000u);
	/* Unknown operation or comparison. */
	assert_int_equal(futex_op_eval(ENC(5, 0, 0, 0), 0, &nv), -1);
	assert_int_equal(futex_op_eval(ENC(0, 6, 0, 0), 0, &nv), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_wake_in_arrival_order_up_to_n),
	    cmocka_unit_test(test_keys_need_the_same_address_space),
	    cmocka_unit_test(test_bitsets_select_waiters),
	    cmocka_unit_test(test_remove_keeps_the_tail_right),
	    cmocka_unit_test(test_requeue_wakes_then_moves_in_order),
	    cmocka_unit_test(test_wake_op_operations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
