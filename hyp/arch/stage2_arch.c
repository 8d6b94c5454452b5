/* Stage-2 hooks at EL2: frames for tables, and TLB invalidation by IPA or VMID. */
#include "arch/stage2_arch.h"
#include "arch/sysregs.h"
#include "mm.h"
#include "vm.h"

static void *alloc_table(void *ctx, uint64_t *pa_out)
{
	struct vm *vm = ctx;

	if (mm_alloc(1, 1, FRAME_VM_S2, vm->id, pa_out) != MV_OK)
		return NULL;
	return phys_to_virt(*pa_out);
}

static void *alloc_root(void *ctx, unsigned pages, uint64_t *pa_out)
{
	struct vm *vm = ctx;

	if (mm_alloc(pages, pages, FRAME_VM_S2, vm->id, pa_out) != MV_OK)
		return NULL;
	return phys_to_virt(*pa_out);
}

static void free_table(void *ctx, void *va, uint64_t pa)
{
	(void)ctx;
	(void)va;
	mm_free(pa, 1);
}

static void free_root(void *ctx, void *va, uint64_t pa, unsigned pages)
{
	(void)ctx;
	(void)va;
	mm_free(pa, pages);
}

static void *s2_phys_to_virt(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

/*
 * TLBI by IPA acts on the VMID in VTTBR_EL2, so the target VM's VTTBR is installed for the
 * duration; this is safe at EL2 because only the EL1&0 regime uses it.
 */
static uint64_t switch_vttbr(const struct vm *vm)
{
	uint64_t old = read_sysreg(vttbr_el2);

	write_sysreg(vm_vttbr(vm), vttbr_el2);
	isb();
	return old;
}

static void restore_vttbr(uint64_t old)
{
	write_sysreg(old, vttbr_el2);
	isb();
}

static void tlb_flush_ipa(void *ctx, uint16_t vmid, uint64_t ipa, unsigned level)
{
	uint64_t old = switch_vttbr(ctx);

	(void)vmid;
	(void)level;
	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(ipa >> 12) : "memory");
	dsb(ish);
	/* Stage-1 entries cached with this IPA as output are combined entries: drop them too. */
	__asm__ volatile("tlbi vmalle1is" ::: "memory");
	dsb(ish);
	isb();
	restore_vttbr(old);
}

static void tlb_flush_vmid(void *ctx, uint16_t vmid)
{
	uint64_t old = switch_vttbr(ctx);

	(void)vmid;
	dsb(ishst);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	dsb(ish);
	isb();
	restore_vttbr(old);
}

static void sync_tables(void *ctx)
{
	(void)ctx;
	dsb(ishst);
}

const struct s2_hooks hyp_s2_hooks = {
    .alloc_table = alloc_table,
    .free_table = free_table,
    .alloc_root = alloc_root,
    .free_root = free_root,
    .phys_to_virt = s2_phys_to_virt,
    .tlb_flush_ipa = tlb_flush_ipa,
    .tlb_flush_vmid = tlb_flush_vmid,
    .sync = sync_tables,
};
