/* The kernel's half of every address space: RAM, devices and the module window, identity
 * mapped, EL1 only, in tables shared by all processes; and the MMU switched on. */
#include "mm.h"

#define DESC_TABLE 0x3ULL
#define DESC_BLOCK 0x1ULL
#define ATTR_DEVICE (0ULL << 2)
#define ATTR_NORMAL (1ULL << 2)
#define SH_INNER (3ULL << 8)
#define DESC_AF (1ULL << 10)
#define DESC_PXN (1ULL << 53)
#define DESC_UXN (1ULL << 54)
#define MAIR_VALUE (0x04ULL | (0xffULL << 8)) /* 0: Device-nGnRE, 1: normal write-back */
#define SZ_2M_BLOCK (1ULL << 21)

/* Guest devices (GIC, UART, virtio-mmio) live in [0x0800_0000, 0x0A20_0000). */
#define DEVICE_START 0x08000000ULL
#define DEVICE_END 0x0a200000ULL

static uint64_t kernel_pgd[512] __aligned(4096);
static uint64_t device_l2[512] __aligned(4096);
static uint64_t ram_l2[512] __aligned(4096);
static uint64_t modwin_l2[512] __aligned(4096);
static uint64_t ram_start, ram_end, modwin_start, modwin_end;

uint64_t *mm_kernel_pgd(void);
uint64_t *mm_kernel_pgd(void)
{
	return kernel_pgd;
}

static void map_blocks(uint64_t *l2, uint64_t start, uint64_t end, uint64_t attrs)
{
	for (uint64_t pa = start & ~(SZ_2M_BLOCK - 1); pa < end; pa += SZ_2M_BLOCK)
		l2[(pa >> 21) & 511] = pa | attrs | DESC_AF | DESC_BLOCK;
}

void mm_kernel_init(uint64_t ram_base, uint64_t ram_size, uint64_t modwin_base,
		    uint64_t modwin_size)
{
	/* T0SZ=25 (39-bit), walks write-back inner shareable, 4 KiB granule, IPS 40 bits, no
	 * TTBR1 walks, 8-bit ASIDs from TTBR0. */
	uint64_t tcr = 25 | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (2ULL << 32) | (1ULL << 23);
	uint64_t sctlr;

	ram_start = ram_base;
	ram_end = ram_base + ram_size;
	BUG_ON((ram_base >> 30) != 1 || ((ram_end - 1) >> 30) != 1);
	map_blocks(device_l2, DEVICE_START, DEVICE_END, ATTR_DEVICE | DESC_PXN | DESC_UXN);
	map_blocks(ram_l2, ram_start, ram_end, ATTR_NORMAL | SH_INNER | DESC_UXN);
	kernel_pgd[0] = (uint64_t)(uintptr_t)device_l2 | DESC_TABLE;
	kernel_pgd[1] = (uint64_t)(uintptr_t)ram_l2 | DESC_TABLE;
	if (modwin_size) {
		/* Module text runs at EL1; stage 2 keeps it read-only. */
		BUG_ON((modwin_base >> 30) != 4 || ((modwin_base + modwin_size - 1) >> 30) != 4);
		modwin_start = modwin_base;
		modwin_end = modwin_base + modwin_size;
		map_blocks(modwin_l2, modwin_start, modwin_end, ATTR_NORMAL | SH_INNER | DESC_UXN);
		kernel_pgd[4] = (uint64_t)(uintptr_t)modwin_l2 | DESC_TABLE;
	}

	__asm__ volatile("dsb ish");
	__asm__ volatile("msr mair_el1, %0" ::"r"(MAIR_VALUE));
	__asm__ volatile("msr tcr_el1, %0" ::"r"(tcr));
	__asm__ volatile("msr ttbr0_el1, %0" ::"r"((uint64_t)(uintptr_t)kernel_pgd));
	__asm__ volatile("isb; tlbi vmalle1; dsb nsh; isb" ::: "memory");
	__asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
	/* M, C, I; EL0 may read CTR_EL0 (UCT), zero with DC ZVA (DZE), clean caches by VA (UCI)
	 * and run WFI/WFE without trapping. */
	sctlr |= (1ULL << 0) | (1ULL << 2) | (1ULL << 12) | (1ULL << 15) | (1ULL << 14) |
		 (1ULL << 26) | (1ULL << 16) | (1ULL << 18);
	__asm__ volatile("msr sctlr_el1, %0; isb" ::"r"(sctlr) : "memory");
	/* EL0 may read the virtual counter (clock reads without a syscall). */
	__asm__ volatile("msr cntkctl_el1, %0; isb" ::"r"(1ULL << 1));
}

bool mm_user_range_ok(uint64_t start, uint64_t end)
{
	if (start >= end || end > USER_TOP || start < PAGE_SIZE)
		return false;
	/* The kernel's slots: devices, its RAM gibibyte, the module window gibibyte. */
	if (start < DEVICE_END && end > DEVICE_START)
		return false;
	if (start < (2ULL << 30) && end > (1ULL << 30))
		return false;
	if (start < (5ULL << 30) && end > (4ULL << 30))
		return false;
	return true;
}
