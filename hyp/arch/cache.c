/* Data and instruction cache maintenance using the line size from CTR_EL0. */
#include "arch/cache.h"
#include "arch/sysregs.h"
#include <string.h>

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

void zero_range(void *va, size_t len)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	uint64_t block = 4ULL << (dczid & 0xf);
	uint8_t *p = va, *end = p + len;

	if ((dczid & (1 << 4)) || ((uintptr_t)p & (block - 1)) || (len & (block - 1))) {
		memset(va, 0, len);
		return;
	}
	for (; p < end; p += block)
		__asm__ volatile("dc zva, %0" ::"r"(p) : "memory");
	dsb(ish);
}

void icache_inval_all(void)
{
	__asm__ volatile("ic ialluis" ::: "memory");
	dsb(ish);
	isb();
}
