/* vCPU reset, entry and exception injection: EL1 state is live while a vCPU holds its CPU. */
#include "vcpu.h"
#include "aarch32.h"
#include "arch/sysregs.h"
#include "cpu.h"
#include "vm.h"
#include "vsched.h"
#include <mv_compiler.h>
#include <string.h>

_Static_assert(__builtin_offsetof(struct vcpu_regs, elr) == REGS_ELR, "ELR offset");
_Static_assert(__builtin_offsetof(struct vcpu_regs, spsr) == REGS_SPSR, "SPSR offset");
_Static_assert(sizeof(struct vcpu_regs) == REGS_SIZE, "regs size");
_Static_assert(__builtin_offsetof(struct vcpu, regs) == 0, "regs first");

#define CNTHCTL_EL1PCTEN (1ULL << 0)

void vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg)
{
	memset(&vcpu->regs, 0, sizeof(vcpu->regs));
	vcpu->regs.x[0] = arg;
	vcpu->regs.elr = entry;
	vcpu->regs.spsr = SPSR_EL1H_DAIF;
	vcpu->ctx_saved = false; /* starts from the reset state, whatever it saved before */
}

/* EL1 registers a freshly reset CPU would have, so nothing leaks from a previous guest. */
void vcpu_reset_el1(void)
{
	write_sysreg(SCTLR_EL1_RES1, sctlr_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	write_sysreg(0, mair_el1);
	write_sysreg(0, cpacr_el1);
	write_sysreg(0, contextidr_el1);
	write_sysreg(0, tpidr_el1);
	write_sysreg(0, tpidr_el0);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, sp_el0);
	write_sysreg(0, sp_el1);
	write_sysreg(0, elr_el1);
	write_sysreg(0, spsr_el1);
	write_sysreg(0, esr_el1);
	write_sysreg(0, far_el1);
	write_sysreg(0, cntkctl_el1);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
}

/* Takes the vCPU for this CPU unless its VM stopped or a reset or CPU_OFF took it back since
 * it was found runnable: under the VM lock, so that a CPU that stops or resets the VM either
 * sees it claimed (and waits for it to park) or makes this CPU leave it alone. */
static bool claim(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool ok;

	spin_lock(&vm->lock);
	ok = vm->state == VM_RUNNING && vcpu->state == VCPU_RUNNABLE;
	if (ok)
		vcpu->parked = false;
	spin_unlock(&vm->lock);
	return ok;
}

void vcpu_run(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	uint64_t pmcr_n = (read_sysreg(pmcr_el0) >> 11) & 0x1f;

	if (!claim(vcpu)) {
		vsched_drop(vcpu);
		cpu_park_idle();
	}

	write_sysreg(vm_hcr(vm), hcr_el2);
	write_sysreg(vm_vttbr(vm), vttbr_el2);
	write_sysreg(vm_vtcr(), vtcr_el2);
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(vcpu->vmpidr, vmpidr_el2);
	/* Guests read the physical counter; the physical timer is the hypervisor's. */
	write_sysreg(CNTHCTL_EL1PCTEN, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	/* All event counters stay with the guest (HPMN = N); EL2 counts only PMCCNTR. */
	write_sysreg(pmcr_n, mdcr_el2);
	isb();
	if (vcpu->ctx_saved) {
		/* Back after a switch: its VMID's TLB entries are still its own. */
		ctx_restore(&vcpu->ctx);
		vcpu->ctx_saved = false;
	} else {
		/* A new VMID on this CPU may find stale entries of a VM that used it before. */
		__asm__ volatile("tlbi vmalls12e1" ::: "memory");
		dsb(nsh);
		vcpu_reset_el1();
		/* Another guest's vCPU may have run here: none of its state may show. */
		if (vsched_cpu_shared(vcpu->pcpu))
			ctx_scrub();
		write_sysreg(0, ich_vmcr_el2);
		isb();
		vcpu->vgic.dirty = true;
	}
	vgic_flush(vcpu);
	guest_enter(&vcpu->regs, vcpu->pcpu);
}

void vcpu_park_prepare(struct vcpu *vcpu)
{
	/* The guest's timer must not fire into whatever runs here next. */
	write_sysreg(0, cntv_ctl_el0);
	vgic_vcpu_release(vcpu);
}

void vcpu_park(struct vcpu *vcpu)
{
	vcpu_park_prepare(vcpu);
	vsched_drop(vcpu);
	WRITE_ONCE(vcpu->parked, true);
	cpu_park_idle();
}

void vcpu_skip_instr(struct vcpu *vcpu, uint64_t esr)
{
	vcpu->regs.elr += (esr & ESR_IL) ? 4 : 2;
	/* AArch32 EL0: a T32 instruction inside an IT block moves the block on, and the PC
	 * stays 32-bit. */
	if (aarch32_spsr_is_aarch32(vcpu->regs.spsr)) {
		vcpu->regs.spsr = aarch32_it_advance(vcpu->regs.spsr);
		vcpu->regs.elr &= 0xffffffffULL;
	}
}

void vcpu_inject_undef(struct vcpu *vcpu)
{
	uint64_t mode = vcpu->regs.spsr & SPSR_MODE_MASK;
	uint64_t offset;

	if (aarch32_spsr_is_aarch32(vcpu->regs.spsr))
		offset = 0x600; /* lower EL, AArch32 (EL0: EL1 is AArch64, HCR_EL2.RW) */
	else if (mode == SPSR_EL1H)
		offset = 0x200; /* current EL with SP_ELx */
	else if (mode == SPSR_EL1T)
		offset = 0x000; /* current EL with SP_EL0 */
	else
		offset = 0x400; /* lower EL, AArch64 */
	/* ELR_EL1 is the undefined instruction itself, in either state (the preferred return
	 * address of an undefined-instruction exception); SPSR_EL1 keeps the AArch32 PSTATE
	 * (T and IT bits included), so the guest finds the instruction set and IT block. */
	write_sysreg(vcpu->regs.elr, elr_el1);
	write_sysreg(vcpu->regs.spsr, spsr_el1);
	/* EC 0 (unknown reason) has IL RES1 whatever the instruction's length (ARM ARM,
	 * ESR_ELx.IL), as a real CPU reports a 16-bit T32 undefined instruction too. */
	write_sysreg(((uint64_t)EC_UNKNOWN << ESR_EC_SHIFT) | ESR_IL, esr_el1);
	vcpu->regs.elr = read_sysreg(vbar_el1) + offset;
	vcpu->regs.spsr = SPSR_EL1H_DAIF;
}

struct vcpu *vcpu_current(void)
{
	return (struct vcpu *)read_sysreg(tpidr_el2);
}
