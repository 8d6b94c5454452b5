/* Decodes a trapped MSR/MRS/SYS (EC 0x18) and emulates it or injects an undefined exception. */
#include "arch/sysreg_trap.h"
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
