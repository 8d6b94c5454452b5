/* Guest PSCI 1.0: version, features, CPU_ON/OFF, AFFINITY_INFO, SYSTEM_OFF and SYSTEM_RESET. */
#include "psci.h"
#include "arch/psci_fw.h"
#include "arch/sysregs.h"
#include "cpu.h"
#include "panic.h"
#include "vm.h"
#include "vsched.h"
#include <modvisor/status.h>
#include <mv_compiler.h>

#define PSCI_VERSION_1_0 0x10000

static const uint32_t supported[] = {
    PSCI_0_2_FN_PSCI_VERSION, PSCI_0_2_FN_CPU_OFF,	 PSCI_0_2_FN_CPU_ON,
    PSCI_CPU_ON_32,	      PSCI_0_2_FN_AFFINITY_INFO, PSCI_AFFINITY_INFO_32,
    PSCI_0_2_FN_SYSTEM_OFF,   PSCI_0_2_FN_SYSTEM_RESET,	 PSCI_1_0_FN_PSCI_FEATURES,
};

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
	/* A vCPU that called CPU_OFF is on until its CPU has let go of it (AFFINITY_INFO says
	 * so too): its registers are not ours to reset before. */
	if (target->state != VCPU_OFF || !READ_ONCE(target->parked)) {
		spin_unlock(&vm->lock);
		return PSCI_RET_ALREADY_ON;
	}
	vcpu_reset(target, entry, context);
	target->state = VCPU_RUNNABLE;
	vsched_ready(target);
	spin_unlock(&vm->lock);
	/* Started, or kicked: an idle CPU runs it now, a time-shared busy one in its turn. */
	ret = cpu_start(target->pcpu);
	if (ret != MV_OK) {
		spin_lock(&vm->lock);
		if (target->state == VCPU_RUNNABLE)
			target->state = VCPU_OFF;
		spin_unlock(&vm->lock);
		return PSCI_RET_INTERNAL_FAILURE;
	}
	return PSCI_RET_SUCCESS;
}

static int64_t affinity_info(struct vm *vm, uint64_t mpidr, uint64_t level)
{
	struct vcpu *target = vcpu_by_mpidr(vm, mpidr);

	if (!target || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	return target->state == VCPU_OFF && READ_ONCE(target->parked) ? 1 : 0;
}

/*
 * CPU_OFF. PSCI lets the last running core of a system turn itself off; nothing can turn a
 * VM's vCPUs on again then, so the VM is over: it stops as after SYSTEM_OFF and its memory
 * is freed. The physical CPU stays in the hypervisor (cpu_idle_loop).
 */
static __noreturn void cpu_off(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool last = true;

	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING || vcpu->state != VCPU_RUNNABLE) {
		/* Another vCPU is resetting or stopping the VM and claimed this one already. */
		spin_unlock(&vm->lock);
		vcpu_park(vcpu);
	}
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		if (&vm->vcpus[i] != vcpu && vm->vcpus[i].state == VCPU_RUNNABLE)
			last = false;
	/* The last one stays runnable: vm_stop() below must not take it for a loser of a
	 * race. No other vCPU runs, so none can turn one on in between. */
	if (!last)
		vcpu->state = VCPU_OFF;
	spin_unlock(&vm->lock);
	if (last)
		vm_stop(vm, "all vCPUs off");
	vcpu_park(vcpu);
}

/*
 * SYSTEM_RESET, from any vCPU: vm_reset() parks the others and reloads the VM with only the
 * boot vCPU runnable. The CPU of that vCPU is woken wherever it is, and this CPU idles on a
 * fresh stack, from where it enters its vCPU again if it is the boot one (vcpu_run loads the
 * new stage-2 root and EL1 reset state).
 */
static __noreturn void system_reset(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vcpu *boot = &vm->vcpus[0];

	if (vm_reset(vm) != MV_OK)
		vm_stop(vm, "reset failed: out of memory");
	/* vm_reset() silenced this vCPU's timer and list registers: it can be claimed now. */
	WRITE_ONCE(vcpu->parked, true);
	/* The boot vCPU's CPU started at boot and never left the hypervisor: a kick works. */
	if (boot != vcpu)
		BUG_ON(cpu_start(boot->pcpu) != MV_OK);
	cpu_park_idle();
}

static __attribute__((noinline)) void psci_call(struct vcpu *vcpu, uint32_t fid)
{
	struct vm *vm = vcpu->vm;
	uint64_t *x = vcpu->regs.x;
	int64_t ret = PSCI_RET_NOT_SUPPORTED;

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
		cpu_off(vcpu);
	case PSCI_0_2_FN_SYSTEM_OFF:
		vm_stop(vm, "system off");
	case PSCI_0_2_FN_SYSTEM_RESET:
		system_reset(vcpu);
	default:
		break;
	}
	x[0] = (uint64_t)ret;
}

void psci_guest_call(struct vcpu *vcpu, uint32_t fid)
{
	/* The version probe, which every guest makes, without the frame the other calls need. */
	if (fid == PSCI_0_2_FN_PSCI_VERSION)
		vcpu->regs.x[0] = PSCI_VERSION_1_0;
	else
		psci_call(vcpu, fid);
}
