/* Unit tests for Starry's POSIX record lock table (fs/reclock.c): conflicts, splits, merges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "fs/reclock.h"

static int allocs_left = -1; /* -1: no limit */

static void *test_alloc(uint64_t size)
{
	if (allocs_left == 0)
		return NULL;
	if (allocs_left > 0)
		allocs_left--;
	return malloc(size);
}

static struct reclock_table table(void)
{
	allocs_left = -1;
	return (struct reclock_table){.alloc = test_alloc, .free = free};
}

static void clear(struct reclock_table *t)
{
	while (t->head) {
		struct reclock *l = t->head;

		t->head = l->next;
		free(l);
	}
}

static const struct reclock_key A = {1, 100}, B = {1, 101};

/* The owner's locks on A, in order of their start: type, start, end triples. */
static int ranges(const struct reclock_table *t, int owner, uint64_t *out, int max)
{
	int n = 0;
	uint64_t last = 0;

	for (;;) {
		const struct reclock *best = NULL;

		for (const struct reclock *l = t->head; l; l = l->next)
			if (l->key.ino == A.ino && l->owner == owner &&
			    (n == 0 || l->start > last) && (!best || l->start < best->start))
				best = l;
		if (!best)
			return n;
		assert_true(n < max);
		out[3 * n] = (uint64_t)best->type;
		out[3 * n + 1] = best->start;
		out[3 * n + 2] = best->end;
		last = best->start;
		n++;
	}
}

static void test_conflicts_follow_posix(void **state)
{
	struct reclock_table t = table();

	(void)state;
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_RD, 0, 9), 0);
	/* Readers share, a writer is refused, other files and disjoint ranges are free. */
	assert_int_equal(reclock_set(&t, A, 2, RECLOCK_RD, 5, 14), 0);
	assert_int_equal(reclock_set(&t, A, 3, RECLOCK_WR, 9, 9), RECLOCK_EAGAIN);
	assert_int_equal(reclock_set(&t, A, 3, RECLOCK_WR, 15, RECLOCK_EOF), 0);
	assert_int_equal(reclock_set(&t, B, 3, RECLOCK_WR, 0, 9), 0);
	/* Its own locks never conflict with an owner: 1 upgrades 0..4 (only 2's 5.. is shared). */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 0, 4), 0);
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 0, 5), RECLOCK_EAGAIN);
	const struct reclock *c = reclock_conflict(&t, A, 2, RECLOCK_RD, 0, 100);
	assert_non_null(c);
	assert_int_equal(c->owner, 1);
	assert_int_equal(c->type, RECLOCK_WR);
	assert_null(reclock_conflict(&t, A, 2, RECLOCK_RD, 5, 14));
	c = reclock_conflict(&t, A, 1, RECLOCK_RD, 20, 20);
	assert_non_null(c);
	assert_int_equal(c->owner, 3);
	assert_int_equal(c->end, RECLOCK_EOF);
	clear(&t);
}

static void test_unlock_splits_and_lock_merges(void **state)
{
	struct reclock_table t = table();
	uint64_t r[12];

	(void)state;
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 0, 99), 0);
	/* A hole in the middle splits it in two. */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_UN, 40, 59), 0);
	assert_int_equal(ranges(&t, 1, r, 4), 2);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], 39);
	assert_int_equal(r[4], 60);
	assert_int_equal(r[5], 99);
	/* A read lock in the hole touching both sides: three ranges of two types. */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_RD, 40, 59), 0);
	assert_int_equal(ranges(&t, 1, r, 4), 3);
	assert_int_equal(r[3], RECLOCK_RD);
	/* Writing the hole again merges everything back into one range. */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 40, 59), 0);
	assert_int_equal(ranges(&t, 1, r, 4), 1);
	assert_int_equal(r[0], RECLOCK_WR);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], 99);
	/* Adjacent on the right merges; a lock to EOF swallows what lies beyond. */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 100, 109), 0);
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_RD, 200, 300), 0);
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 150, RECLOCK_EOF), 0);
	assert_int_equal(ranges(&t, 1, r, 4), 2);
	assert_int_equal(r[2], 109);
	assert_int_equal(r[4], 150);
	assert_int_equal(r[5], RECLOCK_EOF);
	/* Unlocking from 0 to EOF leaves nothing. */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_UN, 0, RECLOCK_EOF), 0);
	assert_int_equal(reclock_count(&t), 0);
	clear(&t);
}

static void test_release_drops_one_owner_on_one_file(void **state)
{
	struct reclock_table t = table();

	(void)state;
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_RD, 0, 9), 0);
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 20, 29), 0);
	assert_int_equal(reclock_set(&t, B, 1, RECLOCK_WR, 0, 9), 0);
	assert_int_equal(reclock_set(&t, A, 2, RECLOCK_RD, 0, 9), 0);
	reclock_release(&t, A, 1);
	assert_int_equal(reclock_count(&t), 2);
	assert_int_equal(reclock_set(&t, A, 3, RECLOCK_WR, 20, 29), 0);
	assert_int_equal(reclock_set(&t, B, 3, RECLOCK_RD, 0, 0), RECLOCK_EAGAIN);
	clear(&t);
}

static void test_out_of_memory_changes_nothing(void **state)
{
	struct reclock_table t = table();
	uint64_t r[6];

	(void)state;
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_WR, 0, 99), 0);
	allocs_left = 1; /* a split needs two records up front */
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_RD, 10, 19), RECLOCK_ENOLCK);
	allocs_left = 0;
	assert_int_equal(reclock_set(&t, A, 1, RECLOCK_UN, 10, 19), RECLOCK_ENOLCK);
	assert_int_equal(ranges(&t, 1, r, 2), 1);
	assert_int_equal(r[1], 0);
	assert_int_equal(r[2], 99);
	/* A conflict is found before any allocation. */
	assert_int_equal(reclock_set(&t, A, 2, RECLOCK_RD, 0, 0), RECLOCK_EAGAIN);
	allocs_left = -1;
	clear(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_conflicts_follow_posix),
	    cmocka_unit_test(test_unlock_splits_and_lock_merges),
	    cmocka_unit_test(test_release_drops_one_owner_on_one_file),
	    cmocka_unit_test(test_out_of_memory_changes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
