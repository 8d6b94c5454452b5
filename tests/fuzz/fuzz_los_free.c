/* libFuzzer target: LOS_MemFree/LOS_MemboxFree on any pointer must free or refuse, not corrupt. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "los_memory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define POOL_SIZE (48U * 1024U)
#define POOL2_SIZE (8U * 1024U)
#define BOX_BLK 40U
#define BOX_NUM 24U
#define BOX_SIZE LOS_MEMBOX_SIZE(BOX_BLK, BOX_NUM)
#define MAX_LIVE 128U
#define MAX_STALE 32U
#define MAX_OPS 400U

/* One arena so that "just outside a pool" is still memory the sanitizers let us hand over. */
static uint8_t g_arena[4096U + POOL_SIZE + 4096U + POOL2_SIZE + 4096U + BOX_SIZE + 4096U]
    __attribute__((aligned(4096)));

struct live {
	uint8_t *p;
	uint32_t len;
	uint8_t seed;
};

static struct {
	const uint8_t *in;
	size_t left;
	uint8_t *pool, *pool2, *box;
	struct live dyn[MAX_LIVE], dyn2[MAX_LIVE], boxes[BOX_NUM];
	uint32_t ndyn, ndyn2, nbox;
	uint8_t *stale[MAX_STALE];
	uint32_t nstale;
	uint32_t used;
	bool verbose;
} F;

static void fail(const char *why, const void *p)
{
	fprintf(stderr, "fuzz_los_free: %s (pointer %p)\n", why, p);
	abort();
}

/* Formats every message, so that a bad format in the module shows up under the sanitizers. */
static int fuzz_print(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (F.verbose)
		fputs(buf, stderr);
	return n;
}

static uint32_t take(unsigned bytes)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < bytes; i++) {
		v <<= 8;
		if (F.left != 0) {
			v |= *F.in++;
			F.left--;
		}
	}
	return v;
}

static void fill(const struct live *l)
{
	for (uint32_t i = 0; i < l->len; i++)
		l->p[i] = (uint8_t)(l->seed + i * 29U);
}

static bool intact(const struct live *l, uint32_t j)
{
	return l->p[j] == (uint8_t)(l->seed + j * 29U);
}

/* A free that went wrong writes headers and links, which sit at block edges: the first and
 * last bytes of every block are checked after each step, all bytes at the end. */
static void check_all(bool whole)
{
	const struct live *sets[3] = {F.dyn, F.dyn2, F.boxes};
	const uint32_t counts[3] = {F.ndyn, F.ndyn2, F.nbox};

	for (unsigned s = 0; s < 3; s++) {
		for (uint32_t i = 0; i < counts[s]; i++) {
			const struct live *l = &sets[s][i];

			for (uint32_t j = 0; j < l->len; j++) {
				if (!whole && (j == 32U) && (l->len > 64U))
					j = l->len - 32U;
				if (!intact(l, j))
					fail("a live block's contents changed", l->p);
			}
		}
	}
}

static void check_pools(bool whole)
{
	uint32_t max = 0, cnt = 0, blk = 0;

	if (LOS_MemIntegrityCheck(F.pool) != LOS_OK)
		fail("dynamic pool damaged", F.pool);
	if (LOS_MemIntegrityCheck(F.pool2) != LOS_OK)
		fail("second dynamic pool damaged", F.pool2);
	if (LOS_MemTotalUsedGet(F.pool) != F.used)
		fail("used bytes changed", F.pool);
	if (LOS_MemUsedBlksGet(F.pool) != F.ndyn)
		fail("used block count changed", F.pool);
	if (LOS_MemboxIntegrityCheck(F.box) != LOS_OK)
		fail("box pool damaged", F.box);
	if ((LOS_MemboxStatisticsGet(F.box, &max, &cnt, &blk) != LOS_OK) || (cnt != F.nbox))
		fail("box count changed", F.box);
	check_all(whole);
}

static uint32_t block_bytes(const uint8_t *p)
{
	uint32_t total = 0, avail = 0;

	if (LOS_MemNodeSizeCheck(F.pool, (void *)p, &total, &avail) != LOS_OK)
		fail("a live block has no header", p);
	return total + 16U;
}

static void add(struct live *set, uint32_t *n, uint8_t *p, uint32_t len)
{
	struct live *l = &set[(*n)++];

	l->p = p;
	l->len = len;
	l->seed = (uint8_t)take(1);
	fill(l);
}

static void forget(struct live *set, uint32_t *n, uint32_t i)
{
	F.stale[F.nstale++ % MAX_STALE] = set[i].p;
	set[i] = set[--(*n)];
}

static int find(const struct live *set, uint32_t n, const uint8_t *p)
{
	for (uint32_t i = 0; i < n; i++)
		if (set[i].p == p)
			return (int)i;
	return -1;
}

static uint8_t *offset(const uint8_t *p, int64_t delta)
{
	/* Through integers: the result may point anywhere, which C pointer arithmetic forbids. */
	return (uint8_t *)(uintptr_t)((uintptr_t)p + (uintptr_t)delta);
}

/* A pointer made from the input: a live block, near one, a stale one, the other pools, anywhere. */
static uint8_t *derive(const struct live *set, uint32_t n, uint8_t *base, uint32_t span)
{
	uint32_t kind = take(1) % 9U;
	int32_t delta = (int16_t)take(2);
	uint32_t nstale = (F.nstale < MAX_STALE) ? F.nstale : MAX_STALE;

	switch (kind) {
	case 0:
	case 1:
		return (n != 0) ? set[take(1) % n].p : base;
	case 2:
		return offset((n != 0) ? set[take(1) % n].p : base, delta);
	case 3:
		return offset((n != 0) ? set[take(1) % n].p : base, 1 + (int32_t)(take(1) % 15U));
	case 4:
		return (nstale != 0) ? offset(F.stale[take(1) % nstale], delta % 64) : base;
	case 5:
		return offset(base, (int64_t)(take(4) % (span + 8192U)) - 4096);
	case 6:
		return (F.ndyn2 != 0) ? F.dyn2[take(1) % F.ndyn2].p : F.pool2 + 256;
	case 7:
		return (F.nbox != 0) ? F.boxes[take(1) % F.nbox].p : F.box + 64;
	default:
		return (uint8_t *)(uintptr_t)(((uint64_t)take(4) << 32) | take(4));
	}
}

static void op_free_dyn(void)
{
	uint8_t *p = derive(F.dyn, F.ndyn, F.pool, POOL_SIZE);
	int i = find(F.dyn, F.ndyn, p);
	uint32_t bytes = (i >= 0) ? block_bytes(p) : 0;
	uint32_t ret = LOS_MemFree(F.pool, p);

	if ((i >= 0) != (ret == LOS_OK))
		fail((i >= 0) ? "a live block was not freed" : "a bad pointer was freed", p);
	if (i >= 0) {
		F.used -= bytes;
		forget(F.dyn, &F.ndyn, (uint32_t)i);
	}
	check_pools(false);
}

static void op_free_box(void)
{
	uint8_t *p = derive(F.boxes, F.nbox, F.box, BOX_SIZE);
	int i = find(F.boxes, F.nbox, p);
	uint32_t ret = LOS_MemboxFree(F.box, p);

	if ((i >= 0) != (ret == LOS_OK))
		fail((i >= 0) ? "a live box block was not freed" : "a bad box pointer was freed",
		     p);
	if (i >= 0)
		forget(F.boxes, &F.nbox, (uint32_t)i);
	check_pools(false);
}

static void op_alloc(uint32_t op)
{
	uint32_t len = 1U + take(2) % ((op == 0) ? 256U : 2048U);
	uint8_t *p;

	if (F.ndyn == MAX_LIVE)
		return;
	if (op == 2)
		p = LOS_MemAllocAlign(F.pool, len, 4U << (take(1) % 11U));
	else
		p = LOS_MemAlloc(F.pool, len);
	if (p == NULL)
		return;
	F.used += block_bytes(p);
	add(F.dyn, &F.ndyn, p, len);
}

static void op_realloc(void)
{
	uint32_t len = 1U + take(2) % 2048U;
	struct live *l;
	uint8_t *p;

	if (F.ndyn == 0)
		return;
	l = &F.dyn[take(1) % F.ndyn];
	F.used -= block_bytes(l->p);
	p = LOS_MemRealloc(F.pool, l->p, len);
	if (p != NULL) {
		for (uint32_t j = 0; j < ((len < l->len) ? len : l->len); j++)
			if (p[j] != (uint8_t)(l->seed + j * 29U))
				fail("realloc lost the contents", p);
		l->p = p;
		l->len = len;
		fill(l);
	}
	F.used += block_bytes(l->p);
	check_pools(false);
}

static void setup(void)
{
	void *p;

	while ((p = OsMemMulPoolHeadGet()) != NULL)
		if (LOS_MemDeInit(p) != LOS_OK)
			fail("LOS_MemDeInit refused a listed pool", p);
	memset(&F, 0, sizeof(F));
	F.verbose = getenv("FUZZ_LOS_VERBOSE") != NULL;
	LOS_MemSetPrintHook(fuzz_print);
	(void)LOS_MemCheckLevelSet(LOS_MEM_CHECK_LEVEL_LOW);
	F.pool = g_arena + 4096U;
	F.pool2 = F.pool + POOL_SIZE + 4096U;
	F.box = F.pool2 + POOL2_SIZE + 4096U;
	if ((LOS_MemInit(F.pool, POOL_SIZE) != LOS_OK) ||
	    (LOS_MemInit(F.pool2, POOL2_SIZE) != LOS_OK) ||
	    (LOS_MemboxInit(F.box, BOX_SIZE, BOX_BLK) != LOS_OK))
		fail("init failed", g_arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	F.in = data;
	F.left = size;
	for (unsigned n = 0; (n < MAX_OPS) && (F.left != 0); n++) {
		uint32_t op = take(1) % 10U;

		if (op <= 2) {
			op_alloc(op);
		} else if (op == 3) {
			uint8_t *p = (F.nbox < BOX_NUM) ? LOS_MemboxAlloc(F.box) : NULL;

			if ((F.nbox < BOX_NUM) && (p == NULL))
				fail("a free box block was not handed out", F.box);
			if (p != NULL)
				add(F.boxes, &F.nbox, p, BOX_BLK);
		} else if (op == 4) {
			uint8_t *p =
			    (F.ndyn2 < MAX_LIVE) ? LOS_MemAlloc(F.pool2, 1U + take(1)) : NULL;

			if (p != NULL)
				add(F.dyn2, &F.ndyn2, p, 1U);
		} else if (op <= 6) {
			op_free_dyn();
		} else if (op <= 8) {
			op_free_box();
		} else {
			op_realloc();
		}
	}
	/* Everything still live frees cleanly and the pools are whole again. */
	while (F.ndyn != 0) {
		if (LOS_MemFree(F.pool, F.dyn[0].p) != LOS_OK)
			fail("final free refused", F.dyn[0].p);
		forget(F.dyn, &F.ndyn, 0);
	}
	while (F.nbox != 0) {
		if (LOS_MemboxFree(F.box, F.boxes[0].p) != LOS_OK)
			fail("final box free refused", F.boxes[0].p);
		forget(F.boxes, &F.nbox, 0);
	}
	F.used = 0;
	check_pools(true);
	if (LOS_MemFreeBlksGet(F.pool) != 1)
		fail("free blocks not merged back", F.pool);
	return 0;
}
