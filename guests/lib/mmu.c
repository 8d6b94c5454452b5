/* EL1 stage-1 identity map for a small guest kernel: 39-bit VA, 2 MiB blocks for RAM. */
#include "guest.h"

#define DESC_TABLE 0x3ULL
#define DESC_BLOCK 0x1ULL
#define ATTR_DEVICE (0ULL << 2)
#define ATTR_NORMAL (1ULL << 2)
#define DESC_AF (1ULL << 10)
#define DESC_SH_INNER (3ULL << 8)
#define DESC_PAGE 0x3ULL
#define DESC_AP_RO_ALL (3ULL << 6) /* read-only at EL1 and EL0 */
#define DESC_PXN (1ULL << 53)
#define DESC_UXN (1ULL << 54)
#define MAIR_VALUE (0x04ULL | (0xffULL << 8))

#define MAX_GIB 8 /* the identity map covers [0, 8 GiB): RAM and the module window */

static uint64_t l1[512] __aligned(4096);
static uint64_t l2[MAX_GIB][512] __aligned(4096);

/* Normal cacheable memory, executable at EL1 (module text runs there; stage 2 forbids writes). */
static void map_normal(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;

	for (uint64_t pa = base & ~(SZ_2M - 1); pa < end; pa += SZ_2M) {
		unsigned gib = (unsigned)(pa >> 30);

		if (gib == 0 || gib >= MAX_GIB)
			continue;
		l1[gib] = (uint64_t)l2[gib] | DESC_TABLE;
		l2[gib][(pa >> 21) & 511] =
		    pa | ATTR_NORMAL | DESC_AF | DESC_SH_INNER | DESC_UXN | DESC_BLOCK;
	}
}

void mmu_map_normal(uint64_t base, uint64_t size)
{
	map_normal(base, size);
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

void mmu_enable_identity(uint64_t ram_base, uint64_t ram_size)
{
	l1[0] = ATTR_DEVICE | DESC_AF | DESC_PXN | DESC_UXN | DESC_BLOCK;
	map_normal(ram_base, ram_size);
	mmu_enable_this_cpu();
}

/*
 * One read-only page that EL0 may execute, at a VA in a GiB the identity map leaves empty (so
 * no live block has to be split): for self-tests that run code at EL0. AArch32 code needs a
 * VA below 4 GiB.
 */
static uint64_t el0_l2[512] __aligned(4096);
static uint64_t el0_l3[512] __aligned(4096);

void mmu_map_el0_page(uint64_t va, uint64_t pa);
void mmu_map_el0_page(uint64_t va, uint64_t pa)
{
	if ((va >> 30) >= 512 || l1[va >> 30])
		return;
	l1[va >> 30] = (uint64_t)el0_l2 | DESC_TABLE;
	el0_l2[(va >> 21) & 511] = (uint64_t)el0_l3 | DESC_TABLE;
	el0_l3[(va >> 12) & 511] = (pa & ~(uint64_t)(PAGE_SIZE - 1)) | ATTR_NORMAL | DESC_AF |
				   DESC_SH_INNER | DESC_AP_RO_ALL | DESC_PXN | DESC_PAGE;
	__asm__ volatile("dsb ishst; tlbi vmalle1; dsb ish; isb" ::: "memory");
}

/* Secondary CPUs use the tables the boot CPU built. */
void mmu_enable_this_cpu(void)
{
	/* T0SZ=25, write-back walks, 4K granule, IPS=40 bits, no TTBR1 walks */
	uint64_t tcr = 25 | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 32) | (1ULL << 23);
	uint64_t sctlr;

	__asm__ volatile("dsb ish");
	__asm__ volatile("msr mair_el1, %0" ::"r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
	__asm__ volatile("msr ttbr0_el1, %0" ::"r"((uint64_t)l1));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	sctlr |= (1ULL << 0) | (1ULL << 2) | (1ULL << 12); /* M, C, I */
	__asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr) : "memory");
}
