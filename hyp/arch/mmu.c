/* Builds and enables the EL2 stage-1 identity map (39-bit VA, 4 KiB granule). */
#include "arch/mmu.h"
#include "arch/sysregs.h"
#include "panic.h"
#include <mv_compiler.h>
#include <modvisor/status.h>

#define DESC_TABLE 0x3ULL
#define DESC_BLOCK 0x1ULL
#define DESC_PAGE 0x3ULL
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_AP_RO (1ULL << 7)
#define DESC_AP1_RES1 (1ULL << 6) /* single-privilege regime: AP[1] is RES1 */
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AF (1ULL << 10)
#define DESC_XN (1ULL << 54)

#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1
#define MAIR_VALUE ((0x04ULL << (8 * MAIR_IDX_DEVICE)) | (0xffULL << (8 * MAIR_IDX_NORMAL)))

#define VA_BITS 39
#define MAX_RAM_GIB 16

#define PROT_DEVICE (DESC_AF | DESC_ATTR(MAIR_IDX_DEVICE) | DESC_XN | DESC_AP1_RES1)
#define PROT_NORMAL_RW                                                                             \
	(DESC_AF | DESC_ATTR(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_XN | DESC_AP1_RES1)
#define PROT_NORMAL_RX                                                                             \
	(DESC_AF | DESC_ATTR(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_AP_RO | DESC_AP1_RES1)
#define PROT_NORMAL_RO (PROT_NORMAL_RW | DESC_AP_RO)

struct hyp_tables {
	uint64_t l1[512];
	uint64_t l2[MAX_RAM_GIB][512];
	uint64_t image_l3[512];
};

/* Two sets: the boot set stays live while the final set is built, then TTBR0 switches. */
static struct hyp_tables boot_tables __aligned(4096);
static struct hyp_tables final_tables __aligned(4096);
static struct hyp_tables *live_tables;

extern char _start_image[], __text_end[], __rodata_end[], _end[];

unsigned mmu_pa_bits(void)
{
	static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
	unsigned parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return parange < ARRAY_SIZE(bits) ? bits[parange] : 48;
}

/* The 2 MiB block holding the image is mapped by pages: text RX, rodata RO, the rest RW+XN. */
static uint64_t map_image_block(struct hyp_tables *t, uint64_t block)
{
	uint64_t text_end = (uint64_t)__text_end, ro_end = (uint64_t)__rodata_end;

	BUG_ON((uint64_t)_end - block > SZ_2M);
	for (unsigned i = 0; i < 512; i++) {
		uint64_t pa = block + ((uint64_t)i << PAGE_SHIFT);
		uint64_t prot = PROT_NORMAL_RW;

		if (pa >= (uint64_t)_start_image && pa < text_end)
			prot = PROT_NORMAL_RX;
		else if (pa >= text_end && pa < ro_end)
			prot = PROT_NORMAL_RO;
		t->image_l3[i] = pa | prot | DESC_PAGE;
	}
	return (uint64_t)t->image_l3 | DESC_TABLE;
}

static void build_tables(struct hyp_tables *t, const struct mem_range *ram, unsigned count)
{
	uint64_t image_block = ALIGN_DOWN((uint64_t)_start_image, SZ_2M);

	for (unsigned i = 0; i < 512; i++)
		t->l1[i] = 0;
	/* GIC, UART, virtio-mmio and the rest of QEMU virt's device space. */
	t->l1[0] = PROT_DEVICE | DESC_BLOCK;

	for (unsigned r = 0; r < count; r++) {
		uint64_t start = ALIGN_DOWN(ram[r].base, SZ_2M);
		uint64_t end = ALIGN_UP(ram[r].base + ram[r].size, SZ_2M);

		for (uint64_t pa = start; pa < end; pa += SZ_2M) {
			unsigned gib = pa >> 30;

			if (gib == 0 || gib > MAX_RAM_GIB)
				continue; /* RAM outside what we map is left unused */
			uint64_t *l2 = t->l2[gib - 1];
			t->l1[gib] = (uint64_t)l2 | DESC_TABLE;
			l2[(pa >> 21) & 511] = pa == image_block
						   ? map_image_block(t, pa)
						   : (pa | PROT_NORMAL_RW | DESC_BLOCK);
		}
	}
}

static void enable_with(struct hyp_tables *t)
{
	uint64_t ps = read_sysreg(id_aa64mmfr0_el1) & 0x7;
	uint64_t tcr = (64 - VA_BITS) | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (ps << 16) |
		       (1ULL << 23) | (1ULL << 31);

	write_sysreg(MAIR_VALUE, mair_el2);
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
	/* The memory node is not parsed yet (libfdt needs the MMU on for unaligned loads). */
	static const struct mem_range boot_ram = {SZ_1G, 3 * SZ_1G};

	build_tables(&boot_tables, &boot_ram, 1);
	dsb(ish);
	live_tables = &boot_tables;
	enable_with(&boot_tables);
}

int mmu_switch_final(const struct mem_range *ram, unsigned count)
{
	build_tables(&final_tables, ram, count);
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
