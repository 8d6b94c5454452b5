/* Physical frame allocator with per-frame owners, mapping counts and per-owner counters. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"

static const char *const owner_names[FRAME_OWNER_COUNT] = {
    [FRAME_FREE] = "free",
    [FRAME_RESERVED] = "reserved",
    [FRAME_HYP] = "hyp",
    [FRAME_VM_RAM] = "vm-ram",
    [FRAME_VM_S2] = "vm-s2",
    [FRAME_MOD_TEXT] = "mod-text",
    [FRAME_VM_MODDATA] = "vm-moddata",
    [FRAME_DEVBUF] = "devbuf",
};

static bool owner_valid(enum frame_owner owner)
{
	return (unsigned int)owner < FRAME_OWNER_COUNT;
}

static void count_add(struct frame_pool *pool, unsigned int owner, unsigned int id)
{
	pool->used[owner]++;
	if (id < FRAME_MAX_IDS)
		pool->used_by_id[owner][id]++;
}

static void count_sub(struct frame_pool *pool, unsigned int owner, unsigned int id)
{
	pool->used[owner]--;
	if (id < FRAME_MAX_IDS)
		pool->used_by_id[owner][id]--;
}

int frame_account_of(enum frame_owner owner, uint8_t owner_id)
{
	switch (owner) {
	case FRAME_VM_RAM:
	case FRAME_VM_S2:
	case FRAME_VM_MODDATA:
		return owner_id < FRAME_MAX_IDS ? owner_id : -1;
	case FRAME_MOD_TEXT:
		return FRAME_ACCOUNT_TEXT;
	default:
		return -1;
	}
}

static size_t unclaimed_of(const struct frame_quota *q)
{
	return q->reserved > q->used ? q->reserved - q->used : 0;
}

/* Moves one frame into (delta 1) or out of (delta -1) an account, keeping `unclaimed` exact. */
static void account_move(struct frame_pool *pool, unsigned int owner, unsigned int id, int delta)
{
	int a = frame_account_of((enum frame_owner)owner, (uint8_t)id);

	if (a < 0)
		return;
	struct frame_quota *q = &pool->quota[a];

	pool->unclaimed -= unclaimed_of(q);
	q->used = delta > 0 ? q->used + 1 : q->used - 1;
	pool->unclaimed += unclaimed_of(q);
}

static void set_meta(struct frame_pool *pool, size_t i, enum frame_owner owner, uint8_t id)
{
	struct frame_meta *m = &pool->meta[i];

	count_sub(pool, m->owner, m->id);
	account_move(pool, m->owner, m->id, -1);
	m->owner = (uint8_t)owner;
	m->id = id;
	count_add(pool, m->owner, m->id);
	account_move(pool, m->owner, m->id, 1);
}

/* Index of the frame holding pa, or false if pa lies outside the pool. */
static bool frame_index(const struct frame_pool *pool, uint64_t pa, size_t *idx)
{
	if (pa < pool->base_pa || (pa - pool->base_pa) >> FRAME_SHIFT >= pool->nframes)
		return false;
	*idx = (size_t)((pa - pool->base_pa) >> FRAME_SHIFT);
	return true;
}

/* A frame-aligned run of count frames wholly inside the pool. */
static bool range_index(const struct frame_pool *pool, uint64_t pa, size_t count, size_t *idx)
{
	if (count == 0 || (pa & (FRAME_SIZE - 1)) || !frame_index(pool, pa, idx))
		return false;
	return count <= pool->nframes - *idx;
}

size_t frame_meta_bytes(size_t nframes)
{
	return nframes * sizeof(struct frame_meta);
}

enum mv_status frame_pool_init(struct frame_pool *pool, uint64_t base_pa, size_t nframes,
			       void *meta_storage)
{
	if (!pool || (base_pa & (FRAME_SIZE - 1)) || (nframes && !meta_storage) ||
	    ((uintptr_t)meta_storage & (_Alignof(struct frame_meta) - 1)))
		return MV_ERR_INVALID;
	/* The end address must be representable, so that range arithmetic never wraps. */
	if ((uint64_t)nframes > (UINT64_MAX - base_pa) >> FRAME_SHIFT)
		return MV_ERR_INVALID;

	pool->base_pa = base_pa;
	pool->nframes = nframes;
	pool->meta = meta_storage;
	pool->hint = 0;
	for (unsigned int o = 0; o < FRAME_OWNER_COUNT; o++) {
		pool->used[o] = 0;
		for (unsigned int id = 0; id < FRAME_MAX_IDS; id++)
			pool->used_by_id[o][id] = 0;
	}
	for (unsigned int a = 0; a < FRAME_ACCOUNTS; a++)
		pool->quota[a] = (struct frame_quota){FRAME_NO_LIMIT, 0, 0};
	pool->unclaimed = 0;
	for (size_t i = 0; i < nframes; i++) {
		pool->meta[i].owner = FRAME_FREE;
		pool->meta[i].id = FRAME_ID_NONE;
		pool->meta[i].maps = 0;
	}
	pool->used[FRAME_FREE] = nframes;
	return MV_OK;
}

enum mv_status frame_reserve(struct frame_pool *pool, uint64_t pa, uint64_t size,
			     enum frame_owner owner)
{
	uint64_t pool_end = pool->base_pa + ((uint64_t)pool->nframes << FRAME_SHIFT);
	uint64_t start = pa & ~(FRAME_SIZE - 1);
	uint64_t end;

	if (!owner_valid(owner) || owner == FRAME_FREE)
		return MV_ERR_INVALID;
	if (size == 0)
		return MV_OK;
	/* Round the end up to a frame, saturating: a range running off the top is just clipped. */
	end = pa + size - 1 < pa ? UINT64_MAX : pa + size - 1;
	end = (end | (FRAME_SIZE - 1)) < pool_end ? (end | (FRAME_SIZE - 1)) + 1 : pool_end;
	if (start < pool->base_pa)
		start = pool->base_pa;
	if (start >= end)
		return MV_OK;

	for (size_t i = (size_t)((start - pool->base_pa) >> FRAME_SHIFT),
		    n = (size_t)((end - pool->base_pa) >> FRAME_SHIFT);
	     i < n; i++) {
		if (pool->meta[i].owner == FRAME_FREE)
			set_meta(pool, i, owner, FRAME_ID_NONE);
	}
	return MV_OK;
}

/*
 * First index >= i whose physical frame number is a multiple of align (a power of two), or
 * SIZE_MAX if there is none: alignment is about physical addresses, not pool offsets.
 */
static size_t align_index(const struct frame_pool *pool, size_t i, size_t align)
{
	uint64_t pfn = (pool->base_pa >> FRAME_SHIFT) + i;
	uint64_t mask = (uint64_t)align - 1;

	if (pfn > UINT64_MAX - mask)
		return SIZE_MAX;
	pfn = (pfn + mask) & ~mask;
	if (pfn - (pool->base_pa >> FRAME_SHIFT) > SIZE_MAX)
		return SIZE_MAX;
	return (size_t)(pfn - (pool->base_pa >> FRAME_SHIFT));
}

/*
 * Finds an aligned free run starting in [from, start_limit). j only moves forward, because a
 * used frame rules out every run containing it, so one call reads each frame at most once.
 */
static bool find_run(const struct frame_pool *pool, size_t from, size_t start_limit, size_t count,
		     size_t align, size_t *out)
{
	size_t last_start = pool->nframes - count;
	size_t run = align_index(pool, from, align);
	size_t j = run;

	while (run < start_limit && run <= last_start) {
		if (j == run + count) {
			*out = run;
			return true;
		}
		if (pool->meta[j].owner != FRAME_FREE) {
			run = j + 1 < pool->nframes ? align_index(pool, j + 1, align) : SIZE_MAX;
			j = run;
			continue;
		}
		j++;
	}
	return false;
}

enum mv_status frame_alloc(struct frame_pool *pool, size_t count, size_t align_frames,
			   enum frame_owner owner, uint8_t owner_id, uint64_t *pa)
{
	size_t idx;

	if (count == 0 || align_frames == 0 || (align_frames & (align_frames - 1)) || !pa ||
	    !owner_valid(owner) || owner == FRAME_FREE)
		return MV_ERR_INVALID;
	if (frame_over_quota(pool, owner, owner_id, count))
		return MV_ERR_NO_MEMORY;
	/* Frames up to the owner's own reservation are its own; the rest must be unreserved. */
	int a = frame_account_of(owner, owner_id);
	size_t own = a < 0 ? 0 : unclaimed_of(&pool->quota[a]);

	if (count > pool->used[FRAME_FREE] || (count > own && count - own > frame_unreserved(pool)))
		return MV_ERR_NO_MEMORY;

	/* Next fit: spreads allocations and skips the densely used start of the pool. */
	if (!find_run(pool, pool->hint, pool->nframes, count, align_frames, &idx) &&
	    !find_run(pool, 0, pool->hint, count, align_frames, &idx))
		return MV_ERR_NO_MEMORY;

	for (size_t i = idx; i < idx + count; i++)
		set_meta(pool, i, owner, owner_id);
	pool->hint = idx + count < pool->nframes ? idx + count : 0;
	*pa = pool->base_pa + ((uint64_t)idx << FRAME_SHIFT);
	return MV_OK;
}

enum mv_status frame_free(struct frame_pool *pool, uint64_t pa, size_t count)
{
	size_t idx;

	if (!range_index(pool, pa, count, &idx))
		return MV_ERR_INVALID;
	/* Check everything first, so that a refused call leaves no frame half freed. */
	for (size_t i = idx; i < idx + count; i++) {
		if (pool->meta[i].owner == FRAME_FREE)
			return MV_ERR_INVALID;
	}
	/* A frame still in some stage-2 table would reach its next owner through that mapping. */
	for (size_t i = idx; i < idx + count; i++) {
		if (pool->meta[i].maps)
			return MV_ERR_BUSY;
	}
	for (size_t i = idx; i < idx + count; i++)
		set_meta(pool, i, FRAME_FREE, FRAME_ID_NONE);
	return MV_OK;
}

bool frame_range_owned(const struct frame_pool *pool, uint64_t pa, size_t count,
		       enum frame_owner owner, uint8_t owner_id)
{
	size_t idx;

	if (owner == FRAME_FREE || !range_index(pool, pa, count, &idx))
		return false;
	for (size_t i = idx; i < idx + count; i++) {
		const struct frame_meta *m = &pool->meta[i];

		if (m->owner != owner || m->id != owner_id || m->maps)
			return false;
	}
	return true;
}

enum mv_status frame_set_owner(struct frame_pool *pool, uint64_t pa, size_t count,
			       enum frame_owner owner, uint8_t owner_id)
{
	size_t idx;

	if (!owner_valid(owner) || owner == FRAME_FREE || !range_index(pool, pa, count, &idx))
		return MV_ERR_INVALID;
	for (size_t i = idx; i < idx + count; i++) {
		if (pool->meta[i].owner == FRAME_FREE)
			return MV_ERR_INVALID;
	}
	for (size_t i = idx; i < idx + count; i++)
		set_meta(pool, i, owner, owner_id);
	return MV_OK;
}

enum mv_status frame_owner_of(const struct frame_pool *pool, uint64_t pa, enum frame_owner *owner,
			      uint8_t *owner_id)
{
	size_t idx;

	if (!frame_index(pool, pa, &idx))
		return MV_ERR_INVALID;
	if (owner)
		*owner = (enum frame_owner)pool->meta[idx].owner;
	if (owner_id)
		*owner_id = pool->meta[idx].id;
	return MV_OK;
}

bool frame_in_pool(const struct frame_pool *pool, uint64_t pa, uint64_t size)
{
	uint64_t bytes = (uint64_t)pool->nframes << FRAME_SHIFT;

	return pa >= pool->base_pa && pa - pool->base_pa <= bytes &&
	       size <= bytes - (pa - pool->base_pa);
}

/* The allocated frame holding pa, or NULL. */
static struct frame_meta *owned_meta(const struct frame_pool *pool, uint64_t pa)
{
	size_t idx;

	if (!frame_index(pool, pa, &idx) || pool->meta[idx].owner == FRAME_FREE)
		return NULL;
	return &pool->meta[idx];
}

enum mv_status frame_map_get(const struct frame_pool *pool, uint64_t pa, uint16_t *maps)
{
	const struct frame_meta *m = owned_meta(pool, pa);

	if (!m)
		return MV_ERR_INVALID;
	if (maps)
		*maps = m->maps;
	return MV_OK;
}

enum mv_status frame_map_inc(struct frame_pool *pool, uint64_t pa, uint16_t *maps)
{
	struct frame_meta *m = owned_meta(pool, pa);

	if (!m)
		return MV_ERR_INVALID;
	if (m->maps == FRAME_MAP_MAX)
		return MV_ERR_BUSY;
	m->maps++;
	if (maps)
		*maps = m->maps;
	return MV_OK;
}

enum mv_status frame_map_dec(struct frame_pool *pool, uint64_t pa, uint16_t *maps)
{
	struct frame_meta *m = owned_meta(pool, pa);

	if (!m || m->maps == 0)
		return MV_ERR_INVALID;
	m->maps--;
	if (maps)
		*maps = m->maps;
	return MV_OK;
}

enum mv_status frame_quota_set(struct frame_pool *pool, unsigned account, size_t limit,
			       size_t reserved)
{
	struct frame_quota *q;
	size_t before, after;

	if (account >= FRAME_ACCOUNTS || reserved > limit)
		return MV_ERR_INVALID;
	q = &pool->quota[account];
	before = unclaimed_of(q);
	after = reserved > q->used ? reserved - q->used : 0;
	if (after > before && after - before > frame_unreserved(pool))
		return MV_ERR_NO_MEMORY;
	q->limit = limit;
	q->reserved = reserved;
	pool->unclaimed = pool->unclaimed - before + after;
	return MV_OK;
}

struct frame_quota frame_quota_get(const struct frame_pool *pool, unsigned account)
{
	static const struct frame_quota none = {FRAME_NO_LIMIT, 0, 0};

	return account < FRAME_ACCOUNTS ? pool->quota[account] : none;
}

bool frame_over_quota(const struct frame_pool *pool, enum frame_owner owner, uint8_t owner_id,
		      size_t count)
{
	int a = frame_account_of(owner, owner_id);

	if (a < 0)
		return false;
	const struct frame_quota *q = &pool->quota[a];

	return q->used > q->limit || count > q->limit - q->used;
}

size_t frame_unreserved(const struct frame_pool *pool)
{
	/* frame_reserve at boot may take free frames after reservations were made: clamp. */
	return pool->used[FRAME_FREE] > pool->unclaimed ? pool->used[FRAME_FREE] - pool->unclaimed
							: 0;
}

size_t frame_count_kind(const struct frame_pool *pool, enum frame_owner owner)
{
	return owner_valid(owner) ? pool->used[owner] : 0;
}

size_t frame_count_owner(const struct frame_pool *pool, enum frame_owner owner, uint8_t owner_id)
{
	size_t n = 0;

	if (!owner_valid(owner))
		return 0;
	if (owner_id < FRAME_MAX_IDS)
		return pool->used_by_id[owner][owner_id];
	for (size_t i = 0; i < pool->nframes; i++)
		n += pool->meta[i].owner == owner && pool->meta[i].id == owner_id;
	return n;
}

const char *frame_owner_name(enum frame_owner owner)
{
	return owner_valid(owner) ? owner_names[owner] : "?";
}

bool frame_check(const struct frame_pool *pool)
{
	size_t used[FRAME_OWNER_COUNT] = {0};
	size_t by_id[FRAME_OWNER_COUNT][FRAME_MAX_IDS] = {{0}};
	size_t in_account[FRAME_ACCOUNTS] = {0};
	size_t owned = 0, unclaimed = 0;

	if (pool->nframes ? pool->hint >= pool->nframes : pool->hint != 0)
		return false;
	for (size_t i = 0; i < pool->nframes; i++) {
		const struct frame_meta *m = &pool->meta[i];

		if (m->owner >= FRAME_OWNER_COUNT)
			return false;
		if (m->owner == FRAME_FREE && (m->id != FRAME_ID_NONE || m->maps))
			return false;
		used[m->owner]++;
		if (m->id < FRAME_MAX_IDS)
			by_id[m->owner][m->id]++;
		int a = frame_account_of((enum frame_owner)m->owner, m->id);

		if (a >= 0)
			in_account[a]++;
	}
	for (unsigned int a = 0; a < FRAME_ACCOUNTS; a++) {
		if (in_account[a] != pool->quota[a].used ||
		    pool->quota[a].reserved > pool->quota[a].limit)
			return false;
		unclaimed += unclaimed_of(&pool->quota[a]);
	}
	if (unclaimed != pool->unclaimed)
		return false;
	for (unsigned int o = 0; o < FRAME_OWNER_COUNT; o++) {
		if (used[o] != pool->used[o])
			return false;
		if (o != FRAME_FREE)
			owned += pool->used[o];
		for (unsigned int id = 0; id < FRAME_MAX_IDS; id++) {
			if (by_id[o][id] != pool->used_by_id[o][id])
				return false;
		}
	}
	return owned == pool->nframes - pool->used[FRAME_FREE];
}
