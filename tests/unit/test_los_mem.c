/* Unit tests for LiteOS dynamic pools: alloc, align, realloc, free, figures, checks, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "los_memory.h"
#include "los_memory_pri.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define POOL_SIZE (256U * 1024U)
#define HDR OS_MEM_NODE_HEAD_SIZE

static uint8_t g_mem[3][POOL_SIZE] __attribute__((aligned(4096)));
static uint8_t g_other[4096] __attribute__((aligned(64)));
static VOID *g_pool;
static UINT32 g_free0; /* free bytes of an empty pool */

static int g_prints;
static char g_log[8192];
static unsigned g_lockDepth, g_lockMax, g_locks;

static int test_print(const char *fmt, ...)
{
	size_t len = strlen(g_log);
	va_list ap;

	va_start(ap, fmt);
	if (len < sizeof(g_log) - 1)
		vsnprintf(g_log + len, sizeof(g_log) - len, fmt, ap);
	va_end(ap);
	g_prints++;
	return 0;
}

static UINT32 test_lock(VOID)
{
	g_locks++;
	g_lockDepth++;
	if (g_lockDepth > g_lockMax)
		g_lockMax = g_lockDepth;
	return 0x5a;
}

static VOID test_unlock(UINT32 state)
{
	assert_int_equal(state, 0x5a);
	assert_true(g_lockDepth > 0);
	g_lockDepth--;
}

/* Block size, header included, that a request of req bytes takes. */
static UINT32 blk(UINT32 req)
{
	UINT32 need = ((req + 15U) & ~15U) + HDR;

	return need < OS_MEM_MIN_NODE_SIZE ? OS_MEM_MIN_NODE_SIZE : need;
}

static void deinit_all(void)
{
	VOID *p;

	while ((p = OsMemMulPoolHeadGet()) != NULL)
		assert_int_equal(LOS_MemDeInit(p), LOS_OK);
}

static int setup(void **state)
{
	LOS_MEM_POOL_STATUS st;

	(void)state;
	deinit_all();
	LOS_MemSetPrintHook(test_print);
	LOS_MemSetLockHooks(test_lock, test_unlock);
	LOS_MemSetTaskIdHook(NULL);
	memset(g_mem, 0x77, sizeof(g_mem));
	g_pool = g_mem[0];
	assert_int_equal(LOS_MemInit(g_pool, POOL_SIZE), LOS_OK);
	assert_int_equal(LOS_MemInfoGet(g_pool, &st), LOS_OK);
	g_free0 = st.uwTotalFreeSize;
	g_prints = 0;
	g_log[0] = '\0';
	g_lockMax = 0;
	g_locks = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* Every call took the lock once, never nested, and gave it back. */
	assert_int_equal(g_lockDepth, 0);
	assert_true(g_lockMax <= 1);
	deinit_all();
	LOS_MemSetLockHooks(NULL, NULL);
	return 0;
}

/* The pool is whole and all of its free memory can still be allocated at once. */
static void assert_pool_usable(VOID *pool)
{
	LOS_MEM_POOL_STATUS st;
	UINT32 used;
	void *p;

	assert_int_equal(LOS_MemIntegrityCheck(pool), LOS_OK);
	assert_int_equal(LOS_MemInfoGet(pool, &st), LOS_OK);
	used = LOS_MemTotalUsedGet(pool);
	p = LOS_MemAlloc(pool, st.uwMaxFreeNodeSize - HDR);
	assert_non_null(p);
	memset(p, 0xee, st.uwMaxFreeNodeSize - HDR);
	assert_int_equal(LOS_MemTotalUsedGet(pool), used + st.uwMaxFreeNodeSize);
	assert_int_equal(LOS_MemIntegrityCheck(pool), LOS_OK);
	assert_int_equal(LOS_MemFree(pool, p), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(pool), used);
	assert_int_equal(LOS_MemIntegrityCheck(pool), LOS_OK);
}

static void fill(void *p, UINT32 n, uint8_t seed)
{
	for (UINT32 i = 0; i < n; i++)
		((uint8_t *)p)[i] = (uint8_t)(seed + i * 7U);
}

static void check_fill(const void *p, UINT32 n, uint8_t seed)
{
	for (UINT32 i = 0; i < n; i++)
		assert_int_equal(((const uint8_t *)p)[i], (uint8_t)(seed + i * 7U));
}

static void test_init_layout_and_whole_pool(void **state)
{
	const LosMemPoolInfo *info = g_pool;
	LOS_MEM_POOL_STATUS st;
	void *all;

	(void)state;
	assert_int_equal(LOS_MemPoolSizeGet(g_pool), POOL_SIZE);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 1);
	assert_int_equal(LOS_MemUsedBlksGet(g_pool), 0);
	/* One free block from the first offset to the end node. */
	assert_int_equal(g_free0, info->endOff - info->firstOff);
	assert_int_equal(info->endOff, POOL_SIZE - HDR);
	assert_true(info->firstOff >= sizeof(LosMemPoolInfo));
	assert_int_equal(LOS_MemInfoGet(g_pool, &st), LOS_OK);
	assert_int_equal(st.uwMaxFreeNodeSize, g_free0);
	assert_int_equal(st.uwFreeNodeNum, 1);
	assert_int_equal(st.uwUsedNodeNum, 0);
	assert_int_equal(st.uwUsageWaterLine, 0);

	/* The largest request that fits takes the whole pool (the class-scan fallback). */
	all = LOS_MemAlloc(g_pool, g_free0 - HDR);
	assert_non_null(all);
	memset(all, 1, g_free0 - HDR);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), g_free0);
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 0);
	assert_null(LOS_MemAlloc(g_pool, 1));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
	assert_int_equal(LOS_MemFree(g_pool, all), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	/* One byte more than fits is refused. */
	assert_null(LOS_MemAlloc(g_pool, g_free0 - HDR + 1));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
	assert_pool_usable(g_pool);
}

static void test_alloc_sizes_alignment_contents(void **state)
{
	static const UINT32 sizes[] = {1,   15,	 16,   17,   31,   32,	 100,	255,
				       256, 257, 1000, 4095, 4096, 4097, 20000, 65536};
	void *p[ARRAY_SIZE(sizes)];
	UINT32 used = 0;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = LOS_MemAlloc(g_pool, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((UINTPTR)p[i] % OS_MEM_ALIGN_SIZE, 0);
		assert_true((uint8_t *)p[i] > (uint8_t *)g_pool);
		assert_true((uint8_t *)p[i] + sizes[i] <= (uint8_t *)g_pool + POOL_SIZE);
		used += blk(sizes[i]);
		assert_int_equal(LOS_MemTotalUsedGet(g_pool), used);
		assert_int_equal(LOS_MemUsedBlksGet(g_pool), i + 1);
		fill(p[i], sizes[i], (uint8_t)i);
	}
	/* No block overlaps another: every pattern is intact. */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		check_fill(p[i], sizes[i], (uint8_t)i);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i += 2)
		assert_int_equal(LOS_MemFree(g_pool, p[i]), LOS_OK);
	for (size_t i = 1; i < ARRAY_SIZE(sizes); i += 2)
		check_fill(p[i], sizes[i], (uint8_t)i);
	for (size_t i = 1; i < ARRAY_SIZE(sizes); i += 2)
		assert_int_equal(LOS_MemFree(g_pool, p[i]), LOS_OK);
	/* Everything merged back into one block. */
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 1);
	assert_int_equal(g_prints, 0);
	assert_pool_usable(g_pool);
}

static void test_alloc_align(void **state)
{
	static const UINT32 sizes[] = {1, 24, 100, 513, 3000};
	void *p[11 * ARRAY_SIZE(sizes)];
	size_t n = 0;

	(void)state;
	for (UINT32 b = 8; b <= 4096; b <<= 1) {
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			void *q = LOS_MemAllocAlign(g_pool, sizes[i], b);
			UINT32 total = 0;
			UINT32 avail = 0;

			assert_non_null(q);
			assert_int_equal((UINTPTR)q % b, 0);
			assert_int_equal((UINTPTR)q % OS_MEM_ALIGN_SIZE, 0);
			/* The block is no bigger than a plain one: the gap went back to the pool.
			 */
			assert_int_equal(LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_LOW), LOS_OK);
			assert_int_equal(LOS_MemNodeSizeCheck(g_pool, q, &total, &avail), LOS_OK);
			assert_true(total + HDR - blk(sizes[i]) <= 16);
			fill(q, sizes[i], (uint8_t)n);
			p[n++] = q;
		}
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
	}
	assert_int_equal(LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_DEFAULT), LOS_OK);
	for (size_t i = 0; i < n; i++)
		check_fill(p[i], sizes[i % ARRAY_SIZE(sizes)], (uint8_t)i);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(LOS_MemFree(g_pool, p[i]), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 1);

	/* Boundaries that are not powers of two and multiples of a pointer (LiteOS 5.0) are
	 * refused. */
	static const UINT32 bad[] = {0, 1, 2, 3, 4, 6, 12, 24, 100, 4097, 0x80000001U};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_null(LOS_MemAllocAlign(g_pool, 64, bad[i]));
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_ALIGN);
	}
	/* A boundary larger than the pool cannot be met. */
	assert_null(LOS_MemAllocAlign(g_pool, 64, 1U << 30));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
	assert_pool_usable(g_pool);
}

static void test_realloc_cases(void **state)
{
	UINT8 *a, *b, *c, *d, *r;
	UINT32 used;

	(void)state;
	/* NULL pointer: an allocation; size 0: a free. */
	a = LOS_MemRealloc(g_pool, NULL, 100);
	assert_non_null(a);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), blk(100));
	assert_null(LOS_MemRealloc(g_pool, a, 0));
	assert_int_equal(LOS_MemErrnoGet(), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);

	/* a | b | c | free */
	a = LOS_MemAlloc(g_pool, 1000);
	b = LOS_MemAlloc(g_pool, 100);
	c = LOS_MemAlloc(g_pool, 100);
	fill(a, 1000, 1);
	fill(b, 100, 4);
	/* Shrink in place: same pointer, the tail becomes a free block. */
	r = LOS_MemRealloc(g_pool, a, 200);
	assert_ptr_equal(r, a);
	check_fill(a, 200, 1);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), blk(200) + 2 * blk(100));
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 2);
	/* Grow in place into the free block that follows. */
	r = LOS_MemRealloc(g_pool, a, 900);
	assert_ptr_equal(r, a);
	check_fill(a, 200, 1);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), blk(900) + 2 * blk(100));
	/* A shrink that frees less than a block keeps the block when the next one is used... */
	r = LOS_MemRealloc(g_pool, b, 90);
	assert_ptr_equal(r, b);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), blk(900) + 2 * blk(100));
	check_fill(b, 90, 4);
	/* ...and gives the bytes to the next block when that one is free. */
	r = LOS_MemRealloc(g_pool, a, 890);
	assert_ptr_equal(r, a);
	assert_int_equal(blk(900) - blk(890), 16);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), blk(890) + 2 * blk(100));
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 2);
	/* Grow where the next block is too small: it moves, contents kept, old block freed. */
	fill(a, 890, 2);
	r = LOS_MemRealloc(g_pool, a, 5000);
	assert_non_null(r);
	assert_ptr_not_equal(r, a);
	check_fill(r, 890, 2);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), blk(5000) + 2 * blk(100));
	assert_int_equal(LOS_MemUsedBlksGet(g_pool), 3);
	a = r;
	/* The hole a left is reused. */
	d = LOS_MemAlloc(g_pool, 900);
	assert_ptr_equal(d, g_mem[0] + ((LosMemPoolInfo *)g_pool)->firstOff + HDR);
	assert_int_equal(LOS_MemFree(g_pool, d), LOS_OK);
	used = LOS_MemTotalUsedGet(g_pool);

	/* Too big: NULL, and the old block is untouched and still allocated. */
	assert_null(LOS_MemRealloc(g_pool, a, POOL_SIZE - 1000));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
	assert_null(LOS_MemRealloc(g_pool, a, POOL_SIZE + 1));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_SIZE);
	check_fill(a, 890, 2);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), used);

	/* A bad pointer or pool: NULL, nothing changed. */
	assert_null(LOS_MemRealloc(g_pool, a + 16, 10));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_HEAD);
	assert_null(LOS_MemRealloc(g_pool, a + 8, 10));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_PTR_MISALIGNED);
	assert_null(LOS_MemRealloc(g_pool, g_other + 64, 10));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_PTR_OUTSIDE);
	assert_null(LOS_MemRealloc(NULL, a, 10));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_null(LOS_MemRealloc(g_other, NULL, 10));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), used);
	check_fill(a, 890, 2);

	/* An aligned block resized in place stays aligned. */
	d = LOS_MemAllocAlign(g_pool, 64, 1024);
	assert_non_null(d);
	fill(d, 64, 3);
	r = LOS_MemRealloc(g_pool, d, 300);
	assert_ptr_equal(r, d);
	assert_int_equal((UINTPTR)r % 1024, 0);
	check_fill(d, 64, 3);

	assert_int_equal(LOS_MemFree(g_pool, a), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, d), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), 1);
	assert_pool_usable(g_pool);
}

static void assert_status(UINT32 used, UINT32 freeSize, UINT32 maxFree, UINT32 usedN, UINT32 freeN,
			  UINT32 water)
{
	LOS_MEM_POOL_STATUS st;

	assert_int_equal(LOS_MemInfoGet(g_pool, &st), LOS_OK);
	assert_int_equal(st.uwTotalUsedSize, used);
	assert_int_equal(st.uwTotalFreeSize, freeSize);
	assert_int_equal(st.uwMaxFreeNodeSize, maxFree);
	assert_int_equal(st.uwUsedNodeNum, usedN);
	assert_int_equal(st.uwFreeNodeNum, freeN);
	assert_int_equal(st.uwUsageWaterLine, water);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), used);
	assert_int_equal(LOS_MemUsedBlksGet(g_pool), usedN);
	assert_int_equal(LOS_MemFreeBlksGet(g_pool), freeN);
}

static void test_info_and_peak_exact(void **state)
{
	UINT32 sa = blk(100), sb = blk(200), sc = blk(1000);
	void *a, *b, *c;

	(void)state;
	assert_status(0, g_free0, g_free0, 0, 1, 0);
	a = LOS_MemAlloc(g_pool, 100);
	b = LOS_MemAlloc(g_pool, 200);
	c = LOS_MemAlloc(g_pool, 1000);
	assert_int_equal(sa + sb + sc, 128 + 224 + 1024);
	assert_status(sa + sb + sc, g_free0 - sa - sb - sc, g_free0 - sa - sb - sc, 3, 1,
		      sa + sb + sc);
	/* A hole in the middle: two free blocks; the water line stays at the peak. */
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
	assert_status(sa + sc, g_free0 - sa - sc, g_free0 - sa - sb - sc, 2, 2, sa + sb + sc);
	/* Freeing a merges it with the hole after it. */
	assert_int_equal(LOS_MemFree(g_pool, a), LOS_OK);
	assert_status(sc, g_free0 - sc, g_free0 - sa - sb - sc, 1, 2, sa + sb + sc);
	/* The hole is reused. */
	b = LOS_MemAlloc(g_pool, 300);
	assert_ptr_equal(b, a);
	assert_status(sc + blk(300), g_free0 - sc - blk(300), g_free0 - sa - sb - sc, 2, 2,
		      sa + sb + sc);
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_OK);
	assert_status(blk(300), g_free0 - blk(300), g_free0 - blk(300), 1, 1, sa + sb + sc);
	/* A new peak moves the water line. */
	c = LOS_MemAlloc(g_pool, 100000);
	assert_status(blk(300) + blk(100000), g_free0 - blk(300) - blk(100000),
		      g_free0 - blk(300) - blk(100000), 2, 1, blk(300) + blk(100000));
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
	assert_status(0, g_free0, g_free0, 0, 1, blk(300) + blk(100000));
	/* Growing in place can set a new peak too. */
	a = LOS_MemAlloc(g_pool, 100);
	assert_ptr_equal(LOS_MemRealloc(g_pool, a, 150000), a);
	assert_status(blk(150000), g_free0 - blk(150000), g_free0 - blk(150000), 1, 1, blk(150000));
	assert_int_equal(LOS_MemFree(g_pool, a), LOS_OK);
	/* used + free + the pool's own overhead is the pool. */
	assert_int_equal(POOL_SIZE - g_free0, ((const LosMemPoolInfo *)g_pool)->firstOff + HDR);
}

/* Overwrites n bytes of the header in front of p, returning what was there. */
static OsMemNode smash(void *p, uint8_t byte, size_t n)
{
	OsMemNode saved;

	memcpy(&saved, (uint8_t *)p - HDR, sizeof(saved));
	memset((uint8_t *)p - HDR, byte, n);
	return saved;
}

static void restore(void *p, const OsMemNode *saved)
{
	memcpy((uint8_t *)p - HDR, saved, sizeof(*saved));
}

static void test_integrity_catches_overrun(void **state)
{
	UINT8 *a, *b, *c, *d;
	OsMemNode saved;
	UINT32 used;

	(void)state;
	a = LOS_MemAlloc(g_pool, 64);
	b = LOS_MemAlloc(g_pool, 64);
	c = LOS_MemAlloc(g_pool, 64);
	d = LOS_MemAlloc(g_pool, 64);
	used = LOS_MemTotalUsedGet(g_pool);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);

	/* a overruns by 4 bytes into b's header: only the magic changes. */
	saved = smash(b, 0xab, 4);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_CORRUPT);
	assert_non_null(strstr(g_log, "bad block header"));
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_HEAD);
	/* Its neighbours are refused too: freeing them would merge through a broken header. */
	assert_int_equal(LOS_MemFree(g_pool, a), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT);
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT);
	assert_null(LOS_MemRealloc(g_pool, a, 1000));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), used);
	restore(b, &saved);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);

	/* An overrun that keeps the magic but changes the size: the checksum catches it. */
	saved = smash(b, 0, 0);
	((OsMemNode *)(void *)(b - HDR))->size += 16;
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_HEADER_CORRUPT);
	restore(b, &saved);
	/* The same for the back-pointer and the owner. */
	((OsMemNode *)(void *)(b - HDR))->prevOff += 16;
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_NOK);
	restore(b, &saved);
	((OsMemNode *)(void *)(b - HDR))->taskId ^= 1;
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
	restore(b, &saved);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);

	/* A write after free into a free block's list links. */
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
	memset(b, 0x5c, 8);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
	/* The allocation that would take that block refuses rather than follow the links. */
	assert_null(LOS_MemAlloc(g_pool, 64));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_CORRUPT);
	/* Freeing a block next to it would merge with it: refused. */
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT);
	memset(b, 0, 8); /* both links were 0: b was alone on its list */
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);

	/* Unlinking a free block whose list neighbour is damaged is refused, and the damage is
	 * not sealed over. b is free here; with e freed too, both 80-byte blocks share a list,
	 * e first: a | b(free) | c | d | e(free) | f. */
	{
		UINT8 *e, *f;
		OsMemNode keepE;

		assert_ptr_equal(LOS_MemAlloc(g_pool, 64), b);
		e = LOS_MemAlloc(g_pool, 64);
		f = LOS_MemAlloc(g_pool, 64);
		assert_ptr_equal(e, d + 80);
		assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
		assert_int_equal(LOS_MemFree(g_pool, e), LOS_OK);
		assert_int_equal(OS_MEM_LINKS(b - HDR)->prevFree, OS_MEM_OFF(g_pool, e - HDR));
		keepE = smash(e, 0, 0);
		((OsMemNode *)(void *)(e - HDR))->taskId ^= 0x40;
		/* Freeing a merges it with b, which must leave the list through e: refused. */
		assert_int_equal(LOS_MemFree(g_pool, a), LOS_NOK);
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT);
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
		restore(e, &keepE);
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
		assert_ptr_equal(LOS_MemAlloc(g_pool, 64), e);
		assert_ptr_equal(LOS_MemAlloc(g_pool, 64), b);
		assert_int_equal(LOS_MemFree(g_pool, e), LOS_OK);
		assert_int_equal(LOS_MemFree(g_pool, f), LOS_OK);
	}

	/* Two free blocks side by side, and a free block on no list, are both reported. */
	{
		LosMemPoolInfo *info = g_pool;
		OsMemNode *nb = (OsMemNode *)(void *)(b - HDR);
		OsMemNode keep = *nb;

		nb->magic = OS_MEM_NODE_FREE;
		OS_MEM_LINKS(nb)->nextFree = 0;
		OS_MEM_LINKS(nb)->prevFree = 0;
		nb->check = OsMemNodeSum(info, nb);
		info->usedSize -= nb->size;
		info->usedNodes--;
		info->freeNodes++;
		g_log[0] = '\0';
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
		assert_non_null(strstr(g_log, "missing from the lists"));
		/* Now its neighbour a is free too (a's block is written as free by hand). */
		{
			OsMemNode *na = (OsMemNode *)(void *)(a - HDR);
			OsMemNode keepA = *na;

			na->magic = OS_MEM_NODE_FREE;
			OS_MEM_LINKS(na)->nextFree = 0;
			OS_MEM_LINKS(na)->prevFree = 0;
			na->check = OsMemNodeSum(info, na);
			g_log[0] = '\0';
			assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
			assert_non_null(strstr(g_log, "unmerged free blocks"));
			*na = keepA;
		}
		*nb = keep;
		info->usedSize += nb->size;
		info->usedNodes++;
		info->freeNodes--;
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
	}

	/* The end node and the pool header are checked too. */
	{
		LosMemPoolInfo *info = g_pool;
		OsMemNode *end = OS_MEM_NODE_AT(info, info->endOff);
		OsMemNode keep = *end;
		UINT32 usedSize = info->usedSize;

		end->prevOff = 0;
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
		*end = keep;
		info->usedSize += 16;
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
		assert_non_null(strstr(g_log, "counters"));
		info->usedSize = usedSize;
		info->poolSize++;
		assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_NOK);
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
		assert_null(LOS_MemAlloc(g_pool, 16));
		info->poolSize--;
	}
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, a), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, d), LOS_OK);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_pool_usable(g_pool);
}

/* Each bad free is refused with its reason and a message, and changes nothing. */
static void expect_free_refused(VOID *pool, void *ptr, UINT32 err)
{
	int prints = g_prints;
	UINT32 used = LOS_MemTotalUsedGet(g_pool);

	assert_int_equal(LOS_MemFree(pool, ptr), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), err);
	assert_int_equal(g_prints, prints + 1);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), used);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
}

static void test_bad_free_refused(void **state)
{
	UINT8 *a, *b, *c, *q;
	UINT8 local[64] __attribute__((aligned(16)));

	(void)state;
	assert_int_equal(LOS_MemInit(g_mem[1], POOL_SIZE), LOS_OK);
	q = LOS_MemAlloc(g_mem[1], 64);
	a = LOS_MemAlloc(g_pool, 64);
	b = LOS_MemAlloc(g_pool, 200);
	c = LOS_MemAlloc(g_pool, 64);
	memset(a, 0, 64);
	memset(b, 0, 200);

	expect_free_refused(NULL, a, LOS_ERRNO_MEM_INVALID_POOL);
	expect_free_refused(g_other, a, LOS_ERRNO_MEM_INVALID_POOL);
	expect_free_refused((uint8_t *)g_pool + 8, a, LOS_ERRNO_MEM_INVALID_POOL);
	expect_free_refused(g_pool, NULL, LOS_ERRNO_MEM_PTR_NULL);
	for (int i = 1; i < 16; i++)
		expect_free_refused(g_pool, a + i, LOS_ERRNO_MEM_PTR_MISALIGNED);
	expect_free_refused(g_pool, a + 16, LOS_ERRNO_MEM_NO_HEAD);
	expect_free_refused(g_pool, b + 128, LOS_ERRNO_MEM_NO_HEAD);
	/* Another pool's block, memory of no pool, the pool's own header and end. */
	expect_free_refused(g_pool, q, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, local, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, g_other + 64, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, g_pool, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, (uint8_t *)g_pool + 64, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, (uint8_t *)g_pool + POOL_SIZE, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, (uint8_t *)g_pool + POOL_SIZE - 32, LOS_ERRNO_MEM_NO_HEAD);
	expect_free_refused(g_pool, (void *)(UINTPTR)16, LOS_ERRNO_MEM_PTR_OUTSIDE);
	expect_free_refused(g_pool, (void *)(UINTPTR)(UINTPTR_MAX & ~(UINTPTR)15),
			    LOS_ERRNO_MEM_PTR_OUTSIDE);
	/* A copy of a real header inside a block is not a block: the checksum has the address. */
	memcpy(b + 64, a - HDR, HDR);
	expect_free_refused(g_pool, b + 64 + HDR, LOS_ERRNO_MEM_HEADER_CORRUPT);

	/* Double frees: while the block stands alone, and once merged into its neighbour. */
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
	expect_free_refused(g_pool, b, LOS_ERRNO_MEM_DOUBLE_FREE);
	assert_int_equal(LOS_MemFree(g_pool, a), LOS_OK);
	expect_free_refused(g_pool, a, LOS_ERRNO_MEM_DOUBLE_FREE);
	expect_free_refused(g_pool, b, LOS_ERRNO_MEM_NO_HEAD);
	assert_int_equal(LOS_MemFree(g_pool, c), LOS_OK);
	expect_free_refused(g_pool, c, LOS_ERRNO_MEM_NO_HEAD);
	/* The other pool's block is still good there. */
	assert_int_equal(LOS_MemFree(g_mem[1], q), LOS_OK);
	expect_free_refused(g_mem[1], q, LOS_ERRNO_MEM_DOUBLE_FREE);
	assert_non_null(strstr(g_log, "LOS_MemFree"));
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_pool_usable(g_pool);
	assert_pool_usable(g_mem[1]);
}

static void test_bad_args_refused(void **state)
{
	LOS_MEM_POOL_STATUS st;
	uint8_t *mis = g_mem[1] + 4;

	(void)state;
	/* Init: NULL, misaligned, too small, wrapping. */
	assert_int_equal(LOS_MemInit(NULL, POOL_SIZE), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_int_equal(LOS_MemInit(mis, POOL_SIZE - 8), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_int_equal(LOS_MemInit(g_mem[1], 0), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_TOO_SMALL);
	assert_int_equal(LOS_MemInit(g_mem[1], 64), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_TOO_SMALL);
	assert_int_equal(LOS_MemInit((void *)(UINTPTR_MAX & ~(UINTPTR)4095), POOL_SIZE), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_SIZE);
	/* The smallest pool: its header, one minimum block and the end node. */
	{
		UINT32 first = (UINT32)((sizeof(LosMemPoolInfo) + 15U) & ~15U);
		UINT32 min = first + OS_MEM_MIN_NODE_SIZE + HDR;
		void *p;

		assert_true(min <= OS_MEM_MIN_POOL_SIZE);
		assert_int_equal(LOS_MemInit(g_mem[1], min - 1), LOS_NOK);
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_TOO_SMALL);
		assert_int_equal(LOS_MemInit(g_mem[1], min), LOS_OK);
		p = LOS_MemAlloc(g_mem[1], 16);
		assert_non_null(p);
		assert_null(LOS_MemAlloc(g_mem[1], 1));
		assert_int_equal(LOS_MemFree(g_mem[1], p), LOS_OK);
		assert_int_equal(LOS_MemIntegrityCheck(g_mem[1]), LOS_OK);
		assert_int_equal(LOS_MemDeInit(g_mem[1]), LOS_OK);
	}
	/* A pointer-aligned (not 16-aligned) pool and an odd size work. */
	assert_int_equal(LOS_MemInit(g_mem[1] + 8, 10001), LOS_OK);
	assert_int_equal(LOS_MemPoolSizeGet(g_mem[1] + 8), 10001);
	assert_pool_usable(g_mem[1] + 8);
	assert_int_equal(LOS_MemDeInit(g_mem[1] + 8), LOS_OK);

	/* Alloc: bad pools, size 0, sizes beyond the pool. */
	memset(g_other, 0, sizeof(g_other));
	assert_null(LOS_MemAlloc(NULL, 16));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_null(LOS_MemAlloc(g_other, 16));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_null(LOS_MemAlloc(mis, 16));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_null(LOS_MemAlloc(g_pool, 0));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_SIZE);
	assert_null(LOS_MemAlloc(g_pool, POOL_SIZE + 1));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_SIZE);
	assert_null(LOS_MemAlloc(g_pool, UINT32_MAX));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_SIZE);
	assert_null(LOS_MemAlloc(g_pool, POOL_SIZE));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_NO_MEMORY);
	assert_null(LOS_MemAllocAlign(g_pool, 0, 64));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_SIZE);
	assert_null(LOS_MemAllocAlign(NULL, 16, 64));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);

	/* The getters answer as LiteOS documents for a bad pool. */
	assert_int_equal(LOS_MemInfoGet(NULL, &st), LOS_NOK);
	assert_int_equal(LOS_MemInfoGet(g_pool, NULL), LOS_NOK);
	assert_int_equal(LOS_MemInfoGet(g_other, &st), LOS_NOK);
	assert_int_equal(LOS_MemIntegrityCheck(NULL), LOS_NOK);
	assert_int_equal(LOS_MemIntegrityCheck(g_other), LOS_NOK);
	assert_int_equal(LOS_MemTotalUsedGet(NULL), LOS_NOK);
	assert_int_equal(LOS_MemPoolSizeGet(NULL), LOS_NOK);
	assert_int_equal(LOS_MemFreeBlksGet(g_other), LOS_NOK);
	assert_int_equal(LOS_MemUsedBlksGet(NULL), LOS_NOK);
	assert_int_equal(LOS_MemTaskIdGet(NULL), OS_INVALID);
	assert_int_equal(LOS_MemTaskIdGet(g_other + 64), OS_INVALID);
	assert_int_equal(LOS_MemTotalUsedGet(g_pool), 0);
	assert_pool_usable(g_pool);
}

static void test_multipool_overlap_deinit_list(void **state)
{
	const UINT32 size = 64 * 1024;
	uint8_t *base = g_mem[1] + size;
	static const struct {
		long start;
		UINT32 len;
	} clash[] = {
	    {0, 8192},		      /* same start */
	    {0, 64 * 1024},	      /* the same range */
	    {8, 8192},		      /* inside */
	    {32768, 8192},	      /* inside */
	    {-4096, 8192},	      /* across its start */
	    {64 * 1024 - 4096, 8192}, /* across its end */
	    {-4096, 72 * 1024},	      /* around it */
	};
	UINT8 *p;
	UINT8 *q;

	(void)state;
	assert_int_equal(LOS_MemInit(base, size), LOS_OK);
	p = LOS_MemAlloc(base, 1000);
	fill(p, 1000, 9);
	for (size_t i = 0; i < ARRAY_SIZE(clash); i++) {
		g_log[0] = '\0';
		assert_int_equal(LOS_MemInit(base + clash[i].start, clash[i].len), LOS_NOK);
		assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_OVERLAP);
		assert_non_null(strstr(g_log, "conflicts with pool"));
	}
	/* Nothing was written: the first pool and its block are intact. */
	check_fill(p, 1000, 9);
	assert_int_equal(LOS_MemIntegrityCheck(base), LOS_OK);
	/* Pools right before and right after it touch it but do not overlap. */
	assert_int_equal(LOS_MemInit(base + size, size), LOS_OK);
	assert_int_equal(LOS_MemInit(base - size, size), LOS_OK);
	q = LOS_MemAlloc(base + size, 100);
	assert_non_null(q);

	/* Listed in the order they were made. */
	g_log[0] = '\0';
	assert_int_equal(LOS_MemPoolList(), 4);
	assert_non_null(strstr(g_log, "pool0 :"));
	assert_non_null(strstr(g_log, "pool3 :"));
	assert_null(strstr(g_log, "pool4 :"));
	assert_ptr_equal(OsMemMulPoolHeadGet(), g_pool);
	assert_ptr_equal(((LosMemPoolInfo *)g_pool)->nextPool, base);
	assert_ptr_equal(((LosMemPoolInfo *)(void *)base)->nextPool, base + size);
	assert_ptr_equal(((LosMemPoolInfo *)(void *)(base + size))->nextPool, base - size);

	/* The task of a block is found through the pool list. */
	assert_int_equal(LOS_MemTaskIdGet(p), 0);
	assert_int_equal(LOS_MemTaskIdGet(q), 0);
	assert_int_equal(LOS_MemTaskIdGet(p + 16), OS_INVALID);

	/* DeInit: off the list, every later call refused, its range free for a new pool. */
	assert_int_equal(LOS_MemDeInit(base), LOS_OK);
	assert_int_equal(LOS_MemPoolList(), 3);
	assert_null(LOS_MemAlloc(base, 16));
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_int_equal(LOS_MemFree(base, p), LOS_NOK);
	assert_int_equal(LOS_MemIntegrityCheck(base), LOS_NOK);
	assert_int_equal(LOS_MemTaskIdGet(p), OS_INVALID);
	assert_int_equal(LOS_MemDeInit(base), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_POOL_NOT_FOUND);
	assert_int_equal(LOS_MemDeInit(NULL), LOS_NOK);
	assert_int_equal(LOS_MemErrnoGet(), LOS_ERRNO_MEM_INVALID_POOL);
	assert_int_equal(LOS_MemDeInit(g_other), LOS_NOK);
	/* A different range over the old one is fine now, and goes to the list's end. */
	assert_int_equal(LOS_MemInit(base + 4096, size - 4096), LOS_OK);
	assert_ptr_equal(((LosMemPoolInfo *)(void *)(base - size))->nextPool, base + 4096);
	assert_pool_usable(base + 4096);
	assert_int_equal(LOS_MemFree(base + size, q), LOS_OK);
	/* Removing the head works too. */
	assert_int_equal(LOS_MemDeInit(g_pool), LOS_OK);
	assert_ptr_equal(OsMemMulPoolHeadGet(), base + size);
	assert_int_equal(LOS_MemPoolList(), 3);
}

static void test_node_size_check(void **state)
{
	UINT32 total = 0, avail = 0;
	UINT8 *a, *b;

	(void)state;
	a = LOS_MemAlloc(g_pool, 100);
	b = LOS_MemAlloc(g_pool, 100);
	assert_int_equal(LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_DISABLE), LOS_OK);
	assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a, &total, &avail),
			 LOS_ERRNO_MEMCHECK_DISABLED);
	assert_int_equal(LOS_MemCheckLevelSet(7), LOS_ERRNO_MEMCHECK_WRONG_LEVEL);
	assert_int_equal(LOS_MemCheckLevelGet(), LOS_MEM_CHECK_LEVEL_DISABLE);
	for (UINT8 level = LOS_MEM_CHECK_LEVEL_LOW; level <= LOS_MEM_CHECK_LEVEL_HIGH; level++) {
		assert_int_equal(LOS_MemCheckLevelSet(level), LOS_OK);
		assert_int_equal(LOS_MemCheckLevelGet(), level);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a, &total, &avail), LOS_OK);
		assert_int_equal(total, blk(100) - HDR);
		assert_int_equal(avail, total);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a + 37, &total, &avail), LOS_OK);
		assert_int_equal(avail, total - 37);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, b + total - 1, &total, &avail),
				 LOS_OK);
		assert_int_equal(avail, 1);
		/* Headers, free memory and other memory have no block. */
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a - 4, &total, &avail),
				 LOS_ERRNO_MEMCHECK_NO_HEAD);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, b + 200, &total, &avail),
				 LOS_ERRNO_MEMCHECK_NO_HEAD);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, g_other, &total, &avail),
				 LOS_ERRNO_MEMCHECK_OUTSIDE);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, g_pool, &total, &avail),
				 LOS_ERRNO_MEMCHECK_OUTSIDE);
		assert_int_equal(LOS_MemNodeSizeCheck(NULL, a, &total, &avail),
				 LOS_ERRNO_MEMCHECK_PARA_NULL);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a, NULL, &avail),
				 LOS_ERRNO_MEMCHECK_PARA_NULL);
		assert_int_equal(LOS_MemNodeSizeCheck(g_other, a, &total, &avail),
				 LOS_ERRNO_MEMCHECK_PARA_NULL);
	}
	/* HIGH checks the whole pool first. */
	{
		OsMemNode saved = smash(b, 0, 0);

		((OsMemNode *)(void *)(b - HDR))->taskId ^= 1;
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a, &total, &avail),
				 LOS_ERRNO_MEMCHECK_NO_HEAD);
		assert_int_equal(LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_LOW), LOS_OK);
		assert_int_equal(LOS_MemNodeSizeCheck(g_pool, a, &total, &avail), LOS_OK);
		restore(b, &saved);
	}
	assert_int_equal(LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_DEFAULT), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, a), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, b), LOS_OK);
}

static void test_hooks_lock_every_call(void **state)
{
	void *p;
	unsigned before;

	(void)state;
	before = g_locks;
	p = LOS_MemAlloc(g_pool, 10);
	p = LOS_MemRealloc(g_pool, p, 5000);
	assert_int_equal(LOS_MemFree(g_pool, p), LOS_OK);
	assert_int_equal(LOS_MemFree(g_pool, p), LOS_NOK);
	assert_int_equal(LOS_MemIntegrityCheck(g_pool), LOS_OK);
	assert_int_equal(g_locks, before + 5);
	/* Without hooks nothing is locked and nothing printed. */
	LOS_MemSetLockHooks(NULL, NULL);
	LOS_MemSetPrintHook(NULL);
	before = g_locks;
	assert_int_equal(LOS_MemFree(g_pool, p), LOS_NOK);
	assert_int_equal(g_locks, before);
	assert_int_equal(g_prints, 1);
	/* Half a pair is no pair. */
	LOS_MemSetLockHooks(test_lock, NULL);
	assert_null(LOS_MemAlloc(g_pool, 0));
	assert_int_equal(g_locks, before);
	LOS_MemSetLockHooks(test_lock, test_unlock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_layout_and_whole_pool, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alloc_sizes_alignment_contents, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alloc_align, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_realloc_cases, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_info_and_peak_exact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_integrity_catches_overrun, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_free_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_args_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_multipool_overlap_deinit_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_node_size_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_hooks_lock_every_call, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
