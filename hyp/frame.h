/* Physical frame allocator for the hypervisor: one contiguous region, every frame has an owner. */
#ifndef MV_FRAME_H
#define MV_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "modvisor/status.h"

/*
 * The pool is not locked internally: the caller serialises every call on a pool (the
 * hypervisor holds one spinlock around it). Nothing here touches frame contents, since only
 * the caller has a virtual mapping of them; zeroing a frame before handing it to a guest is the
 * caller's job.
 */

#define FRAME_SHIFT 12
#define FRAME_SIZE ((uint64_t)1 << FRAME_SHIFT)

/* Owner ids below this get their own counter; larger ids are counted by a scan. */
#define FRAME_MAX_IDS 16
/* Owner id of frames that belong to no VM or cache slot (free, reserved, hypervisor). */
#define FRAME_ID_NONE 255
#define FRAME_MAP_MAX UINT16_MAX

enum frame_owner {
	FRAME_FREE,
	FRAME_RESERVED,	  /* firmware, DTB, initrd: not ours to hand out */
	FRAME_HYP,	  /* hypervisor image, stacks, its own tables and metadata */
	FRAME_VM_RAM,	  /* a VM's RAM (id = VM id) */
	FRAME_VM_S2,	  /* a VM's stage-2 translation tables (id = VM id) */
	FRAME_MOD_TEXT,	  /* shared module text (id = module-cache slot) */
	FRAME_VM_MODDATA, /* a VM's private module data (id = VM id) */
	FRAME_DEVBUF,	  /* buffers of emulated devices */
	FRAME_OWNER_COUNT
};

/* Four bytes per frame: the metadata of 1 GiB of frames takes 1 MiB. */
struct frame_meta {
	uint8_t owner; /* enum frame_owner */
	uint8_t id;
	uint16_t maps; /* stage-2 mappings referencing the frame */
};

/*
 * Quota accounts: account i < FRAME_MAX_IDS holds the frames of VM i (its RAM, stage-2 tables
 * and module data), FRAME_ACCOUNT_TEXT the shared module text. An account may own at most
 * `limit` frames; `reserved` of them are set aside for it alone: no allocation outside the
 * account may take them, so another VM running out cannot eat into them.
 */
#define FRAME_ACCOUNT_TEXT FRAME_MAX_IDS
#define FRAME_ACCOUNTS (FRAME_MAX_IDS + 1)
#define FRAME_NO_LIMIT SIZE_MAX

struct frame_quota {
	size_t limit;
	size_t reserved;
	size_t used;
};

/* Fields are private to frame.c; the struct is public only so that callers can embed it. */
struct frame_pool {
	uint64_t base_pa;
	size_t nframes;
	struct frame_meta *meta;
	size_t hint;			/* next-fit cursor: where the next search starts */
	size_t used[FRAME_OWNER_COUNT]; /* used[FRAME_FREE] counts free frames */
	size_t used_by_id[FRAME_OWNER_COUNT][FRAME_MAX_IDS];
	struct frame_quota quota[FRAME_ACCOUNTS];
	size_t unclaimed; /* reserved frames not used yet: sum of max(0, reserved - used) */
};

/* Bytes of metadata storage (alignment _Alignof(struct frame_meta)) for a pool of nframes. */
size_t frame_meta_bytes(size_t nframes);
/* All frames start free; if the metadata lives in the pool, frame_reserve it as FRAME_HYP. */
enum mv_status frame_pool_init(struct frame_pool *pool, uint64_t base_pa, size_t nframes,
			       void *meta_storage);

/*
 * Marks every free frame touching [pa, pa + size) as owner, with FRAME_ID_NONE; the range is
 * clipped to the pool and frames already owned keep their owner, because boot-time ranges
 * (DTB, initrd, /memreserve/) often overlap.
 */
enum mv_status frame_reserve(struct frame_pool *pool, uint64_t pa, uint64_t size,
			     enum frame_owner owner);
/*
 * Allocates count contiguous frames whose first physical frame number is a multiple of
 * align_frames. MV_ERR_INVALID for count 0, align not a power of two or owner FRAME_FREE;
 * MV_ERR_NO_MEMORY if no run fits, if the owner's account would pass its limit, or if the
 * frames would come out of other accounts' reservations. Worst case one pass over the metadata.
 */
enum mv_status frame_alloc(struct frame_pool *pool, size_t count, size_t align_frames,
			   enum frame_owner owner, uint8_t owner_id, uint64_t *pa);
/*
 * Frees frames of any owner. MV_ERR_INVALID if the range leaves the pool, pa is unaligned or a
 * frame is already free; MV_ERR_BUSY if a frame is still mapped. On error nothing changes.
 */
enum mv_status frame_free(struct frame_pool *pool, uint64_t pa, size_t count);
/*
 * True if every frame of the frame-aligned run [pa, pa + count frames) inside the pool belongs to
 * (owner, owner_id) and no stage-2 mapping counts it: frames a VM may give back to the pool
 * (free page reporting) once it has unmapped them. False for anything else, count 0 included.
 */
bool frame_range_owned(const struct frame_pool *pool, uint64_t pa, size_t count,
		       enum frame_owner owner, uint8_t owner_id);
/* Re-labels allocated frames (all or nothing); MV_ERR_INVALID for free frames. */
enum mv_status frame_set_owner(struct frame_pool *pool, uint64_t pa, size_t count,
			       enum frame_owner owner, uint8_t owner_id);
/* pa may point anywhere inside the frame; MV_ERR_INVALID outside the pool. */
enum mv_status frame_owner_of(const struct frame_pool *pool, uint64_t pa, enum frame_owner *owner,
			      uint8_t *owner_id);
bool frame_in_pool(const struct frame_pool *pool, uint64_t pa, uint64_t size);

/*
 * Stage-2 mapping counts of allocated frames. inc fails with MV_ERR_BUSY at FRAME_MAP_MAX,
 * dec with MV_ERR_INVALID at 0; both fail with MV_ERR_INVALID on free frames. maps may be NULL.
 */
enum mv_status frame_map_get(const struct frame_pool *pool, uint64_t pa, uint16_t *maps);
enum mv_status frame_map_inc(struct frame_pool *pool, uint64_t pa, uint16_t *maps);
enum mv_status frame_map_dec(struct frame_pool *pool, uint64_t pa, uint16_t *maps);

/* The account of an owner, or -1: VM RAM, tables and module data by VM id, module text. */
int frame_account_of(enum frame_owner owner, uint8_t owner_id);
/*
 * Sets an account's limit and reservation (reserved <= limit; FRAME_NO_LIMIT for none).
 * MV_ERR_NO_MEMORY if the free frames not reserved by others cannot cover the reservation;
 * MV_ERR_INVALID for a bad account or reserved > limit. Frames in use stay counted; lowering a
 * limit below them only stops further allocations.
 */
enum mv_status frame_quota_set(struct frame_pool *pool, unsigned account, size_t limit,
			       size_t reserved);
struct frame_quota frame_quota_get(const struct frame_pool *pool, unsigned account);
/* True if allocating count frames for this owner would pass its account's limit. */
bool frame_over_quota(const struct frame_pool *pool, enum frame_owner owner, uint8_t owner_id,
		      size_t count);
/* Free frames that no account has reserved: what any allocation may take. */
size_t frame_unreserved(const struct frame_pool *pool);

/* Frames of one owner kind (FRAME_FREE gives the free count). */
size_t frame_count_kind(const struct frame_pool *pool, enum frame_owner owner);
/* Frames of one (kind, id); O(1) for ids below FRAME_MAX_IDS, a scan for the others. */
size_t frame_count_owner(const struct frame_pool *pool, enum frame_owner owner, uint8_t owner_id);
const char *frame_owner_name(enum frame_owner owner);

/* Recomputes every counter from the metadata and checks the invariants; true if consistent. */
bool frame_check(const struct frame_pool *pool);

#endif /* MV_FRAME_H */
