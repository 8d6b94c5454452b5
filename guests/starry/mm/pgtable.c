/* Stage-1 descriptors for user pages: the only file that knows the AArch64 bit layout. */
#include "pgtable.h"
#include "pmm.h"

#define DESC_VALID (1ULL << 0)
#define DESC_TABLE (3ULL << 0)
#define DESC_PAGE (3ULL << 0)
#define DESC_TYPE_MASK (3ULL << 0)
#define ATTR_NORMAL (1ULL << 2) /* MAIR attribute 1: write-back cacheable */
#define AP_RW_ALL (1ULL << 6)	/* EL1 and EL0 read/write */
#define AP_RO_ALL (3ULL << 6)	/* EL1 and EL0 read-only */
#define AP_MASK (3ULL << 6)
#define SH_INNER (3ULL << 8)
#define DESC_AF (1ULL << 10)
#define DESC_NG (1ULL << 11) /* user pages belong to one ASID */
#define DESC_PXN (1ULL << 53)
#define DESC_UXN (1ULL << 54)
/* Software bit: an inaccessible (PROT_NONE) page that keeps its frame. The descriptor is
 * invalid to the hardware, which ignores the other bits. */
#define DESC_SW_NONE (1ULL << 55)
#define DESC_ADDR_MASK 0x0000fffffffff000ULL

#define L1_INDEX(va) (((va) >> 30) & 511)
#define L2_INDEX(va) (((va) >> 21) & 511)
#define L3_INDEX(va) (((va) >> 12) & 511)

/* Level-1 slots that hold the kernel's shared tables (its RAM and module window). */
#define KERNEL_L1_RAM 1
#define KERNEL_L1_MODWIN 4

uint64_t pte_make(uint64_t pa, uint32_t prot)
{
	uint64_t pte = (pa & DESC_ADDR_MASK) | ATTR_NORMAL | SH_INNER | DESC_AF | DESC_NG;

	if (!(prot & (PROT_READ | PROT_WRITE | PROT_EXEC)))
		return pte | DESC_SW_NONE;
	/* The kernel never runs user code; user code runs only where PROT_EXEC says. */
	pte |= DESC_PAGE | DESC_PXN;
	pte |= (prot & PROT_WRITE) ? AP_RW_ALL : AP_RO_ALL;
	if (!(prot & PROT_EXEC))
		pte |= DESC_UXN;
	return pte;
}

void pte_decode(uint64_t pte, struct pte_info *out)
{
	out->present = (pte & DESC_VALID) || (pte & DESC_SW_NONE);
	out->pa = pte & DESC_ADDR_MASK;
	out->prot = 0;
	if (pte & DESC_VALID) {
		out->prot = PROT_READ;
		if ((pte & AP_MASK) == AP_RW_ALL)
			out->prot |= PROT_WRITE;
		if (!(pte & DESC_UXN))
			out->prot |= PROT_EXEC;
	}
}

static bool is_kernel_slot(unsigned l1)
{
	return l1 == KERNEL_L1_RAM || l1 == KERNEL_L1_MODWIN;
}

/* Returns the next-level table of entry *e, creating it when asked. */
static uint64_t *next_table(uint64_t *e, bool alloc)
{
	uint64_t page;

	if ((*e & DESC_TYPE_MASK) == DESC_TABLE)
		return (uint64_t *)(uintptr_t)(*e & DESC_ADDR_MASK);
	if (*e & DESC_VALID) /* a block: kernel territory */
		return NULL;
	if (!alloc)
		return NULL;
	page = pmm_alloc_page();
	if (!page)
		return NULL;
	/* The zeroed table must be visible to the walker before the entry that points to it. */
	__asm__ volatile("dsb ishst" ::: "memory");
	*e = page | DESC_TABLE;
	return (uint64_t *)(uintptr_t)page;
}

uint64_t *pgtable_leaf(uint64_t *pgd, uint64_t va, bool alloc)
{
	uint64_t *l2, *l3;

	if (is_kernel_slot(L1_INDEX(va)))
		return NULL;
	l2 = next_table(&pgd[L1_INDEX(va)], alloc);
	if (!l2)
		return NULL;
	l3 = next_table(&l2[L2_INDEX(va)], alloc);
	return l3 ? &l3[L3_INDEX(va)] : NULL;
}

void pte_set(uint64_t *ptep, uint64_t val, uint64_t va, uint16_t asid)
{
	/* Break before make: the old translation leaves every TLB before the new one exists. */
	if (*ptep & DESC_VALID) {
		*ptep = 0;
		__asm__ volatile("dsb ishst; tlbi vale1is, %0; dsb ish" ::"r"(
				     ((uint64_t)asid << 48) | ((va >> 12) & 0xfffffffffffULL))
				 : "memory");
	}
	*ptep = val;
	__asm__ volatile("dsb ishst; isb" ::: "memory");
}

void tlb_flush_asid(uint16_t asid)
{
	__asm__ volatile("dsb ishst; tlbi aside1is, %0; dsb ish; isb" ::"r"((uint64_t)asid << 48)
			 : "memory");
}

void pgtable_for_each(uint64_t *pgd, uint64_t start, uint64_t end,
		      void (*fn)(uint64_t va, uint64_t *ptep, void *arg), void *arg)
{
	uint64_t va = start;

	while (va < end) {
		uint64_t *l2 = NULL, *l3 = NULL;

		if (!is_kernel_slot(L1_INDEX(va)))
			l2 = next_table(&pgd[L1_INDEX(va)], false);
		if (!l2) {
			va = (va | ((1ULL << 30) - 1)) + 1;
			continue;
		}
		l3 = next_table(&l2[L2_INDEX(va)], false);
		if (!l3) {
			va = (va | ((1ULL << 21) - 1)) + 1;
			continue;
		}
		for (; va < end; va += PAGE_SIZE) {
			uint64_t *ptep = &l3[L3_INDEX(va)];

			if (*ptep & (DESC_VALID | DESC_SW_NONE))
				fn(va, ptep, arg);
			if (L3_INDEX(va) == 511) {
				va += PAGE_SIZE;
				break;
			}
		}
	}
}

void pgtable_free_user(uint64_t *pgd)
{
	for (unsigned i = 0; i < 512; i++) {
		uint64_t *l2;

		if (is_kernel_slot(i) || (pgd[i] & DESC_TYPE_MASK) != DESC_TABLE)
			continue;
		l2 = (uint64_t *)(uintptr_t)(pgd[i] & DESC_ADDR_MASK);
		for (unsigned j = 0; j < 512; j++)
			if ((l2[j] & DESC_TYPE_MASK) == DESC_TABLE)
				pmm_put_page(l2[j] & DESC_ADDR_MASK);
		pmm_put_page((uint64_t)(uintptr_t)l2);
	}
	pmm_put_page((uint64_t)(uintptr_t)pgd);
}
