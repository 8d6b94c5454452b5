/* Data and instruction cache maintenance using the line size from CTR_EL0. */
#include "arch/cache.h"
#include "arch/sysregs.h"

static uint64_t dcache_line(void)
{
	return 4ULL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void dcache_clean_range(const void *va, size_t len)
{
	uint64_t line = dcache_line();
	uint64_t end = (uint64_t)va + len;

	for (uint64_t a = (uint64_t)va & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
	dsb(ish);
}

void dcache_clean_inval_range(const void *va, size_t len)
{
	uint64_t line = dcache_line();
	uint64_t end = (uint64_t)va + len;

	for (uint64_t a = (uint64_t)va & ~(line - 1); a < end; a += line)
		__asm__ volatile("dc civac, %0" ::"r"(a) : "memory");
	dsb(ish);
}

void icache_inval_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
