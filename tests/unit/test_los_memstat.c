/* Unit tests for LiteOS per-task memory statistics: per pool, over all pools, peaks, hooks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "los_memory.h"

#define POOL_SIZE (128U * 1024U)

static uint8_t g_mem[2][POOL_SIZE] __attribute__((aligned(64)));
static uint8_t g_other[256] __attribute__((aligned(64)));
#define A ((VOID *)g_mem[0])
#define B ((VOID *)g_mem[1])

static UINT32 g_task;
static int g_prints;
static char g_log[1024];

static UINT32 task_hook(VOID)
{
	return g_task;
}

static int test_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(g_log, sizeof(g_log), fmt, ap);
	va_end(ap);
	g_prints++;
	return 0;
}

/* Block size, header included, that a request of req bytes takes. */
static UINT32 blk(UINT32 req)
{
	UINT32 need = ((req + 15U) & ~15U) + 16U;

	return need < 32U ? 32U : need;
}

static int setup(void **state)
{
	VOID *p;

	(void)state;
	LOS_MemSetPrintHook(NULL);
	while ((p = OsMemMulPoolHeadGet()) != NULL)
		assert_int_equal(LOS_MemDeInit(p), LOS_OK);
	for (UINT32 t = 0; t < LOS_MEMSTAT_TASK_NUM; t++)
		OsMemTaskClear(t);
	assert_int_equal(LOS_MemInit(A, POOL_SIZE), LOS_OK);
	assert_int_equal(LOS_MemInit(B, POOL_SIZE), LOS_OK);
	LOS_MemSetTaskIdHook(task_hook);
	LOS_MemSetPrintHook(test_print);
	g_task = 0;
	g_prints = 0;
	return 0;
}

static void assert_stat(VOID *pool, UINT32 task, UINT32 used, UINT32 peak)
{
	TaskMemUsedInfo s = {0xdead, 0xbeef};

	assert_int_equal(LOS_MemTaskStatGet(pool, task, &s), LOS_OK);
	assert_int_equal(s.memUsed, used);
	assert_int_equal(s.memPeak, peak);
}

static void test_per_task_per_pool(void **state)
{
	void *a1, *b1, *a2;

	(void)state;
	g_task = 1;
	a1 = LOS_MemAlloc(A, 100);
	b1 = LOS_MemAlloc(B, 1000);
	g_task = 2;
	a2 = LOS_MemAlloc(A, 300);
	assert_stat(A, 1, blk(100), blk(100));
	assert_stat(B, 1, blk(1000), blk(1000));
	assert_stat(NULL, 1, blk(100) + blk(1000), blk(100) + blk(1000));
	assert_int_equal(LOS_MemTaskUsage(1), blk(100) + blk(1000));
	assert_int_equal(OsMemTaskUsage(1), blk(100) + blk(1000));
	assert_stat(A, 2, blk(300), blk(300));
	assert_stat(B, 2, 0, 0);
	assert_stat(NULL, 2, blk(300), blk(300));
	assert_stat(NULL, 0, 0, 0);
	assert_int_equal(LOS_MemTaskIdGet(a1), 1);
	assert_int_equal(LOS_MemTaskIdGet(b1), 1);
	assert_int_equal(LOS_MemTaskIdGet(a2), 2);

	/* A block is charged to the task that allocated it, whoever frees it. */
	assert_int_equal(LOS_MemFree(A, a1), LOS_OK);
	assert_stat(A, 1, 0, blk(100));
	assert_stat(A, 2, blk(300), blk(300));
	assert_stat(NULL, 1, blk(1000), blk(100) + blk(1000));
	/* A refused free changes nothing. */
	assert_int_equal(LOS_MemFree(A, a1), LOS_NOK);
	assert_stat(A, 1, 0, blk(100));
	assert_stat(A, 2, blk(300), blk(300));
	/* The per-task bytes of a pool add up to its used bytes. */
	assert_int_equal(LOS_MemTotalUsedGet(A), blk(300));
	assert_int_equal(LOS_MemFree(B, b1), LOS_OK);
	assert_int_equal(LOS_MemFree(A, a2), LOS_OK);
	assert_stat(NULL, 1, 0, blk(100) + blk(1000));
	assert_stat(NULL, 2, 0, blk(300));
}

/* LOS_MemFreeByTaskID frees exactly the task's blocks, wherever they sit among others'. */
static void test_free_by_task(void **state)
{
	void *mine[6];
	void *other[6];

	(void)state;
	for (int i = 0; i < 6; i++) {
		g_task = 4;
		mine[i] = LOS_MemAlloc(A, 64U * (UINT32)(i + 1));
		g_task = 5;
		other[i] = LOS_MemAlloc(A, 100);
		assert_non_null(mine[i]);
		assert_non_null(other[i]);
	}
	assert_int_equal(LOS_MemFreeByTaskID(A, 4), LOS_OK);
	assert_stat(A, 4, 0, blk(64) + blk(128) + blk(192) + blk(256) + blk(320) + blk(384));
	assert_stat(A, 5, 6 * blk(100), 6 * blk(100));
	assert_int_equal(LOS_MemTotalUsedGet(A), 6 * blk(100));
	assert_int_equal(LOS_MemIntegrityCheck(A), LOS_OK);
	assert_int_equal(LOS_MemFree(A, mine[0]), LOS_NOK);  /* already gone */
	assert_int_equal(LOS_MemFreeByTaskID(A, 4), LOS_OK); /* nothing left: fine */
	assert_int_equal(LOS_MemFreeByTaskID(NULL, 4), LOS_NOK);
	assert_int_equal(LOS_MemUsedNodeShow(A), LOS_OK);
	assert_int_equal(LOS_MemFreeNodeShow(A), LOS_OK);
	assert_int_equal(LOS_MemUsedNodeShow(NULL), LOS_NOK);
	for (int i = 0; i < 6; i++)
		assert_int_equal(LOS_MemFree(A, other[i]), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(A), 0);
}

static void test_peak_over_pools(void **state)
{
	void *x, *y, *z;

	(void)state;
	g_task = 3;
	x = LOS_MemAlloc(A, 1000);
	assert_int_equal(LOS_MemFree(A, x), LOS_OK);
	y = LOS_MemAlloc(B, 1000);
	/* Each pool saw 1024 bytes; the task never held more than 1024 bytes at once. */
	assert_stat(A, 3, 0, blk(1000));
	assert_stat(B, 3, blk(1000), blk(1000));
	assert_stat(NULL, 3, blk(1000), blk(1000));
	z = LOS_MemAlloc(A, 2000);
	assert_stat(A, 3, blk(2000), blk(2000));
	assert_stat(NULL, 3, blk(1000) + blk(2000), blk(1000) + blk(2000));
	assert_int_equal(LOS_MemFree(B, y), LOS_OK);
	assert_int_equal(LOS_MemFree(A, z), LOS_OK);
	assert_stat(NULL, 3, 0, blk(1000) + blk(2000));
	/* Aligned blocks count their block size too. */
	x = LOS_MemAllocAlign(B, 100, 4096);
	assert_stat(B, 3, blk(100), blk(1000));
	assert_int_equal(LOS_MemFree(B, x), LOS_OK);
	assert_stat(B, 3, 0, blk(1000));
}

static void test_realloc_accounting(void **state)
{
	UINT8 *p, *q, *r;

	(void)state;
	g_task = 4;
	p = LOS_MemAlloc(A, 100);
	/* In place: the owner's figures change, not the caller's. */
	g_task = 5;
	r = LOS_MemRealloc(A, p, 1000);
	assert_ptr_equal(r, p);
	assert_stat(A, 4, blk(1000), blk(1000));
	assert_stat(A, 5, 0, 0);
	r = LOS_MemRealloc(A, p, 500);
	assert_ptr_equal(r, p);
	assert_stat(A, 4, blk(500), blk(1000));
	/* Moved: the new block is the caller's, the old one leaves its owner. */
	q = LOS_MemAlloc(A, 100);
	r = LOS_MemRealloc(A, p, 5000);
	assert_ptr_not_equal(r, p);
	assert_stat(A, 4, 0, blk(1000));
	assert_stat(A, 5, blk(100) + blk(5000), blk(100) + blk(5000));
	assert_int_equal(LOS_MemTaskIdGet(r), 5);
	/* Realloc to 0 frees. */
	assert_null(LOS_MemRealloc(A, r, 0));
	assert_stat(A, 5, blk(100), blk(100) + blk(5000));
	/* A failed realloc changes nothing. */
	assert_null(LOS_MemRealloc(A, q, POOL_SIZE - 64));
	assert_stat(A, 5, blk(100), blk(100) + blk(5000));
	assert_int_equal(LOS_MemFree(A, q), LOS_OK);
	assert_stat(NULL, 5, 0, blk(100) + blk(5000));
}

static void test_clamp_and_clear(void **state)
{
	void *p, *q;

	(void)state;
	g_task = LOS_MEMSTAT_TASK_NUM - 1;
	p = LOS_MemAlloc(A, 100);
	g_task = 1000;
	q = LOS_MemAlloc(B, 100);
	/* IDs past the table share its last record, as LiteOS clamps them. */
	assert_int_equal(LOS_MemTaskIdGet(q), LOS_MEMSTAT_TASK_NUM - 1);
	assert_int_equal(LOS_MemTaskUsage(1000), 2 * blk(100));
	assert_int_equal(LOS_MemTaskUsage(LOS_MEMSTAT_TASK_NUM - 1), 2 * blk(100));
	assert_stat(NULL, 12345, 2 * blk(100), 2 * blk(100));

	/* Clearing a task that still holds memory says so, and forgets its figures. */
	OsMemTaskClear(1000);
	assert_true(g_prints >= 1);
	assert_non_null(strstr(g_log, "still holds"));
	assert_stat(NULL, 1000, 0, 0);
	assert_stat(A, 1000, 0, 0);
	/* Its blocks can still be freed; the figures never go below zero. */
	assert_int_equal(LOS_MemFree(A, p), LOS_OK);
	assert_int_equal(LOS_MemFree(B, q), LOS_OK);
	assert_stat(NULL, 1000, 0, 0);
	assert_int_equal(LOS_MemTotalUsedGet(A), 0);

	/* The default hook says task 0. */
	LOS_MemSetTaskIdHook(NULL);
	p = LOS_MemAlloc(A, 100);
	assert_int_equal(LOS_MemTaskIdGet(p), 0);
	assert_stat(A, 0, blk(100), blk(100));
	assert_int_equal(LOS_MemFree(A, p), LOS_OK);
}

static void test_deinit_leaves_totals(void **state)
{
	TaskMemUsedInfo s;

	(void)state;
	g_task = 6;
	assert_non_null(LOS_MemAlloc(A, 100));
	assert_non_null(LOS_MemAlloc(B, 200));
	assert_stat(NULL, 6, blk(100) + blk(200), blk(100) + blk(200));
	assert_int_equal(LOS_MemDeInit(B), LOS_OK);
	/* The pool's bytes leave the task's total; its peak stays. */
	assert_stat(NULL, 6, blk(100), blk(100) + blk(200));
	assert_int_equal(LOS_MemTaskUsage(6), blk(100));
	/* And later peaks count only what the task holds in the pools that remain. */
	assert_non_null(LOS_MemAlloc(A, 1000));
	assert_stat(NULL, 6, blk(100) + blk(1000), blk(100) + blk(1000));
	assert_int_equal(LOS_MemTaskStatGet(B, 6, &s), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_int_equal(LOS_MemTaskStatGet(g_other, 6, &s), LOS_NOK);
	assert_int_equal(LOS_MemTaskStatGet(A, 6, NULL), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_PTR_NULL);
	assert_int_equal(LOS_MemTaskStatGet(NULL, 6, NULL), LOS_NOK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_per_task_per_pool, setup),
	    cmocka_unit_test_setup(test_peak_over_pools, setup),
	    cmocka_unit_test_setup(test_realloc_accounting, setup),
	    cmocka_unit_test_setup(test_clamp_and_clear, setup),
	    cmocka_unit_test_setup(test_deinit_leaves_totals, setup),
	    cmocka_unit_test_setup(test_free_by_task, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
