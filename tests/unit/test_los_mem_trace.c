/* A long random alloc/align/realloc/free trace over several LiteOS pools, checked by a model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "los_memory.h"
#include "los_memory_pri.h"

#define STEPS 60000U
#define CHECK_EVERY 500U
#define NPOOLS 3U
#define NTASKS 6U
#define MAXLIVE 4096U
#define STALE 64U
#define HDR OS_MEM_NODE_HEAD_SIZE

static uint8_t g_arena[2U << 20] __attribute__((aligned(4096)));
/* Different sizes and alignments (pool 1 is only pointer-aligned). */
static const UINT32 g_poolOff[NPOOLS] = {0, 80U * 1024U + 8U, 400U * 1024U + 16U};
static const UINT32 g_poolSize[NPOOLS] = {64U * 1024U, 256U * 1024U + 40U, 1024U * 1024U - 8U};

struct live {
	uint8_t *p;
	UINT32 req;   /* bytes asked for */
	UINT32 total; /* usable bytes of the block */
	UINT32 pool;
	UINT32 task; /* owner, as the statistics should have it */
	uint8_t seed;
};

static struct {
	struct live live[MAXLIVE];
	UINT32 nlive;
	struct {
		uint8_t *p;
		UINT32 pool;
	} stale[STALE];
	UINT32 nstale;
	UINT32 used[NPOOLS];
	UINT32 water[NPOOLS];
	UINT32 free0[NPOOLS];
	TaskMemUsedInfo task[NPOOLS][NTASKS];
	TaskMemUsedInfo total[NTASKS];
	UINT64 rng;
	UINT32 cur; /* the task the hook reports */
	UINT32 refused, moved, inPlace, failed;
} M;

static UINT32 task_hook(VOID)
{
	return M.cur;
}

static UINT32 rnd(void)
{
	M.rng ^= M.rng >> 12;
	M.rng ^= M.rng << 25;
	M.rng ^= M.rng >> 27;
	return (UINT32)((M.rng * 0x2545F4914F6CDD1DULL) >> 32);
}

static VOID *pool_of(UINT32 i)
{
	return g_arena + g_poolOff[i];
}

static UINT32 rnd_size(void)
{
	UINT32 r = rnd() % 100U;

	if (r < 60U)
		return 1U + rnd() % 128U;
	if (r < 90U)
		return 1U + rnd() % 2048U;
	if (r < 98U)
		return 1U + rnd() % 16384U;
	return 1U + rnd() % 65536U;
}

static UINT32 blk(UINT32 req)
{
	UINT32 need = ((req + 15U) & ~15U) + HDR;

	return need < OS_MEM_MIN_NODE_SIZE ? OS_MEM_MIN_NODE_SIZE : need;
}

static void fill(struct live *l)
{
	for (UINT32 i = 0; i < l->req; i++)
		l->p[i] = (uint8_t)(l->seed + i * 13U);
}

static void check(const struct live *l, UINT32 n)
{
	for (UINT32 i = 0; i < n; i++)
		if (l->p[i] != (uint8_t)(l->seed + i * 13U))
			fail_msg("block %p (%u bytes): byte %u changed", (void *)l->p, l->req, i);
}

static void stat_add(UINT32 pool, UINT32 task, UINT32 bytes)
{
	TaskMemUsedInfo *t = &M.task[pool][task];

	t->memUsed += bytes;
	if (t->memUsed > t->memPeak)
		t->memPeak = t->memUsed;
	M.total[task].memUsed += bytes;
	if (M.total[task].memUsed > M.total[task].memPeak)
		M.total[task].memPeak = M.total[task].memUsed;
	M.used[pool] += bytes;
	if (M.used[pool] > M.water[pool])
		M.water[pool] = M.used[pool];
}

static void stat_sub(UINT32 pool, UINT32 task, UINT32 bytes)
{
	M.task[pool][task].memUsed -= bytes;
	M.total[task].memUsed -= bytes;
	M.used[pool] -= bytes;
}

/* The block's usable size, from its header; it must be what the request rounds to. */
static UINT32 block_total(uint8_t *p, UINT32 req)
{
	UINT32 total = ((OsMemNode *)(void *)(p - HDR))->size - HDR;
	UINT32 want = blk(req) - HDR;

	if ((total != want) && (total != want + 16U))
		fail_msg("block %p for %u bytes has %u usable bytes", (void *)p, req, total);
	return total;
}

/* A new block lies inside its pool's block area and overlaps no live block. */
static void check_placement(const struct live *n)
{
	const LosMemPoolInfo *info = pool_of(n->pool);
	uint8_t *lo = n->p - HDR;
	uint8_t *hi = n->p + n->total;

	assert_true(lo >= (uint8_t *)info + info->firstOff);
	assert_true(hi <= (uint8_t *)info + info->endOff);
	for (UINT32 i = 0; i < M.nlive; i++) {
		const struct live *l = &M.live[i];

		if ((l != n) && (lo < l->p + l->total) && (l->p - HDR < hi))
			fail_msg("block %p overlaps block %p", (void *)n->p, (void *)l->p);
	}
}

static void counters_match(UINT32 pool)
{
	assert_int_equal(LOS_MemTotalUsedGet(pool_of(pool)), M.used[pool]);
}

static void add_live(uint8_t *p, UINT32 req, UINT32 pool)
{
	struct live *l = &M.live[M.nlive++];

	assert_true(M.nlive <= MAXLIVE);
	l->p = p;
	l->req = req;
	l->total = block_total(p, req);
	l->pool = pool;
	l->task = M.cur;
	l->seed = (uint8_t)rnd();
	check_placement(l);
	fill(l);
	stat_add(pool, M.cur, l->total + HDR);
	counters_match(pool);
}

static void drop_live(UINT32 i)
{
	struct live *l = &M.live[i];

	stat_sub(l->pool, l->task, l->total + HDR);
	M.stale[M.nstale % STALE].p = l->p;
	M.stale[M.nstale % STALE].pool = l->pool;
	M.nstale++;
	counters_match(l->pool);
	*l = M.live[--M.nlive];
}

static BOOL is_live(const uint8_t *p, UINT32 pool)
{
	for (UINT32 i = 0; i < M.nlive; i++)
		if ((M.live[i].p == p) && (M.live[i].pool == pool))
			return TRUE;
	return FALSE;
}

static void op_alloc(BOOL align)
{
	UINT32 pool = rnd() % NPOOLS;
	UINT32 size = rnd_size();
	UINT32 boundary = 8U << (rnd() % 10U);
	uint8_t *p;

	M.cur = rnd() % NTASKS;
	p = align ? LOS_MemAllocAlign(pool_of(pool), size, boundary)
		  : LOS_MemAlloc(pool_of(pool), size);
	if (p == NULL) {
		LOS_MEM_POOL_STATUS st;

		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
		/* Good fit never fails while a big enough block is free. */
		assert_int_equal(LOS_MemInfoGet(pool_of(pool), &st), LOS_OK);
		if (!align)
			assert_true(st.uwMaxFreeNodeSize < blk(size));
		M.failed++;
		return;
	}
	if (align)
		assert_int_equal((UINTPTR)p % boundary, 0);
	assert_int_equal((UINTPTR)p % OS_MEM_ALIGN_SIZE, 0);
	add_live(p, size, pool);
}

static void op_free(void)
{
	UINT32 i;
	struct live *l;

	if (M.nlive == 0)
		return;
	i = rnd() % M.nlive;
	l = &M.live[i];
	check(l, l->req);
	M.cur = rnd() % NTASKS;
	assert_int_equal(LOS_MemFree(pool_of(l->pool), l->p), LOS_OK);
	drop_live(i);
}

static void op_realloc(void)
{
	UINT32 r = rnd() % 100U;
	UINT32 size = rnd_size();
	UINT32 i;
	struct live *l;
	uint8_t *p;

	M.cur = rnd() % NTASKS;
	if ((r < 5U) || (M.nlive == 0)) {
		UINT32 pool = rnd() % NPOOLS;

		p = LOS_MemRealloc(pool_of(pool), NULL, size);
		if (p != NULL)
			add_live(p, size, pool);
		return;
	}
	i = rnd() % M.nlive;
	l = &M.live[i];
	check(l, l->req);
	if (r < 8U) {
		assert_null(LOS_MemRealloc(pool_of(l->pool), l->p, 0));
		assert_int_equal(LOS_MemErrnoGet(), LOS_OK);
		drop_live(i);
		return;
	}
	p = LOS_MemRealloc(pool_of(l->pool), l->p, size);
	if (p == NULL) {
		/* Refused: the block is as it was. */
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
		check(l, l->req);
		assert_int_equal(block_total(l->p, l->req), l->total);
		counters_match(l->pool);
		M.failed++;
		return;
	}
	check(&(struct live){.p = p, .seed = l->seed}, size < l->req ? size : l->req);
	if (p == l->p) {
		/* In place: the owner's bytes change by the difference. */
		M.inPlace++;
		stat_sub(l->pool, l->task, l->total + HDR);
		l->req = size;
		l->total = block_total(p, size);
		stat_add(l->pool, l->task, l->total + HDR);
	} else {
		/* Moved: the new block (the caller's) exists before the old one is freed. */
		UINT32 oldBytes = l->total + HDR;
		UINT32 oldTask = l->task;

		M.moved++;
		l->p = p;
		l->req = size;
		l->total = block_total(p, size);
		l->task = M.cur;
		stat_add(l->pool, l->task, l->total + HDR);
		stat_sub(l->pool, oldTask, oldBytes);
	}
	check_placement(l);
	l->seed = (uint8_t)rnd();
	fill(l);
	counters_match(l->pool);
}

/* Frees that must be refused: wrong pool, inside a block, misaligned, stale, anywhere. */
static void op_bad_free(void)
{
	UINT32 kind = rnd() % 5U;
	UINT32 pool = rnd() % NPOOLS;
	const LosMemPoolInfo *info = pool_of(pool);
	uint8_t *p = NULL;
	UINT32 used[NPOOLS];

	for (UINT32 i = 0; i < NPOOLS; i++)
		used[i] = LOS_MemTotalUsedGet(pool_of(i));
	if ((kind <= 2U) && (M.nlive != 0)) {
		const struct live *l = &M.live[rnd() % M.nlive];

		pool = l->pool;
		if (kind == 0U) {
			pool = (l->pool + 1U + rnd() % (NPOOLS - 1U)) % NPOOLS;
			p = l->p;
		} else if ((kind == 1U) && (l->total >= 32U)) {
			p = l->p + 16U * (1U + rnd() % (l->total / 16U - 1U));
		} else {
			p = l->p + 1U + rnd() % 15U;
		}
	} else if ((kind == 3U) && (M.nstale != 0)) {
		UINT32 s = rnd() % (M.nstale < STALE ? M.nstale : STALE);

		p = M.stale[s].p;
		pool = M.stale[s].pool;
	} else {
		p = (uint8_t *)info + (rnd() % info->poolSize & ~15U);
	}
	if ((p == NULL) || is_live(p, pool))
		return;
	assert_int_equal(LOS_MemFree(pool_of(pool), p), LOS_NOK);
	if (kind == 0U)
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_PTR_OUTSIDE);
	M.refused++;
	for (UINT32 i = 0; i < NPOOLS; i++)
		assert_int_equal(LOS_MemTotalUsedGet(pool_of(i)), used[i]);
}

static int by_address(const void *a, const void *b)
{
	const struct live *x = a, *y = b;

	return (x->p > y->p) - (x->p < y->p);
}

static void full_check(void)
{
	static struct live sorted[MAXLIVE];
	UINT32 count[NPOOLS] = {0};

	for (UINT32 i = 0; i < NPOOLS; i++) {
		LOS_MEM_POOL_STATUS st;

		assert_int_equal(LOS_MemIntegrityCheck(pool_of(i)), LOS_OK);
		assert_int_equal(LOS_MemInfoGet(pool_of(i), &st), LOS_OK);
		assert_int_equal(st.uwTotalUsedSize, M.used[i]);
		assert_int_equal(st.uwTotalFreeSize, M.free0[i] - M.used[i]);
		assert_int_equal(st.uwUsageWaterLine, M.water[i]);
		for (UINT32 t = 0; t < NTASKS; t++) {
			TaskMemUsedInfo s;

			assert_int_equal(LOS_MemTaskStatGet(pool_of(i), t, &s), LOS_OK);
			assert_int_equal(s.memUsed, M.task[i][t].memUsed);
			assert_int_equal(s.memPeak, M.task[i][t].memPeak);
		}
	}
	for (UINT32 t = 0; t < NTASKS; t++) {
		TaskMemUsedInfo s;

		assert_int_equal(LOS_MemTaskStatGet(NULL, t, &s), LOS_OK);
		assert_int_equal(s.memUsed, M.total[t].memUsed);
		assert_int_equal(s.memPeak, M.total[t].memPeak);
		assert_int_equal(LOS_MemTaskUsage(t), M.total[t].memUsed);
	}
	/* Contents, sizes as the API reports them, and no two blocks overlapping. */
	memcpy(sorted, M.live, M.nlive * sizeof(sorted[0]));
	qsort(sorted, M.nlive, sizeof(sorted[0]), by_address);
	for (UINT32 i = 0; i < M.nlive; i++) {
		UINT32 total = 0, avail = 0;

		check(&sorted[i], sorted[i].req);
		count[sorted[i].pool]++;
		assert_int_equal(
		    LOS_MemNodeSizeCheck(pool_of(sorted[i].pool), sorted[i].p, &total, &avail),
		    LOS_OK);
		assert_int_equal(total, sorted[i].total);
		assert_int_equal(LOS_MemTaskIdGet(sorted[i].p), sorted[i].task);
		if ((i > 0) && (sorted[i].p - HDR < sorted[i - 1].p + sorted[i - 1].total))
			fail_msg("blocks %p and %p overlap", (void *)sorted[i - 1].p,
				 (void *)sorted[i].p);
	}
	for (UINT32 i = 0; i < NPOOLS; i++)
		assert_int_equal(LOS_MemUsedBlksGet(pool_of(i)), count[i]);
}

static void test_random_trace(void **state)
{
	(void)state;
	memset(&M, 0, sizeof(M));
	M.rng = 0x9E3779B97F4A7C15ULL;
	LOS_MemSetTaskIdHook(task_hook);
	assert_int_equal(LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_LOW), LOS_OK);
	for (UINT32 i = 0; i < NPOOLS; i++) {
		LOS_MEM_POOL_STATUS st;

		assert_int_equal(LOS_MemInit(pool_of(i), g_poolSize[i]), LOS_OK);
		assert_int_equal(LOS_MemInfoGet(pool_of(i), &st), LOS_OK);
		M.free0[i] = st.uwTotalFreeSize;
	}
	for (UINT32 step = 1; step <= STEPS; step++) {
		UINT32 op = rnd() % 100U;

		/* Fill up for the first part, then drain a little faster than we fill. */
		if (op < ((step < STEPS / 3U) ? 40U : 28U))
			op_alloc(FALSE);
		else if (op < 40U)
			op_alloc(TRUE);
		else if (op < 68U)
			op_free();
		else if (op < 92U)
			op_realloc();
		else
			op_bad_free();
		if (step % CHECK_EVERY == 0)
			full_check();
	}
	full_check();
	while (M.nlive != 0) {
		check(&M.live[0], M.live[0].req);
		assert_int_equal(LOS_MemFree(pool_of(M.live[0].pool), M.live[0].p), LOS_OK);
		drop_live(0);
	}
	full_check();
	for (UINT32 i = 0; i < NPOOLS; i++) {
		assert_int_equal(LOS_MemFreeBlksGet(pool_of(i)), 1);
		assert_int_equal(LOS_MemTotalUsedGet(pool_of(i)), 0);
	}
	print_message(
	    "trace: %u steps, %u refused bad frees, %u failed allocs, realloc %u in place "
	    "%u moved, peak %u/%u/%u bytes\n",
	    STEPS, M.refused, M.failed, M.inPlace, M.moved, M.water[0], M.water[1], M.water[2]);
	/* The trace must have reached the interesting states. */
	assert_true(M.refused > 1000U);
	assert_true(M.failed > 100U);
	assert_true(M.inPlace > 1000U);
	assert_true(M.moved > 1000U);
	assert_true(M.water[0] > g_poolSize[0] / 2U);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_random_trace),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
