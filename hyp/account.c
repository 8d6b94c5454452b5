/* Per-VM and cache-wide memory figures, from frame owners and module mappings, live and final. */
#include "account.h"
#include "console.h"
#include "mm.h"
#include "spinlock.h"
#include "vm.h"
#include <string.h>

struct pool_counts {
	const struct vm *vm;
	uint64_t ram, moddata, s2, devbuf;
	uint64_t in_use;
};

/* A VM's frames are counted and bounded by its id (frame.h): every VM needs its own counter and
 * quota account, and ids stay clear of FRAME_ID_NONE and of 8-bit VMIDs (id + 1). */
_Static_assert(VM_MAX <= FRAME_MAX_IDS, "a VM id without its own frame counter and quota");
_Static_assert(VM_MAX < FRAME_ID_NONE && VM_MAX < 255, "VM ids must fit frame ids and VMIDs");

static struct mv_mem_stats exit_stats[VM_MAX];
static bool exit_valid[VM_MAX];
/* Frames each VM gave back (free page reporting), written under its lock, read racily. */
static uint64_t released_frames[VM_MAX];
static uint64_t release_calls[VM_MAX];
/* Module loads (all, and warm ones) and unloads of each VM, counted atomically: a VM's vCPUs
 * load and unload concurrently, outside its lock. */
static uint32_t module_loads[VM_MAX], module_warm_loads[VM_MAX], module_unloads[VM_MAX];
static uint64_t baseline_frames;
static bool snapshot_taken;

static void read_counts(struct frame_pool *pool, void *arg)
{
	struct pool_counts *c = arg;

	if (c->vm) {
		uint8_t id = (uint8_t)c->vm->id;

		c->ram = frame_count_owner(pool, FRAME_VM_RAM, id);
		c->moddata = frame_count_owner(pool, FRAME_VM_MODDATA, id);
		c->s2 = frame_count_owner(pool, FRAME_VM_S2, id);
		c->devbuf = frame_count_owner(pool, FRAME_DEVBUF, id);
	}
	c->in_use = pool->nframes - frame_count_kind(pool, FRAME_FREE);
}

void account_vm(const struct vm *vm, struct mv_mem_stats *out)
{
	struct pool_counts c = {.vm = vm};
	unsigned loaded;
	uint64_t shared_pss, private_text;

	memset(out, 0, sizeof(*out));
	mm_with_pool(read_counts, &c);
	shared_pss = vmmod_text_bytes(vm, &out->shared, &private_text, &loaded);
	out->ram = c.ram * PAGE_SIZE;
	/* With sharing off a VM's text copy is as private as its module data. */
	out->module_private = c.moddata * PAGE_SIZE + private_text;
	out->s2_tables = c.s2 * PAGE_SIZE;
	out->device_buffers = c.devbuf * PAGE_SIZE;
	out->ram_size = vm->cfg->ram_size;
	out->uss = out->ram + out->module_private;
	out->rss = out->uss + out->shared;
	out->pss = out->uss + shared_pss;
	out->modules = loaded;
	out->released = READ_ONCE(released_frames[vm->id]) * PAGE_SIZE;
}

void account_vm_module_loaded(const struct vm *vm, bool warm)
{
	__atomic_fetch_add(&module_loads[vm->id], 1, __ATOMIC_RELAXED);
	if (warm)
		__atomic_fetch_add(&module_warm_loads[vm->id], 1, __ATOMIC_RELAXED);
}

void account_vm_module_unloaded(const struct vm *vm)
{
	__atomic_fetch_add(&module_unloads[vm->id], 1, __ATOMIC_RELAXED);
}

void account_vm_released(const struct vm *vm, uint64_t frames)
{
	WRITE_ONCE(released_frames[vm->id], released_frames[vm->id] + frames);
	WRITE_ONCE(release_calls[vm->id], release_calls[vm->id] + 1);
}

/*
 * The report shows every VM as it was when the first VM stopped: all were still running then,
 * so shared frames are divided among all their users (later snapshots would depend on which VM
 * happened to stop first).
 */
void account_vm_exit(const struct vm *vm)
{
	static struct spinlock lock = SPINLOCK_INIT;

	spin_lock(&lock);
	if (!snapshot_taken) {
		for (unsigned i = 0; i < vm_count(); i++) {
			const struct vm *v = vm_by_index(i);

			if (v->state == VM_RUNNING || v == vm) {
				account_vm(v, &exit_stats[i]);
				exit_valid[i] = true;
			}
		}
		snapshot_taken = true;
	} else if (!exit_valid[vm->id]) {
		account_vm(vm, &exit_stats[vm->id]);
		exit_valid[vm->id] = true;
	}
	spin_unlock(&lock);
	/* Its frames are freed next; what it had reserved goes back to everyone. */
	mm_quota_set(vm->id, vm->cfg->quota_frames, 0);
}

static uint64_t frames_in_use(void)
{
	struct pool_counts c = {.vm = NULL};

	mm_with_pool(read_counts, &c);
	return c.in_use;
}

void account_boot_baseline(void)
{
	baseline_frames = frames_in_use();
}

static void print_header(const char *title)
{
	hyp_printf("hyp: %s\n", title);
	hyp_printf("hyp: %-15s %9s %9s %9s %9s %9s %9s %9s %8s\n", "vm", "RSS KiB", "PSS KiB",
		   "USS KiB", "shared", "mod-priv", "RAM KiB", "of KiB", "s2 KiB");
}

static void print_row(const char *name, const struct mv_mem_stats *s)
{
	hyp_printf("hyp: %-15s %9lu %9lu %9lu %9lu %9lu %9lu %9lu %8lu\n", name,
		   (unsigned long)(s->rss >> 10), (unsigned long)(s->pss >> 10),
		   (unsigned long)(s->uss >> 10), (unsigned long)(s->shared >> 10),
		   (unsigned long)(s->module_private >> 10), (unsigned long)(s->ram >> 10),
		   (unsigned long)(s->ram_size >> 10), (unsigned long)(s->s2_tables >> 10));
}

static void print_cache(void)
{
	struct vmmod_cache_stats c;

	vmmod_cache_stats(&c);
	hyp_printf("hyp: module text: %lu pages resident, %lu mapped, %lu mappings now; at most "
		   "%lu mappings, %lu pages saved by sharing\n",
		   (unsigned long)c.text_resident, (unsigned long)c.text_mapped,
		   (unsigned long)c.text_mappings, (unsigned long)c.peak_mappings,
		   (unsigned long)c.peak_saved);
}

void account_print_live(void)
{
	print_header("memory now:");
	for (unsigned i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);
		struct mv_mem_stats s;

		if (vm->state != VM_RUNNING)
			continue;
		account_vm(vm, &s);
		print_row(vm->name, &s);
	}
	for (unsigned i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);
		uint64_t calls = READ_ONCE(release_calls[vm->id]);

		/* What free page reporting took off the RSS above. */
		if (vm->state == VM_RUNNING && calls)
			hyp_printf(
			    "hyp: %s gave back %lu KiB of free RAM in %lu calls\n", vm->name,
			    (unsigned long)(READ_ONCE(released_frames[vm->id]) * PAGE_SIZE >> 10),
			    (unsigned long)calls);
	}
	print_cache();
}

void account_print_final(void)
{
	struct vmmod_cache_stats c;
	uint64_t in_use = frames_in_use();

	print_header("memory of each VM while all ran (when the first one stopped):");
	for (unsigned i = 0; i < vm_count(); i++)
		if (exit_valid[i])
			print_row(vm_by_index(i)->name, &exit_stats[i]);
	print_cache();
	vmmod_cache_stats(&c);
	hyp_printf("hyp: frames in use: %lu at boot, %lu now (%lu of them warm module text)\n",
		   (unsigned long)baseline_frames, (unsigned long)in_use,
		   (unsigned long)c.text_resident);
	for (unsigned i = 0; i < vm_count(); i++) {
		const struct mv_mem_stats *s = &exit_stats[i];

		if (!exit_valid[i])
			continue;
		hyp_printf("FOOTPRINT {\"vm\":\"%s\",\"rss\":%lu,\"pss\":%lu,\"uss\":%lu,"
			   "\"shared\":%lu,\"module_private\":%lu,\"ram\":%lu,\"ram_size\":%lu,"
			   "\"s2_tables\":%lu,\"device_buffers\":%lu,\"modules\":%u,"
			   "\"released\":%lu,\"module_loads\":%u,\"module_warm_loads\":%u,"
			   "\"module_unloads\":%u}\n",
			   vm_by_index(i)->name, (unsigned long)s->rss, (unsigned long)s->pss,
			   (unsigned long)s->uss, (unsigned long)s->shared,
			   (unsigned long)s->module_private, (unsigned long)s->ram,
			   (unsigned long)s->ram_size, (unsigned long)s->s2_tables,
			   (unsigned long)s->device_buffers, s->modules, (unsigned long)s->released,
			   __atomic_load_n(&module_loads[i], __ATOMIC_RELAXED),
			   __atomic_load_n(&module_warm_loads[i], __ATOMIC_RELAXED),
			   __atomic_load_n(&module_unloads[i], __ATOMIC_RELAXED));
	}
	hyp_printf("FOOTPRINT {\"cache\":true,\"text_resident\":%lu,\"peak_text_mappings\":%lu,"
		   "\"peak_saved\":%lu,\"frames_at_boot\":%lu,\"frames_at_end\":%lu}\n",
		   (unsigned long)(c.text_resident * PAGE_SIZE),
		   (unsigned long)(c.peak_mappings * PAGE_SIZE),
		   (unsigned long)(c.peak_saved * PAGE_SIZE), (unsigned long)baseline_frames,
		   (unsigned long)in_use);
}
