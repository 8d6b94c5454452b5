/* SMCCC dispatch: PSCI, the SMCCC architecture calls, and modvisor's vendor-range calls. */
#include "hypercall.h"
#include "psci.h"
#include "vcpu.h"
#include "vm.h"
#include "account.h"
#include "memrelease.h"
#include <modvisor/hypercall.h>
#include <mv_compiler.h>

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

/* A module name from the caller's RAM: 1..15 bytes of [a-z0-9_-]. */
static int copy_name(struct vcpu *vcpu, uint64_t ipa, uint64_t len, char name[16])
{
	if (len == 0 || len > 15)
		return MV_ERR_INVALID;
	if (vm_copy_from_guest(vcpu->vm, name, ipa, len) != MV_OK)
		return MV_ERR_INVALID;
	name[len] = '\0';
	for (uint64_t i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return MV_ERR_INVALID;
	}
	return MV_OK;
}

static void set_status(struct vcpu *vcpu, int status)
{
	vcpu->regs.x[0] = (uint64_t)(int64_t)status;
}

static void hvc_mod_lookup(struct vcpu *vcpu)
{
	char name[16];
	uint32_t version = 0;
	uint64_t text = 0, data = 0;
	int ret = copy_name(vcpu, vcpu->regs.x[1], vcpu->regs.x[2], name);

	if (ret == MV_OK)
		ret = vmmod_lookup(vcpu->vm, name, &version, &text, &data);
	set_status(vcpu, ret);
	vcpu->regs.x[1] = version;
	vcpu->regs.x[2] = text;
	vcpu->regs.x[3] = data;
}

static void hvc_mod_load(struct vcpu *vcpu)
{
	struct vmmod_load_result r = {0, 0, 0};
	char name[16];
	uint64_t window_va = vcpu->regs.x[3];
	int ret = copy_name(vcpu, vcpu->regs.x[1], vcpu->regs.x[2], name);

	/* The guest's virtual window must be slot-aligned and leave room for every slot. */
	if (ret == MV_OK && (window_va % SCENARIO_MODULE_SLOT ||
			     window_va > UINT64_MAX - vcpu->vm->cfg->module_window_size))
		ret = MV_ERR_INVALID;
	if (ret == MV_OK)
		ret = vmmod_load(vcpu->vm, name, window_va, &r);
	set_status(vcpu, ret);
	vcpu->regs.x[1] = r.base_va;
	vcpu->regs.x[2] = r.desc_va;
	vcpu->regs.x[3] = r.flags;
}

static void hvc_mod_unload(struct vcpu *vcpu)
{
	char name[16];
	int ret = copy_name(vcpu, vcpu->regs.x[1], vcpu->regs.x[2], name);

	if (ret == MV_OK)
		ret = vmmod_unload(vcpu->vm, name);
	set_status(vcpu, ret);
}

static void hvc_mod_list(struct vcpu *vcpu)
{
	struct mv_mod_info records[SCENARIO_MAX_MODULES];
	uint64_t buf = vcpu->regs.x[1], len = vcpu->regs.x[2];
	unsigned max = (unsigned)MIN(len / sizeof(records[0]), SCENARIO_MAX_MODULES);
	unsigned total = vmmod_list(vcpu->vm, records, max);
	unsigned written = MIN(total, max);
	int ret = MV_OK;

	if (written && vm_copy_to_guest(vcpu->vm, buf, records, written * sizeof(records[0])))
		ret = MV_ERR_INVALID;
	set_status(vcpu, ret);
	vcpu->regs.x[1] = ret == MV_OK ? written : 0;
	vcpu->regs.x[2] = total;
}

static void hvc_mem_stats(struct vcpu *vcpu)
{
	struct mv_mem_stats s;
	uint64_t len = MIN(vcpu->regs.x[2], sizeof(s));
	int ret = MV_OK;

	account_vm(vcpu->vm, &s);
	if (len == 0 || vm_copy_to_guest(vcpu->vm, vcpu->regs.x[1], &s, len) != MV_OK)
		ret = MV_ERR_INVALID;
	set_status(vcpu, ret);
	vcpu->regs.x[1] = ret == MV_OK ? len : 0;
}

typedef void (*hvc_fn)(struct vcpu *vcpu);

/* modvisor's vendor range, indexed by function ID - MV_HVC_BASE. Handlers are reached only
 * through this table, so none is inlined into the dispatcher: the ones with buffers keep their
 * frames and stack-protector canaries to themselves and the null call pays for neither. */
static const hvc_fn vendor_calls[] = {
    [MV_HVC_VERSION - MV_HVC_BASE] = hvc_version,
    [MV_HVC_MOD_LOOKUP - MV_HVC_BASE] = hvc_mod_lookup,
    [MV_HVC_MOD_LOAD - MV_HVC_BASE] = hvc_mod_load,
    [MV_HVC_MOD_UNLOAD - MV_HVC_BASE] = hvc_mod_unload,
    [MV_HVC_MOD_LIST - MV_HVC_BASE] = hvc_mod_list,
    [MV_HVC_MEM_STATS - MV_HVC_BASE] = hvc_mem_stats,
    [MV_HVC_MEM_RELEASE - MV_HVC_BASE] = hvc_mem_release,
};

/* The rare SMCCC architecture and vendor-generic calls. */
static __attribute__((noinline)) void hvc_other(struct vcpu *vcpu, uint32_t fid)
{
	switch (fid) {
	case SMCCC_VERSION:
		hvc_smccc_version(vcpu);
		return;
	case SMCCC_ARCH_FEATURES:
		hvc_smccc_arch_features(vcpu);
		return;
	case MV_HVC_CALL_UID:
		hvc_call_uid(vcpu);
		return;
	case MV_HVC_REVISION:
		hvc_revision(vcpu);
		return;
	default:
		vcpu->regs.x[0] = (uint64_t)(int64_t)MV_ERR_NOT_SUPPORTED;
		return;
	}
}

/* A range check and a table for modvisor's calls (the null call is the hot path benchmarks
 * measure), then PSCI, then the rest. */
void hypercall_dispatch(struct vcpu *vcpu)
{
	/* SMCCC: the upper 32 bits of the function ID are ignored. */
	uint32_t fid = (uint32_t)vcpu->regs.x[0];
	uint32_t idx = fid - MV_HVC_BASE;
	hvc_fn fn = idx < ARRAY_SIZE(vendor_calls) ? vendor_calls[idx] : NULL;

	/* Every branch ends in a tail call: the dispatcher itself needs no frame. */
	if (fn)
		fn(vcpu);
	else if (psci_is_call(fid))
		psci_guest_call(vcpu, fid);
	else
		hvc_other(vcpu, fid);
}
