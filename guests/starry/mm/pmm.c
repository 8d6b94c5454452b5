/* Physical pages for user memory and page tables: a bitmap, lowest free page first, and a
 * reference count per page so that fork can share pages. Free pages are never touched and
 * freed pages are the first reused, so under a lazy memory policy the hypervisor backs only
 * about as many pages as were ever in use at once; free page reporting (pmm_report_free) then
 * gives the pages freed since back to the hypervisor, so that backing shrinks again. */
#include <string.h>
#include <modvisor/hypercall.h>
#include "pmm.h"

static uint64_t base;
static size_t npages, nfree;
static size_t lowest_free; /* no free page below this index */
static uint64_t *used;	   /* one bit per page */
static uint16_t *refs;
/*
 * One bit per page: set while the page holds nothing the hypervisor backs for us (never
 * handed out since boot, or given back since it was last freed). Free pages with the bit clear
 * are what reporting gives back; dirty_free counts them.
 */
static uint64_t *clean;
static size_t dirty_free;
static bool reporting = true;
static size_t keep; /* backed free pages reporting leaves alone (pmm.h) */

void pmm_init(uint64_t start, uint64_t end)
{
	base = ALIGN_UP(start, PAGE_SIZE);
	npages = (end - base) / PAGE_SIZE;
	used = kmalloc(ALIGN_UP(npages, 64) / 8);
	clean = kmalloc(ALIGN_UP(npages, 64) / 8);
	refs = kmalloc(npages * sizeof(*refs));
	BUG_ON(!used || !clean || !refs);
	memset(used, 0, ALIGN_UP(npages, 64) / 8);
	memset(clean, 0xff, ALIGN_UP(npages, 64) / 8);
	memset(refs, 0, npages * sizeof(*refs));
	nfree = npages;
	keep = MIN(npages / 8, (size_t)PMM_REPORT_KEEP);
}

static bool bit(const uint64_t *map, size_t i)
{
	return map[i / 64] & (1ULL << (i % 64));
}

static size_t index_of(uint64_t pa)
{
	size_t i = (pa - base) / PAGE_SIZE;

	BUG_ON(pa < base || i >= npages || !(used[i / 64] & (1ULL << (i % 64))));
	return i;
}

uint64_t pmm_alloc_page(void)
{
	for (size_t i = lowest_free; i < npages; i++) {
		if (used[i / 64] == ~0ULL) {
			i += 63 - i % 64;
			continue;
		}
		if (!(used[i / 64] & (1ULL << (i % 64)))) {
			uint64_t pa = base + i * PAGE_SIZE;

			used[i / 64] |= 1ULL << (i % 64);
			if (bit(clean, i))
				clean[i / 64] &= ~(1ULL << (i % 64));
			else
				dirty_free--;
			refs[i] = 1;
			nfree--;
			lowest_free = i + 1;
			memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
			return pa;
		}
	}
	lowest_free = npages;
	return 0;
}

void pmm_get_page(uint64_t pa)
{
	size_t i = index_of(pa);

	BUG_ON(refs[i] == UINT16_MAX);
	refs[i]++;
}

void pmm_put_page(uint64_t pa)
{
	size_t i = index_of(pa);

	BUG_ON(refs[i] == 0);
	if (--refs[i] == 0) {
		used[i / 64] &= ~(1ULL << (i % 64));
		nfree++;
		dirty_free++;
		if (i < lowest_free)
			lowest_free = i;
	}
}

unsigned pmm_page_refs(uint64_t pa)
{
	return refs[index_of(pa)];
}

size_t pmm_total_pages(void)
{
	return npages;
}

size_t pmm_free_pages(void)
{
	return nfree;
}

void pmm_set_reporting(bool on)
{
	reporting = on;
}

/* Gives [first, first + count) back; marks it clean when the hypervisor took it. */
static void report_run(size_t first, size_t count)
{
	struct smccc_res r =
	    smccc_hvc(MV_HVC_MEM_RELEASE, base + first * PAGE_SIZE, count, 0, 0, 0, 0);

	if ((int64_t)r.a0 == MV_ERR_NOT_SUPPORTED) {
		reporting = false; /* eager RAM: nothing to give back, ever */
		return;
	}
	if (r.a0 != 0)
		return;
	for (size_t i = first; i < first + count; i++) {
		if (!bit(clean, i)) {
			clean[i / 64] |= 1ULL << (i % 64);
			dirty_free--;
		}
	}
}

/*
 * Runs of free pages holding at least PMM_REPORT_MIN_DIRTY dirty ones, each at most one
 * hypercall's worth: a run takes clean free pages along (the hypervisor skips what it does not
 * back), so pages given back earlier do not split a run into many calls.
 */
void pmm_report_free(void)
{
	size_t i = 0, kept = 0;

	if (!reporting || dirty_free < keep + PMM_REPORT_BATCH)
		return;
	while (i < npages) {
		size_t first, dirty = 0;

		/* Skip to the next free dirty page, a word at a time. */
		if ((used[i / 64] | clean[i / 64]) == ~0ULL) {
			i += 64 - i % 64;
			continue;
		}
		if (bit(used, i) || bit(clean, i)) {
			i++;
			continue;
		}
		/* The lowest free pages are the next handed out: keep those backed. */
		if (kept < keep) {
			kept++;
			i++;
			continue;
		}
		first = i;
		while (i < npages && !bit(used, i) && i - first < MV_MEM_RELEASE_MAX_PAGES) {
			dirty += !bit(clean, i);
			i++;
		}
		if (dirty >= PMM_REPORT_MIN_DIRTY)
			report_run(first, i - first);
		if (!reporting)
			return;
	}
}
