/* Guest trap dispatch: a table indexed by the ESR exception class. */
#include "arch/sysreg_trap.h"
#include "arch/sysregs.h"
#include "console.h"
#include "hypercall.h"
#include "irq.h"
#include "vm.h"
#include "vsched.h"
#include <modvisor/status.h>

typedef void (*trap_fn)(struct vcpu *vcpu, uint64_t esr);

#define FSC_TYPE(fsc) ((fsc)&0x3c)
#define FSC_TRANSLATION 0x04
#define FSC_PERMISSION 0x0c

/*
 * An exception class this table has no handler for. Each one a lower EL can raise with our
 * HCR_EL2/CNTHCTL_EL2/MDCR_EL2/CPTR_EL2 settings is handled above; any other is an instruction
 * the hypervisor does not offer the guest, so the guest's EL1 gets an undefined-instruction
 * exception for it (as for an unemulated system register) and only that guest is affected.
 */
static void trap_unknown(struct vcpu *vcpu, uint64_t esr)
{
	hyp_printf("hyp: vm %s: unhandled trap EC %#lx, ESR %#lx, ELR %#lx: undefined\n",
		   vcpu->vm->name, (unsigned long)ESR_EC(esr), (unsigned long)esr,
		   (unsigned long)vcpu->regs.elr);
	vcpu_inject_undef(vcpu);
}

static void trap_wfx(struct vcpu *vcpu, uint64_t esr)
{
	vcpu_skip_instr(vcpu, esr);
	/* WFI waits in place on a pinned CPU and yields a time-shared one. WFE is not trapped
	 * (spin-waits stay in the guest). */
	if (!(ESR_ISS(esr) & 1))
		vsched_wfi(vcpu);
}

static void trap_hvc(struct vcpu *vcpu, uint64_t esr)
{
	/* ELR already points past the HVC. Only HVC #0 is the SMCCC conduit. */
	if ((ESR_ISS(esr) & 0xffff) != 0) {
		vcpu->regs.x[0] = (uint64_t)(int64_t)MV_ERR_NOT_SUPPORTED;
		return;
	}
	hypercall_dispatch(vcpu);
}

static void trap_smc(struct vcpu *vcpu, uint64_t esr)
{
	/* Guests have no secure firmware to call; the conduit is HVC (see the guest DTB). */
	vcpu->regs.x[0] = (uint64_t)(int64_t)MV_ERR_NOT_SUPPORTED;
	vcpu_skip_instr(vcpu, esr);
}

static uint64_t fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

static void trap_dabt(struct vcpu *vcpu, uint64_t esr)
{
	struct vm *vm = vcpu->vm;
	uint64_t ipa = fault_ipa();
	unsigned fsc = ISS_FSC(ESR_ISS(esr));
	const struct mmio_region *region = mmio_find(&vm->mmio, ipa);
	const char *module;
	struct mmio_access acc;

	if (region) {
		if (mmio_decode(esr, ipa, &acc) != MV_OK)
			vm_stop(vm, "unemulatable MMIO access at IPA %#lx (ESR %#lx, ELR %#lx)",
				(unsigned long)ipa, (unsigned long)esr,
				(unsigned long)vcpu->regs.elr);
		if (mmio_emulate_region(region, vcpu, &acc) != MV_OK)
			vm_stop(vm, "bad MMIO access at IPA %#lx (ESR %#lx, ELR %#lx)",
				(unsigned long)ipa, (unsigned long)esr,
				(unsigned long)vcpu->regs.elr);
		vcpu_skip_instr(vcpu, esr);
		return;
	}
	if (FSC_TYPE(fsc) == FSC_TRANSLATION && vm->cfg->policy == MEM_LAZY &&
	    vm_handle_ram_fault(vm, ipa) == MV_OK)
		return; /* retry the access on the new page */
	module = FSC_TYPE(fsc) == FSC_PERMISSION ? vmmod_text_at(vm, ipa) : NULL;
	if (module)
		vm_stop(
		    vm, "write to the shared text of module %s at IPA %#lx (ESR %#lx, ELR %#lx)",
		    module, (unsigned long)ipa, (unsigned long)esr, (unsigned long)vcpu->regs.elr);
	vm_stop(vm, "%s at IPA %#lx (ESR %#lx, ELR %#lx)",
		FSC_TYPE(fsc) == FSC_PERMISSION ? "stage-2 permission fault" : "stage-2 data abort",
		(unsigned long)ipa, (unsigned long)esr, (unsigned long)vcpu->regs.elr);
}

static void trap_iabt(struct vcpu *vcpu, uint64_t esr)
{
	struct vm *vm = vcpu->vm;
	uint64_t ipa = fault_ipa();
	unsigned fsc = ISS_FSC(ESR_ISS(esr));

	if (FSC_TYPE(fsc) == FSC_TRANSLATION && vm->cfg->policy == MEM_LAZY &&
	    vm_handle_ram_fault(vm, ipa) == MV_OK)
		return;
	vm_stop(vm, "stage-2 instruction abort at IPA %#lx (ESR %#lx, ELR %#lx)",
		(unsigned long)ipa, (unsigned long)esr, (unsigned long)vcpu->regs.elr);
}

static const trap_fn sync_traps[EC_COUNT] = {
    [EC_WFX] = trap_wfx,       [EC_HVC64] = trap_hvc,	  [EC_SMC64] = trap_smc,
    [EC_SYSREG] = sysreg_trap, [EC_IABT_LOW] = trap_iabt, [EC_DABT_LOW] = trap_dabt,
    [EC_CP15_32] = cp32_trap,  [EC_CP15_64] = cp32_trap,  [EC_CP14_32] = cp32_trap,
    [EC_CP14_LS] = cp32_trap,  [EC_CP10_ID] = cp32_trap,  [EC_CP14_64] = cp32_trap,
};

/* Called from arch/vectors.S with the guest's registers saved in *regs. */
void trap_entry(struct vcpu_regs *regs, unsigned kind);
void trap_entry(struct vcpu_regs *regs, unsigned kind)
{
	struct vcpu *vcpu = (struct vcpu *)regs;
	uint64_t esr;
	trap_fn fn;

	switch (kind) {
	case TRAP_SYNC:
		esr = read_sysreg(esr_el2);
		fn = sync_traps[ESR_EC(esr)];
		(fn ? fn : trap_unknown)(vcpu, esr);
		break;
	case TRAP_IRQ:
	case TRAP_FIQ:
		irq_handle(vcpu);
		break;
	case TRAP_SERROR:
		vm_stop(vcpu->vm, "SError, ESR %#lx", (unsigned long)read_sysreg(esr_el2));
	default:
		vm_stop(vcpu->vm, "AArch32 exception: guests must run AArch64");
	}
	/* Another CPU stopped this VM and kicked us. */
	if (vcpu->state != VCPU_RUNNABLE)
		vcpu_park(vcpu);
	/* Inline check: most traps change no interrupt state, and the call alone costs more. */
	if (vgic_needs_flush(&vcpu->vgic))
		vgic_flush(vcpu);
}
