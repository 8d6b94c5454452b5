/* The physical page allocator: free guest RAM after the kernel, one refcount per page. */
#ifndef STARRY_MM_PMM_H
#define STARRY_MM_PMM_H

#include "../kernel.h"

void pmm_init(uint64_t start, uint64_t end);
/* A zeroed page (physical = kernel virtual address), or 0 when memory is out. */
uint64_t pmm_alloc_page(void);
void pmm_get_page(uint64_t pa); /* one more reference (pages shared after fork) */
void pmm_put_page(uint64_t pa); /* frees the page when the last reference goes */
unsigned pmm_page_refs(uint64_t pa);
size_t pmm_total_pages(void);
size_t pmm_free_pages(void);

/*
 * Free page reporting (MV_HVC_MEM_RELEASE): when more than keep + PMM_REPORT_BATCH free pages
 * are backed by the hypervisor, pmm_report_free gives all but the lowest `keep` of them back
 * (keep = an eighth of the pages, at most PMM_REPORT_KEEP: those are the next handed out, and
 * keeping them saves the next program a fault per page), in runs of at most 2 MiB that hold at
 * least PMM_REPORT_MIN_DIRTY such pages; they come back zeroed when handed out again. Called where
 * many pages go at once (an address space torn down, munmap). Under the eager memory policy the
 * first call finds out and reporting stops.
 */
#define PMM_REPORT_KEEP 1024u
#define PMM_REPORT_BATCH 64u
#define PMM_REPORT_MIN_DIRTY 4u
void pmm_report_free(void);
void pmm_set_reporting(bool on); /* bootarg no-page-reporting turns it off */

#endif /* STARRY_MM_PMM_H */
