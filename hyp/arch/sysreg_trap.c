/* Decodes a trapped MSR/MRS/SYS or AArch32 coprocessor access; emulates it or makes it undefined.
 */
#include "arch/sysreg_trap.h"
#include "aarch32.h"
#include "arch/sysregs.h"
#include "console.h"
#include "vcpu.h"
#include "vgic.h"
#include "vm.h"

/* Op0, Op1, CRn, CRm, Op2 packed as in the ISS, direction and Rt masked out. */
#define SYSREG_ID_MASK 0x3ffc1eU
#define SYSREG_ID(op0, op1, crn, crm, op2)                                                         \
	(((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((crm) << 1))

#define ICC_SGI1R SYSREG_ID(3, 0, 12, 11, 5)
#define ICC_ASGI1R SYSREG_ID(3, 0, 12, 11, 6)
#define ICC_SGI0R SYSREG_ID(3, 0, 12, 11, 7)
#define DC_ISW SYSREG_ID(1, 0, 7, 6, 2)
#define DC_CSW SYSREG_ID(1, 0, 7, 10, 2)
#define DC_CISW SYSREG_ID(1, 0, 7, 14, 2)

void sysreg_trap(struct vcpu *vcpu, uint64_t esr)
{
	uint32_t iss = (uint32_t)ESR_ISS(esr);
	uint32_t id = iss & SYSREG_ID_MASK;

	unsigned rt = (iss >> 5) & 0x1f;
	bool is_read = iss & 1;

	switch (id) {
	case ICC_SGI1R:
		if (!is_read)
			vgic_send_sgi(vcpu, rt == 31 ? 0 : vcpu->regs.x[rt]);
		vcpu_skip_instr(vcpu, esr);
		return;
	case ICC_ASGI1R:
	case ICC_SGI0R:
		/* Guests have group 1 interrupts only: group 0 and secure SGIs are ignored. */
		vcpu_skip_instr(vcpu, esr);
		return;
	case DC_ISW:
	case DC_CSW:
	case DC_CISW:
		/*
		 * Set/way operations cannot be virtualised (other guests share the caches).
		 * Everything the hypervisor writes into guest memory is cleaned to the point of
		 * coherency when it is written, so they are accepted as no-ops.
		 */
		vcpu_skip_instr(vcpu, esr);
		return;
	default:
		hyp_printf("hyp: vm %s: trapped %s of sysreg op0=%u op1=%u CRn=%u CRm=%u op2=%u at "
			   "%#lx: undefined\n",
			   vcpu->vm->name, is_read ? "read" : "write", (iss >> 20) & 3,
			   (iss >> 14) & 7, (iss >> 10) & 15, (iss >> 1) & 15, (iss >> 17) & 7,
			   (unsigned long)vcpu->regs.elr);
		vcpu_inject_undef(vcpu);
		return;
	}
}

/*
 * AArch32 runs only at EL0 (HCR_EL2.RW makes EL1 AArch64). What reaches EL2 from there with
 * this configuration: CNTP_* accesses (CNTHCTL_EL2.EL1PCEN is 0) as EC 0x3 and 0x4, and
 * IMPLEMENTATION DEFINED cp15 registers (HCR_EL2.TIDCP) as EC 0x3. No AArch32 access is
 * emulated: the registers emulated for AArch64 (ICC_SGI1R_EL1, DC set/way) are EL1-only, so
 * at EL0 they are undefined anyway. The other AArch32 classes (cp14 debug: MDCR_EL2 traps
 * none; cp10: HCR_EL2.TID0/TID3 are 0) get the same treatment should they ever come.
 */
void cp32_trap(struct vcpu *vcpu, uint64_t esr)
{
	static const char *const what[] = {
	    [EC_CP15_32] = "MCR/MRC p15", [EC_CP15_64] = "MCRR/MRRC p15",
	    [EC_CP14_32] = "MCR/MRC p14", [EC_CP14_LS] = "LDC/STC p14",
	    [EC_CP10_ID] = "VMRS",	  [EC_CP14_64] = "MCRR/MRRC p14",
	};
	uint32_t iss = (uint32_t)ESR_ISS(esr);
	unsigned ec = (unsigned)ESR_EC(esr);

	/* A conditional instruction may trap although its condition fails: then it is a NOP. */
	if (!aarch32_cond_passed(vcpu->regs.spsr, iss)) {
		vcpu_skip_instr(vcpu, esr);
		return;
	}
	hyp_printf("hyp: vm %s: trapped AArch32 %s (ISS %#x) at %#lx: undefined\n", vcpu->vm->name,
		   ec < sizeof(what) / sizeof(what[0]) && what[ec] ? what[ec] : "access",
		   (unsigned)iss, (unsigned long)vcpu->regs.elr);
	vcpu_inject_undef(vcpu);
}
