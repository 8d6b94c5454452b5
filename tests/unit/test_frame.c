/* Unit tests for hyp/frame.c: allocation, ownership, counters, checked against a simple model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "frame.h"

#define BASE 0x40000000ULL

struct fixture {
	struct frame_pool pool;
	struct frame_meta *meta;
	size_t n;
};

static void setup_pool(struct fixture *f, uint64_t base, size_t n)
{
	f->meta = malloc(frame_meta_bytes(n) ? frame_meta_bytes(n) : 1);
	assert_non_null(f->meta);
	f->n = n;
	assert_int_equal(frame_pool_init(&f->pool, base, n, f->meta), MV_OK);
	assert_true(frame_check(&f->pool));
}

static void teardown_pool(struct fixture *f)
{
	free(f->meta);
}

static uint64_t pa_of(const struct fixture *f, size_t idx)
{
	return f->pool.base_pa + idx * FRAME_SIZE;
}

/* The whole observable state, to prove that a refused call changed nothing. */
struct snapshot {
	struct frame_pool pool;
	struct frame_meta meta[4096];
};

static void take(const struct fixture *f, struct snapshot *s)
{
	assert_true(f->n <= 4096);
	s->pool = f->pool;
	memcpy(s->meta, f->meta, frame_meta_bytes(f->n));
}

static void assert_unchanged(const struct fixture *f, const struct snapshot *s)
{
	assert_memory_equal(&s->pool, &f->pool, sizeof(f->pool));
	assert_memory_equal(s->meta, f->meta, frame_meta_bytes(f->n));
}

static void test_init(void **state)
{
	struct frame_pool pool;
	struct frame_meta meta[8];
	struct fixture f;

	(void)state;
	assert_int_equal(frame_meta_bytes(0), 0);
	assert_int_equal(frame_meta_bytes(1000), 1000 * sizeof(struct frame_meta));
	assert_int_equal(frame_pool_init(&pool, BASE + 1, 8, meta), MV_ERR_INVALID);
	assert_int_equal(frame_pool_init(&pool, BASE, 8, NULL), MV_ERR_INVALID);
	assert_int_equal(frame_pool_init(&pool, BASE, 4, (char *)meta + 1), MV_ERR_INVALID);
	assert_int_equal(frame_pool_init(&pool, UINT64_MAX & ~(FRAME_SIZE - 1), 2, meta),
			 MV_ERR_INVALID);
	assert_int_equal(frame_pool_init(NULL, BASE, 8, meta), MV_ERR_INVALID);

	/* An empty pool is valid and can satisfy nothing. */
	assert_int_equal(frame_pool_init(&pool, BASE, 0, NULL), MV_OK);
	assert_true(frame_check(&pool));
	{
		uint64_t pa;

		assert_int_equal(frame_alloc(&pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa),
				 MV_ERR_NO_MEMORY);
	}

	setup_pool(&f, BASE, 64);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 64);
	for (int o = 1; o < FRAME_OWNER_COUNT; o++)
		assert_int_equal(frame_count_kind(&f.pool, (enum frame_owner)o), 0);
	for (size_t i = 0; i < 64; i++) {
		enum frame_owner owner;
		uint8_t id;
		uint16_t maps;

		assert_int_equal(frame_owner_of(&f.pool, pa_of(&f, i) + 123, &owner, &id), MV_OK);
		assert_int_equal(owner, FRAME_FREE);
		assert_int_equal(id, FRAME_ID_NONE);
		assert_int_equal(frame_map_get(&f.pool, pa_of(&f, i), &maps), MV_ERR_INVALID);
	}
	assert_int_equal(frame_owner_of(&f.pool, BASE - 1, NULL, NULL), MV_ERR_INVALID);
	assert_int_equal(frame_owner_of(&f.pool, pa_of(&f, 64), NULL, NULL), MV_ERR_INVALID);
	assert_true(frame_in_pool(&f.pool, BASE, 64 * FRAME_SIZE));
	assert_false(frame_in_pool(&f.pool, BASE, 64 * FRAME_SIZE + 1));
	assert_false(frame_in_pool(&f.pool, BASE - FRAME_SIZE, FRAME_SIZE));
	assert_false(frame_in_pool(&f.pool, BASE + FRAME_SIZE, UINT64_MAX));
	assert_string_equal(frame_owner_name(FRAME_VM_S2), "vm-s2");
	assert_string_equal(frame_owner_name(FRAME_OWNER_COUNT), "?");
	teardown_pool(&f);
}

static void assert_owner(const struct fixture *f, size_t idx, enum frame_owner want,
			 uint8_t want_id)
{
	enum frame_owner owner;
	uint8_t id;

	assert_int_equal(frame_owner_of(&f->pool, pa_of(f, idx), &owner, &id), MV_OK);
	assert_int_equal(owner, want);
	assert_int_equal(id, want_id);
}

static void test_reserve_clipping(void **state)
{
	struct fixture f;

	(void)state;
	setup_pool(&f, BASE, 32);

	/* Partial frames at both ends are rounded outwards: 0x800..0x1800 touches frames 0 and 1.
	 */
	assert_int_equal(frame_reserve(&f.pool, BASE + 0x800, 0x1000, FRAME_RESERVED), MV_OK);
	assert_owner(&f, 0, FRAME_RESERVED, FRAME_ID_NONE);
	assert_owner(&f, 1, FRAME_RESERVED, FRAME_ID_NONE);
	assert_owner(&f, 2, FRAME_FREE, FRAME_ID_NONE);

	/* Starts below the pool: clipped to frames 0..3; frames 0, 1 stay RESERVED. */
	assert_int_equal(
	    frame_reserve(&f.pool, BASE - 0x100000, 0x100000 + 4 * FRAME_SIZE, FRAME_HYP), MV_OK);
	assert_owner(&f, 1, FRAME_RESERVED, FRAME_ID_NONE);
	assert_owner(&f, 2, FRAME_HYP, FRAME_ID_NONE);
	assert_owner(&f, 3, FRAME_HYP, FRAME_ID_NONE);
	assert_owner(&f, 4, FRAME_FREE, FRAME_ID_NONE);

	/* Runs past the end, and past the top of the address space: clipped to 30, 31. */
	assert_int_equal(frame_reserve(&f.pool, pa_of(&f, 30), UINT64_MAX, FRAME_RESERVED), MV_OK);
	assert_owner(&f, 29, FRAME_FREE, FRAME_ID_NONE);
	assert_owner(&f, 30, FRAME_RESERVED, FRAME_ID_NONE);
	assert_owner(&f, 31, FRAME_RESERVED, FRAME_ID_NONE);

	/* Entirely outside, empty, or with a bad owner: nothing happens. */
	{
		struct snapshot *s = malloc(sizeof(*s));

		assert_non_null(s);
		take(&f, s);
		assert_int_equal(frame_reserve(&f.pool, 0, BASE, FRAME_RESERVED), MV_OK);
		assert_int_equal(frame_reserve(&f.pool, pa_of(&f, 32), 1 << 20, FRAME_RESERVED),
				 MV_OK);
		assert_int_equal(frame_reserve(&f.pool, pa_of(&f, 10), 0, FRAME_RESERVED), MV_OK);
		assert_int_equal(frame_reserve(&f.pool, pa_of(&f, 10), 1, FRAME_FREE),
				 MV_ERR_INVALID);
		assert_int_equal(frame_reserve(&f.pool, pa_of(&f, 10), 1, FRAME_OWNER_COUNT),
				 MV_ERR_INVALID);
		assert_unchanged(&f, s);
		free(s);
	}

	assert_int_equal(frame_count_kind(&f.pool, FRAME_RESERVED), 4);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_HYP), 2);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 26);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_RESERVED, FRAME_ID_NONE), 4);
	assert_true(frame_check(&f.pool));

	/* Reserved frames can be given back, e.g. the initrd once its images are copied. */
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 30), 2), MV_OK);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 28);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_alloc_free_basic(void **state)
{
	struct fixture f;
	uint64_t a, b, c;

	(void)state;
	setup_pool(&f, BASE, 64);
	assert_int_equal(frame_alloc(&f.pool, 4, 1, FRAME_VM_RAM, 1, &a), MV_OK);
	assert_int_equal(a, BASE);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_S2, 1, &b), MV_OK);
	assert_int_equal(b, BASE + 4 * FRAME_SIZE);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_MOD_TEXT, 3, &c), MV_OK);
	assert_int_equal(c, BASE + 5 * FRAME_SIZE);
	assert_owner(&f, 3, FRAME_VM_RAM, 1);
	assert_owner(&f, 4, FRAME_VM_S2, 1);
	assert_owner(&f, 6, FRAME_MOD_TEXT, 3);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, 1), 4);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, 2), 0);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_MOD_TEXT, 3), 2);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 57);
	assert_true(frame_check(&f.pool));

	assert_int_equal(frame_free(&f.pool, a, 4), MV_OK);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, 1), 0);
	assert_owner(&f, 0, FRAME_FREE, FRAME_ID_NONE);
	/* Next fit: the freed start is not reused while the rest of the pool has room. */
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 2, &a), MV_OK);
	assert_int_equal(a, BASE + 7 * FRAME_SIZE);

	/* Bad arguments. */
	assert_int_equal(frame_alloc(&f.pool, 0, 1, FRAME_VM_RAM, 1, &a), MV_ERR_INVALID);
	assert_int_equal(frame_alloc(&f.pool, 1, 0, FRAME_VM_RAM, 1, &a), MV_ERR_INVALID);
	assert_int_equal(frame_alloc(&f.pool, 1, 3, FRAME_VM_RAM, 1, &a), MV_ERR_INVALID);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_FREE, 1, &a), MV_ERR_INVALID);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_OWNER_COUNT, 1, &a), MV_ERR_INVALID);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 1, NULL), MV_ERR_INVALID);
	assert_int_equal(frame_alloc(&f.pool, 65, 1, FRAME_VM_RAM, 1, &a), MV_ERR_NO_MEMORY);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

/* Alignment is of the physical address, so it holds even when the pool base is unaligned. */
static void test_alignment(void **state)
{
	struct fixture f;
	uint64_t pa;

	(void)state;
	setup_pool(&f, BASE + 3 * FRAME_SIZE, 2048);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, BASE + 3 * FRAME_SIZE);

	/* Guest RAM: 2 MiB aligned, 512 frames, so stage 2 can use block mappings. */
	assert_int_equal(frame_alloc(&f.pool, 512, 512, FRAME_VM_RAM, 0, &pa), MV_OK);
	assert_int_equal(pa, BASE + 0x200000);
	assert_int_equal(frame_alloc(&f.pool, 512, 512, FRAME_VM_RAM, 1, &pa), MV_OK);
	assert_int_equal(pa, BASE + 0x400000);
	assert_int_equal(frame_alloc(&f.pool, 512, 512, FRAME_VM_RAM, 1, &pa), MV_OK);
	assert_int_equal(pa, BASE + 0x600000);
	/* The pool ends at BASE + 0x803000: no further 2 MiB-aligned run of 512 fits. */
	assert_int_equal(frame_alloc(&f.pool, 512, 512, FRAME_VM_RAM, 1, &pa), MV_ERR_NO_MEMORY);
	assert_int_equal(frame_alloc(&f.pool, 2, 512, FRAME_VM_RAM, 1, &pa), MV_OK);
	assert_int_equal(pa, BASE + 0x800000);

	for (size_t align = 1; align <= 64; align <<= 1) {
		assert_int_equal(frame_alloc(&f.pool, 3, align, FRAME_VM_S2, 2, &pa), MV_OK);
		assert_int_equal((pa >> FRAME_SHIFT) % align, 0);
	}
	/* Alignments far beyond the pool must fail cleanly, not overflow. */
	assert_int_equal(frame_alloc(&f.pool, 1, (size_t)1 << 62, FRAME_VM_S2, 2, &pa),
			 MV_ERR_NO_MEMORY);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_exhaustion(void **state)
{
	struct fixture f;
	uint64_t pa, first = 0;

	(void)state;
	setup_pool(&f, BASE, 100);
	for (size_t i = 0; i < 100; i++) {
		assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, (uint8_t)(i % 3), &pa),
				 MV_OK);
		assert_int_equal(pa, pa_of(&f, i));
		if (i == 42)
			first = pa;
	}
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 0, &pa), MV_ERR_NO_MEMORY);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 0);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, 0), 34);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, 1), 33);
	assert_int_equal(frame_free(&f.pool, first, 1), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_VM_RAM, 0, &pa), MV_ERR_NO_MEMORY);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 0, &pa), MV_OK);
	assert_int_equal(pa, first);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_fragmentation_wraparound(void **state)
{
	struct fixture f;
	uint64_t pa;

	(void)state;
	setup_pool(&f, BASE, 16);
	for (size_t i = 0; i < 16; i++)
		assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	for (size_t i = 0; i < 16; i += 2)
		assert_int_equal(frame_free(&f.pool, pa_of(&f, i), 1), MV_OK);
	/* Eight frames free, none adjacent. */
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 8);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_HYP, FRAME_ID_NONE, &pa),
			 MV_ERR_NO_MEMORY);

	/* Open a 3-frame hole at 1..3, then put the cursor near the end: the search wraps. */
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 1), 1), MV_OK);
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 3), 1), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 0)); /* cursor was 0 after the pool filled up */
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 1));
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 1), 1), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 2)); /* next fit: after the previous allocation */
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 3));
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 4));
	/* Fill 6..12 and then 14: the cursor ends at 15. */
	for (size_t i = 6; i < 14; i += 2)
		assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 14));
	/* Frame 1 is still free, so a 3-frame free is refused; free 0 and 2 one by one instead. */
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 0), 3), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 0), 1), MV_OK);
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 2), 1), MV_OK);
	/* The cursor is at 15 (used), so the run 0..2 is found only by wrapping around. */
	assert_int_equal(frame_alloc(&f.pool, 3, 1, FRAME_HYP, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(pa, pa_of(&f, 0));
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 0);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_free_refusals(void **state)
{
	struct fixture f;
	struct snapshot *s = malloc(sizeof(*s));
	uint64_t pa;

	(void)state;
	assert_non_null(s);
	setup_pool(&f, BASE, 32);
	assert_int_equal(frame_alloc(&f.pool, 8, 1, FRAME_VM_RAM, 4, &pa), MV_OK);
	assert_int_equal(frame_free(&f.pool, pa + 2 * FRAME_SIZE, 2), MV_OK);

	take(&f, s);
	/* Double free, a run that is partly free, outside the pool, unaligned, count 0. */
	assert_int_equal(frame_free(&f.pool, pa + 2 * FRAME_SIZE, 1), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa, 8), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa + 3 * FRAME_SIZE, 2), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, BASE - FRAME_SIZE, 2), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 31), 2), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa_of(&f, 32), 1), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa + 1, 1), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa, 0), MV_ERR_INVALID);
	assert_int_equal(frame_free(&f.pool, pa, SIZE_MAX), MV_ERR_INVALID);
	assert_int_equal(frame_set_owner(&f.pool, pa, 8, FRAME_VM_RAM, 5), MV_ERR_INVALID);
	assert_int_equal(frame_set_owner(&f.pool, pa, 2, FRAME_FREE, 5), MV_ERR_INVALID);
	assert_unchanged(&f, s);

	/* Still mapped in a stage-2 table: refused as busy, nothing changes. */
	assert_int_equal(frame_map_inc(&f.pool, pa + FRAME_SIZE, NULL), MV_OK);
	take(&f, s);
	assert_int_equal(frame_free(&f.pool, pa, 2), MV_ERR_BUSY);
	assert_unchanged(&f, s);
	assert_int_equal(frame_map_dec(&f.pool, pa + FRAME_SIZE, NULL), MV_OK);
	assert_int_equal(frame_free(&f.pool, pa, 2), MV_OK);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
	free(s);
}

static void test_map_counts(void **state)
{
	struct fixture f;
	uint64_t pa;
	uint16_t maps = 0;

	(void)state;
	setup_pool(&f, BASE, 8);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_MOD_TEXT, 2, &pa), MV_OK);
	assert_int_equal(frame_map_get(&f.pool, pa, &maps), MV_OK);
	assert_int_equal(maps, 0);
	assert_int_equal(frame_map_dec(&f.pool, pa, &maps), MV_ERR_INVALID);
	for (unsigned int i = 1; i <= FRAME_MAP_MAX; i++) {
		assert_int_equal(frame_map_inc(&f.pool, pa + 5, &maps), MV_OK);
		assert_int_equal(maps, i);
	}
	assert_int_equal(frame_map_inc(&f.pool, pa, &maps), MV_ERR_BUSY);
	assert_int_equal(frame_map_get(&f.pool, pa, &maps), MV_OK);
	assert_int_equal(maps, FRAME_MAP_MAX);
	assert_int_equal(frame_map_dec(&f.pool, pa, &maps), MV_OK);
	assert_int_equal(maps, FRAME_MAP_MAX - 1);
	/* Free frames and addresses outside the pool cannot be mapped. */
	assert_int_equal(frame_map_inc(&f.pool, pa + FRAME_SIZE, &maps), MV_ERR_INVALID);
	assert_int_equal(frame_map_inc(&f.pool, pa_of(&f, 8), &maps), MV_ERR_INVALID);
	assert_int_equal(frame_map_get(&f.pool, BASE - 1, &maps), MV_ERR_INVALID);
	/* Re-labelling keeps the mapping count. */
	assert_int_equal(frame_set_owner(&f.pool, pa, 1, FRAME_VM_MODDATA, 1), MV_OK);
	assert_int_equal(frame_map_get(&f.pool, pa, &maps), MV_OK);
	assert_int_equal(maps, FRAME_MAP_MAX - 1);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_MOD_TEXT, 2), 0);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_MODDATA, 1), 1);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

/* Ids beyond the per-id table are still counted, by a scan, and do not disturb the table. */
static void test_large_ids(void **state)
{
	struct fixture f;
	uint64_t pa;

	(void)state;
	setup_pool(&f, BASE, 64);
	assert_int_equal(frame_alloc(&f.pool, 5, 1, FRAME_VM_RAM, 200, &pa), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 3, 1, FRAME_VM_RAM, FRAME_MAX_IDS, &pa), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_VM_RAM, FRAME_MAX_IDS - 1, &pa), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_DEVBUF, FRAME_ID_NONE, &pa), MV_OK);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, 200), 5);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, FRAME_MAX_IDS), 3);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_VM_RAM, FRAME_MAX_IDS - 1), 2);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_DEVBUF, FRAME_ID_NONE), 1);
	assert_int_equal(frame_count_owner(&f.pool, FRAME_OWNER_COUNT, 0), 0);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_VM_RAM), 10);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_OWNER_COUNT), 0);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_check_detects_corruption(void **state)
{
	struct fixture f;
	uint64_t pa;

	(void)state;
	setup_pool(&f, BASE, 16);
	assert_int_equal(frame_alloc(&f.pool, 4, 1, FRAME_VM_RAM, 1, &pa), MV_OK);
	f.meta[0].id = 2;
	assert_false(frame_check(&f.pool));
	f.meta[0].id = 1;
	assert_true(frame_check(&f.pool));
	f.meta[9].maps = 1; /* a free frame that claims to be mapped */
	assert_false(frame_check(&f.pool));
	f.meta[9].maps = 0;
	f.meta[9].owner = FRAME_OWNER_COUNT;
	assert_false(frame_check(&f.pool));
	f.meta[9].owner = FRAME_FREE;
	f.pool.used[FRAME_FREE]--;
	assert_false(frame_check(&f.pool));
	f.pool.used[FRAME_FREE]++;
	f.pool.hint = 16;
	assert_false(frame_check(&f.pool));
	f.pool.hint = 4;
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

/* --- model-checked random traces ----------------------------------------------------------- */

#define MODEL_N 1024
#define MAX_LIVE 512

struct model {
	uint8_t owner[MODEL_N];
	uint8_t id[MODEL_N];
	uint16_t maps[MODEL_N];
	size_t hint;
};

struct live {
	size_t idx, count;
};

static uint64_t seed;

static uint32_t rnd(uint32_t bound)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((seed >> 33) % bound);
}

/* The slow, obviously right next-fit: aligned starts from the hint onwards, then from 0. */
static bool model_find(const struct model *m, uint64_t base_pfn, size_t count, size_t align,
		       size_t *out)
{
	for (size_t k = 0; k < MODEL_N; k++) {
		size_t s = (m->hint + k) % MODEL_N;
		bool ok = (base_pfn + s) % align == 0 && s + count <= MODEL_N;

		for (size_t j = s; ok && j < s + count; j++)
			ok = m->owner[j] == FRAME_FREE;
		if (ok) {
			*out = s;
			return true;
		}
	}
	return false;
}

static void model_compare(const struct fixture *f, const struct model *m)
{
	size_t kind[FRAME_OWNER_COUNT] = {0};
	static const uint8_t ids[] = {0, 1, 2, 7, 15, 16, 17, 40, 254, FRAME_ID_NONE};

	assert_true(frame_check(&f->pool));
	for (size_t i = 0; i < MODEL_N; i++) {
		assert_int_equal(f->meta[i].owner, m->owner[i]);
		assert_int_equal(f->meta[i].id, m->id[i]);
		assert_int_equal(f->meta[i].maps, m->maps[i]);
		kind[m->owner[i]]++;
	}
	for (int o = 0; o < FRAME_OWNER_COUNT; o++) {
		assert_int_equal(frame_count_kind(&f->pool, (enum frame_owner)o), kind[o]);
		for (size_t k = 0; k < sizeof(ids); k++) {
			size_t n = 0;

			for (size_t i = 0; i < MODEL_N; i++)
				n += m->owner[i] == o && m->id[i] == ids[k];
			assert_int_equal(frame_count_owner(&f->pool, (enum frame_owner)o, ids[k]),
					 n);
		}
	}
}

static void run_trace(uint64_t base, uint64_t trace_seed, int steps)
{
	static const uint8_t ids[] = {0, 1, 2, 7, 15, 16, 17, 40, 254, FRAME_ID_NONE};
	struct fixture f;
	struct model *m = calloc(1, sizeof(*m));
	struct live *live = calloc(MAX_LIVE, sizeof(*live));
	struct snapshot *snap = malloc(sizeof(*snap));
	size_t nlive = 0, allocs = 0, nomem = 0, resets = 0, busy = 0;
	uint64_t base_pfn = base >> FRAME_SHIFT;

	assert_non_null(m);
	assert_non_null(live);
	assert_non_null(snap);
	seed = trace_seed;
	setup_pool(&f, base, MODEL_N);
	for (size_t i = 0; i < MODEL_N; i++)
		m->id[i] = FRAME_ID_NONE;

	for (int step = 0; step < steps; step++) {
		uint32_t op = rnd(100);

		if (op < 35 && nlive < MAX_LIVE) {
			static const size_t aligns[] = {1, 1, 1, 2, 4, 8, 16, 64, 512};
			size_t count = rnd(16) == 0 ? 1 + rnd(200) : 1 + rnd(12);
			size_t align = aligns[rnd(sizeof(aligns) / sizeof(aligns[0]))];
			enum frame_owner owner = (enum frame_owner)(1 + rnd(FRAME_OWNER_COUNT - 1));
			uint8_t id = ids[rnd(sizeof(ids))];
			size_t want;
			bool fits = model_find(m, base_pfn, count, align, &want);
			uint64_t pa = 0;
			enum mv_status st = frame_alloc(&f.pool, count, align, owner, id, &pa);

			if (!fits) {
				assert_int_equal(st, MV_ERR_NO_MEMORY);
				nomem++;
				continue;
			}
			assert_int_equal(st, MV_OK);
			assert_int_equal(pa, pa_of(&f, want));
			for (size_t j = want; j < want + count; j++) {
				m->owner[j] = (uint8_t)owner;
				m->id[j] = id;
			}
			m->hint = (want + count) % MODEL_N;
			live[nlive].idx = want;
			live[nlive].count = count;
			nlive++;
			allocs++;
		} else if (op < 70 && nlive) {
			/* Free all of an allocation, or a piece of it (the rest stays live). */
			size_t k = rnd((uint32_t)nlive);
			struct live *l = &live[k];
			size_t off = rnd((uint32_t)l->count);
			size_t n = 1 + rnd((uint32_t)(l->count - off));
			bool mapped = false;

			if (rnd(2)) {
				off = 0;
				n = l->count;
			}
			for (size_t j = l->idx + off; j < l->idx + off + n; j++)
				mapped |= m->maps[j] != 0;
			take(&f, snap);
			if (mapped) {
				assert_int_equal(frame_free(&f.pool, pa_of(&f, l->idx + off), n),
						 MV_ERR_BUSY);
				assert_unchanged(&f, snap);
				busy++;
				/* Unmap the range, as the hypervisor would before retrying. */
				for (size_t j = l->idx + off; j < l->idx + off + n; j++) {
					for (; m->maps[j]; m->maps[j]--)
						assert_int_equal(
						    frame_map_dec(&f.pool, pa_of(&f, j), NULL),
						    MV_OK);
				}
				continue;
			}
			assert_int_equal(frame_free(&f.pool, pa_of(&f, l->idx + off), n), MV_OK);
			for (size_t j = l->idx + off; j < l->idx + off + n; j++) {
				m->owner[j] = FRAME_FREE;
				m->id[j] = FRAME_ID_NONE;
			}
			/* Freeing the same range again is refused and changes nothing. */
			take(&f, snap);
			assert_int_equal(frame_free(&f.pool, pa_of(&f, l->idx + off), n),
					 MV_ERR_INVALID);
			assert_unchanged(&f, snap);
			/* Keep the live list in whole runs: split off what remains. */
			if (off + n < l->count && nlive < MAX_LIVE) {
				live[nlive].idx = l->idx + off + n;
				live[nlive].count = l->count - off - n;
				nlive++;
			}
			if (off) {
				l->count = off;
			} else {
				*l = live[--nlive];
			}
		} else if (op < 78 && nlive) {
			struct live *l = &live[rnd((uint32_t)nlive)];
			size_t j = l->idx + rnd((uint32_t)l->count);
			uint16_t maps;

			if (rnd(3) == 0 && m->maps[j]) {
				assert_int_equal(frame_map_dec(&f.pool, pa_of(&f, j), &maps),
						 MV_OK);
				m->maps[j]--;
			} else {
				assert_int_equal(frame_map_inc(&f.pool, pa_of(&f, j), &maps),
						 MV_OK);
				m->maps[j]++;
			}
			assert_int_equal(maps, m->maps[j]);
		} else if (op < 88 && nlive) {
			/* Unmap everything in one run so that it can be freed later. */
			struct live *l = &live[rnd((uint32_t)nlive)];

			for (size_t j = l->idx; j < l->idx + l->count; j++) {
				while (m->maps[j]) {
					assert_int_equal(frame_map_dec(&f.pool, pa_of(&f, j), NULL),
							 MV_OK);
					m->maps[j]--;
				}
			}
		} else if (op < 96 && nlive) {
			struct live *l = &live[rnd((uint32_t)nlive)];
			enum frame_owner owner = (enum frame_owner)(1 + rnd(FRAME_OWNER_COUNT - 1));
			uint8_t id = ids[rnd(sizeof(ids))];

			assert_int_equal(
			    frame_set_owner(&f.pool, pa_of(&f, l->idx), l->count, owner, id),
			    MV_OK);
			for (size_t j = l->idx; j < l->idx + l->count; j++) {
				m->owner[j] = (uint8_t)owner;
				m->id[j] = id;
			}
		} else {
			/* Any range, any owner: only free frames inside the pool change. */
			int64_t start = (int64_t)rnd(MODEL_N + 64) - 32;
			uint64_t pa = (uint64_t)((int64_t)base + start * (int64_t)FRAME_SIZE +
						 (int64_t)rnd(FRAME_SIZE));
			uint64_t size = rnd(20 * FRAME_SIZE);
			enum frame_owner owner = rnd(2) ? FRAME_RESERVED : FRAME_HYP;
			uint64_t first = pa & ~(FRAME_SIZE - 1);

			assert_int_equal(frame_reserve(&f.pool, pa, size, owner), MV_OK);
			for (uint64_t p = first; size && p < pa + size; p += FRAME_SIZE) {
				if (p < base || p >= pa_of(&f, MODEL_N))
					continue;
				size_t j = (size_t)((p - base) >> FRAME_SHIFT);

				if (m->owner[j] == FRAME_FREE) {
					m->owner[j] = (uint8_t)owner;
					m->id[j] = FRAME_ID_NONE;
				}
			}
		}
		if (step % 16 == 0)
			model_compare(&f, m);
		else
			assert_true(frame_check(&f.pool));
		/* Reserved ranges are never freed by the trace; start over once they fill the pool.
		 */
		if (frame_count_kind(&f.pool, FRAME_RESERVED) +
			frame_count_kind(&f.pool, FRAME_HYP) >
		    MODEL_N / 2) {
			teardown_pool(&f);
			setup_pool(&f, base, MODEL_N);
			memset(m, 0, sizeof(*m));
			for (size_t i = 0; i < MODEL_N; i++)
				m->id[i] = FRAME_ID_NONE;
			nlive = 0;
			resets++;
		}
	}
	model_compare(&f, m);
	print_message("trace %llu: %zu allocs, %zu no-memory, %zu busy frees, %zu resets\n",
		      (unsigned long long)trace_seed, allocs, nomem, busy, resets);
	/* The trace must have exercised both outcomes of alloc. */
	assert_true(allocs > (size_t)steps / 10);
	assert_true(nomem > 0);
	teardown_pool(&f);
	free(snap);
	free(live);
	free(m);
}

/* A VM's limit covers its RAM, tables and module data together; other owners are not counted. */
static void test_quota_limit(void **state)
{
	struct fixture f;
	uint64_t pa, ram, moddata;

	(void)state;
	setup_pool(&f, BASE, 100);
	assert_int_equal(frame_quota_set(&f.pool, 1, 10, 0), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 6, 1, FRAME_VM_RAM, 1, &ram), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_VM_S2, 1, &pa), MV_OK);
	assert_false(frame_over_quota(&f.pool, FRAME_VM_MODDATA, 1, 2));
	assert_true(frame_over_quota(&f.pool, FRAME_VM_MODDATA, 1, 3));
	/* A module load past the limit is refused and changes nothing. */
	struct snapshot *snap = malloc(sizeof(*snap));

	assert_non_null(snap);
	take(&f, snap);
	assert_int_equal(frame_alloc(&f.pool, 3, 1, FRAME_VM_MODDATA, 1, &moddata),
			 MV_ERR_NO_MEMORY);
	assert_unchanged(&f, snap);
	free(snap);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_VM_MODDATA, 1, &moddata), MV_OK);
	assert_int_equal(frame_quota_get(&f.pool, 1).used, 10);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 1, &pa), MV_ERR_NO_MEMORY);
	/* Other VMs, the hypervisor and devices are not held by VM 1's limit. */
	assert_int_equal(frame_alloc(&f.pool, 20, 1, FRAME_VM_RAM, 2, &pa), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 5, 1, FRAME_DEVBUF, 1, &pa), MV_OK);
	/* Freeing gives the room back. */
	assert_int_equal(frame_free(&f.pool, moddata, 2), MV_OK);
	assert_int_equal(frame_quota_get(&f.pool, 1).used, 8);
	assert_int_equal(frame_alloc(&f.pool, 2, 1, FRAME_VM_RAM, 1, &pa), MV_OK);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

/* A reservation keeps frames for its account: a VM that exhausts the host cannot take them. */
static void test_quota_reservation(void **state)
{
	struct fixture f;
	uint64_t pa, mine[4];

	(void)state;
	setup_pool(&f, BASE, 100);
	assert_int_equal(frame_quota_set(&f.pool, 0, 30, 30), MV_OK);
	assert_int_equal(frame_quota_set(&f.pool, FRAME_ACCOUNT_TEXT, FRAME_NO_LIMIT, 10), MV_OK);
	assert_int_equal(frame_unreserved(&f.pool), 60);
	/* Reservations cannot promise more than is free. */
	assert_int_equal(frame_quota_set(&f.pool, 1, 1000, 61), MV_ERR_NO_MEMORY);
	assert_int_equal(frame_quota_set(&f.pool, 1, 1000, 0), MV_OK);
	/* VM 1 (overcommitted: limit 1000, nothing reserved) takes all it can. */
	for (int i = 0; i < 60; i++)
		assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 1, &pa), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 1, &pa), MV_ERR_NO_MEMORY);
	assert_false(frame_over_quota(&f.pool, FRAME_VM_RAM, 1, 1)); /* host, not quota */
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_HYP, FRAME_ID_NONE, &pa),
			 MV_ERR_NO_MEMORY);
	/* VM 0 and the module text still get every reserved frame. */
	assert_int_equal(frame_alloc(&f.pool, 4, 1, FRAME_VM_MODDATA, 0, &mine[0]), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 26, 1, FRAME_VM_RAM, 0, &mine[1]), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 10, 1, FRAME_MOD_TEXT, 3, &mine[2]), MV_OK);
	assert_int_equal(frame_count_kind(&f.pool, FRAME_FREE), 0);
	assert_true(frame_check(&f.pool));
	/* A freed reserved frame goes back to its account, not to VM 1. */
	assert_int_equal(frame_free(&f.pool, mine[0], 4), MV_OK);
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 1, &pa), MV_ERR_NO_MEMORY);
	assert_int_equal(frame_alloc(&f.pool, 4, 1, FRAME_VM_RAM, 0, &mine[3]), MV_OK);
	/* Dropping a reservation (the VM stopped) releases what it did not use. */
	assert_int_equal(frame_free(&f.pool, mine[3], 4), MV_OK);
	assert_int_equal(frame_quota_set(&f.pool, 0, 30, 0), MV_OK);
	assert_int_equal(frame_unreserved(&f.pool), 4);
	assert_int_equal(frame_alloc(&f.pool, 4, 1, FRAME_VM_RAM, 1, &pa), MV_OK);
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_quota_refusals_and_check(void **state)
{
	struct fixture f;
	uint64_t pa;

	(void)state;
	setup_pool(&f, BASE, 16);
	assert_int_equal(frame_quota_set(&f.pool, FRAME_ACCOUNTS, 1, 1), MV_ERR_INVALID);
	assert_int_equal(frame_quota_set(&f.pool, 0, 1, 2), MV_ERR_INVALID);
	assert_int_equal(frame_account_of(FRAME_VM_RAM, FRAME_ID_NONE), -1);
	assert_int_equal(frame_account_of(FRAME_HYP, 0), -1);
	assert_int_equal(frame_account_of(FRAME_VM_S2, 3), 3);
	/* Lowering a limit below what is used stops new allocations, frees still work. */
	assert_int_equal(frame_alloc(&f.pool, 4, 1, FRAME_VM_RAM, 0, &pa), MV_OK);
	assert_int_equal(frame_quota_set(&f.pool, 0, 2, 2), MV_OK);
	assert_true(frame_over_quota(&f.pool, FRAME_VM_RAM, 0, 1));
	assert_int_equal(frame_alloc(&f.pool, 1, 1, FRAME_VM_RAM, 0, &pa), MV_ERR_NO_MEMORY);
	/* Re-labelling moves frames between accounts. */
	assert_int_equal(frame_set_owner(&f.pool, pa, 4, FRAME_VM_RAM, 1), MV_OK);
	assert_int_equal(frame_quota_get(&f.pool, 0).used, 0);
	assert_int_equal(frame_quota_get(&f.pool, 1).used, 4);
	assert_true(frame_check(&f.pool));
	/* The checker catches an account that disagrees with the metadata. */
	f.pool.quota[1].used++;
	assert_false(frame_check(&f.pool));
	f.pool.quota[1].used--;
	f.pool.unclaimed++;
	assert_false(frame_check(&f.pool));
	f.pool.unclaimed--;
	assert_true(frame_check(&f.pool));
	teardown_pool(&f);
}

static void test_random_traces(void **state)
{
	(void)state;
	run_trace(BASE, 1, 20000);
	run_trace(BASE + 5 * FRAME_SIZE, 2, 20000);
	run_trace(0x80000000ULL + 0x1ff000, 3, 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init),
	    cmocka_unit_test(test_reserve_clipping),
	    cmocka_unit_test(test_alloc_free_basic),
	    cmocka_unit_test(test_alignment),
	    cmocka_unit_test(test_exhaustion),
	    cmocka_unit_test(test_fragmentation_wraparound),
	    cmocka_unit_test(test_free_refusals),
	    cmocka_unit_test(test_map_counts),
	    cmocka_unit_test(test_large_ids),
	    cmocka_unit_test(test_check_detects_corruption),
	    cmocka_unit_test(test_quota_limit),
	    cmocka_unit_test(test_quota_reservation),
	    cmocka_unit_test(test_quota_refusals_and_check),
	    cmocka_unit_test(test_random_traces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
