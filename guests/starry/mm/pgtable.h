/* Stage-1 tables of one address space: walk, map, change and free user pages (arch part). */
#ifndef STARRY_MM_PGTABLE_H
#define STARRY_MM_PGTABLE_H

#include "../kernel.h"

/* A leaf as the generic code sees it. */
struct pte_info {
	uint64_t pa;
	uint32_t prot; /* PROT_* the page is mapped with now */
	bool present;
};

/* The one place PROT_* turns into descriptor bits. */
uint64_t pte_make(uint64_t pa, uint32_t prot);

/* The level-3 entry for va, allocating tables when alloc is set; NULL when absent or out of
 * memory. */
uint64_t *pgtable_leaf(uint64_t *pgd, uint64_t va, bool alloc);
void pte_decode(uint64_t pte, struct pte_info *out);
/* Replaces a leaf with break-before-make and the TLB maintenance for this ASID. */
void pte_set(uint64_t *ptep, uint64_t val, uint64_t va, uint16_t asid);
void tlb_flush_asid(uint16_t asid);
/* Calls fn for every present user leaf in [start, end). */
void pgtable_for_each(uint64_t *pgd, uint64_t start, uint64_t end,
		      void (*fn)(uint64_t va, uint64_t *ptep, void *arg), void *arg);
/* Frees the user part of the tables (not the pages they map, not the kernel's shared ones). */
void pgtable_free_user(uint64_t *pgd);

#endif /* STARRY_MM_PGTABLE_H */
