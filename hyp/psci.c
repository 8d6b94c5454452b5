/* Guest PSCI 1.0: version, features, CPU_ON/OFF, AFFINITY_INFO, SYSTEM_OFF and SYSTEM_RESET. */
#include "psci.h"
#include "arch/psci_fw.h"
#include "arch/sysregs.h"
#include "cpu.h"
#include "vm.h"
#include <modvisor/status.h>

#define PSCI_VERSION_1_0 0x10000

static const uint32_t supported[] = {
    PSCI_0_2_FN_PSCI_VERSION, PSCI_0_2_FN_CPU_OFF,	 PSCI_0_2_FN_CPU_ON,
    PSCI_CPU_ON_32,	      PSCI_0_2_FN_AFFINITY_INFO, PSCI_AFFINITY_INFO_32,
    PSCI_0_2_FN_SYSTEM_OFF,   PSCI_0_2_FN_SYSTEM_RESET,	 PSCI_1_0_FN_PSCI_FEATURES,
};

static bool is_psci(uint32_t fid)
{
	/* Owner 4 (standard secure service), functions 0x00..0x1f, SMC32 or SMC64. */
	return (fid & 0xbfffffe0u) == 0x84000000u;
}

static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		if ((vm->vcpus[i].vmpidr & 0xff00ffffffULL) == (mpidr & 0xff00ffffffULL))
			return &vm->vcpus[i];
	return NULL;
}

static int64_t cpu_on(struct vm *vm, uint64_t mpidr, uint64_t entry, uint64_t context)
{
	struct vcpu *target = vcpu_by_mpidr(vm, mpidr);
	int64_t ret;

	if (!target)
		return PSCI_RET_INVALID_PARAMS;
	if (!vm_ipa_is_ram(vm, entry, 4) || (entry & 3))
		return PSCI_RET_INVALID_PARAMS;
	spin_lock(&vm->lock);
	if (target->state != VCPU_OFF) {
		spin_unlock(&vm->lock);
		return PSCI_RET_ALREADY_ON;
	}
	vcpu_reset(target, entry, context);
	target->state = VCPU_RUNNABLE;
	spin_unlock(&vm->lock);
	ret = cpu_start(target->pcpu);
	if (ret != MV_OK) {
		target->state = VCPU_OFF;
		return PSCI_RET_INTERNAL_FAILURE;
	}
	return PSCI_RET_SUCCESS;
}

static int64_t affinity_info(struct vm *vm, uint64_t mpidr, uint64_t level)
{
	struct vcpu *target = vcpu_by_mpidr(vm, mpidr);

	if (!target || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	return target->state == VCPU_RUNNABLE ? 0 : 1;
}

bool psci_guest_call(struct vcpu *vcpu, uint32_t fid)
{
	struct vm *vm = vcpu->vm;
	uint64_t *x = vcpu->regs.x;
	int64_t ret = PSCI_RET_NOT_SUPPORTED;

	if (!is_psci(fid))
		return false;
	/* SMC32 calls pass 32-bit arguments. */
	uint64_t mask = (fid & 0x40000000u) ? ~0ULL : 0xffffffffULL;
	uint64_t a1 = x[1] & mask, a2 = x[2] & mask, a3 = x[3] & mask;

	switch (fid) {
	case PSCI_0_2_FN_PSCI_VERSION:
		ret = PSCI_VERSION_1_0;
		break;
	case PSCI_1_0_FN_PSCI_FEATURES:
		ret = PSCI_RET_NOT_SUPPORTED;
		for (unsigned i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
			if ((uint32_t)a1 == supported[i])
				ret = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_CPU_ON_32:
		ret = cpu_on(vm, a1, a2, a3);
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_32:
		ret = affinity_info(vm, a1, a2);
		break;
	case PSCI_0_2_FN_CPU_OFF:
		vcpu_park_prepare(vcpu);
		vcpu->state = VCPU_OFF;
		vcpu->parked = true;
		/* Give the physical CPU back to the firmware; CPU_ON restarts it. */
		fw_smc(PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
		cpu_park_idle();
	case PSCI_0_2_FN_SYSTEM_OFF:
		vm_stop(vm, "system off");
	case PSCI_0_2_FN_SYSTEM_RESET:
		if (vm_reset(vm) != MV_OK)
			vm_stop(vm, "reset failed: out of memory");
		/* New RAM means new stage-2 tables: this CPU must walk the new root. */
		write_sysreg(vm_vttbr(vm), vttbr_el2);
		isb();
		__asm__ volatile("tlbi vmalls12e1; dsb nsh; isb" ::: "memory");
		vcpu_reset_el1();
		vcpu->vgic.dirty = true;
		return true; /* x0 now holds the DTB address for the restarted kernel */
	default:
		break;
	}
	x[0] = (uint64_t)ret;
	return true;
}
