/* MV_HVC_MEM_RELEASE: validate, unmap with one TLB flush, then free the frames to the pool. */
#include "memrelease.h"
#include "account.h"
#include "arch/asm_offsets.h"
#include "cpu.h"
#include "mm.h"
#include "page_runs.h"
#include "panic.h"
#include "vcpu.h"
#include "vm.h"

/*
 * The frames of one call, per CPU: a call runs to its end on the CPU that took the trap, and
 * the VM's lock is held all along, so no other user of this CPU's slot can come in between.
 */
static struct page_runs runs_of_cpu[HYP_MAX_CPUS];

struct runs_check {
	const struct page_runs *runs;
	uint8_t owner_id;
	bool ok;
};

static void check_runs(struct frame_pool *pool, void *arg)
{
	struct runs_check *c = arg;

	c->ok = true;
	for (size_t i = 0; i < c->runs->count && c->ok; i++)
		c->ok = frame_range_owned(pool, c->runs->pa[i], c->runs->len[i], FRAME_VM_RAM,
					  c->owner_id);
}

static void free_runs(struct frame_pool *pool, void *arg)
{
	const struct page_runs *runs = arg;

	/* Checked under the VM's lock before the unmap, and only that lock changes them since. */
	for (size_t i = 0; i < runs->count; i++)
		BUG_ON(frame_free(pool, runs->pa[i], runs->len[i]) != MV_OK);
}

/* Gathers the frames mapped in the range; DENIED for anything but the VM's private RAM. */
static int collect(struct vm *vm, uint64_t ipa, uint64_t pages, struct page_runs *runs)
{
	struct runs_check check = {.runs = runs, .owner_id = (uint8_t)vm->id, .ok = false};

	page_runs_init(runs);
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pa;
		unsigned mode;

		if (s2_lookup(&vm->s2, ipa + (i << PAGE_SHIFT), &pa, &mode, NULL) != MV_OK)
			continue; /* never backed, or given back already */
		if (mode & (S2_DEVICE | S2_SHARED))
			return MV_ERR_DENIED;
		/* A block's lookup gives the frame of this page inside the block. */
		BUG_ON(page_runs_add(runs, ALIGN_DOWN(pa, PAGE_SIZE)) != MV_OK);
	}
	if (!runs->count)
		return MV_OK;
	mm_with_pool(check_runs, &check);
	return check.ok ? MV_OK : MV_ERR_DENIED;
}

int mem_release(struct vm *vm, uint64_t ipa, uint64_t pages, uint64_t *released)
{
	struct page_runs *runs = &runs_of_cpu[cpu_index()];
	int ret;

	*released = 0;
	ret = page_release_check(vm->cfg->ram_base, vm->cfg->ram_size, ipa, pages);
	if (ret != MV_OK)
		return ret;
	/* Eager RAM is promised to stay backed: there is no fault path to bring a page back. */
	if (vm->cfg->policy != MEM_LAZY)
		return MV_ERR_NOT_SUPPORTED;

	/*
	 * The lock keeps the fault path and the hypervisor's own copies out until the frames are
	 * gone. A vCPU racing the call reads or writes the old frame until the unmap's one TLB
	 * flush, which comes before the frames are freed; after it, it faults and waits for the
	 * lock, then gets a zeroed frame. So it never sees a frame that has a new owner.
	 */
	spin_lock(&vm->lock);
	ret = vm->state == VM_RUNNING ? collect(vm, ipa, pages, runs) : MV_ERR_BUSY;
	if (ret == MV_OK && runs->count)
		ret = s2_unmap(&vm->s2, ipa, pages << PAGE_SHIFT);
	if (ret == MV_OK && runs->count) {
		mm_with_pool(free_runs, runs);
		*released = runs->frames;
		account_vm_released(vm, runs->frames);
	}
	spin_unlock(&vm->lock);
	return ret;
}

void hvc_mem_release(struct vcpu *vcpu)
{
	uint64_t released;
	int ret = mem_release(vcpu->vm, vcpu->regs.x[1], vcpu->regs.x[2], &released);

	vcpu->regs.x[0] = (uint64_t)(int64_t)ret;
	vcpu->regs.x[1] = released;
}
