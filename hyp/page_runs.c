/* Free page reporting's pure parts: argument checks and frame runs (unit-tested on the host). */
#include "page_runs.h"

#define PAGE_RUNS_SIZE ((uint64_t)1 << PAGE_RUNS_SHIFT)

enum mv_status page_release_check(uint64_t ram_base, uint64_t ram_size, uint64_t ipa,
				  uint64_t pages)
{
	uint64_t bytes;

	if (ipa & (PAGE_RUNS_SIZE - 1) || pages == 0 || pages > MV_MEM_RELEASE_MAX_PAGES)
		return MV_ERR_INVALID;
	bytes = pages << PAGE_RUNS_SHIFT;
	/* ipa - ram_base only once ipa >= ram_base; bytes <= ram_size before the subtraction. */
	if (ipa < ram_base || bytes > ram_size || ipa - ram_base > ram_size - bytes)
		return MV_ERR_INVALID;
	return MV_OK;
}

void page_runs_init(struct page_runs *r)
{
	r->count = 0;
	r->frames = 0;
}

enum mv_status page_runs_add(struct page_runs *r, uint64_t pa)
{
	if (pa & (PAGE_RUNS_SIZE - 1))
		return MV_ERR_INVALID;
	if (r->count && r->len[r->count - 1] < UINT32_MAX &&
	    pa == r->pa[r->count - 1] + ((uint64_t)r->len[r->count - 1] << PAGE_RUNS_SHIFT)) {
		r->len[r->count - 1]++;
		r->frames++;
		return MV_OK;
	}
	if (r->count == PAGE_RUNS_MAX)
		return MV_ERR_NO_MEMORY;
	r->pa[r->count] = pa;
	r->len[r->count] = 1;
	r->count++;
	r->frames++;
	return MV_OK;
}
