/* VM life cycle: build from the scenario, RAM (eager or lazy), image loading, stop and reset. */
#include "vm.h"
#include "account.h"
#include "arch/cache.h"
#include "virtio/vblk_dev.h"
#include "arch/gic_hw.h"
#include "arch/psci_fw.h"
#include "arch/stage2_arch.h"
#include "arch/sysregs.h"
#include "console.h"
#include "cpu.h"
#include "guest_dtb.h"
#include "mm.h"
#include "panic.h"
#include "report.h"
#include "vsched.h"
#include <fmt.h>
#include <stdarg.h>
#include <string.h>

#define RAM_MODE (S2_READ | S2_WRITE | S2_EXEC)
#define BLOCK_FRAMES (SZ_2M >> PAGE_SHIFT)

static void stop_other_vcpus(struct vm *vm);

static struct vm vms[VM_MAX];
static unsigned vms_created;
static unsigned vms_running;
static struct spinlock vms_lock = SPINLOCK_INIT;
static unsigned ipa_bits;
static uint64_t vtcr;
static const struct bundle *boot_bundle;

void vm_subsystem_init(unsigned pa_bits, const struct bundle *bundle)
{
	unsigned parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	ipa_bits = s2_ipa_bits_from_parange(parange);
	vtcr = s2_vtcr(ipa_bits, parange);
	BUG_ON(vtcr == 0 || ipa_bits < 40 || pa_bits < 40);
	boot_bundle = bundle;
}

uint64_t vm_hcr(const struct vm *vm)
{
	(void)vm;
	/* Stage 2 on; physical interrupts to EL2; WFI, SMC, set/way and IMPDEF registers trap. */
	return HCR_VM | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_INNER | HCR_TWI |
	       HCR_TSC | HCR_TSW | HCR_TIDCP | HCR_RW;
}

uint64_t vm_vttbr(const struct vm *vm)
{
	return s2_vttbr(&vm->s2);
}

uint64_t vm_vtcr(void)
{
	return vtcr;
}

struct vm *vm_by_index(unsigned i)
{
	return i < vms_created ? &vms[i] : NULL;
}

unsigned vm_count(void)
{
	return vms_created;
}

bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t len)
{
	uint64_t base = vm->cfg->ram_base, size = vm->cfg->ram_size;

	return ipa >= base && len <= size && ipa - base <= size - len;
}

/* Backs [ipa, ipa+size) of guest RAM with zeroed frames: 2 MiB blocks where possible. */
static int populate(struct vm *vm, uint64_t ipa, uint64_t size)
{
	while (size) {
		unsigned long frames = 1;
		uint64_t pa;
		int ret;

		if (IS_ALIGNED(ipa, SZ_2M) && size >= SZ_2M &&
		    mm_alloc(BLOCK_FRAMES, BLOCK_FRAMES, FRAME_VM_RAM, vm->id, &pa) == MV_OK) {
			frames = BLOCK_FRAMES;
		} else {
			ret = mm_alloc(1, 1, FRAME_VM_RAM, vm->id, &pa);
			if (ret != MV_OK)
				return ret;
		}
		/* The guest may run with caches off: zeroes must reach memory first. */
		dcache_clean_range(phys_to_virt(pa), frames << PAGE_SHIFT);
		ret = s2_map(&vm->s2, ipa, pa, frames << PAGE_SHIFT, RAM_MODE);
		if (ret != MV_OK) {
			mm_free(pa, frames);
			return ret;
		}
		ipa += frames << PAGE_SHIFT;
		size -= frames << PAGE_SHIFT;
	}
	return MV_OK;
}

/* Why the VM's memory ran out: its own quota, or (overcommitted) the host's free frames. */
static void describe_oom(const struct vm *vm, char *buf, size_t size)
{
	struct frame_quota q = mm_quota_get(vm->id);

	if (q.used >= q.limit)
		fmt_snprintf(buf, size, "quota of %lu pages used up", (unsigned long)q.limit);
	else
		fmt_snprintf(buf, size,
			     "the host has no free page left for it: quota %lu pages used of %lu, "
			     "%lu reserved",
			     (unsigned long)q.used, (unsigned long)q.limit,
			     (unsigned long)q.reserved);
}

int vm_handle_ram_fault(struct vm *vm, uint64_t ipa)
{
	uint64_t page = ALIGN_DOWN(ipa, PAGE_SIZE);
	int ret;

	if (!vm_ipa_is_ram(vm, page, PAGE_SIZE))
		return MV_ERR_NOT_FOUND;
	spin_lock(&vm->lock);
	/* Another vCPU of the VM may have populated the page since the fault. */
	if (s2_lookup(&vm->s2, page, NULL, NULL, NULL) == MV_OK)
		ret = MV_OK;
	else
		ret = populate(vm, page, PAGE_SIZE);
	spin_unlock(&vm->lock);
	if (ret == MV_ERR_NO_MEMORY) {
		char why[112];

		/* Its own RAM, so not an abort: say the VM ran out of memory, and why. */
		describe_oom(vm, why, sizeof(why));
		vm_stop(vm, "out of memory at IPA %#lx: %s", (unsigned long)ipa, why);
	}
	return ret;
}

/* Copies host data into guest RAM through the stage-2 tables, populating lazily as needed.
 * The caller holds vm->lock (or the VM is not running yet). */
static int copy_to_guest(struct vm *vm, uint64_t ipa, const void *src, uint64_t len)
{
	const uint8_t *from = src;

	if (!vm_ipa_is_ram(vm, ipa, len))
		return MV_ERR_INVALID;
	while (len) {
		uint64_t chunk = MIN(len, PAGE_SIZE - (ipa & (PAGE_SIZE - 1)));
		uint64_t pa;

		if (s2_lookup(&vm->s2, ipa, &pa, NULL, NULL) != MV_OK) {
			int ret = populate(vm, ALIGN_DOWN(ipa, PAGE_SIZE), PAGE_SIZE);

			if (ret != MV_OK)
				return ret;
			s2_lookup(&vm->s2, ipa, &pa, NULL, NULL);
		}
		memcpy(phys_to_virt(pa), from, chunk);
		dcache_clean_range(phys_to_virt(pa), chunk);
		ipa += chunk;
		from += chunk;
		len -= chunk;
	}
	return MV_OK;
}

int vm_copy_to_guest(struct vm *vm, uint64_t ipa, const void *src, uint64_t len)
{
	int ret;

	spin_lock(&vm->lock);
	ret = copy_to_guest(vm, ipa, src, len);
	spin_unlock(&vm->lock);
	return ret;
}

int vm_copy_from_guest(struct vm *vm, void *dst, uint64_t ipa, uint64_t len)
{
	uint8_t *to = dst;

	if (!vm_ipa_is_ram(vm, ipa, len))
		return MV_ERR_INVALID;
	spin_lock(&vm->lock);
	while (len) {
		uint64_t chunk = MIN(len, PAGE_SIZE - (ipa & (PAGE_SIZE - 1)));
		uint64_t pa;

		/* A page the guest never touched under the lazy policy reads as zeroes. */
		if (s2_lookup(&vm->s2, ipa, &pa, NULL, NULL) == MV_OK)
			memcpy(to, phys_to_virt(pa), chunk);
		else
			memset(to, 0, chunk);
		ipa += chunk;
		to += chunk;
		len -= chunk;
	}
	spin_unlock(&vm->lock);
	return MV_OK;
}

struct free_walk {
	int status;
};

static int free_ram_leaf(void *arg, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode)
{
	struct free_walk *w = arg;

	(void)ipa;
	if (mode & (S2_DEVICE | S2_SHARED))
		return 0; /* not the VM's own frames */
	if (mm_free(pa, size >> PAGE_SHIFT) != MV_OK)
		w->status = MV_ERR_INVALID;
	return 0;
}

/* Frees every frame the VM owns: RAM, then the tables. */
static void release_memory(struct vm *vm)
{
	struct free_walk w = {MV_OK};

	s2_walk(&vm->s2, free_ram_leaf, &w);
	BUG_ON(w.status != MV_OK);
	s2_destroy(&vm->s2);
}

/* Fresh RAM, the kernel and the guest's device tree; the boot vCPU set to start the kernel. */
static int load_guest(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	static uint8_t dtb_buf[GUEST_DTB_MAX];
	static struct spinlock dtb_lock = SPINLOCK_INIT;
	uint64_t kernel_ipa = cfg->ram_base + GUEST_KERNEL_OFFSET;
	int ret;

	ret = s2_init(&vm->s2, ipa_bits, (uint16_t)(vm->id + 1), &hyp_s2_hooks, vm);
	if (ret != MV_OK)
		return ret;
	vmmod_prepare_slots(vm);
	if (cfg->policy == MEM_EAGER) {
		ret = populate(vm, cfg->ram_base, cfg->ram_size);
		if (ret != MV_OK)
			return ret;
	}
	ret = copy_to_guest(vm, kernel_ipa, vm->kernel->data, vm->kernel->size);
	if (ret != MV_OK)
		return ret;

	spin_lock(&dtb_lock);
	ret = guest_dtb_build(vm, dtb_buf, sizeof(dtb_buf));
	if (ret > 0)
		ret = copy_to_guest(vm, cfg->ram_base + GUEST_DTB_OFFSET, dtb_buf, (uint64_t)ret);
	spin_unlock(&dtb_lock);
	if (ret != MV_OK)
		return ret;
	icache_inval_all();

	for (unsigned i = 0; i < vm->vcpu_count; i++) {
		vcpu_reset(&vm->vcpus[i], kernel_ipa, cfg->ram_base + GUEST_DTB_OFFSET);
		vm->vcpus[i].state = i == 0 ? VCPU_RUNNABLE : VCPU_OFF;
	}
	return MV_OK;
}

/* module-policy = "eager": every listed module is mapped before the guest runs. */
static void preload_modules(struct vm *vm)
{
	for (unsigned i = 0; i < vm->cfg->module_count; i++) {
		struct vmmod_load_result r;

		vmmod_load(vm, vm->cfg->modules[i], 0, &r);
	}
}

static void print_created(const struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	char cpus[4 * SCENARIO_MAX_VCPUS] = "";
	unsigned pos = 0;

	for (unsigned i = 0; i < vm->vcpu_count; i++)
		pos += (unsigned)fmt_snprintf(cpus + pos, sizeof(cpus) - pos, "%s%u", i ? "," : "",
					      cfg->affinity[i]);
	hyp_printf("hyp: vm %s: %lu MiB RAM at IPA %#lx (%s), %u vCPU on CPU %s, kernel '%s' "
		   "%u bytes\n",
		   vm->name, (unsigned long)(cfg->ram_size >> 20), (unsigned long)cfg->ram_base,
		   cfg->policy == MEM_EAGER ? "eager" : "lazy", vm->vcpu_count, cpus, cfg->kernel,
		   vm->kernel->size);
}

int vm_create(const struct vm_config *cfg, struct vm **out)
{
	struct vm *vm;
	int ret;

	if (vms_created == VM_MAX)
		return MV_ERR_NO_MEMORY;
	vm = &vms[vms_created];
	memset(vm, 0, sizeof(*vm));
	vm->id = vms_created;
	vm->cfg = cfg;
	memcpy(vm->name, cfg->name, sizeof(vm->name));
	vm->lock = (struct spinlock)SPINLOCK_INIT;

	ret = bundle_find(boot_bundle, cfg->kernel, &vm->kernel);
	if (ret != MV_OK) {
		hyp_printf("hyp: vm %s not started: kernel image '%s' %s\n", vm->name, cfg->kernel,
			   ret == MV_ERR_NOT_FOUND ? "is not in the bundle" : "was refused");
		return ret;
	}
	if (vm->kernel->size > cfg->ram_size - GUEST_KERNEL_OFFSET ||
	    cfg->ram_size <= GUEST_KERNEL_OFFSET) {
		hyp_printf("hyp: vm %s not started: kernel (%u bytes) does not fit in its RAM\n",
			   vm->name, vm->kernel->size);
		return MV_ERR_INVALID;
	}
	vm->vcpu_count = cfg->vcpus;
	for (unsigned i = 0; i < vm->vcpu_count; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].pcpu = cfg->affinity[i];
		vm->vcpus[i].vmpidr = (1ULL << 31) | i;
		vm->vcpus[i].parked = true; /* until its CPU enters it */
	}
	/* Its quota, reserved before anything is allocated for it (docs/scenarios.md). */
	ret = mm_quota_set(vm->id, cfg->quota_frames, cfg->reserve_frames);
	if (ret != MV_OK) {
		hyp_printf("hyp: vm %s not started: out of memory: %lu pages cannot be reserved\n",
			   vm->name, (unsigned long)cfg->reserve_frames);
		return ret;
	}
	vuart_init(&vm->uart, vm);
	mmio_register(&vm->mmio, VUART_BASE, VUART_SIZE, vuart_access, &vm->uart, "pl011");
	vrtc_init(&vm->rtc);
	ret = mmio_register(&vm->mmio, VRTC_BASE, VRTC_SIZE, vrtc_access, &vm->rtc, "pl031");
	BUG_ON(ret != MV_OK); /* MMIO_MAX_REGIONS holds every fixed device */
	vgic_vm_init(vm);
	vgic_mmio_register(vm);
	if (cfg->disk[0]) {
		ret = vblk_attach(vm);
		if (ret != MV_OK) {
			mm_quota_set(vm->id, cfg->quota_frames, 0);
			return ret;
		}
	}

	ret = load_guest(vm);
	if (ret != MV_OK) {
		char why[112];

		describe_oom(vm, why, sizeof(why));
		if (ret == MV_ERR_NO_MEMORY)
			hyp_printf("hyp: vm %s not started: out of memory: %s\n", vm->name, why);
		else
			hyp_printf("hyp: vm %s not started: cannot set up its memory (%d)\n",
				   vm->name, ret);
		vblk_detach(vm);
		release_memory(vm);
		mm_quota_set(vm->id, cfg->quota_frames, 0);
		return ret;
	}
	vms_created++;
	vm->state = VM_RUNNING;
	/* Only a VM that starts holds its CPUs: a failed one's slot is reused. */
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		vsched_attach(&vm->vcpus[i], cfg->time_slice_ms);
	vsched_ready(&vm->vcpus[0]); /* its CPU starts or idles after boot (main.c) */
	spin_lock(&vms_lock);
	vms_running++;
	spin_unlock(&vms_lock);
	print_created(vm);
	if (cfg->modules_eager)
		preload_modules(vm);
	*out = vm;
	return MV_OK;
}

/* Another CPU is already stopping or resetting the VM (and waits for `self` to park): the
 * first of racing stop, reset and CPU_OFF requests wins. Called with vm->lock held. */
static bool lost_race(const struct vm *vm, const struct vcpu *self)
{
	return vm->state != VM_RUNNING || (self && self->vm == vm && self->state != VCPU_RUNNABLE);
}

int vm_reset(struct vm *vm)
{
	struct vcpu *self = vcpu_current();
	int ret;

	/* Every other vCPU lets go first: nothing may run on the RAM about to be replaced. */
	spin_lock(&vm->lock);
	if (lost_race(vm, self)) {
		spin_unlock(&vm->lock);
		vcpu_park(self);
	}
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		if (&vm->vcpus[i] != self && vm->vcpus[i].state == VCPU_RUNNABLE)
			vm->vcpus[i].state = VCPU_STOPPED;
	spin_unlock(&vm->lock);
	stop_other_vcpus(vm);
	vcpu_park_prepare(self);
	vblk_reset(vm);

	vmmod_unload_all(vm);
	spin_lock(&vm->lock);
	vuart_flush(&vm->uart);
	release_memory(vm);
	vgic_vm_init(vm);
	vuart_reset(&vm->uart);
	vm->resets++;
	ret = load_guest(vm);
	/* Queued on its CPU (system_reset kicks it). The other vCPUs' old queue entries go when
	 * their CPU finds them off (vcpu_run). */
	if (ret == MV_OK)
		vsched_ready(&vm->vcpus[0]);
	spin_unlock(&vm->lock);
	hyp_printf("hyp: vm %s reset (%u)\n", vm->name, vm->resets);
	return ret;
}

void hyp_shutdown(void)
{
	hyp_printf("hyp: all vms down\n");
	report_final();
	fw_system_off();
}

/* Kicks the VM's vCPUs on other CPUs out of the guest and waits until they let go, so that
 * no CPU runs on the VM's memory once it is freed. */
static void stop_other_vcpus(struct vm *vm)
{
	unsigned me = cpu_index();

	for (unsigned i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *v = &vm->vcpus[i];
		unsigned spins = 100000000;

		if (v->pcpu == me || v->parked)
			continue;
		gic_hw_send_sgi(cpu_mpidr(v->pcpu), GIC_SGI_KICK);
		/* YIELD lets a CPU sharing this core's pipeline (or an emulator running CPUs in
		 * turn, as QEMU's single-threaded TCG under -icount does) run the one we wait for.
		 */
		while (!READ_ONCE(v->parked) && --spins)
			__asm__ volatile("yield");
		BUG_ON(spins == 0); /* a CPU that ignores kicks is a hypervisor bug */
	}
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
	struct vcpu *self = vcpu_current();
	char reason[160];
	va_list ap;
	unsigned left;

	va_start(ap, fmt);
	fmt_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);

	spin_lock(&vm->lock);
	if (lost_race(vm, self)) {
		spin_unlock(&vm->lock);
		if (self)
			vcpu_park(self);
		cpu_park_idle();
	}
	vm->state = VM_STOPPED;
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		vm->vcpus[i].state = VCPU_STOPPED;
	spin_unlock(&vm->lock);
	stop_other_vcpus(vm);
	spin_lock(&vm->lock);
	vuart_flush(&vm->uart);
	hyp_printf("hyp: vm %s exited (%s)\n", vm->name, reason);
	spin_unlock(&vm->lock);
	account_vm_exit(vm);
	vblk_detach(vm);
	vmmod_unload_all(vm);
	spin_lock(&vm->lock);
	release_memory(vm);
	spin_unlock(&vm->lock);

	spin_lock(&vms_lock);
	left = --vms_running;
	spin_unlock(&vms_lock);
	if (left == 0)
		hyp_shutdown();
	if (self)
		vcpu_park(self);
	cpu_park_idle();
}
