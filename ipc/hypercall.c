/* SMCCC dispatch: PSCI, the SMCCC architecture calls, and modvisor's vendor-range calls. */
#include "hypercall.h"
#include "psci.h"
#include "vcpu.h"
#include <modvisor/hypercall.h>
#include <mv_compiler.h>

typedef void (*hvc_fn)(struct vcpu *vcpu);

struct hvc_entry {
	uint32_t fid;
	hvc_fn fn;
};

static void hvc_smccc_version(struct vcpu *vcpu)
{
	vcpu->regs.x[0] = SMCCC_VERSION_1_1;
}

static void hvc_smccc_arch_features(struct vcpu *vcpu)
{
	uint32_t fid = (uint32_t)vcpu->regs.x[1];

	/* No firmware workaround calls are needed or offered. */
	vcpu->regs.x[0] =
	    (fid == SMCCC_VERSION || fid == SMCCC_ARCH_FEATURES) ? 0 : (uint64_t)(int64_t)-1;
}

static void hvc_call_uid(struct vcpu *vcpu)
{
	vcpu->regs.x[0] = MV_UID_0;
	vcpu->regs.x[1] = MV_UID_1;
	vcpu->regs.x[2] = MV_UID_2;
	vcpu->regs.x[3] = MV_UID_3;
}

static void hvc_revision(struct vcpu *vcpu)
{
	vcpu->regs.x[0] = MV_ABI_VERSION >> 16;
	vcpu->regs.x[1] = MV_ABI_VERSION & 0xffff;
}

static void hvc_version(struct vcpu *vcpu)
{
	vcpu->regs.x[0] = MV_OK;
	vcpu->regs.x[1] = MV_ABI_VERSION;
}

static const struct hvc_entry hvc_table[] = {
    {SMCCC_VERSION, hvc_smccc_version}, {SMCCC_ARCH_FEATURES, hvc_smccc_arch_features},
    {MV_HVC_CALL_UID, hvc_call_uid},	{MV_HVC_REVISION, hvc_revision},
    {MV_HVC_VERSION, hvc_version},
};

void hypercall_dispatch(struct vcpu *vcpu)
{
	uint32_t fid = (uint32_t)vcpu->regs.x[0];

	/* SMCCC: the upper 32 bits of the function ID are ignored. */
	if (psci_guest_call(vcpu, fid))
		return;
	for (unsigned i = 0; i < ARRAY_SIZE(hvc_table); i++) {
		if (hvc_table[i].fid == fid) {
			hvc_table[i].fn(vcpu);
			return;
		}
	}
	vcpu->regs.x[0] = (uint64_t)(int64_t)MV_ERR_NOT_SUPPORTED;
}
