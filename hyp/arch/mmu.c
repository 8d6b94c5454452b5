/* Enables the EL2 stage-1 identity map built by el2map.c (39-bit VA, 4 KiB granule). */
#include "arch/mmu.h"
#include "arch/sysregs.h"
#include "panic.h"
#include <mv_compiler.h>
#include <modvisor/status.h>

/* Two sets: the boot set stays live while the final set is built, then TTBR0 switches. */
static struct el2map_tables boot_tables;
static struct el2map_tables final_tables;
static struct el2map_tables *live_tables;

extern char _start_image[], __text_end[], __rodata_end[], _end[];

unsigned mmu_pa_bits(void)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

static void build(struct el2map_tables *t, const struct mem_range *ram, unsigned ram_count,
		  const struct mem_range *dev, unsigned dev_count)
{
	const struct el2map_layout layout = {
	    .dev = dev,
	    .dev_count = dev_count,
	    .ram = ram,
	    .ram_count = ram_count,
	    .text_start = (uint64_t)_start_image,
	    .text_end = (uint64_t)__text_end,
	    .ro_end = (uint64_t)__rodata_end,
	};
	int ret = el2map_build(t, &layout);

	if (ret != MV_OK)
		panic("cannot build the EL2 map (%d): a RAM or device range below %#llx, past "
		      "the 39-bit space, or too many ranges",
		      ret, (unsigned long long)EL2MAP_GUARD);
}

static void enable_with(struct el2map_tables *t)
{
	uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & 0x7;
	uint64_t tcr = (64 - EL2MAP_VA_BITS) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) |
		       (ps << 16) | (1ULL << 23) | (1ULL << 31);

	write_sysreg(el2map_mair(), mair_el2);
	write_sysreg(tcr, tcr_el2);
	write_sysreg((uint64_t)t->l1, ttbr0_el2);
	dsb(ish);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(read_sysreg(sctlr_el2) | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA | SCTLR_WXN,
		     sctlr_el2);
	isb();
}

void mmu_enable_boot(void)
{
	/*
	 * The device tree is not parsed yet (libfdt needs the MMU on for unaligned loads), so QEMU
	 * virt's device space is mapped whole, except the NULL guard, and [1 GiB, 4 GiB) as RAM.
	 */
	static const struct mem_range boot_ram = {SZ_1G, 3 * SZ_1G};
	static const struct mem_range boot_dev = {EL2MAP_GUARD, SZ_1G - EL2MAP_GUARD};

	build(&boot_tables, &boot_ram, 1, &boot_dev, 1);
	dsb(ish);
	live_tables = &boot_tables;
	enable_with(&boot_tables);
}

int mmu_switch_final(const struct mem_range *ram, unsigned ram_count, const struct mem_range *dev,
		     unsigned dev_count)
{
	build(&final_tables, ram, ram_count, dev, dev_count);
	dsb(ish);
	/* Both sets map every page in use to the same PA with the same attributes. */
	write_sysreg((uint64_t)final_tables.l1, ttbr0_el2);
	isb();
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	live_tables = &final_tables;
	return MV_OK;
}

void mmu_enable_secondary(void)
{
	enable_with(live_tables);
}
