/* Free page reporting's pure parts: checking a released range, gathering its frames into runs. */
#ifndef HYP_PAGE_RUNS_H
#define HYP_PAGE_RUNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "modvisor/hypercall.h"
#include "modvisor/status.h"

#define PAGE_RUNS_SHIFT 12
#define PAGE_RUNS_MAX MV_MEM_RELEASE_MAX_PAGES

/*
 * MEM_RELEASE's arguments against the caller's RAM [ram_base, ram_base + ram_size): ipa
 * page-aligned, 1 <= pages <= MV_MEM_RELEASE_MAX_PAGES, the whole range inside that RAM, with
 * no arithmetic that could wrap. MV_OK or MV_ERR_INVALID.
 */
enum mv_status page_release_check(uint64_t ram_base, uint64_t ram_size, uint64_t ipa,
				  uint64_t pages);

/* Physical runs of frames: adjacent frames added in order extend the last run. */
struct page_runs {
	size_t count;  /* runs in use */
	size_t frames; /* frames in all runs */
	uint64_t pa[PAGE_RUNS_MAX];
	uint32_t len[PAGE_RUNS_MAX];
};

void page_runs_init(struct page_runs *r);
/* Adds the frame at pa (page-aligned); MV_ERR_INVALID if unaligned, MV_ERR_NO_MEMORY when it
 * would need a run past PAGE_RUNS_MAX (a caller adds at most PAGE_RUNS_MAX frames). */
enum mv_status page_runs_add(struct page_runs *r, uint64_t pa);

#endif /* HYP_PAGE_RUNS_H */
