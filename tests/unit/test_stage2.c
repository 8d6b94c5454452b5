/* Host unit tests of the stage-2 library over simulated physical memory. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "stage2.h"

#define ARENA_PAGES 1024
#define ARENA_PA_BASE UINT64_C(0x80000000)
#define PAGE UINT64_C(0x1000)
#define SZ_2M UINT64_C(0x200000)
#define SZ_1G UINT64_C(0x40000000)
#define POISON 0xa5

/* Descriptor bits as the ARM ARM defines them, written out independently of the library. */
#define D_VALID (UINT64_C(1) << 0)
#define D_TABLE_OR_PAGE (UINT64_C(1) << 1)
#define D_MEMATTR(x) ((uint64_t)(x) << 2)
#define D_S2AP(x) ((uint64_t)(x) << 6)
#define D_SH(x) ((uint64_t)(x) << 8)
#define D_AF (UINT64_C(1) << 10)
#define D_XN (UINT64_C(1) << 54)
#define D_SW_SHARED (UINT64_C(1) << 55)
#define D_OA_MASK UINT64_C(0x0000fffffffff000)

#define RW (S2_READ | S2_WRITE)
#define RWX (S2_READ | S2_WRITE | S2_EXEC)
#define RX (S2_READ | S2_EXEC)

enum sim_event {
	EV_NONE,
	EV_SYNC,
	EV_FLUSH,
};

struct flush_record {
	bool whole_vmid;
	uint16_t vmid;
	uint64_t ipa;
	unsigned level;
};

/* The simulated machine: page arena, allocation limit and a log of maintenance operations. */
struct sim {
	bool used[ARENA_PAGES];
	size_t used_count;
	size_t limit;
	unsigned last_root_pages;
	const struct s2_table *t; /* checked at flush time */
	enum sim_event last_event;
	unsigned syncs;
	unsigned flushes;
	struct flush_record log[64];
	unsigned bbm_violations;
	bool destroying; /* the VMID flush of s2_destroy follows no entry change */
	bool watch;
	uint64_t watch_ipa;
	unsigned watch_unmapped_at_vmid_flush;
};

static _Alignas(4096) uint8_t arena[ARENA_PAGES][4096];
/* The arena as the table walker last saw it: updated at every sync. */
static _Alignas(4096) uint8_t published[ARENA_PAGES][4096];
/*
 * Per page, as the walker sees it: reachable from the root (and at which level), and the flush
 * count when it last stopped being reachable.
 */
static bool linked[ARENA_PAGES];
static unsigned linked_level[ARENA_PAGES];
static unsigned flushes_at_unlink[ARENA_PAGES];
static struct sim sim;

static uint64_t page_pa(size_t index)
{
	return ARENA_PA_BASE + index * PAGE;
}

static void *alloc_pages(unsigned count, unsigned align, uint64_t *pa_out)
{
	size_t first, i;

	if (sim.used_count + count > sim.limit)
		return NULL;
	for (first = 0; first + count <= ARENA_PAGES; first += align) {
		for (i = 0; i < count && !sim.used[first + i]; i++)
			;
		if (i < count)
			continue;
		for (i = 0; i < count; i++) {
			sim.used[first + i] = true;
			linked[first + i] = false;
			flushes_at_unlink[first + i] = UINT32_MAX;
			memset(arena[first + i], 0, sizeof(arena[0]));
		}
		sim.used_count += count;
		*pa_out = page_pa(first);
		return arena[first];
	}
	return NULL;
}

static void free_pages(void *va, uint64_t pa, unsigned count)
{
	size_t first = (size_t)((pa - ARENA_PA_BASE) / PAGE);
	size_t i;

	assert_true(pa >= ARENA_PA_BASE && first + count <= ARENA_PAGES);
	assert_ptr_equal(va, arena[first]);
	for (i = 0; i < count; i++) {
		assert_true(sim.used[first + i]);
		sim.used[first + i] = false;
		/* A table still reachable after its free would show up as garbage in later walks.
		 */
		memset(arena[first + i], POISON, sizeof(arena[0]));
	}
	sim.used_count -= count;
}

static void *hook_alloc_table(void *ctx, uint64_t *pa_out)
{
	(void)ctx;
	return alloc_pages(1, 1, pa_out);
}

static void hook_free_table(void *ctx, void *va, uint64_t pa)
{
	size_t page = (size_t)((pa - ARENA_PA_BASE) / PAGE);

	(void)ctx;
	/*
	 * A table the walker could reach must be unlinked, synced and flushed before its page
	 * is reused. s2_destroy relies on its VMID flush and the VM being stopped instead.
	 */
	if (page < ARENA_PAGES && !sim.destroying &&
	    (linked[page] || sim.flushes == flushes_at_unlink[page]))
		sim.bbm_violations++;
	free_pages(va, pa, 1);
}

static void *hook_alloc_root(void *ctx, unsigned pages, uint64_t *pa_out)
{
	(void)ctx;
	sim.last_root_pages = pages;
	return alloc_pages(pages, pages, pa_out);
}

static void hook_free_root(void *ctx, void *va, uint64_t pa, unsigned pages)
{
	(void)ctx;
	free_pages(va, pa, pages);
}

static void *hook_phys_to_virt(void *ctx, uint64_t pa)
{
	size_t index = (size_t)((pa - ARENA_PA_BASE) / PAGE);

	(void)ctx;
	assert_true(pa >= ARENA_PA_BASE && index < ARENA_PAGES);
	assert_true(sim.used[index]);
	return arena[index] + (pa & (PAGE - 1));
}

static void record_flush(bool whole_vmid, uint16_t vmid, uint64_t ipa, unsigned level)
{
	if (sim.flushes < 64) {
		sim.log[sim.flushes].whole_vmid = whole_vmid;
		sim.log[sim.flushes].vmid = vmid;
		sim.log[sim.flushes].ipa = ipa;
		sim.log[sim.flushes].level = level;
	}
	sim.flushes++;
	/* Break-before-make: the invalidating write must have been made visible first. */
	if (sim.last_event != EV_SYNC && !sim.destroying)
		sim.bbm_violations++;
	sim.last_event = EV_FLUSH;
}

static void hook_tlb_flush_ipa(void *ctx, uint16_t vmid, uint64_t ipa, unsigned level)
{
	unsigned shift = 12 + 9 * (3 - level);

	(void)ctx;
	record_flush(false, vmid, ipa, level);
	if (ipa & ((UINT64_C(1) << shift) - 1))
		sim.bbm_violations++;
	/* The entry being flushed must already read as invalid. */
	if (sim.t && s2_lookup(sim.t, ipa, NULL, NULL, NULL) != MV_ERR_NOT_FOUND)
		sim.bbm_violations++;
}

static void hook_tlb_flush_vmid(void *ctx, uint16_t vmid)
{
	(void)ctx;
	record_flush(true, vmid, 0, 0);
	if (sim.watch && s2_lookup(sim.t, sim.watch_ipa, NULL, NULL, NULL) == MV_ERR_NOT_FOUND)
		sim.watch_unmapped_at_vmid_flush++;
}

static bool points_to_arena_table(uint64_t desc, unsigned level, size_t *page_out)
{
	uint64_t pa = desc & D_OA_MASK;

	if (level >= 3 || (desc & 3) != 3 || pa < ARENA_PA_BASE)
		return false;
	*page_out = (size_t)((pa - ARENA_PA_BASE) / PAGE);
	return *page_out < ARENA_PAGES && sim.used[*page_out];
}

/* Marks the subtree below a table (as its contents are about to be published) reachable or not. */
static void set_linked(size_t page, unsigned level, bool reachable)
{
	const uint64_t *entry = (const uint64_t *)(reachable ? arena[page] : published[page]);
	size_t idx, target;

	linked[page] = reachable;
	linked_level[page] = level;
	if (!reachable)
		flushes_at_unlink[page] = sim.flushes;
	for (idx = 0; idx < 512; idx++)
		if (points_to_arena_table(entry[idx], level, &target))
			set_linked(target, level + 1, reachable);
}

/*
 * The walker may observe the stores made between two syncs in any order. So a table linked
 * into a table the walker can reach must not have been written in the same window: it could
 * be walked half-built (or still holding whatever the page held before).
 */
static void publish_changed_entries(const bool *dirty, size_t page, unsigned level)
{
	const uint64_t *before = (const uint64_t *)published[page];
	const uint64_t *now = (const uint64_t *)arena[page];
	size_t idx, target;

	for (idx = 0; idx < 512; idx++) {
		if (now[idx] == before[idx])
			continue;
		if (points_to_arena_table(before[idx], level, &target))
			set_linked(target, level + 1, false);
		if (points_to_arena_table(now[idx], level, &target)) {
			if (dirty[target])
				sim.bbm_violations++;
			set_linked(target, level + 1, true);
		}
	}
}

static bool is_root_page(size_t page)
{
	size_t root;

	if (!sim.t || !sim.t->root)
		return false;
	root = (size_t)((sim.t->root_pa - ARENA_PA_BASE) / PAGE);
	return page >= root && page < root + sim.t->root_pages;
}

static void publish_arena(void)
{
	bool dirty[ARENA_PAGES];
	size_t i;

	for (i = 0; i < ARENA_PAGES; i++)
		dirty[i] = sim.used[i] && memcmp(arena[i], published[i], PAGE) != 0;
	for (i = 0; i < ARENA_PAGES; i++) {
		if (dirty[i] && is_root_page(i))
			publish_changed_entries(dirty, i, sim.t->start_level);
		else if (dirty[i] && linked[i])
			publish_changed_entries(dirty, i, linked_level[i]);
	}
	for (i = 0; i < ARENA_PAGES; i++)
		if (dirty[i])
			memcpy(published[i], arena[i], PAGE);
}

static void hook_sync(void *ctx)
{
	(void)ctx;
	sim.syncs++;
	sim.last_event = EV_SYNC;
	publish_arena();
}

static const struct s2_hooks hooks = {
    .alloc_table = hook_alloc_table,
    .free_table = hook_free_table,
    .alloc_root = hook_alloc_root,
    .free_root = hook_free_root,
    .phys_to_virt = hook_phys_to_virt,
    .tlb_flush_ipa = hook_tlb_flush_ipa,
    .tlb_flush_vmid = hook_tlb_flush_vmid,
    .sync = hook_sync,
};

static int setup(void **state)
{
	(void)state;
	memset(&sim, 0, sizeof(sim));
	sim.limit = ARENA_PAGES;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* Every test destroys its tables: anything still allocated is a leak. */
	assert_int_equal(sim.used_count, 0);
	assert_int_equal(sim.bbm_violations, 0);
	return 0;
}

static void init_table(struct s2_table *t, unsigned ipa_bits)
{
	assert_int_equal(s2_init(t, ipa_bits, 7, &hooks, NULL), MV_OK);
	/* A new root starts out empty for the walker too. */
	publish_arena();
	sim.t = t;
}

static void destroy_table(struct s2_table *t)
{
	sim.destroying = true;
	assert_int_equal(s2_destroy(t), MV_OK);
	sim.destroying = false;
	sim.t = NULL;
}

static void reset_log(void)
{
	sim.flushes = 0;
	sim.syncs = 0;
	sim.last_event = EV_NONE;
}

/* The raw leaf descriptor translating ipa, found with the architecture's walk rules. */
static uint64_t raw_leaf(const struct s2_table *t, uint64_t ipa, unsigned *level_out)
{
	const uint64_t *table = t->root;
	unsigned level = t->start_level;
	uint64_t desc;

	desc = table[ipa >> (12 + 9 * (3 - level))];
	while ((desc & 3) == 3 && level < 3) {
		table = hook_phys_to_virt(NULL, desc & D_OA_MASK);
		level++;
		desc = table[(ipa >> (12 + 9 * (3 - level))) & 511];
	}
	if (level_out)
		*level_out = level;
	return desc;
}

/* A walk flattened into a list, to compare the whole mapping before and after a call. */
struct leaf {
	uint64_t ipa, pa, size;
	unsigned mode;
};

struct snapshot {
	struct leaf leaves[256];
	size_t count;
	size_t tables;
	size_t arena_used;
};

static int collect_leaf(void *arg, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode)
{
	struct snapshot *snap = arg;

	assert_true(snap->count < 256);
	snap->leaves[snap->count].ipa = ipa;
	snap->leaves[snap->count].pa = pa;
	snap->leaves[snap->count].size = size;
	snap->leaves[snap->count].mode = mode;
	snap->count++;
	return 0;
}

static void take_snapshot(const struct s2_table *t, struct snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	assert_int_equal(s2_walk(t, collect_leaf, snap), 0);
	snap->tables = t->table_pages;
	snap->arena_used = sim.used_count;
}

static void assert_snapshot_unchanged(const struct s2_table *t, const struct snapshot *before)
{
	struct snapshot after;

	take_snapshot(t, &after);
	assert_int_equal(after.count, before->count);
	assert_int_equal(after.tables, before->tables);
	assert_int_equal(after.arena_used, before->arena_used);
	assert_memory_equal(after.leaves, before->leaves, sizeof(after.leaves[0]) * after.count);
}

static void assert_maps(const struct s2_table *t, uint64_t ipa, uint64_t pa, unsigned mode,
			unsigned level)
{
	uint64_t got_pa = 0;
	unsigned got_mode = 0, got_level = 0;

	assert_int_equal(s2_lookup(t, ipa, &got_pa, &got_mode, &got_level), MV_OK);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_mode, mode);
	assert_int_equal(got_level, level);
}

static void assert_range_maps(const struct s2_table *t, uint64_t ipa, uint64_t pa, uint64_t size,
			      unsigned mode, unsigned level)
{
	uint64_t off;

	for (off = 0; off < size; off += PAGE)
		assert_maps(t, ipa + off, pa + off, mode, level);
}

static void test_parange_to_ipa_bits(void **state)
{
	static const unsigned expected[] = {32, 36, 40, 42, 44, 48, 48, 48};
	unsigned field;

	(void)state;
	for (field = 0; field < 8; field++)
		assert_int_equal(s2_ipa_bits_from_parange(field), expected[field]);
}

static void test_vtcr_values(void **state)
{
	(void)state;
	/* T0SZ 24, SL0 L1, IRGN/ORGN WBWA, SH inner, TG0 4K, PS 40 bits, RES1. */
	assert_int_equal(s2_vtcr(40, 2), UINT64_C(0x80023558));
	/* T0SZ 20, SL0 L0, PS 44 bits. */
	assert_int_equal(s2_vtcr(44, 4), UINT64_C(0x80043594));
	/* 52-bit PA range is capped to 48 bits in PS. */
	assert_int_equal(s2_vtcr(48, 6), UINT64_C(0x80053590));
	assert_int_equal(s2_vtcr(32, 0), UINT64_C(0x80003560));
	assert_int_equal(s2_vtcr(42, 3), UINT64_C(0x80033556));
	assert_int_equal(s2_vtcr(31, 5), 0);
	assert_int_equal(s2_vtcr(49, 6), 0);
	assert_int_equal(s2_vtcr(44, 3), 0);
}

static void test_init_destroy_geometry(void **state)
{
	static const struct {
		unsigned ipa_bits, start_level, root_pages;
	} cases[] = {
	    {32, 1, 1}, {36, 1, 1}, {39, 1, 1}, {40, 1, 2}, {41, 1, 4},
	    {42, 1, 8}, {43, 0, 1}, {44, 0, 1}, {48, 0, 1},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct s2_table t;
		/* A single page taken first forces concatenated roots to be aligned explicitly. */
		uint64_t spare_pa;
		void *spare = alloc_pages(1, 1, &spare_pa);

		assert_int_equal(s2_init(&t, cases[i].ipa_bits, 200, &hooks, NULL), MV_OK);
		assert_int_equal(t.start_level, cases[i].start_level);
		assert_int_equal(t.root_pages, cases[i].root_pages);
		assert_int_equal(sim.last_root_pages, cases[i].root_pages);
		assert_int_equal(t.table_pages, cases[i].root_pages);
		assert_int_equal(t.root_pa % (cases[i].root_pages * PAGE), 0);
		assert_int_equal(sim.used_count, cases[i].root_pages + 1);
		assert_int_equal(s2_vttbr(&t), t.root_pa | (UINT64_C(200) << 48));
		/* The last IPA is reachable, the first one past the space is not. */
		assert_int_equal(s2_map(&t, (UINT64_C(1) << cases[i].ipa_bits) - PAGE, 0, PAGE, RW),
				 MV_OK);
		assert_int_equal(s2_map(&t, UINT64_C(1) << cases[i].ipa_bits, 0, PAGE, RW),
				 MV_ERR_INVALID);
		destroy_table(&t);
		assert_int_equal(s2_destroy(&t), MV_ERR_INVALID);
		assert_int_equal(s2_vttbr(&t), 0);
		free_pages(spare, spare_pa, 1);
		assert_int_equal(sim.used_count, 0);
	}
}

static void test_init_rejects_bad_arguments(void **state)
{
	struct s2_hooks partial;
	struct s2_table t;

	(void)state;
	assert_int_equal(s2_init(NULL, 40, 1, &hooks, NULL), MV_ERR_INVALID);
	assert_int_equal(s2_init(&t, 40, 1, NULL, NULL), MV_ERR_INVALID);
#define WITHOUT_HOOK(field)                                                                        \
	do {                                                                                       \
		partial = hooks;                                                                   \
		partial.field = NULL;                                                              \
		assert_int_equal(s2_init(&t, 40, 1, &partial, NULL), MV_ERR_INVALID);              \
	} while (0)
	WITHOUT_HOOK(alloc_table);
	WITHOUT_HOOK(free_table);
	WITHOUT_HOOK(alloc_root);
	WITHOUT_HOOK(free_root);
	WITHOUT_HOOK(phys_to_virt);
	WITHOUT_HOOK(tlb_flush_ipa);
	WITHOUT_HOOK(tlb_flush_vmid);
	WITHOUT_HOOK(sync);
#undef WITHOUT_HOOK
	assert_int_equal(s2_init(&t, 31, 1, &hooks, NULL), MV_ERR_INVALID);
	assert_int_equal(s2_init(&t, 49, 1, &hooks, NULL), MV_ERR_INVALID);
	assert_int_equal(s2_init(&t, 40, 256, &hooks, NULL), MV_ERR_INVALID);
	sim.limit = 1;
	assert_int_equal(s2_init(&t, 40, 1, &hooks, NULL), MV_ERR_NO_MEMORY);
	assert_int_equal(sim.used_count, 0);
	assert_int_equal(s2_destroy(NULL), MV_ERR_INVALID);
	assert_int_equal(s2_walk(NULL, collect_leaf, NULL), MV_ERR_INVALID);
	assert_int_equal(s2_lookup(NULL, 0, NULL, NULL, NULL), MV_ERR_INVALID);
	assert_int_equal(s2_vttbr(NULL), 0);
}

static void test_map_page_and_block_sizes(void **state)
{
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x40000000, 0x100000000, SZ_1G, RWX), MV_OK);
	assert_int_equal(t.table_pages, 2);
	assert_int_equal(s2_map(&t, 0x80200000, 0x200000000, SZ_2M, RW), MV_OK);
	assert_int_equal(t.table_pages, 3);
	assert_int_equal(s2_map(&t, 0x9000000, 0x9000000, PAGE, RW | S2_DEVICE), MV_OK);
	assert_int_equal(t.table_pages, 5);

	assert_range_maps(&t, 0x40000000, 0x100000000, SZ_1G, RWX, 1);
	assert_range_maps(&t, 0x80200000, 0x200000000, SZ_2M, RW, 2);
	assert_maps(&t, 0x9000000, 0x9000000, RW | S2_DEVICE, 3);
	assert_maps(&t, 0x40000123, 0x100000123, RWX, 1);
	assert_int_equal(s2_lookup(&t, 0x40000123, NULL, NULL, NULL), MV_OK);
	assert_int_equal(s2_lookup(&t, 0x80000000, NULL, NULL, NULL), MV_ERR_NOT_FOUND);
	assert_int_equal(s2_lookup(&t, 0x80400000, NULL, NULL, NULL), MV_ERR_NOT_FOUND);
	assert_int_equal(s2_lookup(&t, 0x9001000, NULL, NULL, NULL), MV_ERR_NOT_FOUND);
	assert_int_equal(s2_lookup(&t, UINT64_C(1) << 40, NULL, NULL, NULL), MV_ERR_INVALID);
	/* New entries replace invalid ones: no TLB maintenance is needed. */
	assert_int_equal(sim.flushes, 0);
	destroy_table(&t);
}

struct leaf_census {
	unsigned pages, blocks_2m, blocks_1g;
	uint64_t bytes;
};

static int count_leaf(void *arg, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode)
{
	struct leaf_census *census = arg;

	(void)ipa;
	(void)pa;
	(void)mode;
	census->pages += size == PAGE;
	census->blocks_2m += size == SZ_2M;
	census->blocks_1g += size == SZ_1G;
	census->bytes += size;
	return 0;
}

static void test_map_uses_largest_blocks(void **state)
{
	struct leaf_census census = {0};
	uint64_t ipa = SZ_1G - 3 * PAGE;
	uint64_t size = 3 * PAGE + SZ_1G + SZ_2M + 2 * PAGE;
	uint64_t delta = 4 * SZ_1G;
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	/* pa - ipa is a multiple of 1 GiB, so every aligned piece can be a block. */
	assert_int_equal(s2_map(&t, ipa, ipa + delta, size, RW), MV_OK);
	assert_int_equal(s2_walk(&t, count_leaf, &census), 0);
	assert_int_equal(census.pages, 5);
	assert_int_equal(census.blocks_2m, 1);
	assert_int_equal(census.blocks_1g, 1);
	assert_int_equal(census.bytes, size);
	/* Two level-2 tables and two level-3 tables around the blocks. */
	assert_int_equal(t.table_pages, 2 + 4);
	assert_range_maps(&t, ipa, ipa + delta, 3 * PAGE, RW, 3);
	assert_range_maps(&t, SZ_1G, SZ_1G + delta, SZ_1G, RW, 1);
	assert_range_maps(&t, 2 * SZ_1G, 2 * SZ_1G + delta, SZ_2M, RW, 2);
	assert_range_maps(&t, 2 * SZ_1G + SZ_2M, 2 * SZ_1G + SZ_2M + delta, 2 * PAGE, RW, 3);
	assert_int_equal(s2_lookup(&t, ipa - PAGE, NULL, NULL, NULL), MV_ERR_NOT_FOUND);
	assert_int_equal(s2_lookup(&t, ipa + size, NULL, NULL, NULL), MV_ERR_NOT_FOUND);
	destroy_table(&t);
}

static void test_map_pa_misaligned_falls_back_to_pages(void **state)
{
	struct leaf_census census = {0};
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	/* ipa is 2 MiB aligned but pa is not: only pages can express this. */
	assert_int_equal(s2_map(&t, 0x40000000, 0x100001000, 2 * SZ_2M, RW), MV_OK);
	assert_int_equal(s2_walk(&t, count_leaf, &census), 0);
	assert_int_equal(census.pages, 1024);
	assert_int_equal(census.blocks_2m, 0);
	assert_int_equal(t.table_pages, 2 + 1 + 2);
	assert_range_maps(&t, 0x40000000, 0x100001000, 2 * SZ_2M, RW, 3);
	destroy_table(&t);
}

static void test_map_overlap_is_busy_and_changes_nothing(void **state)
{
	static const struct {
		uint64_t ipa, size;
	} overlaps[] = {
	    {0x40000000, SZ_2M},		/* exactly the block */
	    {0x40000000 - PAGE, 2 * PAGE},	/* straddles its start */
	    {0x40000000 + SZ_2M - PAGE, SZ_2M}, /* straddles its end */
	    {0x40001000, PAGE},			/* inside it */
	    {0x3fe00000, 3 * SZ_2M},		/* covers it */
	    {0x40400000, SZ_1G},		/* reaches the page beyond */
	};
	struct snapshot before;
	struct s2_table t;
	size_t i;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x40000000, 0x100000000, SZ_2M, RW), MV_OK);
	assert_int_equal(s2_map(&t, 0x40500000, 0x100500000, PAGE, RW), MV_OK);
	take_snapshot(&t, &before);
	reset_log();
	for (i = 0; i < sizeof(overlaps) / sizeof(overlaps[0]); i++) {
		assert_int_equal(s2_map(&t, overlaps[i].ipa, 0x200000000, overlaps[i].size, RX),
				 MV_ERR_BUSY);
		assert_snapshot_unchanged(&t, &before);
	}
	assert_int_equal(sim.flushes, 0);
	destroy_table(&t);
}

static void test_invalid_arguments(void **state)
{
	struct snapshot before;
	struct s2_table t;
	uint64_t top = UINT64_C(1) << 40;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x40000000, 0x100000000, SZ_2M, RW), MV_OK);
	take_snapshot(&t, &before);

	assert_int_equal(s2_map(&t, 0x80000800, 0, PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0x80000000, 0x800, PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0x80000000, 0, 0x800, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0x80000000, 0, 0, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, top, 0, PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, top - PAGE, 0, 2 * PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, top - PAGE, 0, UINT64_MAX - PAGE + 1, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, UINT64_MAX - PAGE + 1, 0, PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, UINT64_C(1) << 48, PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, (UINT64_C(1) << 48) - PAGE, 2 * PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, 0, PAGE, 0), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, 0, PAGE, S2_EXEC), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, 0, PAGE, S2_SHARED | S2_DEVICE), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, 0, PAGE, RW | S2_DEVICE | S2_EXEC), MV_ERR_INVALID);
	assert_int_equal(s2_map(&t, 0, 0, PAGE, RW | (1u << 5)), MV_ERR_INVALID);
	assert_int_equal(s2_map(NULL, 0, 0, PAGE, RW), MV_ERR_INVALID);

	assert_int_equal(s2_unmap(&t, 0x40000800, PAGE), MV_ERR_INVALID);
	assert_int_equal(s2_unmap(&t, 0x40000000, 0), MV_ERR_INVALID);
	assert_int_equal(s2_unmap(&t, top - PAGE, 2 * PAGE), MV_ERR_INVALID);
	assert_int_equal(s2_unmap(&t, top - PAGE, UINT64_MAX - PAGE + 1), MV_ERR_INVALID);
	assert_int_equal(s2_unmap(NULL, 0, PAGE), MV_ERR_INVALID);

	assert_int_equal(s2_protect(&t, 0x40000000, 0x800, RW), MV_ERR_INVALID);
	assert_int_equal(s2_protect(&t, 0x40000000, PAGE, S2_EXEC), MV_ERR_INVALID);
	assert_int_equal(s2_protect(&t, top, PAGE, RW), MV_ERR_INVALID);
	assert_int_equal(s2_protect(&t, top - PAGE, UINT64_MAX - PAGE + 1, RW), MV_ERR_INVALID);
	assert_int_equal(s2_protect(NULL, 0, PAGE, RW), MV_ERR_INVALID);

	assert_snapshot_unchanged(&t, &before);
	assert_int_equal(s2_walk(&t, NULL, NULL), MV_ERR_INVALID);
	destroy_table(&t);
}

static void test_unmap_partial_block_splits(void **state)
{
	struct s2_table t;
	uint64_t off;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x40200000, 0x100200000, SZ_2M, RW), MV_OK);
	assert_int_equal(t.table_pages, 3);
	reset_log();
	assert_int_equal(s2_unmap(&t, 0x40205000, PAGE), MV_OK);
	/* The block went through break-before-make once, flushed at its own IPA and level. */
	assert_int_equal(sim.flushes, 1);
	assert_false(sim.log[0].whole_vmid);
	assert_int_equal(sim.log[0].vmid, 7);
	assert_int_equal(sim.log[0].ipa, 0x40200000);
	assert_int_equal(sim.log[0].level, 2);
	assert_int_equal(t.table_pages, 4);
	for (off = 0; off < SZ_2M; off += PAGE) {
		if (off == 0x5000)
			assert_int_equal(s2_lookup(&t, 0x40200000 + off, NULL, NULL, NULL),
					 MV_ERR_NOT_FOUND);
		else
			assert_maps(&t, 0x40200000 + off, 0x100200000 + off, RW, 3);
	}

	/* A 1 GiB block split around a single page needs a level-2 and a level-3 table. */
	assert_int_equal(s2_map(&t, 0x80000000, 0x180000000, SZ_1G, RX), MV_OK);
	reset_log();
	assert_int_equal(s2_unmap(&t, 0x80000000 + 3 * SZ_2M + 7 * PAGE, PAGE), MV_OK);
	assert_int_equal(sim.flushes, 1);
	assert_int_equal(sim.log[0].ipa, 0x80000000);
	assert_int_equal(sim.log[0].level, 1);
	assert_int_equal(t.table_pages, 6);
	assert_maps(&t, 0x80000000, 0x180000000, RX, 2);
	assert_maps(&t, 0x80000000 + 3 * SZ_2M, 0x180000000 + 3 * SZ_2M, RX, 3);
	assert_maps(&t, 0x80000000 + 3 * SZ_2M + 8 * PAGE, 0x180000000 + 3 * SZ_2M + 8 * PAGE, RX,
		    3);
	assert_int_equal(s2_lookup(&t, 0x80000000 + 3 * SZ_2M + 7 * PAGE, NULL, NULL, NULL),
			 MV_ERR_NOT_FOUND);
	destroy_table(&t);
}

static void test_unmap_everything_frees_tables(void **state)
{
	struct leaf_census census = {0};
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, SZ_1G - 3 * PAGE, 0x100000000 - 3 * PAGE,
				3 * PAGE + SZ_1G + SZ_2M + 2 * PAGE, RW),
			 MV_OK);
	assert_int_equal(s2_map(&t, 0x9000000, 0x9000000, PAGE, RW | S2_DEVICE), MV_OK);
	assert_int_equal(t.table_pages, 2 + 5);
	/* Nothing mapped here: fine, and no maintenance. */
	reset_log();
	assert_int_equal(s2_unmap(&t, 0x20000000, SZ_2M), MV_OK);
	assert_int_equal(sim.flushes, 0);
	assert_int_equal(t.table_pages, 2 + 5);
	/* One range covering every mapping and the holes between them. */
	assert_int_equal(s2_unmap(&t, 0, 4 * SZ_1G), MV_OK);
	assert_int_equal(t.table_pages, 2);
	assert_int_equal(sim.used_count, 2);
	assert_int_equal(s2_walk(&t, count_leaf, &census), 0);
	assert_int_equal(census.bytes, 0);
	destroy_table(&t);
	assert_int_equal(sim.used_count, 0);
}

/*
 * A module slot: mapped page by page, unmapped in one call. The unmap clears every entry and
 * then flushes once; the emptied table is freed only after that flush (hook_free_table counts
 * an earlier free as a break-before-make violation, checked in teardown).
 */
static void test_unmap_slot_flushes_once(void **state)
{
	const uint64_t slot = 0x10000000;
	struct s2_table t;
	size_t tables, i;

	(void)state;
	init_table(&t, 40);
	tables = t.table_pages;
	for (i = 0; i < 8; i++)
		assert_int_equal(
		    s2_map(&t, slot + i * PAGE, 0x80000000 + 2 * i * PAGE, PAGE, i < 5 ? RX : RW),
		    MV_OK);
	assert_int_equal(t.table_pages, tables + 2);
	reset_log();
	assert_int_equal(s2_unmap(&t, slot, 16 * PAGE), MV_OK);
	assert_int_equal(sim.flushes, 1);
	assert_true(sim.log[0].whole_vmid);
	assert_int_equal(sim.log[0].vmid, 7);
	assert_int_equal(t.table_pages, tables);
	for (i = 0; i < 8; i++)
		assert_int_equal(s2_lookup(&t, slot + i * PAGE, NULL, NULL, NULL),
				 MV_ERR_NOT_FOUND);

	/* The whole 4 MiB slot: both last-level tables dropped unvisited, still one flush. */
	for (i = 0; i < 8; i++)
		assert_int_equal(
		    s2_map(&t, slot + i * (SZ_2M / 4), 0x80000000 + 2 * i * PAGE, PAGE, RW), MV_OK);
	assert_int_equal(t.table_pages, tables + 3);
	reset_log();
	assert_int_equal(s2_unmap(&t, slot, 2 * SZ_2M), MV_OK);
	assert_int_equal(sim.flushes, 1);
	assert_true(sim.log[0].whole_vmid);
	assert_int_equal(t.table_pages, tables);
	assert_int_equal(sim.used_count, tables);

	/* More emptied tables than an unmap holds back: it flushes early to free some. */
	for (i = 0; i < 10; i++)
		assert_int_equal(s2_map(&t, slot + i * SZ_2M, 0x80000000 + i * SZ_2M, PAGE, RW),
				 MV_OK);
	reset_log();
	assert_int_equal(s2_unmap(&t, slot, 10 * SZ_2M), MV_OK);
	assert_int_equal(sim.flushes, 2);
	assert_true(sim.log[0].whole_vmid && sim.log[1].whole_vmid);
	assert_int_equal(t.table_pages, tables);
	destroy_table(&t);
}

/*
 * A module slot unloaded to be loaded again: s2_unmap_keep clears its entries with one flush
 * and keeps its tables, so that the next load maps into them without allocating or walking
 * twice (the direct path of s2_map), and with break-before-make kept (checked in teardown).
 */
static void test_unmap_keep_keeps_slot_tables(void **state)
{
	const uint64_t slot = 0x10000000, text = 0x80000000 + 3 * PAGE;
	struct s2_table t;
	size_t tables, used, i;

	(void)state;
	init_table(&t, 40);
	tables = t.table_pages;
	assert_int_equal(s2_map(&t, slot, text, 5 * PAGE, RX | S2_SHARED), MV_OK);
	assert_int_equal(s2_map(&t, slot + 5 * PAGE, 0x90000000, 3 * PAGE, RW), MV_OK);
	assert_int_equal(t.table_pages, tables + 2);
	used = sim.used_count;
	for (int round = 0; round < 3; round++) {
		reset_log();
		assert_int_equal(s2_unmap_keep(&t, slot, 8 * PAGE), MV_OK);
		assert_int_equal(sim.flushes, 1);
		assert_true(sim.log[0].whole_vmid);
		assert_int_equal(t.table_pages, tables + 2);
		for (i = 0; i < 8; i++)
			assert_int_equal(s2_lookup(&t, slot + i * PAGE, NULL, NULL, NULL),
					 MV_ERR_NOT_FOUND);
		/* Nothing left to clear: no flush. */
		reset_log();
		assert_int_equal(s2_unmap_keep(&t, slot, 8 * PAGE), MV_OK);
		assert_int_equal(sim.flushes, 0);
		/* The load again: no table allocated, no maintenance but the syncs. */
		reset_log();
		assert_int_equal(s2_map(&t, slot, text, 5 * PAGE, RX | S2_SHARED), MV_OK);
		assert_int_equal(s2_map(&t, slot + 5 * PAGE, 0x90000000, 3 * PAGE, RW), MV_OK);
		assert_int_equal(sim.flushes, 0);
		assert_int_equal(sim.used_count, used);
		assert_range_maps(&t, slot, text, 5 * PAGE, RX | S2_SHARED, 3);
		assert_range_maps(&t, slot + 5 * PAGE, 0x90000000, 3 * PAGE, RW, 3);
		/* A page already there is still BUSY, and the direct path wrote nothing. */
		assert_int_equal(s2_map(&t, slot + 4 * PAGE, 0xa0000000, 2 * PAGE, RW),
				 MV_ERR_BUSY);
		assert_maps(&t, slot + 4 * PAGE, text + 4 * PAGE, RX | S2_SHARED, 3);
	}

	/* Across two last-level tables (the general walk): both kept, still one flush. */
	assert_int_equal(s2_map(&t, slot + SZ_2M, 0x90200000, PAGE, RW), MV_OK);
	assert_int_equal(t.table_pages, tables + 3);
	reset_log();
	assert_int_equal(s2_unmap_keep(&t, slot, SZ_2M + PAGE), MV_OK);
	assert_int_equal(sim.flushes, 1);
	assert_int_equal(t.table_pages, tables + 3);
	assert_int_equal(s2_lookup(&t, slot + SZ_2M, NULL, NULL, NULL), MV_ERR_NOT_FOUND);

	/* A plain unmap over the kept, empty tables frees them. */
	assert_int_equal(s2_unmap(&t, slot, 2 * SZ_2M), MV_OK);
	assert_int_equal(t.table_pages, tables);
	assert_int_equal(sim.used_count, tables);
	destroy_table(&t);
}

/* Tables prepared for a slot: a later map allocates none; blocks and tables already there stay. */
static void test_prepare_builds_tables_only(void **state)
{
	const uint64_t slot = 0x10000000;
	struct s2_table t;
	size_t tables, used;

	(void)state;
	init_table(&t, 40);
	tables = t.table_pages;
	reset_log();
	assert_int_equal(s2_prepare(&t, slot, SZ_2M + 3 * PAGE), MV_OK);
	assert_int_equal(t.table_pages, tables + 3); /* level 2, and two of level 3 */
	assert_int_equal(sim.flushes, 0);
	assert_int_equal(s2_lookup(&t, slot, NULL, NULL, NULL), MV_ERR_NOT_FOUND);
	/* Again: nothing to do. */
	assert_int_equal(s2_prepare(&t, slot, SZ_2M + 3 * PAGE), MV_OK);
	assert_int_equal(t.table_pages, tables + 3);
	used = sim.used_count;
	assert_int_equal(s2_map(&t, slot + PAGE, 0x90001000, 9 * PAGE, RX), MV_OK);
	assert_int_equal(s2_map(&t, slot + SZ_2M, 0x90400000, 3 * PAGE, RW), MV_OK);
	assert_int_equal(sim.used_count, used);
	assert_range_maps(&t, slot + PAGE, 0x90001000, 9 * PAGE, RX, 3);
	/* Over a block: it stays a block. */
	assert_int_equal(s2_map(&t, 0x40000000, 0x80000000, SZ_2M, RW), MV_OK);
	used = t.table_pages;
	assert_int_equal(s2_prepare(&t, 0x40000000, PAGE), MV_OK);
	assert_int_equal(t.table_pages, used);
	assert_maps(&t, 0x40000000, 0x80000000, RW, 2);
	/* Out of pages: nothing changes. */
	sim.limit = sim.used_count + 1;
	assert_int_equal(s2_prepare(&t, 0x80000000, PAGE), MV_ERR_NO_MEMORY);
	assert_int_equal(t.table_pages, used);
	sim.limit = ARENA_PAGES;
	assert_int_equal(s2_prepare(&t, 0x40000000 + SZ_1G, 0), MV_ERR_INVALID);
	destroy_table(&t);
}

/* The direct path leaves a table that may fold to the general path: still one 2 MiB block. */
static void test_map_direct_keeps_tables_minimal(void **state)
{
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	/* An unaligned first page: later pages go the direct way, and no block can form. */
	assert_int_equal(s2_map(&t, 0x40200000, 0x100201000, PAGE, RW), MV_OK);
	reset_log();
	assert_int_equal(s2_map(&t, 0x40201000, 0x100300000, 7 * PAGE, RW), MV_OK);
	assert_int_equal(sim.syncs, 1);
	assert_int_equal(t.table_pages, 2 + 2);
	assert_int_equal(s2_unmap(&t, 0x40200000, SZ_2M), MV_OK);
	assert_int_equal(t.table_pages, 2);
	/* Filled backwards, so that the aligned first page comes last: it folds. */
	for (uint64_t off = SZ_2M; off > 0; off -= PAGE)
		assert_int_equal(
		    s2_map(&t, 0x40200000 + off - PAGE, 0x100200000 + off - PAGE, PAGE, RW), MV_OK);
	assert_int_equal(t.table_pages, 2 + 1);
	assert_range_maps(&t, 0x40200000, 0x100200000, SZ_2M, RW, 2);
	destroy_table(&t);
}

static void test_destroy_frees_populated_tables(void **state)
{
	struct s2_table t;

	(void)state;
	init_table(&t, 48);
	assert_int_equal(s2_map(&t, 0x7fff00000000, 0x4000, 5 * PAGE, RW), MV_OK);
	assert_int_equal(s2_map(&t, 0x40000000, 0x40000000, SZ_1G + SZ_2M, RW), MV_OK);
	assert_int_equal(t.table_pages, 1 + 3 + 2);
	assert_int_equal(sim.used_count, 6);
	reset_log();
	destroy_table(&t);
	assert_int_equal(sim.flushes, 1);
	assert_true(sim.log[0].whole_vmid);
	assert_int_equal(sim.log[0].vmid, 7);
}

static void test_protect_splits_and_coalesces(void **state)
{
	struct s2_table t;
	size_t tables;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x40000000, 0x100000000, SZ_1G, RWX), MV_OK);
	tables = t.table_pages;
	reset_log();
	assert_int_equal(s2_protect(&t, 0x40000000 + SZ_2M + PAGE, PAGE, S2_READ), MV_OK);
	assert_int_equal(t.table_pages, tables + 2);
	assert_int_equal(sim.flushes, 1);
	assert_int_equal(sim.log[0].ipa, 0x40000000);
	assert_int_equal(sim.log[0].level, 1);
	assert_maps(&t, 0x40000000 + SZ_2M + PAGE, 0x100000000 + SZ_2M + PAGE, S2_READ, 3);
	assert_maps(&t, 0x40000000 + SZ_2M, 0x100000000 + SZ_2M, RWX, 3);
	assert_maps(&t, 0x40000000, 0x100000000, RWX, 2);

	/* Back to the original mode: both tables fold up again, into the original 1 GiB block. */
	sim.watch = true;
	sim.watch_ipa = 0x40000000 + SZ_2M;
	reset_log();
	assert_int_equal(s2_protect(&t, 0x40000000 + SZ_2M, SZ_2M, RWX), MV_OK);
	assert_int_equal(t.table_pages, tables);
	assert_range_maps(&t, 0x40000000, 0x100000000, SZ_1G, RWX, 1);
	/* The page changed, then each fold flushed the VMID while its entry read as invalid. */
	assert_int_equal(sim.flushes, 3);
	assert_false(sim.log[0].whole_vmid);
	assert_int_equal(sim.log[0].ipa, 0x40000000 + SZ_2M + PAGE);
	assert_int_equal(sim.log[0].level, 3);
	assert_true(sim.log[1].whole_vmid);
	assert_true(sim.log[2].whole_vmid);
	assert_int_equal(sim.watch_unmapped_at_vmid_flush, 2);
	sim.watch = false;

	/* Protecting with the mode already there splits nothing. */
	reset_log();
	assert_int_equal(s2_protect(&t, 0x40000000 + PAGE, PAGE, RWX), MV_OK);
	assert_int_equal(t.table_pages, tables);
	assert_int_equal(sim.flushes, 0);

	/* A whole block changes in place. */
	assert_int_equal(s2_protect(&t, 0x40000000, SZ_1G, RW), MV_OK);
	assert_int_equal(sim.flushes, 1);
	assert_range_maps(&t, 0x40000000, 0x100000000, SZ_1G, RW, 1);
	destroy_table(&t);
}

static void test_map_page_by_page_coalesces(void **state)
{
	struct s2_table t;
	uint64_t off;

	(void)state;
	init_table(&t, 40);
	for (off = 0; off < SZ_2M; off += PAGE) {
		assert_int_equal(s2_map(&t, 0x40200000 + off, 0x100200000 + off, PAGE, RW), MV_OK);
		assert_int_equal(t.table_pages, off + PAGE < SZ_2M ? 2 + 2 : 2 + 1);
	}
	assert_range_maps(&t, 0x40200000, 0x100200000, SZ_2M, RW, 2);
	destroy_table(&t);
}

static void test_protect_hole_is_not_found(void **state)
{
	struct snapshot before;
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x40000000, 0x100000000, SZ_2M, RW), MV_OK);
	assert_int_equal(
	    s2_map(&t, 0x40000000 + SZ_2M + PAGE, 0x100000000 + SZ_2M + PAGE, PAGE, RW), MV_OK);
	take_snapshot(&t, &before);
	reset_log();
	assert_int_equal(s2_protect(&t, 0x40000000, SZ_2M + 2 * PAGE, S2_READ), MV_ERR_NOT_FOUND);
	assert_int_equal(s2_protect(&t, 0x40001000, SZ_2M, S2_READ), MV_ERR_NOT_FOUND);
	assert_int_equal(s2_protect(&t, 0x80000000, PAGE, S2_READ), MV_ERR_NOT_FOUND);
	assert_snapshot_unchanged(&t, &before);
	assert_int_equal(sim.flushes, 0);
	destroy_table(&t);
}

static void test_mode_descriptor_bits(void **state)
{
	uint64_t attrs = 0;
	uint64_t desc;
	unsigned level;
	struct s2_table t;

	(void)state;
	assert_int_equal(s2_mode_to_desc(RW | S2_DEVICE, &attrs), MV_OK);
	assert_int_equal(attrs, D_AF | D_S2AP(3) | D_MEMATTR(1) | D_SH(0) | D_XN);
	assert_int_equal(s2_mode_to_desc(RWX, &attrs), MV_OK);
	assert_int_equal(attrs, D_AF | D_S2AP(3) | D_MEMATTR(0xf) | D_SH(3));
	assert_int_equal(s2_mode_to_desc(S2_READ, &attrs), MV_OK);
	assert_int_equal(attrs, D_AF | D_S2AP(1) | D_MEMATTR(0xf) | D_SH(3) | D_XN);
	assert_int_equal(s2_mode_to_desc(S2_WRITE, &attrs), MV_OK);
	assert_int_equal(attrs, D_AF | D_S2AP(2) | D_MEMATTR(0xf) | D_SH(3) | D_XN);
	assert_int_equal(s2_desc_to_mode(0), 0);

	/* The descriptors in memory: device page, normal block, page type bits. */
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x9000000, 0x9000000, PAGE, RW | S2_DEVICE), MV_OK);
	assert_int_equal(s2_map(&t, 0x40000000, 0x140000000, SZ_2M, RX), MV_OK);
	desc = raw_leaf(&t, 0x9000000, &level);
	assert_int_equal(level, 3);
	assert_int_equal(desc, 0x9000000 | D_AF | D_S2AP(3) | D_MEMATTR(1) | D_XN | D_VALID |
				   D_TABLE_OR_PAGE);
	desc = raw_leaf(&t, 0x40000000, &level);
	assert_int_equal(level, 2);
	assert_int_equal(desc, 0x140000000 | D_AF | D_S2AP(1) | D_MEMATTR(0xf) | D_SH(3) | D_VALID);
	destroy_table(&t);
}

static void test_shared_round_trips(void **state)
{
	struct snapshot snap;
	struct s2_table t;
	unsigned mode;

	(void)state;
	/* Every valid mode survives the trip through descriptor bits. */
	for (mode = 0; mode <= S2_MODE_MASK; mode++) {
		uint64_t attrs = 0;

		if (s2_mode_to_desc(mode, &attrs) != MV_OK) {
			assert_true(!(mode & RW) || ((mode & S2_DEVICE) && (mode & S2_EXEC)));
			continue;
		}
		assert_int_equal(s2_desc_to_mode(attrs | D_VALID), mode);
		assert_int_equal(!!(attrs & D_SW_SHARED), !!(mode & S2_SHARED));
	}

	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x100000000, 0x90000000, 4 * PAGE, RX | S2_SHARED), MV_OK);
	assert_int_equal(s2_map(&t, 0x100004000, 0x91000000, 2 * PAGE, RW), MV_OK);
	assert_maps(&t, 0x100001000, 0x90001000, RX | S2_SHARED, 3);
	assert_true(raw_leaf(&t, 0x100001000, NULL) & D_SW_SHARED);
	assert_false(raw_leaf(&t, 0x100004000, NULL) & D_SW_SHARED);
	take_snapshot(&t, &snap);
	assert_int_equal(snap.count, 6);
	assert_int_equal(snap.leaves[3].mode, RX | S2_SHARED);
	assert_int_equal(snap.leaves[4].mode, RW);
	/* Sharing is an attribute like the others: protect can drop it. */
	assert_int_equal(s2_protect(&t, 0x100000000, PAGE, RX), MV_OK);
	assert_maps(&t, 0x100000000, 0x90000000, RX, 3);
	destroy_table(&t);
}

static void test_out_of_memory_changes_nothing(void **state)
{
	struct snapshot before;
	struct s2_table t;

	(void)state;
	init_table(&t, 40);
	assert_int_equal(s2_map(&t, 0x80000000, 0x180000000, SZ_1G, RW), MV_OK);
	assert_int_equal(s2_map(&t, 0x40000000, 0x100000000, SZ_2M, RW), MV_OK);
	take_snapshot(&t, &before);

	/* Needs two level-2 and two level-3 tables: three are not enough, four are. */
	sim.limit = sim.used_count + 3;
	reset_log();
	assert_int_equal(s2_map(&t, 3 * SZ_1G + 0x3000, 7 * SZ_1G + 0x3000, SZ_1G + SZ_2M, RW),
			 MV_ERR_NO_MEMORY);
	assert_snapshot_unchanged(&t, &before);
	sim.limit = sim.used_count + 4;
	assert_int_equal(s2_map(&t, 3 * SZ_1G + 0x3000, 7 * SZ_1G + 0x3000, SZ_1G + SZ_2M, RW),
			 MV_OK);
	assert_int_equal(t.table_pages, before.tables + 4);
	assert_int_equal(s2_unmap(&t, 3 * SZ_1G, 2 * SZ_1G), MV_OK);
	assert_snapshot_unchanged(&t, &before);
	reset_log();
	/* A split of the 1 GiB block around one page needs two pages. */
	sim.limit = sim.used_count + 1;
	assert_int_equal(s2_unmap(&t, 0x80000000 + SZ_2M + PAGE, PAGE), MV_ERR_NO_MEMORY);
	assert_snapshot_unchanged(&t, &before);
	sim.limit = sim.used_count;
	assert_int_equal(s2_protect(&t, 0x40000000, PAGE, S2_READ), MV_ERR_NO_MEMORY);
	assert_snapshot_unchanged(&t, &before);
	assert_int_equal(sim.flushes, 0);

	/* Whole blocks, and parts of blocks that keep their mode, need no pages. */
	assert_int_equal(s2_protect(&t, 0x80000000 + SZ_2M + PAGE, PAGE, RW), MV_OK);
	assert_int_equal(s2_protect(&t, 0x80000000, SZ_1G, S2_READ), MV_OK);
	assert_int_equal(s2_unmap(&t, 0x40000000, SZ_2M), MV_OK);
	sim.limit = ARENA_PAGES;
	assert_int_equal(s2_unmap(&t, 0x80000000 + SZ_2M + PAGE, PAGE), MV_OK);
	assert_int_equal(t.table_pages, 2 + 2);
	destroy_table(&t);
}

struct order_check {
	uint64_t next_ipa;
	unsigned calls;
	unsigned stop_after;
};

static int check_order(void *arg, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode)
{
	struct order_check *check = arg;

	(void)pa;
	(void)mode;
	assert_true(ipa >= check->next_ipa);
	assert_int_equal(ipa % size, 0);
	check->next_ipa = ipa + size;
	check->calls++;
	return check->calls == check->stop_after ? 42 : 0;
}

static void test_walk_order_and_coverage(void **state)
{
	struct order_check check = {0};
	struct leaf_census census = {0};
	struct s2_table t;

	(void)state;
	init_table(&t, 44);
	assert_int_equal(s2_map(&t, 0x80000000000, 0x40000000, SZ_1G, RW), MV_OK);
	assert_int_equal(s2_map(&t, 0x7000, 0x7000, 3 * PAGE, RW), MV_OK);
	assert_int_equal(s2_map(&t, 0x40200000, 0x180200000, SZ_2M + PAGE, RX), MV_OK);
	assert_int_equal(s2_map(&t, 0xfffffe00000, 0x200000, SZ_2M, S2_READ), MV_OK);
	assert_int_equal(s2_walk(&t, check_order, &check), 0);
	assert_int_equal(check.calls, 3 + 1 + 1 + 1 + 1);
	assert_int_equal(s2_walk(&t, count_leaf, &census), 0);
	assert_int_equal(census.bytes, 3 * PAGE + SZ_2M + PAGE + SZ_1G + SZ_2M);

	/* A non-zero return stops the walk and is passed back. */
	memset(&check, 0, sizeof(check));
	check.stop_after = 2;
	assert_int_equal(s2_walk(&t, check_order, &check), 42);
	assert_int_equal(check.calls, 2);
	destroy_table(&t);
}

/* Randomised operations on a 16 MiB window, checked against one entry per page. */
#define RND_BASE UINT64_C(0x40000000)
#define RND_PAGES 4096
#define RND_OPS 4000
#define RND_PA_DELTA UINT64_C(0x100000000)

struct model_page {
	bool valid;
	uint64_t pa;
	unsigned mode;
};

static struct model_page model[RND_PAGES];
static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned rng_below(unsigned n)
{
	return (unsigned)(rng() % n);
}

struct model_check {
	size_t covered;
	size_t mismatches;
};

static int check_model_leaf(void *arg, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode)
{
	struct model_check *check = arg;
	uint64_t off;

	assert_true(ipa >= RND_BASE && ipa + size <= RND_BASE + RND_PAGES * PAGE);
	/* Plain comparisons: a cmocka assertion per page would dominate the run time. */
	for (off = 0; off < size; off += PAGE) {
		const struct model_page *page = &model[(ipa + off - RND_BASE) / PAGE];

		check->mismatches += !page->valid || page->pa != pa + off || page->mode != mode;
	}
	check->covered += size / PAGE;
	return 0;
}

/* The minimal tables for the model: one level-2 table, plus one per mixed 2 MiB region. */
static size_t model_table_pages(void)
{
	size_t tables = 1, region, i;
	bool any = false;

	for (region = 0; region < RND_PAGES / 512; region++) {
		const struct model_page *first = &model[region * 512];
		bool all = true, none = true, uniform = first->pa % SZ_2M == 0;

		for (i = 0; i < 512; i++) {
			const struct model_page *page = &first[i];

			all = all && page->valid;
			none = none && !page->valid;
			uniform = uniform && page->valid && page->mode == first->mode &&
				  page->pa == first->pa + i * PAGE;
		}
		any = any || !none;
		tables += !none && !(all && uniform);
	}
	return tables + any;
}

static void check_against_model(const struct s2_table *t)
{
	struct model_check check = {0};
	size_t valid = 0, i;

	assert_int_equal(s2_walk(t, check_model_leaf, &check), 0);
	for (i = 0; i < RND_PAGES; i++)
		valid += model[i].valid;
	assert_int_equal(check.mismatches, 0);
	assert_int_equal(check.covered, valid);
	assert_int_equal(t->table_pages, model_table_pages());
	assert_int_equal(sim.used_count, t->table_pages);
	assert_int_equal(sim.bbm_violations, 0);
}

static void test_random_against_model(void **state)
{
	static const unsigned modes[] = {RW, S2_READ, RX | S2_SHARED, RW | S2_DEVICE};
	unsigned results[8] = {0};
	struct s2_table t;
	unsigned op;

	(void)state;
	memset(model, 0, sizeof(model));
	init_table(&t, 32);
	for (op = 0; op < RND_OPS; op++) {
		unsigned kind = rng_below(10);
		size_t first = rng_below(RND_PAGES);
		size_t count = 1 + rng_below(kind < 4 ? 700 : 1500);
		unsigned mode = modes[rng_below(4)];
		uint64_t pa = 0;
		enum mv_status expect = MV_OK, got;
		bool tight = rng_below(5) == 0;
		size_t i;

		if (kind < 4 && rng_below(3) == 0) {
			/* Block-sized pieces, to get blocks that later operations split. */
			first = rng_below(RND_PAGES / 512) * 512;
			count = 512 * (1 + rng_below(2));
		}
		if (first + count > RND_PAGES)
			count = RND_PAGES - first;
		if (kind < 4) {
			pa = RND_BASE + first * PAGE + RND_PA_DELTA;
			if (rng_below(3) == 0)
				pa = 0x200000000 + (uint64_t)rng_below(1 << 16) * PAGE;
			for (i = first; i < first + count; i++)
				if (model[i].valid)
					expect = MV_ERR_BUSY;
		} else if (kind >= 7) {
			for (i = first; i < first + count; i++)
				if (!model[i].valid)
					expect = MV_ERR_NOT_FOUND;
		}
		/* A tight allocator may refuse pages, but never after a refusal for another cause.
		 */
		if (tight)
			sim.limit = sim.used_count + rng_below(3);

		if (kind < 4)
			got = s2_map(&t, RND_BASE + first * PAGE, pa, count * PAGE, mode);
		else if (kind < 7)
			got = s2_unmap(&t, RND_BASE + first * PAGE, count * PAGE);
		else
			got = s2_protect(&t, RND_BASE + first * PAGE, count * PAGE, mode);
		sim.limit = ARENA_PAGES;

		if (got == MV_ERR_NO_MEMORY && tight && expect == MV_OK)
			expect = MV_ERR_NO_MEMORY;
		assert_int_equal(got, expect);
		results[-(int)got]++;
		if (got == MV_OK) {
			for (i = first; i < first + count; i++) {
				if (kind < 4) {
					model[i].valid = true;
					model[i].pa = pa + (i - first) * PAGE;
					model[i].mode = mode;
				} else if (kind < 7) {
					model[i].valid = false;
				} else {
					model[i].mode = mode;
				}
			}
		}
		check_against_model(&t);
	}
	/* The mix must have exercised every outcome. */
	assert_true(results[0] > 100);
	assert_true(results[-MV_ERR_BUSY] > 100);
	assert_true(results[-MV_ERR_NOT_FOUND] > 100);
	assert_true(results[-MV_ERR_NO_MEMORY] > 10);
	destroy_table(&t);
}

#define TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    TEST(test_parange_to_ipa_bits),
	    TEST(test_vtcr_values),
	    TEST(test_init_destroy_geometry),
	    TEST(test_init_rejects_bad_arguments),
	    TEST(test_map_page_and_block_sizes),
	    TEST(test_map_uses_largest_blocks),
	    TEST(test_map_pa_misaligned_falls_back_to_pages),
	    TEST(test_map_overlap_is_busy_and_changes_nothing),
	    TEST(test_invalid_arguments),
	    TEST(test_unmap_partial_block_splits),
	    TEST(test_unmap_everything_frees_tables),
	    TEST(test_unmap_slot_flushes_once),
	    TEST(test_unmap_keep_keeps_slot_tables),
	    TEST(test_map_direct_keeps_tables_minimal),
	    TEST(test_prepare_builds_tables_only),
	    TEST(test_destroy_frees_populated_tables),
	    TEST(test_protect_splits_and_coalesces),
	    TEST(test_map_page_by_page_coalesces),
	    TEST(test_protect_hole_is_not_found),
	    TEST(test_mode_descriptor_bits),
	    TEST(test_shared_round_trips),
	    TEST(test_out_of_memory_changes_nothing),
	    TEST(test_walk_order_and_coverage),
	    TEST(test_random_against_model),
	};

	return cmocka_run_group_tests_name("stage2", tests, NULL, NULL);
}
