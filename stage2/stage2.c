/* Stage-2 table maintenance: map, unmap, protect, lookup and walk, with break-before-make. */
#include "stage2.h"
#include "stage2_desc.h"

#define S2_LEVEL_BITS 9u
#define S2_TABLE_ENTRIES (1u << S2_LEVEL_BITS)
/* Emptied tables an unmap holds back before it has to flush early to free them. */
#define S2_DEFERRED_TABLES 8u

enum s2_op_kind {
	S2_OP_MAP,
	S2_OP_UNMAP,
	S2_OP_PROTECT,
	S2_OP_PREPARE, /* only tables: every level down to the last, no leaf */
};

/*
 * Every write-side call runs twice over its range. The dry run writes nothing: it refuses
 * overlaps and holes and counts the table pages the real run will take. Those pages are then
 * allocated up front, so the real run cannot fail halfway and nothing ever needs rolling back.
 */
struct s2_op {
	struct s2_table *t;
	enum s2_op_kind kind;
	bool dry_run;
	bool keep_tables;      /* unmap, prepare: leave every table page in place, empty or not */
	uint64_t attrs;	       /* map, protect: leaf attribute bits */
	uint64_t pa_minus_ipa; /* map: modulo 2^64, so pa may lie below ipa */
	size_t pages_needed;
	uint64_t *reserve; /* reserved pages, chained through their first two words */
	/*
	 * Unmap defers its TLB maintenance: entries are only cleared while walking, then one
	 * sync and one VMID flush cover them all. Emptied tables stay out of the allocator until
	 * that flush, since a walker may still hold a walk-cache entry pointing into them.
	 */
	bool flush_pending;
	size_t deferred;
	uint64_t *deferred_va[S2_DEFERRED_TABLES];
	uint64_t deferred_pa[S2_DEFERRED_TABLES];
};

/*
 * A table the operation works on. In a dry run a table that would be created exists only in
 * imagination: va is NULL and its entries derive from the block it would split (or are all
 * invalid when split_block is 0).
 */
struct s2_tref {
	uint64_t *va;
	uint64_t pa;
	uint64_t split_block;
	/* Reachable by the table walker, so a valid entry may only change by break-before-make. */
	bool live;
};

static unsigned level_shift(unsigned level)
{
	return S2_PAGE_SHIFT + S2_LEVEL_BITS * (S2_LAST_LEVEL - level);
}

static uint64_t level_size(unsigned level)
{
	return UINT64_C(1) << level_shift(level);
}

static bool level_has_leaves(unsigned level)
{
	return level >= S2_FIRST_BLOCK_LEVEL;
}

static bool is_aligned(uint64_t value, uint64_t size)
{
	return (value & (size - 1)) == 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static size_t root_entries(const struct s2_table *t)
{
	return (size_t)1 << (t->ipa_bits - level_shift(t->start_level));
}

/* The walker reads descriptors concurrently: a descriptor store must be one 64-bit store. */
static void write_desc(uint64_t *slot, uint64_t desc)
{
	*(volatile uint64_t *)slot = desc;
}

static uint64_t read_desc(const uint64_t *slot)
{
	return *(const volatile uint64_t *)slot;
}

static uint64_t *table_va(const struct s2_table *t, uint64_t desc)
{
	return t->hooks->phys_to_virt(t->ctx, s2_desc_oa(desc));
}

static void hw_sync(const struct s2_table *t)
{
	t->hooks->sync(t->ctx);
}

static void release_table(struct s2_table *t, uint64_t *va, uint64_t pa)
{
	S2_BUG_ON(t->table_pages == 0);
	t->hooks->free_table(t->ctx, va, pa);
	t->table_pages--;
}

static void drop_reserve(struct s2_op *op)
{
	while (op->reserve) {
		uint64_t *page = op->reserve;

		op->reserve = (uint64_t *)(uintptr_t)page[0];
		op->t->hooks->free_table(op->t->ctx, page, page[1]);
	}
}

static enum mv_status reserve_tables(struct s2_op *op)
{
	const struct s2_table *t = op->t;
	size_t i;

	for (i = 0; i < op->pages_needed; i++) {
		uint64_t pa = 0;
		uint64_t *page = t->hooks->alloc_table(t->ctx, &pa);

		if (!page) {
			drop_reserve(op);
			return MV_ERR_NO_MEMORY;
		}
		S2_BUG_ON(!is_aligned(pa, S2_PAGE_SIZE));
		page[0] = (uint64_t)(uintptr_t)op->reserve;
		page[1] = pa;
		op->reserve = page;
	}
	return MV_OK;
}

/* Makes the cleared entries of a deferring unmap unreachable, then frees its held tables. */
static void flush_deferred(struct s2_op *op)
{
	struct s2_table *t = op->t;
	size_t i;

	if (op->flush_pending) {
		hw_sync(t);
		t->hooks->tlb_flush_vmid(t->ctx, t->vmid);
		op->flush_pending = false;
	}
	for (i = 0; i < op->deferred; i++)
		release_table(t, op->deferred_va[i], op->deferred_pa[i]);
	op->deferred = 0;
}

/* A table just unlinked from a live parent: free it once no TLB entry can lead into it. */
static void release_unlinked(struct s2_op *op, uint64_t *va, uint64_t pa)
{
	if (op->kind != S2_OP_UNMAP) {
		release_table(op->t, va, pa);
		return;
	}
	if (op->deferred == S2_DEFERRED_TABLES)
		flush_deferred(op);
	op->deferred_va[op->deferred] = va;
	op->deferred_pa[op->deferred] = pa;
	op->deferred++;
}

/* The tables below a table entry just cleared, children before their parents. */
static void release_subtree(struct s2_op *op, uint64_t desc, unsigned level)
{
	uint64_t *va = table_va(op->t, desc);
	size_t i;

	for (i = 0; level + 1 < S2_LAST_LEVEL && i < S2_TABLE_ENTRIES; i++) {
		uint64_t child = read_desc(&va[i]);

		if (s2_desc_is_table(child, level + 1))
			release_subtree(op, child, level + 1);
	}
	release_unlinked(op, va, s2_desc_oa(desc));
}

static uint64_t *take_table(struct s2_op *op, uint64_t *pa_out)
{
	uint64_t *page = op->reserve;

	S2_BUG_ON(!page);
	op->reserve = (uint64_t *)(uintptr_t)page[0];
	*pa_out = page[1];
	page[0] = 0;
	page[1] = 0;
	op->t->table_pages++;
	return page;
}

/* Entry idx of the table at child_level that maps the same memory as a part of block. */
static uint64_t split_entry(uint64_t block, unsigned child_level, size_t idx)
{
	uint64_t oa = s2_desc_oa(block) + (uint64_t)idx * level_size(child_level);

	return s2_desc_leaf(oa, s2_desc_attrs(block), child_level);
}

static uint64_t read_entry(const struct s2_tref *tbl, unsigned level, size_t idx)
{
	if (tbl->va)
		return read_desc(&tbl->va[idx]);
	if (s2_desc_valid(tbl->split_block))
		return split_entry(tbl->split_block, level, idx);
	return 0;
}

/*
 * The only place that changes an entry. A valid entry of a live table goes through
 * break-before-make so that no walker ever sees two translations of one address at once.
 */
static void replace_entry(struct s2_op *op, const struct s2_tref *tbl, unsigned level, size_t idx,
			  uint64_t ipa, uint64_t old_desc, uint64_t new_desc)
{
	const struct s2_table *t = op->t;

	if (op->dry_run || old_desc == new_desc)
		return;

	if (!tbl->live || !s2_desc_valid(old_desc)) {
		/* A table must be complete before the walker can reach it. */
		if (tbl->live && s2_desc_is_table(new_desc, level))
			hw_sync(t);
		write_desc(&tbl->va[idx], new_desc);
		return;
	}

	write_desc(&tbl->va[idx], 0);
	if (op->kind == S2_OP_UNMAP && !s2_desc_valid(new_desc)) {
		op->flush_pending = true;
		return;
	}
	hw_sync(t);
	/*
	 * A table folded into a block still has its leaves cached under many IPAs. An emptied
	 * table had each leaf flushed on removal, so only its own walk-cache entry remains.
	 */
	if (s2_desc_is_table(old_desc, level) && s2_desc_valid(new_desc))
		t->hooks->tlb_flush_vmid(t->ctx, t->vmid);
	else
		t->hooks->tlb_flush_ipa(t->ctx, t->vmid, ipa, level);
	if (s2_desc_valid(new_desc)) {
		write_desc(&tbl->va[idx], new_desc);
		hw_sync(t);
	}
}

/*
 * Whether no entry of a table is valid, eight entries a step. An invalid entry is always
 * written as 0, and only this CPU writes the table (under the VM's lock), so plain loads that
 * the compiler may pair are fine here.
 */
static bool table_empty(const uint64_t *va)
{
	size_t i;

	for (i = 0; i < S2_TABLE_ENTRIES; i += 8) {
		uint64_t any = va[i] | va[i + 1] | va[i + 2] | va[i + 3] | va[i + 4] | va[i + 5] |
			       va[i + 6] | va[i + 7];

		if (any)
			return false;
	}
	return true;
}

/*
 * What the parent entry of a changed table should become: invalid when nothing is left, one
 * block when the table maps one aligned contiguous range with one set of attributes, else the
 * table itself. This keeps the tables minimal, so the same mappings always need the same pages.
 */
static uint64_t settle_table(const struct s2_tref *child, unsigned parent_level)
{
	unsigned child_level = parent_level + 1;
	uint64_t child_size = level_size(child_level);
	uint64_t first = read_desc(&child->va[0]);
	bool any_valid = false;
	bool one_block = level_has_leaves(parent_level) && s2_desc_is_leaf(first, child_level) &&
			 is_aligned(s2_desc_oa(first), level_size(parent_level));
	size_t i = 0;

	/* After an unmap the table is often empty, and with an invalid first entry it cannot be
	 * one block either. */
	if (!s2_desc_valid(first))
		return table_empty(child->va) ? 0 : s2_desc_table(child->pa);
	for (i = 0; i < S2_TABLE_ENTRIES && (!any_valid || one_block); i++) {
		uint64_t desc = read_desc(&child->va[i]);

		any_valid = any_valid || s2_desc_valid(desc);
		/* Adding to the descriptor only touches the aligned block's offset bits. */
		one_block = one_block && desc == first + i * child_size;
	}
	if (!any_valid)
		return 0;
	if (one_block)
		return s2_desc_leaf(s2_desc_oa(first), s2_desc_attrs(first), parent_level);
	return s2_desc_table(child->pa);
}

static enum mv_status visit_range(struct s2_op *op, const struct s2_tref *tbl, unsigned level,
				  uint64_t table_ipa, uint64_t ipa, uint64_t end);

/*
 * Works on the next level below entry idx: an existing table (old_desc is a table), a new
 * table splitting the block old_desc, or a new empty table (old_desc is 0). A new table is
 * filled while unreachable and then installed with a single entry change.
 */
static enum mv_status visit_child(struct s2_op *op, const struct s2_tref *tbl, unsigned level,
				  size_t idx, uint64_t entry_ipa, uint64_t ipa, uint64_t end,
				  uint64_t old_desc)
{
	struct s2_tref child = {.va = NULL, .pa = 0, .split_block = 0, .live = false};
	uint64_t new_desc;
	enum mv_status ret;

	S2_BUG_ON(level >= S2_LAST_LEVEL);
	if (s2_desc_is_table(old_desc, level)) {
		child.va = table_va(op->t, old_desc);
		child.pa = s2_desc_oa(old_desc);
		child.live = tbl->live;
	} else if (op->dry_run) {
		op->pages_needed++;
		child.split_block = old_desc;
	} else {
		size_t i;

		child.va = take_table(op, &child.pa);
		for (i = 0; s2_desc_valid(old_desc) && i < S2_TABLE_ENTRIES; i++)
			write_desc(&child.va[i], split_entry(old_desc, level + 1, i));
	}

	ret = visit_range(op, &child, level + 1, entry_ipa, ipa, end);
	if (ret != MV_OK || op->dry_run)
		return ret;
	/* Removing entries cannot make a table one block, and an emptied one is to be kept. */
	if (op->keep_tables && s2_desc_is_table(old_desc, level))
		return MV_OK;

	new_desc = op->keep_tables ? s2_desc_table(child.pa) : settle_table(&child, level);
	replace_entry(op, tbl, level, idx, entry_ipa, old_desc, new_desc);
	if (new_desc == s2_desc_table(child.pa))
		return MV_OK;
	/* Only a table the walker could reach needs the flush before it is reused. */
	if (child.live)
		release_unlinked(op, child.va, child.pa);
	else
		release_table(op->t, child.va, child.pa);
	return MV_OK;
}

/* [ipa, end) lies inside the entry starting at entry_ipa. */
static enum mv_status visit_entry(struct s2_op *op, const struct s2_tref *tbl, unsigned level,
				  size_t idx, uint64_t entry_ipa, uint64_t ipa, uint64_t end)
{
	uint64_t old_desc = read_entry(tbl, level, idx);
	bool whole_entry = ipa == entry_ipa && end - ipa == level_size(level);
	bool valid = s2_desc_valid(old_desc);
	uint64_t pa;

	if (s2_desc_is_table(old_desc, level) && op->kind == S2_OP_UNMAP && whole_entry &&
	    tbl->live && !op->keep_tables) {
		/* Dropped as a whole: nothing below needs visiting, only freeing after the flush.
		 */
		if (!op->dry_run) {
			replace_entry(op, tbl, level, idx, entry_ipa, old_desc, 0);
			release_subtree(op, old_desc, level);
		}
		return MV_OK;
	}
	if (s2_desc_is_table(old_desc, level))
		return visit_child(op, tbl, level, idx, entry_ipa, ipa, end, old_desc);
	S2_BUG_ON(valid && !s2_desc_is_leaf(old_desc, level));

	switch (op->kind) {
	case S2_OP_MAP:
		if (valid) {
			S2_BUG_ON(!op->dry_run);
			return MV_ERR_BUSY;
		}
		pa = entry_ipa + op->pa_minus_ipa;
		if (whole_entry && level_has_leaves(level) && is_aligned(pa, level_size(level))) {
			replace_entry(op, tbl, level, idx, entry_ipa, 0,
				      s2_desc_leaf(pa, op->attrs, level));
			return MV_OK;
		}
		return visit_child(op, tbl, level, idx, entry_ipa, ipa, end, 0);
	case S2_OP_UNMAP:
		if (!valid)
			return MV_OK;
		if (whole_entry) {
			replace_entry(op, tbl, level, idx, entry_ipa, old_desc, 0);
			return MV_OK;
		}
		return visit_child(op, tbl, level, idx, entry_ipa, ipa, end, old_desc);
	case S2_OP_PROTECT:
		if (!valid) {
			S2_BUG_ON(!op->dry_run);
			return MV_ERR_NOT_FOUND;
		}
		/* Splitting a block only to rewrite the same bits would waste a page. */
		if (s2_desc_attrs(old_desc) == op->attrs)
			return MV_OK;
		if (whole_entry) {
			replace_entry(op, tbl, level, idx, entry_ipa, old_desc,
				      s2_desc_leaf(s2_desc_oa(old_desc), op->attrs, level));
			return MV_OK;
		}
		return visit_child(op, tbl, level, idx, entry_ipa, ipa, end, old_desc);
	case S2_OP_PREPARE:
		/* A leaf already translates the range: no table is needed there. */
		if (valid || level == S2_LAST_LEVEL)
			return MV_OK;
		return visit_child(op, tbl, level, idx, entry_ipa, ipa, end, 0);
	}
	S2_BUG_ON(true);
	return MV_ERR_INVALID;
}

/* [ipa, end) lies inside the table starting at table_ipa. */
static enum mv_status visit_range(struct s2_op *op, const struct s2_tref *tbl, unsigned level,
				  uint64_t table_ipa, uint64_t ipa, uint64_t end)
{
	unsigned shift = level_shift(level);
	size_t idx = (size_t)((ipa - table_ipa) >> shift);
	size_t last = (size_t)((end - 1 - table_ipa) >> shift);

	for (; idx <= last; idx++) {
		uint64_t entry_ipa = table_ipa + ((uint64_t)idx << shift);
		uint64_t entry_end = entry_ipa + level_size(level);
		enum mv_status ret = visit_entry(op, tbl, level, idx, entry_ipa,
						 max_u64(ipa, entry_ipa), min_u64(end, entry_end));

		if (ret != MV_OK)
			return ret;
	}
	return MV_OK;
}

static enum mv_status run_op(struct s2_op *op, uint64_t ipa, uint64_t size)
{
	struct s2_table *t = op->t;
	struct s2_tref root = {.va = t->root, .pa = t->root_pa, .split_block = 0, .live = true};
	enum mv_status ret;

	op->dry_run = true;
	op->pages_needed = 0;
	op->reserve = NULL;
	ret = visit_range(op, &root, t->start_level, 0, ipa, ipa + size);
	if (ret != MV_OK)
		return ret;
	ret = reserve_tables(op);
	if (ret != MV_OK)
		return ret;

	op->dry_run = false;
	op->flush_pending = false;
	op->deferred = 0;
	ret = visit_range(op, &root, t->start_level, 0, ipa, ipa + size);
	S2_BUG_ON(ret != MV_OK || op->reserve != NULL);
	flush_deferred(op);
	hw_sync(t);
	return MV_OK;
}

static bool table_ready(const struct s2_table *t)
{
	return t && t->root;
}

static enum mv_status check_ipa_range(const struct s2_table *t, uint64_t ipa, uint64_t size)
{
	uint64_t limit;

	if (!table_ready(t))
		return MV_ERR_INVALID;
	limit = UINT64_C(1) << t->ipa_bits;
	if (size == 0 || !is_aligned(ipa | size, S2_PAGE_SIZE))
		return MV_ERR_INVALID;
	/* Written so that ipa + size cannot wrap around. */
	if (ipa >= limit || size > limit - ipa)
		return MV_ERR_INVALID;
	return MV_OK;
}

static bool hooks_complete(const struct s2_hooks *hooks)
{
	return hooks && hooks->alloc_table && hooks->free_table && hooks->alloc_root &&
	       hooks->free_root && hooks->phys_to_virt && hooks->tlb_flush_ipa &&
	       hooks->tlb_flush_vmid && hooks->sync;
}

enum mv_status s2_init(struct s2_table *t, unsigned ipa_bits, uint16_t vmid,
		       const struct s2_hooks *hooks, void *ctx)
{
	unsigned start_level, index_bits, root_pages;
	uint64_t root_pa = 0;
	uint64_t *root;

	if (!t || !hooks_complete(hooks) || vmid > S2_MAX_VMID)
		return MV_ERR_INVALID;
	if (ipa_bits < S2_MIN_IPA_BITS || ipa_bits > S2_MAX_IPA_BITS)
		return MV_ERR_INVALID;

	start_level = s2_start_level(ipa_bits);
	index_bits = ipa_bits - level_shift(start_level);
	root_pages = index_bits > S2_LEVEL_BITS ? 1u << (index_bits - S2_LEVEL_BITS) : 1u;
	S2_BUG_ON(root_pages > S2_MAX_ROOT_PAGES);

	root = hooks->alloc_root(ctx, root_pages, &root_pa);
	if (!root)
		return MV_ERR_NO_MEMORY;
	/* VTTBR_EL2.BADDR of a concatenated root must be aligned to the whole root. */
	S2_BUG_ON(!is_aligned(root_pa, root_pages * S2_PAGE_SIZE));

	t->root = root;
	t->root_pa = root_pa;
	t->root_pages = root_pages;
	t->ipa_bits = ipa_bits;
	t->start_level = start_level;
	t->vmid = vmid;
	t->table_pages = root_pages;
	t->hooks = hooks;
	t->ctx = ctx;
	return MV_OK;
}

static void free_subtables(struct s2_table *t, const uint64_t *table, unsigned level,
			   size_t entries)
{
	size_t idx;

	for (idx = 0; idx < entries; idx++) {
		uint64_t desc = read_desc(&table[idx]);
		uint64_t *child;

		if (!s2_desc_is_table(desc, level))
			continue;
		child = table_va(t, desc);
		free_subtables(t, child, level + 1, S2_TABLE_ENTRIES);
		release_table(t, child, s2_desc_oa(desc));
	}
}

enum mv_status s2_destroy(struct s2_table *t)
{
	if (!table_ready(t))
		return MV_ERR_INVALID;

	/* Stale entries would otherwise outlive the frames and confuse the VMID's next owner. */
	t->hooks->tlb_flush_vmid(t->ctx, t->vmid);
	free_subtables(t, t->root, t->start_level, root_entries(t));
	S2_BUG_ON(t->table_pages != t->root_pages);
	t->hooks->free_root(t->ctx, t->root, t->root_pa, t->root_pages);
	t->root = NULL;
	t->root_pa = 0;
	t->table_pages = 0;
	return MV_OK;
}

/*
 * The existing last-level table that holds every page of [ipa, ipa + size), or NULL. Module
 * slots and lazily backed RAM are mapped and unmapped a few pages at a time inside one such
 * table: those calls take the direct paths below instead of two walks over the range.
 */
static uint64_t *leaf_table(const struct s2_table *t, uint64_t ipa, uint64_t size)
{
	const uint64_t *table = t->root;
	unsigned level = t->start_level;
	size_t idx = (size_t)(ipa >> level_shift(level));

	if ((ipa >> level_shift(S2_LAST_LEVEL - 1)) !=
	    ((ipa + size - 1) >> level_shift(S2_LAST_LEVEL - 1)))
		return NULL;
	for (; level < S2_LAST_LEVEL; level++) {
		uint64_t desc = read_desc(&table[idx]);

		if (!s2_desc_is_table(desc, level))
			return NULL;
		table = table_va(t, desc);
		idx = (size_t)(ipa >> level_shift(level + 1)) & (S2_TABLE_ENTRIES - 1);
	}
	return (uint64_t *)(uintptr_t)table;
}

/*
 * s2_map's direct path: every page lands in one existing last-level table where every target
 * entry is invalid, so no table is allocated and no valid entry changes (nothing to break
 * first). Returns false, having written nothing, when the general path must decide: an entry
 * is taken (it reports BUSY), or the table might end up one aligned uniform range, which the
 * general path folds into a block so that the tables stay minimal.
 */
static bool map_direct(struct s2_table *t, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t attrs)
{
	uint64_t *table = leaf_table(t, ipa, size);
	size_t first = (size_t)(ipa >> S2_PAGE_SHIFT) & (S2_TABLE_ENTRIES - 1);
	size_t count = (size_t)(size >> S2_PAGE_SHIFT), i;
	uint64_t head;

	if (!table)
		return false;
	for (i = 0; i < count; i++)
		if (s2_desc_valid(read_desc(&table[first + i])))
			return false;
	head = first ? read_desc(&table[0]) : s2_desc_leaf(pa, attrs, S2_LAST_LEVEL);
	if (s2_desc_valid(head) && is_aligned(s2_desc_oa(head), level_size(S2_LAST_LEVEL - 1)))
		return false;
	for (i = 0; i < count; i++)
		write_desc(&table[first + i],
			   s2_desc_leaf(pa + ((uint64_t)i << S2_PAGE_SHIFT), attrs, S2_LAST_LEVEL));
	hw_sync(t);
	return true;
}

enum mv_status s2_map(struct s2_table *t, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode)
{
	uint64_t pa_limit = UINT64_C(1) << S2_MAX_PA_BITS;
	uint64_t attrs;
	enum mv_status ret;

	ret = check_ipa_range(t, ipa, size);
	if (ret != MV_OK)
		return ret;
	if (!is_aligned(pa, S2_PAGE_SIZE) || pa >= pa_limit || size > pa_limit - pa)
		return MV_ERR_INVALID;
	ret = s2_mode_to_desc(mode, &attrs);
	if (ret != MV_OK)
		return ret;
	/* Before the operation is set up: its deferred-table arrays are not needed here. */
	if (map_direct(t, ipa, pa, size, attrs))
		return MV_OK;

	struct s2_op op = {.t = t, .kind = S2_OP_MAP, .attrs = attrs, .pa_minus_ipa = pa - ipa};

	return run_op(&op, ipa, size);
}

enum mv_status s2_unmap(struct s2_table *t, uint64_t ipa, uint64_t size)
{
	struct s2_op op = {.t = t, .kind = S2_OP_UNMAP};
	enum mv_status ret;

	ret = check_ipa_range(t, ipa, size);
	if (ret != MV_OK)
		return ret;
	return run_op(&op, ipa, size);
}

enum mv_status s2_unmap_keep(struct s2_table *t, uint64_t ipa, uint64_t size)
{
	enum mv_status ret = check_ipa_range(t, ipa, size);
	uint64_t *table;
	bool cleared = false;

	if (ret != MV_OK)
		return ret;
	table = leaf_table(t, ipa, size);
	if (!table) {
		struct s2_op op = {.t = t, .kind = S2_OP_UNMAP, .keep_tables = true};

		return run_op(&op, ipa, size);
	}
	/* Entries cleared with no maintenance each; one sync and one VMID flush cover them. */
	for (size_t i = (size_t)(ipa >> S2_PAGE_SHIFT) & (S2_TABLE_ENTRIES - 1),
		    end = i + (size_t)(size >> S2_PAGE_SHIFT);
	     i < end; i++) {
		if (s2_desc_valid(read_desc(&table[i]))) {
			write_desc(&table[i], 0);
			cleared = true;
		}
	}
	if (cleared) {
		hw_sync(t);
		t->hooks->tlb_flush_vmid(t->ctx, t->vmid);
	}
	return MV_OK;
}

enum mv_status s2_prepare(struct s2_table *t, uint64_t ipa, uint64_t size)
{
	struct s2_op op = {.t = t, .kind = S2_OP_PREPARE, .keep_tables = true};
	enum mv_status ret = check_ipa_range(t, ipa, size);

	return ret == MV_OK ? run_op(&op, ipa, size) : ret;
}

enum mv_status s2_protect(struct s2_table *t, uint64_t ipa, uint64_t size, unsigned mode)
{
	struct s2_op op = {.t = t, .kind = S2_OP_PROTECT};
	enum mv_status ret;

	ret = check_ipa_range(t, ipa, size);
	if (ret != MV_OK)
		return ret;
	ret = s2_mode_to_desc(mode, &op.attrs);
	if (ret != MV_OK)
		return ret;
	return run_op(&op, ipa, size);
}

enum mv_status s2_lookup(const struct s2_table *t, uint64_t ipa, uint64_t *pa, unsigned *mode,
			 unsigned *level)
{
	const uint64_t *table;
	unsigned lvl;
	size_t idx;

	if (!table_ready(t) || ipa >> t->ipa_bits)
		return MV_ERR_INVALID;

	table = t->root;
	lvl = t->start_level;
	/* Below the root every table has 512 entries; the root may have more or fewer. */
	idx = (size_t)(ipa >> level_shift(lvl));
	for (;;) {
		uint64_t desc = read_desc(&table[idx]);

		if (!s2_desc_valid(desc))
			return MV_ERR_NOT_FOUND;
		if (s2_desc_is_table(desc, lvl)) {
			table = table_va(t, desc);
			lvl++;
			idx = (size_t)(ipa >> level_shift(lvl)) & (S2_TABLE_ENTRIES - 1);
			continue;
		}
		S2_BUG_ON(!s2_desc_is_leaf(desc, lvl));
		if (pa)
			*pa = s2_desc_oa(desc) + (ipa & (level_size(lvl) - 1));
		if (mode)
			*mode = s2_desc_to_mode(desc);
		if (level)
			*level = lvl;
		return MV_OK;
	}
}

static int walk_table(const struct s2_table *t, const uint64_t *table, unsigned level,
		      uint64_t table_ipa, size_t entries, s2_walk_fn fn, void *arg)
{
	size_t idx;

	for (idx = 0; idx < entries; idx++) {
		uint64_t desc = read_desc(&table[idx]);
		uint64_t ipa = table_ipa + ((uint64_t)idx << level_shift(level));
		int ret;

		if (!s2_desc_valid(desc))
			continue;
		if (s2_desc_is_table(desc, level))
			ret = walk_table(t, table_va(t, desc), level + 1, ipa, S2_TABLE_ENTRIES, fn,
					 arg);
		else
			ret = fn(arg, ipa, s2_desc_oa(desc), level_size(level),
				 s2_desc_to_mode(desc));
		if (ret)
			return ret;
	}
	return 0;
}

int s2_walk(const struct s2_table *t, s2_walk_fn fn, void *arg)
{
	if (!table_ready(t) || !fn)
		return MV_ERR_INVALID;
	return walk_table(t, t->root, t->start_level, 0, root_entries(t), fn, arg);
}

uint64_t s2_vttbr(const struct s2_table *t)
{
	if (!table_ready(t))
		return 0;
	return t->root_pa | ((uint64_t)t->vmid << 48);
}
