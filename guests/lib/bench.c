/* Benchmarks run inside a guest: exact instruction counts from PMCCNTR_EL0 under -icount. */
#include "guest.h"
#include "modelf.h"
#include "virtio_blk.h"
#include <modvisor/hypercall.h>
#include <string.h>

/*
 * Under QEMU -icount shift=0 virtual time advances 1 ns per instruction and the cycle counter
 * (PMCCNTR_EL0) follows virtual time, so it counts instructions, plus any time every CPU sat
 * idle (waiting for the host's disk, say). Event counter 0 counts INST_RETIRED, which QEMU
 * counts exactly under icount and which does not include idle time: that is the figure
 * reported, identical on every run even when a case waits for I/O. PMCCFILTR_EL0.NSH and
 * PMEVTYPER0_EL0.NSH make EL2 count too, so a hypercall's figure includes the hypervisor.
 */
#define PMCR_E (1ULL << 0)
#define PMCR_C (1ULL << 2)
#define PMCR_LC (1ULL << 6)
#define PMCCFILTR_NSH (1ULL << 27)
#define PMEVTYPER_NSH (1ULL << 27)
#define EVENT_INST_RETIRED 0x08ULL
#define REPEAT 64
/* The last 1 MiB of each disk; filesystem sizes differ per disk (configs/configs.mk). */
#define LOCAL_RAW_SECTORS 2048
#define LOCAL_MAGIC "MVLOCAL"
/* Where each module's copy starts in that space: fatfs first, ext4 half way. */
#define LOCAL_FATFS_OFFSET 0
#define LOCAL_EXT4_OFFSET 1024

/* The module the load cases measure: fatfs, or ext4 with the bootarg "bench-ext4" (its cases'
 * names end in _ext4). Each has a run of its own, whose scenario allows it alone among the
 * filesystems: the load path's cost depends on how many modules a VM may load. */
struct bench_mod {
	const char *name;
	const char *suffix; /* of its case names */
	uint64_t local_offset;
};
static const struct bench_mod bench_fatfs = {"fatfs", "", LOCAL_FATFS_OFFSET};
static const struct bench_mod bench_ext4 = {"ext4", "_ext4", LOCAL_EXT4_OFFSET};
static const struct bench_mod *bmod = &bench_fatfs;

static const char *tag;

static void pmu_start(bool count_el2)
{
	__asm__ volatile("msr pmccfiltr_el0, %0" ::"r"(count_el2 ? PMCCFILTR_NSH : 0ULL));
	__asm__ volatile("msr pmselr_el0, xzr; isb");
	__asm__ volatile("msr pmxevtyper_el0, %0" ::"r"(EVENT_INST_RETIRED |
							(count_el2 ? PMEVTYPER_NSH : 0ULL)));
	__asm__ volatile("msr pmcntenset_el0, %0" ::"r"((1ULL << 31) | 1ULL));
	__asm__ volatile("msr pmcr_el0, %0; isb" ::"r"(PMCR_E | PMCR_C | PMCR_LC));
}

/* Instructions retired (event counter 0), the figure every case reports. */
static inline uint64_t cycles(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v)::"memory");
	return v;
}

static void report(const char *name, uint64_t value, const char *unit)
{
	kprintf("BENCH {\"vm\":\"%s\",\"case\":\"%s\",\"value\":%lu,\"unit\":\"%s\"}\n", tag, name,
		(unsigned long)value, unit);
}

/* report() of case name + suffix (a module's cases: "module_load_cold" + "_ext4"). */
static void report_mod(const char *name, const char *suffix, uint64_t value, const char *unit)
{
	char full[64];

	fmt_snprintf(full, sizeof(full), "%s%s", name, suffix);
	report(full, value, unit);
}

/* The same call with and without EL2 counted: the difference is the hypervisor's part. */
static void bench_hvc(uint32_t fid, const char *name, const char *name_el2)
{
	uint64_t t0, all, guest;

	pmu_start(true);
	t0 = cycles();
	for (int i = 0; i < REPEAT; i++)
		smccc_hvc(fid, 0, 0, 0, 0, 0, 0);
	all = (cycles() - t0) / REPEAT;
	pmu_start(false);
	t0 = cycles();
	for (int i = 0; i < REPEAT; i++)
		smccc_hvc(fid, 0, 0, 0, 0, 0, 0);
	guest = (cycles() - t0) / REPEAT;
	pmu_start(true);
	report(name, all, "instructions");
	report(name_el2, all - guest, "instructions");
}

static uint64_t hyp_load(const char *name, struct smccc_res *r)
{
	uint64_t t0 = cycles();

	*r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t)name, strlen(name), 0, 0, 0, 0);
	return cycles() - t0;
}

static uint64_t hyp_unload(const char *name)
{
	uint64_t t0 = cycles();

	smccc_hvc(MV_HVC_MOD_UNLOAD, (uint64_t)(uintptr_t)name, strlen(name), 0, 0, 0, 0);
	return cycles() - t0;
}

/* What a kernel without modvisor does: read the module from its own disk, copy, relocate. The
 * copy's header is `offset` sectors into the disk's raw space. */
static uint64_t local_load(uint64_t offset)
{
	struct gvblk *disk = guest_disk();
	uint8_t *sector = kmalloc_aligned(512, 64), *image = NULL, *base = NULL;
	struct modelf m;
	const char *reason;
	uint64_t size, header, t0 = cycles(), spent = 0;

	header = disk ? gvblk_capacity(disk) - LOCAL_RAW_SECTORS + offset : 0;
	if (!disk || !sector || gvblk_capacity(disk) <= LOCAL_RAW_SECTORS ||
	    gvblk_read(disk, header, sector, 1) != 0 || memcmp(sector, LOCAL_MAGIC, 8) != 0) {
		kprintf("%s: bench: no module copy on the disk\n", tag);
		goto out;
	}
	memcpy(&size, sector + 8, sizeof(size));
	if (size > (LOCAL_RAW_SECTORS - offset - 1) * 512ULL) {
		kprintf("%s: bench: bad module copy on the disk\n", tag);
		goto out;
	}
	image = kmalloc_aligned(ALIGN_UP(size, 512), 4096);
	if (!image ||
	    gvblk_read(disk, header + 1, image, (unsigned)(ALIGN_UP(size, 512) / 512)) != 0 ||
	    modelf_check(image, size, &m, &reason) != 0 ||
	    !(base = kmalloc_aligned(m.span, 4096))) {
		kprintf("%s: bench: bad module copy on the disk\n", tag);
		goto out;
	}
	memset(base, 0, m.span);
	memcpy(base, image + m.text_offset, m.text_filesz);
	modelf_relocate(image, base, &m, base + m.data_vaddr, (uint64_t)(uintptr_t)base);
	/* New code: clean to the point of unification and invalidate the instruction cache. */
	for (uint64_t a = 0; a < m.text_filesz; a += 64)
		__asm__ volatile("dc cvau, %0" ::"r"(base + a));
	__asm__ volatile("dsb ish; ic iallu; dsb ish; isb" ::: "memory");
	spent = cycles() - t0;
out:
	kfree(base);
	kfree(image);
	kfree(sector);
	return spent;
}

static void bench_module_loads(void)
{
	const char *name = bmod->name, *sfx = bmod->suffix;
	struct smccc_res r;
	uint64_t cold, warm, local;

	cold = hyp_load(name, &r);
	if (r.a0 != 0) {
		kprintf("%s: bench: %s load failed (%ld)\n", tag, name, (long)r.a0);
		return;
	}
	report_mod("module_load_cold", sfx, cold, "instructions");
	report_mod("module_unload", sfx, hyp_unload(name), "instructions");
	warm = hyp_load(name, &r);
	report_mod("module_load_warm", sfx, warm, "instructions");
	hyp_unload(name);
	guest_disk_init();
	local = local_load(bmod->local_offset);
	if (!local)
		return;
	report_mod("module_load_guest_local", sfx, local, "instructions");
	if (warm)
		report_mod("ratio_local_over_warm_x100", sfx, local * 100 / warm, "percent");
	/* A cold load verifies the signature, so it costs more than the guest's own load: say how
	 * many times more (the other way round it would print as 0.00x). */
	report_mod("ratio_cold_over_local_x100", sfx, cold * 100 / local, "percent");
}

static void bench_file_miss(void)
{
	struct mv_file *f;
	uint64_t t0 = cycles(), miss, hit;

	if (vfs_open("/HELLO.TXT", MV_O_RDONLY, &f) != 0) {
		kprintf("%s: bench: open failed\n", tag);
		return;
	}
	vfs_close(f);
	miss = cycles() - t0;
	t0 = cycles();
	vfs_open("/HELLO.TXT", MV_O_RDONLY, &f);
	vfs_close(f);
	hit = cycles() - t0;
	report("file_open_first_miss", miss, "instructions");
	report("file_open_loaded", hit, "instructions");
	vfs_unmount();
}

/* A fresh page of lazily backed RAM: the first touch takes a stage-2 fault. */
static void bench_lazy_fault(const struct boot_info *info)
{
	volatile uint64_t *page =
	    (volatile uint64_t *)(uintptr_t)(info->ram_base + info->ram_size - 2 * 4096);
	uint64_t t0 = cycles(), first, second;

	(void)*page;
	first = cycles() - t0;
	t0 = cycles();
	(void)page[1];
	second = cycles() - t0;
	report("lazy_first_touch", first, "instructions");
	report("touch_mapped_page", second, "instructions");
}

static uint64_t virtual_ns(void)
{
	uint64_t ticks, freq;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return ticks * (1000000000ULL / freq);
}

/*
 * The two halves of the shared-load case. The first VM maps fatfs and then sleeps in WFI with
 * no interrupt armed before its deadline, so it executes nothing while the second VM, on the
 * other CPU, measures mapping the frames the first one holds.
 */
static void timer_fired(unsigned intid)
{
	(void)intid;
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0ULL)); /* one-shot */
}

static void bench_hold(void)
{
	struct smccc_res r;
	uint64_t now, freq;

	hyp_load(bmod->name, &r);
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	gic_enable_irq(27, timer_fired);
	/* One interrupt, 300 ms of virtual time from now; nothing runs here until then. */
	__asm__ volatile("msr cntv_cval_el0, %0" ::"r"(now + freq * 3 / 10));
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(1ULL));
	irq_enable();
	while (virtual_ns() < (now + freq * 3 / 10) * (1000000000ULL / freq))
		__asm__ volatile("wfi");
}

static void bench_second(void)
{
	struct smccc_res r;
	uint64_t spent;

	while (virtual_ns() < 100000000ULL) /* until the first VM surely holds the module */
		;
	pmu_start(true);
	spent = hyp_load(bmod->name, &r);
	if (r.a0 == 0 && (r.a3 & MV_MOD_F_SHARED))
		report_mod("module_load_shared", bmod->suffix, spent, "instructions");
	else
		kprintf("%s: bench: expected a shared load of %s, got status %ld flags %#lx\n", tag,
			bmod->name, (long)r.a0, (unsigned long)r.a3);
}

/* --- Time-shared CPUs (docs/benchmarks.md) ---------------------------------------------------- */
#define SHARE_START_NS 500000000ULL /* both guests booted by then */
#define SHARE_LEN_NS 1000000000ULL
#define OFF_CPU_GAP 100000 /* instructions between two reads: more than any trap, so a switch */
#define MAX_SWITCHES 8

/*
 * bench-share: CPU-bound for 1 s of virtual time with interrupts masked, on a CPU shared with
 * another such guest. Reports its loop iterations (the runner compares the two guests) and
 * the global instruction counter around its first absences from the CPU: its last read before
 * one and its first read after, from which the runner takes the switch cost.
 */
static void bench_share(void)
{
	uint64_t iters = 0, prev, out[MAX_SWITCHES], in[MAX_SWITCHES];
	unsigned gaps = 0;

	irq_disable();
	pmu_start(true);
	while (virtual_ns() < SHARE_START_NS)
		;
	prev = cycles();
	while (virtual_ns() < SHARE_START_NS + SHARE_LEN_NS) {
		uint64_t now = cycles();

		if (now - prev > OFF_CPU_GAP && gaps < MAX_SWITCHES) {
			out[gaps] = prev;
			in[gaps++] = now;
		}
		prev = now;
		iters++;
	}
	report("share_iterations", iters, "iterations");
	for (unsigned i = 0; i < gaps; i++)
		kprintf("SWITCH {\"vm\":\"%s\",\"out\":%lu,\"in\":%lu}\n", tag,
			(unsigned long)out[i], (unsigned long)in[i]);
}

#define WAKE_ROUNDS 8
#define CNTV_ENABLE 1ULL

static volatile uint64_t woke_at;

static void wake_fired(unsigned intid)
{
	uint64_t now;

	(void)intid;
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	woke_at = now;
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(0ULL)); /* one-shot */
}

/*
 * bench-wake: the guest's virtual timer set 100 us ahead, then WFI. Reports the virtual time
 * from the timer's deadline to its interrupt handler, the best of several rounds (exact to
 * the counter's 16 ns resolution: instructions of virtual time at one per ns).
 */
static void bench_wake(void)
{
	uint64_t freq, best = ~0ULL;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	gic_enable_irq(27, wake_fired);
	while (virtual_ns() < SHARE_START_NS)
		;
	for (unsigned i = 0; i < WAKE_ROUNDS; i++) {
		uint64_t now, deadline;

		irq_disable();
		woke_at = 0;
		__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
		deadline = now + freq / 10000;
		__asm__ volatile("msr cntv_cval_el0, %0" ::"r"(deadline));
		__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(CNTV_ENABLE));
		/* Masked across the check and the WFI (which still ends on a pending interrupt),
		 * so that the interrupt cannot come between them; taken when unmasked. */
		while (!woke_at) {
			__asm__ volatile("wfi");
			irq_enable();
			irq_disable();
		}
		if (woke_at - deadline < best)
			best = woke_at - deadline;
	}
	report("wake_latency", best * (1000000000ULL / freq), "ns");
}

/* bench-idle: off the CPU (WFI, nothing armed but a timer 2 s ahead) while the other measures. */
static void bench_idle(void)
{
	uint64_t freq, now;

	irq_disable();
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(now));
	__asm__ volatile("msr cntv_cval_el0, %0" ::"r"(now + 2 * freq));
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(CNTV_ENABLE));
	while (virtual_ns() < (now + 2 * freq) * (1000000000ULL / freq))
		__asm__ volatile("wfi");
	__asm__ volatile("msr cntv_ctl_el0, xzr; isb");
}

void guest_bench(const char *kernel_tag, const struct boot_info *info, uint64_t boot_count)
{
	tag = kernel_tag;
	if (bootarg_has(info, "bench-ext4"))
		bmod = &bench_ext4;
	if (bootarg_has(info, "bench-hold")) {
		bench_hold();
		return;
	}
	if (bootarg_has(info, "bench-share")) {
		bench_share();
		return;
	}
	if (bootarg_has(info, "bench-wake")) {
		bench_wake();
		return;
	}
	if (bootarg_has(info, "bench-idle")) {
		bench_idle();
		return;
	}
	if (bootarg_has(info, "bench-second")) {
		irq_disable();
		bench_second();
		return;
	}
	/* Only in a VM that runs alone: the counter is global to every CPU under -icount. */
	report("boot_to_prompt", boot_count, "instructions");
	irq_disable(); /* no tick may land inside a measurement */
	pmu_start(true);
	bench_hvc(MV_HVC_VERSION, "null_hypercall", "null_hypercall_el2");
	/* PSCI_VERSION (0x84000000), the call every guest kernel makes first: PSCI's path. */
	bench_hvc(0x84000000u, "psci_version", "psci_version_el2");
	if (bootarg_has(info, "bench-quick"))
		return;
	ondemand_init(tag, info);
	if (info->module_window_size) {
		bench_module_loads();
		if (bmod != &bench_fatfs)
			return; /* the rest measured in the fatfs run */
		bench_file_miss();
	}
	if (bootarg_has(info, "bench-lazy"))
		bench_lazy_fault(info);
}
