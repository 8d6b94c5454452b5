/* Physical pages for user memory and page tables: a bitmap, lowest free page first, and a
 * reference count per page so that fork can share pages. Free pages are never touched and
 * freed pages are the first reused, so under a lazy memory policy the hypervisor backs only
 * about as many pages as were ever in use at once. */
#include <string.h>
#include "pmm.h"

static uint64_t base;
static size_t npages, nfree;
static size_t lowest_free; /* no free page below this index */
static uint64_t *used;	   /* one bit per page */
static uint16_t *refs;

void pmm_init(uint64_t start, uint64_t end)
{
	base = ALIGN_UP(start, PAGE_SIZE);
	npages = (end - base) / PAGE_SIZE;
	used = kmalloc(ALIGN_UP(npages, 64) / 8);
	refs = kmalloc(npages * sizeof(*refs));
	BUG_ON(!used || !refs);
	memset(used, 0, ALIGN_UP(npages, 64) / 8);
	memset(refs, 0, npages * sizeof(*refs));
	nfree = npages;
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
