/* The hypervisor's memory: one frame pool over RAM, with an owner recorded for every frame. */
#ifndef HYP_MM_H
#define HYP_MM_H

#include <stdint.h>
#include "frame.h"
#include "hostdtb.h"

int mm_init(const struct platform *plat);
/* Allocates `count` zeroed, contiguous frames aligned to `align` frames. */
int mm_alloc(unsigned long count, unsigned long align, enum frame_owner owner, unsigned owner_id,
	     uint64_t *pa);
int mm_free(uint64_t pa, unsigned long count);
/* mm_alloc without asking the reclaim hook, for callers that hold the reclaimer's lock. */
int mm_alloc_noreclaim(unsigned long count, unsigned long align, enum frame_owner owner,
		       unsigned owner_id, uint64_t *pa);
/*
 * Sets an account's limit and reservation (see frame.h: account = VM id, or FRAME_ACCOUNT_TEXT);
 * MV_ERR_NO_MEMORY if the unreserved free frames cannot cover the reservation.
 */
int mm_quota_set(unsigned account, uint64_t limit, uint64_t reserved);
struct frame_quota mm_quota_get(unsigned account);
/* Called when frames run out, with how many are needed; returns how many it freed. */
void mm_set_reclaim(uint64_t (*reclaim)(uint64_t frames));
/* Adds delta to the stage-2 mapping count of `count` frames (shared frames, for PSS). */
int mm_map_ref(uint64_t pa, unsigned long count, int delta);
/* Runs fn with the pool locked (reports, consistency checks). */
void mm_with_pool(void (*fn)(struct frame_pool *pool, void *arg), void *arg);
uint64_t mm_frames_total(void);
uint64_t mm_frames_free(void);

/* The hypervisor maps RAM 1:1. */
static inline void *phys_to_virt(uint64_t pa)
{
	return (void *)(uintptr_t)pa;
}

static inline uint64_t virt_to_phys(const void *va)
{
	return (uint64_t)(uintptr_t)va;
}

#endif /* HYP_MM_H */
