/* Unit tests for MEM_RELEASE's argument checks, its frame runs and frame_range_owned. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "frame.h"
#include "page_runs.h"

#define RAM 0x40000000ULL
#define RAM_SIZE (32ULL << 20)
#define PG 4096ULL

static void test_check_accepts_ranges_inside_ram(void **state)
{
	(void)state;
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM, 1), MV_OK);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM, MV_MEM_RELEASE_MAX_PAGES), MV_OK);
	/* The last page, and the last full batch, end exactly at the end of RAM. */
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM + RAM_SIZE - PG, 1), MV_OK);
	assert_int_equal(page_release_check(RAM, RAM_SIZE,
					    RAM + RAM_SIZE - MV_MEM_RELEASE_MAX_PAGES * PG,
					    MV_MEM_RELEASE_MAX_PAGES),
			 MV_OK);
}

static void test_check_refuses_bad_ranges(void **state)
{
	(void)state;
	/* Alignment and size. */
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM + 8, 1), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM + PG - 1, 1), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM, 0), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM, MV_MEM_RELEASE_MAX_PAGES + 1),
			 MV_ERR_INVALID);
	/* Outside RAM: below it, past its end, straddling either edge. */
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM - PG, 1), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM - PG, 2), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM + RAM_SIZE, 1), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM + RAM_SIZE - PG, 2), MV_ERR_INVALID);
	/* The module window (4 GiB) and the devices (below 1 GiB) are not RAM. */
	assert_int_equal(page_release_check(RAM, RAM_SIZE, 0x100000000ULL, 1), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, 0x09000000ULL, 1), MV_ERR_INVALID);
	/* Values chosen to wrap a careless ipa + size or pages << 12. */
	assert_int_equal(page_release_check(RAM, RAM_SIZE, UINT64_MAX & ~(PG - 1), 2),
			 MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM, UINT64_MAX), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, RAM_SIZE, RAM, (UINT64_MAX >> 12) + 2),
			 MV_ERR_INVALID);
	/* A RAM smaller than the batch: the batch cannot fit anywhere. */
	assert_int_equal(page_release_check(RAM, 4 * PG, RAM, 5), MV_ERR_INVALID);
	assert_int_equal(page_release_check(RAM, 4 * PG, RAM, 4), MV_OK);
}

static struct page_runs runs;

static void test_runs_merge_adjacent_frames(void **state)
{
	(void)state;
	page_runs_init(&runs);
	assert_int_equal(page_runs_add(&runs, 0x80000000), MV_OK);
	assert_int_equal(page_runs_add(&runs, 0x80001000), MV_OK);
	assert_int_equal(page_runs_add(&runs, 0x80002000), MV_OK);
	/* A gap, then a frame below: both start new runs. */
	assert_int_equal(page_runs_add(&runs, 0x80005000), MV_OK);
	assert_int_equal(page_runs_add(&runs, 0x80004000), MV_OK);
	assert_int_equal(runs.count, 3);
	assert_int_equal(runs.frames, 5);
	assert_int_equal(runs.pa[0], 0x80000000);
	assert_int_equal(runs.len[0], 3);
	assert_int_equal(runs.pa[1], 0x80005000);
	assert_int_equal(runs.len[1], 1);
	assert_int_equal(runs.pa[2], 0x80004000);
	assert_int_equal(runs.len[2], 1);
	assert_int_equal(page_runs_add(&runs, 0x80004008), MV_ERR_INVALID);
	assert_int_equal(runs.frames, 5);
}

static void test_runs_hold_a_full_batch_of_scattered_frames(void **state)
{
	(void)state;
	page_runs_init(&runs);
	/* Every other frame: the worst case, one run per frame. */
	for (uint64_t i = 0; i < PAGE_RUNS_MAX; i++)
		assert_int_equal(page_runs_add(&runs, 0x80000000 + 2 * i * PG), MV_OK);
	assert_int_equal(runs.count, PAGE_RUNS_MAX);
	assert_int_equal(page_runs_add(&runs, 0x90000000), MV_ERR_NO_MEMORY);
	/* Extending the last run still fits. */
	assert_int_equal(page_runs_add(&runs, 0x80000000 + (2 * PAGE_RUNS_MAX - 1) * PG), MV_OK);
	assert_int_equal(runs.frames, PAGE_RUNS_MAX + 1);
}

static void test_range_owned(void **state)
{
	static struct frame_meta meta[64];
	struct frame_pool pool;
	uint64_t a, b, t;

	(void)state;
	assert_int_equal(frame_pool_init(&pool, 0x80000000, 64, meta), MV_OK);
	assert_int_equal(frame_alloc(&pool, 4, 1, FRAME_VM_RAM, 1, &a), MV_OK);
	assert_int_equal(frame_alloc(&pool, 2, 1, FRAME_VM_RAM, 2, &b), MV_OK);
	assert_int_equal(frame_alloc(&pool, 1, 1, FRAME_MOD_TEXT, 0, &t), MV_OK);
	assert_true(frame_range_owned(&pool, a, 4, FRAME_VM_RAM, 1));
	assert_true(frame_range_owned(&pool, a + PG, 2, FRAME_VM_RAM, 1));
	/* Another VM's frames, a run reaching into them, shared text, free frames. */
	assert_false(frame_range_owned(&pool, b, 1, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, a, 5, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, t, 1, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, t + PG, 1, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, t + PG, 1, FRAME_FREE, FRAME_ID_NONE));
	/* A frame some stage 2 still counts as mapped. */
	assert_int_equal(frame_map_inc(&pool, a + 2 * PG, NULL), MV_OK);
	assert_false(frame_range_owned(&pool, a, 4, FRAME_VM_RAM, 1));
	assert_int_equal(frame_map_dec(&pool, a + 2 * PG, NULL), MV_OK);
	assert_true(frame_range_owned(&pool, a, 4, FRAME_VM_RAM, 1));
	/* Bad runs: empty, unaligned, outside the pool, off its end. */
	assert_false(frame_range_owned(&pool, a, 0, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, a + 1, 1, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, 0x70000000, 1, FRAME_VM_RAM, 1));
	assert_false(frame_range_owned(&pool, 0x80000000 + 63 * PG, 2, FRAME_VM_RAM, 1));
	/* Owned runs go back to the pool whole, and the counters stay exact. */
	assert_int_equal(frame_free(&pool, a, 4), MV_OK);
	assert_false(frame_range_owned(&pool, a, 1, FRAME_VM_RAM, 1));
	assert_int_equal(frame_count_owner(&pool, FRAME_VM_RAM, 1), 0);
	assert_true(frame_check(&pool));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_accepts_ranges_inside_ram),
	    cmocka_unit_test(test_check_refuses_bad_ranges),
	    cmocka_unit_test(test_runs_merge_adjacent_frames),
	    cmocka_unit_test(test_runs_hold_a_full_batch_of_scattered_frames),
	    cmocka_unit_test(test_range_owned),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
