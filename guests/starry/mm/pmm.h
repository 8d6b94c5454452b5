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

#endif /* STARRY_MM_PMM_H */
