/* Unit tests for LiteOS fixed-size block pools (membox): alloc/free/clr, statistics, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "los_membox.h"
#include "los_memory.h"

#define BLK 40U
#define NUM 16U
#define STRIDE ((BLK + sizeof(LOS_MEMBOX_NODE) + 7U) & ~7U)
#define BOX_SIZE LOS_MEMBOX_SIZE(BLK, NUM)

static uint8_t g_box[BOX_SIZE + 64] __attribute__((aligned(64)));
static uint8_t g_box2[BOX_SIZE] __attribute__((aligned(64)));
static uint8_t g_heap[64 * 1024] __attribute__((aligned(64)));
static int g_prints;
static int g_lines;

static int test_print(const char *fmt, ...)
{
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	g_prints++;
	if (strchr(line, '\n') != NULL)
		g_lines++;
	return 0;
}

static int setup(void **state)
{
	(void)state;
	memset(g_box, 0x66, sizeof(g_box));
	assert_int_equal(LOS_MemboxInit(g_box, BOX_SIZE, BLK), LOS_OK);
	LOS_MemSetPrintHook(test_print);
	g_prints = 0;
	g_lines = 0;
	return 0;
}

static void assert_stats(const VOID *box, UINT32 max, UINT32 cnt, UINT32 size)
{
	UINT32 m = 0, c = 0, s = 0;

	assert_int_equal(LOS_MemboxStatisticsGet(box, &m, &c, &s), LOS_OK);
	assert_int_equal(m, max);
	assert_int_equal(c, cnt);
	assert_int_equal(s, size);
}

static void test_alloc_all_free_all(void **state)
{
	uint8_t *p[NUM];

	(void)state;
	/* LOS_MEMBOX_SIZE(blk, n) holds exactly n blocks; the size counts the node, as LiteOS. */
	assert_stats(g_box, NUM, 0, STRIDE);
	for (UINT32 i = 0; i < NUM; i++) {
		p[i] = LOS_MemboxAlloc(g_box);
		assert_non_null(p[i]);
		assert_int_equal((UINTPTR)p[i] % sizeof(UINTPTR), 0);
		assert_true(p[i] >= g_box + sizeof(LOS_MEMBOX_INFO));
		assert_true(p[i] + BLK <= g_box + BOX_SIZE);
		memset(p[i], (int)i, BLK);
		assert_stats(g_box, NUM, i + 1, STRIDE);
	}
	/* Distinct, one stride apart (the free list starts in address order). */
	for (UINT32 i = 1; i < NUM; i++)
		assert_int_equal(p[i] - p[i - 1], STRIDE);
	assert_null(LOS_MemboxAlloc(g_box));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_NO_MEMORY);
	for (UINT32 i = 0; i < NUM; i++)
		for (UINT32 j = 0; j < BLK; j++)
			assert_int_equal(p[i][j], i);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
	/* The last block freed is the next one handed out. */
	assert_int_equal(LOS_MemboxFree(g_box, p[5]), LOS_OK);
	assert_int_equal(LOS_MemboxFree(g_box, p[9]), LOS_OK);
	assert_stats(g_box, NUM, NUM - 2, STRIDE);
	assert_ptr_equal(LOS_MemboxAlloc(g_box), p[9]);
	assert_ptr_equal(LOS_MemboxAlloc(g_box), p[5]);
	for (UINT32 i = 0; i < NUM; i++)
		assert_int_equal(LOS_MemboxFree(g_box, p[i]), LOS_OK);
	assert_stats(g_box, NUM, 0, STRIDE);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
	assert_int_equal(g_prints, 1); /* the refused allocation only */
}

static void test_clr(void **state)
{
	uint8_t *a = LOS_MemboxAlloc(g_box);
	uint8_t *b = LOS_MemboxAlloc(g_box);

	(void)state;
	memset(a, 0xaa, BLK);
	memset(b, 0xbb, BLK);
	LOS_MemboxClr(g_box, a);
	/* The whole block, all STRIDE - node bytes, and nothing of the next one. */
	for (UINT32 i = 0; i < STRIDE - sizeof(LOS_MEMBOX_NODE); i++)
		assert_int_equal(a[i], 0);
	for (UINT32 i = 0; i < BLK; i++)
		assert_int_equal(b[i], 0xbb);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
	/* Clr of anything but an allocated block does nothing. */
	assert_int_equal(LOS_MemboxFree(g_box, b), LOS_OK);
	memset(b, 0xbb, 8);
	LOS_MemboxClr(g_box, b);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_DOUBLE_FREE);
	assert_int_equal(b[0], 0xbb);
	memset(b, 0, 8);
	LOS_MemboxClr(g_box, a + 8);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_PTR_INVALID);
	LOS_MemboxClr(NULL, a);
	LOS_MemboxClr(g_box, NULL);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
}

static void test_init_checks(void **state)
{
	UINT32 m, c, s;

	(void)state;
	assert_int_equal(LOS_MemboxInit(NULL, BOX_SIZE, BLK), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_INVALID_POOL);
	assert_int_equal(LOS_MemboxInit(g_box2 + 4, BOX_SIZE - 8, BLK), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_INVALID_POOL);
	assert_int_equal(LOS_MemboxInit(g_box2, BOX_SIZE, 0), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_INVALID_SIZE);
	assert_int_equal(LOS_MemboxInit(g_box2, BOX_SIZE, UINT32_MAX - 4), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_INVALID_SIZE);
	assert_int_equal(LOS_MemboxInit(g_box2, sizeof(LOS_MEMBOX_INFO) - 1, BLK), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_POOL_TOO_SMALL);
	assert_int_equal(LOS_MemboxInit(g_box2, LOS_MEMBOX_SIZE(BLK, 1) - 1, BLK), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_POOL_TOO_SMALL);
	assert_int_equal(LOS_MemboxInit((void *)(UINTPTR_MAX & ~(UINTPTR)63), BOX_SIZE, BLK),
			 LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_INVALID_SIZE);
	/* One block exactly; odd block sizes round up to a pointer. */
	assert_int_equal(LOS_MemboxInit(g_box2, LOS_MEMBOX_SIZE(BLK, 1), BLK), LOS_OK);
	assert_stats(g_box2, 1, 0, STRIDE);
	assert_int_equal(LOS_MemboxInit(g_box2, BOX_SIZE, 1), LOS_OK);
	assert_stats(g_box2, (BOX_SIZE - sizeof(LOS_MEMBOX_INFO)) / 24U, 0, 24);
	/* Uninitialised memory, a dynamic pool, bad output pointers: refused. */
	memset(g_box2, 0, sizeof(g_box2));
	assert_null(LOS_MemboxAlloc(g_box2));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_INVALID_POOL);
	assert_int_equal(LOS_MemboxStatisticsGet(g_box2, &m, &c, &s), LOS_NOK);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box2), LOS_NOK);
	assert_int_equal(LOS_MemInit(g_heap, sizeof(g_heap)), LOS_OK);
	assert_null(LOS_MemboxAlloc(g_heap));
	assert_int_equal(LOS_MemDeInit(g_heap), LOS_OK);
	assert_null(LOS_MemboxAlloc(NULL));
	assert_int_equal(LOS_MemboxStatisticsGet(NULL, &m, &c, &s), LOS_NOK);
	assert_int_equal(LOS_MemboxStatisticsGet(g_box, NULL, &c, &s), LOS_NOK);
	assert_int_equal(LOS_MemboxStatisticsGet(g_box, &m, NULL, &s), LOS_NOK);
	assert_int_equal(LOS_MemboxStatisticsGet(g_box, &m, &c, NULL), LOS_NOK);
	/* A damaged header is not a pool. */
	((LOS_MEMBOX_INFO *)(void *)g_box)->uwBlkCnt = NUM + 1;
	assert_null(LOS_MemboxAlloc(g_box));
	((LOS_MEMBOX_INFO *)(void *)g_box)->uwBlkCnt = 0;
	assert_non_null(LOS_MemboxAlloc(g_box));
}

static void expect_free_refused(VOID *box, void *ptr, UINT32 err)
{
	UINT32 m, before, s;
	int prints = g_prints;

	assert_int_equal(LOS_MemboxStatisticsGet(g_box, &m, &before, &s), LOS_OK);
	assert_int_equal(LOS_MemboxFree(box, ptr), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), err);
	assert_int_equal(g_prints, prints + 1);
	assert_stats(g_box, NUM, before, STRIDE);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
}

static void test_bad_free_refused(void **state)
{
	uint8_t *a = LOS_MemboxAlloc(g_box);
	uint8_t *b = LOS_MemboxAlloc(g_box);
	uint8_t *c = LOS_MemboxAlloc(g_box);
	uint8_t *other;
	uint8_t local[64];

	(void)state;
	assert_int_equal(LOS_MemboxInit(g_box2, BOX_SIZE, BLK), LOS_OK);
	other = LOS_MemboxAlloc(g_box2);
	expect_free_refused(NULL, a, LOS_ERRNO_MEMBOX_INVALID_POOL);
	expect_free_refused(g_heap, a, LOS_ERRNO_MEMBOX_INVALID_POOL);
	expect_free_refused(g_box, NULL, LOS_ERRNO_MEMBOX_PTR_NULL);
	for (UINT32 i = 1; i < STRIDE; i++)
		expect_free_refused(g_box, a + i, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, a - 1, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, other, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, local, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, g_box, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, g_box + sizeof(LOS_MEMBOX_INFO), LOS_ERRNO_MEMBOX_PTR_INVALID);
	/* Past the last block, and the slack after it. */
	expect_free_refused(g_box, a + NUM * STRIDE, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, g_box + BOX_SIZE + 8, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, (void *)(UINTPTR)8, LOS_ERRNO_MEMBOX_PTR_INVALID);
	expect_free_refused(g_box, (void *)UINTPTR_MAX, LOS_ERRNO_MEMBOX_PTR_INVALID);
	/* A free block never handed out, and a double free. */
	expect_free_refused(g_box, c + STRIDE, LOS_ERRNO_MEMBOX_DOUBLE_FREE);
	assert_int_equal(LOS_MemboxFree(g_box, b), LOS_OK);
	expect_free_refused(g_box, b, LOS_ERRNO_MEMBOX_DOUBLE_FREE);
	/* The other box's block is still good there. */
	assert_int_equal(LOS_MemboxFree(g_box2, other), LOS_OK);
	assert_int_equal(LOS_MemboxFree(g_box, a), LOS_OK);
	assert_int_equal(LOS_MemboxFree(g_box, c), LOS_OK);
	assert_stats(g_box, NUM, 0, STRIDE);
}

static void test_overrun_and_use_after_free(void **state)
{
	uint8_t *a = LOS_MemboxAlloc(g_box);
	uint8_t *b = LOS_MemboxAlloc(g_box);
	uint8_t saved[sizeof(LOS_MEMBOX_NODE)];

	(void)state;
	/* a writes past its end into b's node: b's magic is gone. */
	memcpy(saved, b - sizeof(saved), sizeof(saved));
	memset(a, 0x41, STRIDE);
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_NOK);
	assert_int_equal(LOS_MemboxFree(g_box, b), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_HEADER_CORRUPT);
	memcpy(b - sizeof(saved), saved, sizeof(saved));
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
	/* A node copied to another block does not pass there: the magic holds the address. */
	memcpy(saved, b - sizeof(saved), sizeof(saved));
	memcpy(b - sizeof(saved), a - sizeof(saved), sizeof(saved));
	assert_int_equal(LOS_MemboxFree(g_box, b), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_HEADER_CORRUPT);
	memcpy(b - sizeof(saved), saved, sizeof(saved));
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);

	/* After free, a write into b's link: the next allocation refuses to follow it. */
	assert_int_equal(LOS_MemboxFree(g_box, b), LOS_OK);
	memcpy(saved, b - sizeof(saved), sizeof(saved));
	((LOS_MEMBOX_NODE *)(void *)(b - sizeof(saved)))->pstNext = (LOS_MEMBOX_NODE *)g_heap;
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_NOK);
	assert_null(LOS_MemboxAlloc(g_box));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEMBOX_HEADER_CORRUPT);
	assert_stats(g_box, NUM, 1, STRIDE);
	memcpy(b - sizeof(saved), saved, sizeof(saved));
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
	assert_ptr_equal(LOS_MemboxAlloc(g_box), b);
	/* A free list that loops is caught, not followed for ever. */
	{
		LOS_MEMBOX_INFO *info = (LOS_MEMBOX_INFO *)(void *)g_box;
		LOS_MEMBOX_NODE *head = info->stFreeList.pstNext;
		LOS_MEMBOX_NODE *keep = head->pstNext;

		head->pstNext = head;
		assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_NOK);
		head->pstNext = keep;
	}
	assert_int_equal(LOS_MemboxIntegrityCheck(g_box), LOS_OK);
	assert_int_equal(LOS_MemboxFree(g_box, a), LOS_OK);
	assert_int_equal(LOS_MemboxFree(g_box, b), LOS_OK);
	assert_stats(g_box, NUM, 0, STRIDE);
}

static void test_show_box(void **state)
{
	void *a = LOS_MemboxAlloc(g_box);

	(void)state;
	(void)a;
	LOS_ShowBox(g_box);
	/* A title, two list titles, NUM - 1 free nodes, NUM nodes. */
	assert_int_equal(g_lines, 3 + (NUM - 1) + NUM);
	g_lines = 0;
	LOS_ShowBox(g_box2 + 8);
	assert_int_equal(g_lines, 1);
	LOS_MemSetPrintHook(NULL);
	LOS_ShowBox(g_box);
	assert_int_equal(g_lines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_alloc_all_free_all, setup),
	    cmocka_unit_test_setup(test_clr, setup),
	    cmocka_unit_test_setup(test_init_checks, setup),
	    cmocka_unit_test_setup(test_bad_free_refused, setup),
	    cmocka_unit_test_setup(test_overrun_and_use_after_free, setup),
	    cmocka_unit_test_setup(test_show_box, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
