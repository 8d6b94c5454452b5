/* Checks both minimal guests run at boot, chosen by words in their bootargs. */
#include "guest.h"
#include "virtio_blk.h"
#include <modvisor/hypercall.h>
#include <string.h>

#define UNMAPPED_IPA 0x20000000UL
#define TICK_HZ 100
#define INPUT_TIMEOUT_TICKS 3000
#define HOLD_MAX_TICKS 300
#define HOLD_PRIVATE_TICKS 50

static bool undef_seen;

/* Claims the undefined-instruction exception the hypervisor injects for a trapped register. */
static bool catch_undef(struct exc_frame *frame, uint64_t esr)
{
	if ((esr >> 26) != 0)
		return false;
	undef_seen = true;
	frame->elr += 4;
	return true;
}

static void check_hypercalls(const char *tag)
{
	struct smccc_res r = smccc_hvc(MV_HVC_VERSION, 0, 0, 0, 0, 0, 0);

	kprintf("%s: modvisor version call: status %ld, ABI %lu.%lu\n", tag, (long)r.a0,
		(unsigned long)(r.a1 >> 16), (unsigned long)(r.a1 & 0xffff));
	r = smccc_hvc(MV_HVC_BASE | 0xff, 0, 0, 0, 0, 0, 0);
	kprintf("%s: unknown hypercall returned %ld\n", tag, (long)r.a0);
	/* Arguments the hypervisor must refuse: memory outside our RAM, bad names and lengths. */
	r = smccc_hvc(MV_HVC_MEM_STATS, UNMAPPED_IPA, 64, 0, 0, 0, 0);
	kprintf("%s: memory statistics into unmapped memory returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_LOAD, UNMAPPED_IPA, 5, 0, 0, 0, 0);
	kprintf("%s: module load with a name outside RAM returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t) "fatfs", 64, 0, 0, 0, 0);
	kprintf("%s: module load with a 64-byte name returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t) "../x", 4, 0, 0, 0, 0);
	kprintf("%s: module load of '../x' returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t) "nosuch", 6, 0, 0, 0, 0);
	kprintf("%s: module load of a module not allowed returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t) "fatfs", 5, 0x1234, 0, 0, 0);
	kprintf("%s: module load at a misaligned window returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_UNLOAD, (uint64_t)(uintptr_t) "fatfs", 5, 0, 0, 0, 0);
	kprintf("%s: unloading a module never loaded returned %ld\n", tag, (long)r.a0);
	r = smccc_hvc(MV_HVC_MOD_LIST, UNMAPPED_IPA, 4096, 0, 0, 0, 0);
	kprintf("%s: module list into unmapped memory returned %ld\n", tag, (long)r.a0);
}

/* MOD_LIST as the guest sees it: each module it may load, from the bundle's descriptors. */
static void print_module_list(const char *tag, const char *when)
{
	static struct mv_mod_info mods[4];
	struct smccc_res r =
	    smccc_hvc(MV_HVC_MOD_LIST, (uint64_t)(uintptr_t)mods, sizeof(mods), 0, 0, 0, 0);

	kprintf("%s: module list %s: status %ld, %lu of %lu records\n", tag, when, (long)r.a0,
		(unsigned long)r.a1, (unsigned long)r.a2);
	for (unsigned i = 0; r.a0 == 0 && i < r.a1 && i < 4; i++)
		mods[i].name[sizeof(mods[i].name) - 1] = '\0';
	for (unsigned i = 0; r.a0 == 0 && i < r.a1 && i < 4; i++) {
		char needs[4 * sizeof(mods[0].name) + 8] = "";
		size_t at = 0;

		for (unsigned j = 0; j < r.a1 && j < 4; j++) {
			if (!(MV_MOD_INFO_NEEDS(mods[i].flags) & (1U << j)))
				continue;
			at += strlcpy(needs + at, at ? "," : ", needs ", sizeof(needs) - at);
			at += strlcpy(needs + at, mods[j].name, sizeof(needs) - at);
		}
		kprintf("%s: module %s %u.%u kind %u%s%s%s, %u text pages%s\n", tag, mods[i].name,
			mods[i].version >> 16, mods[i].version & 0xffff,
			MV_MOD_INFO_KIND(mods[i].flags),
			(mods[i].flags & MV_MOD_INFO_LOADED) ? " loaded" : "",
			(mods[i].flags & MV_MOD_INFO_RESIDENT) ? " resident" : "",
			(mods[i].flags & MV_MOD_INFO_REFUSED) ? " refused" : "", mods[i].text_pages,
			needs);
	}
}

static void check_trapped_sysreg(const char *tag)
{
	uint64_t v = 0;

	exc_sync_hook = catch_undef;
	/* The EL1 physical timer belongs to the hypervisor: CNTHCTL_EL2.EL1PCEN traps it. */
	__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	kprintf("%s: physical timer read %s\n", tag,
		undef_seen ? "raised undefined instruction" : "was not trapped");
}

static void touch_unmapped(const char *tag)
{
	kprintf("%s: touching unmapped IPA %#lx\n", tag, UNMAPPED_IPA);
	(void)*(volatile uint32_t *)UNMAPPED_IPA;
	kprintf("%s: still running after the fault (wrong)\n", tag);
}

/* Raw sectors past the filesystem and the module copy: "modvisor <vm> sector <n>". */
#define TEST_SECTOR 18000

static void check_disk_sector(const char *tag)
{
	static char buf[512] __aligned(64), back[512] __aligned(64);
	struct gvblk *disk;
	int n;

	if (guest_disk_init() != 0 || !(disk = guest_disk())) {
		kprintf("%s: no disk\n", tag);
		return;
	}
	memset(buf, 0, sizeof(buf));
	n = fmt_snprintf(buf, sizeof(buf), "modvisor %s sector %d", tag, TEST_SECTOR);
	if (gvblk_write(disk, TEST_SECTOR, buf, 1) != 0 || gvblk_flush(disk) != 0 ||
	    gvblk_read(disk, TEST_SECTOR, back, 1) != 0) {
		kprintf("%s: sector %d: I/O failed\n", tag, TEST_SECTOR);
		return;
	}
	kprintf("%s: wrote sector %d (%d bytes of text) and read it back: %s\n", tag, TEST_SECTOR,
		n, memcmp(buf, back, sizeof(buf)) == 0 ? "same" : "DIFFERENT");
}

static void send_bad_disk_request(const char *tag)
{
	if (guest_disk_init() != 0 || !guest_disk())
		return;
	kprintf("%s: asking the disk to read into IPA 0x20000000 (not my RAM)\n", tag);
	gvblk_read_into(guest_disk(), 0, 0x20000000, 512);
	kprintf("%s: the bad request came back (wrong)\n", tag);
}

/*
 * Keeps this guest's modules mapped until every page of their text is mapped by another VM
 * too (the hypervisor's PSS says so), so that both guests hold them at once however the two
 * CPUs are scheduled; gives up after HOLD_MAX_TICKS (no other guest, or sharing is off).
 */
static void wait_ticks(uint64_t until)
{
	while (timer_ticks() < until)
		__asm__ volatile("wfi");
}

static void hold_until_shared(const char *tag)
{
	uint64_t deadline = timer_ticks() + HOLD_MAX_TICKS;
	struct mv_mem_stats s;

	while (timer_ticks() < deadline) {
		if (smccc_hvc(MV_HVC_MEM_STATS, (uint64_t)(uintptr_t)&s, sizeof(s), 0, 0, 0, 0)
			.a0 != 0)
			return;
		if (s.shared == 0) {
			/* Sharing is off: nothing to observe, just give the other guest a while. */
			wait_ticks(timer_ticks() + HOLD_PRIVATE_TICKS);
			return;
		}
		if ((s.pss - s.uss) * 2 <= s.shared) {
			kprintf("%s: module text mapped by another VM too\n", tag);
			return;
		}
		__asm__ volatile("wfi");
	}
}

/* Waits for a line typed at the console: 30 s, or with no limit for a driver that types to
 * many time-shared guests in turn on a loaded host (bootarg "input-no-timeout"). */
static void wait_input(const char *tag, bool no_timeout)
{
	uint64_t deadline = timer_ticks() + INPUT_TIMEOUT_TICKS;
	const char *line = NULL;

	uart_rx_start();
	kprintf("%s: waiting for a line of input\n", tag);
	while (!line && (no_timeout || timer_ticks() < deadline)) {
		__asm__ volatile("wfi");
		line = uart_rx_line();
	}
	if (line)
		kprintf("%s: input line '%s'\n", tag, line);
	else
		kprintf("%s: no input\n", tag);
}

void guest_smp_check(const char *tag);
void guest_console_probes(const char *tag, const struct boot_info *info); /* selftest_console.c */
void guest_reset_with_cpu1(const char *tag);
static void psci_race_probes(const char *tag, const struct boot_info *info);
static void check_sgi_self_while_active(const char *tag);
static void check_aarch32_el0(const char *tag);
void guest_touch_memory(const char *tag, const struct boot_info *info);
void guest_sched_probes(const char *tag, const struct boot_info *info);
void guest_unload_probes(const char *tag, const struct boot_info *info);
void guest_release_probes(const char *tag, const struct boot_info *info);

/* Free RAM after the kernel image and its stack: 2 MiB aligned, up to 4 MiB. */
static void heap_setup(const struct boot_info *info)
{
	extern char __stack_top[];
	uintptr_t start = ALIGN_UP((uintptr_t)__stack_top, SZ_2M);
	uintptr_t end = info->ram_base + info->ram_size;

	if (end > start)
		kheap_init(start, MIN(end - start, (uintptr_t)4 << 20));
}

void guest_selftest(const char *tag, const struct boot_info *info, unsigned ticks)
{
	/* Read first thing, before this kernel executes much: cppcheck cannot see the asm use. */
	// cppcheck-suppress variableScope
	uint64_t now;

	/* Instructions since power-on: the hypervisor started event counter 0 at its entry. */
	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(now));
	heap_setup(info);
	if (bootarg_has(info, "bench") || bootarg_has(info, "bench-hold") ||
	    bootarg_has(info, "bench-second") || bootarg_has(info, "bench-share") ||
	    bootarg_has(info, "bench-wake") || bootarg_has(info, "bench-idle")) {
		gic_init();
		guest_bench(tag, info, now);
		return;
	}
	if (bootarg_has(info, "reset-once")) {
		kprintf("%s: boot %u after reset\n", tag, info->reset_count);
		if (info->reset_count == 0) {
			kprintf("%s: asking for a reset\n", tag);
			psci_system_reset();
		}
	}
	if (bootarg_has(info, "reset-with-cpu1") && info->reset_count == 0 && info->cpus > 1)
		guest_reset_with_cpu1(tag);
	psci_race_probes(tag, info);
	guest_sched_probes(tag, info); /* selftest_sched.c */
	gic_init();
	if (bootarg_has(info, "sgi-self-active"))
		check_sgi_self_while_active(tag);
	timer_start(TICK_HZ, NULL);
	irq_enable();
	if (bootarg_has(info, "check-hvc"))
		check_hypercalls(tag);
	if (bootarg_has(info, "check-sysreg"))
		check_trapped_sysreg(tag);
	if (bootarg_has(info, "check-aarch32"))
		check_aarch32_el0(tag);
	guest_console_probes(tag, info);
	guest_rtc_probes(tag, info); /* selftest_rtc.c */
	if (bootarg_has(info, "fault-unmapped"))
		touch_unmapped(tag);
	guest_unload_probes(tag, info); /* selftest_unload.c */
	if (bootarg_has(info, "disk-sector") && info->has_disk)
		check_disk_sector(tag);
	if (bootarg_has(info, "bad-disk-request") && info->has_disk)
		send_bad_disk_request(tag);
	if (bootarg_has(info, "smp") && info->cpus > 1)
		guest_smp_check(tag);
	if (bootarg_has(info, "touch-memory"))
		guest_touch_memory(tag, info);
	guest_release_probes(tag, info); /* selftest_release.c */
	wait_ticks(ticks);
	kprintf("%s: %u timer ticks at %u Hz\n", tag, ticks, TICK_HZ);
	if (bootarg_has(info, "mod-list"))
		print_module_list(tag, "before loading");
	if (info->module_window_size && !bootarg_has(info, "no-modules")) {
		module_demo(tag, info);
		if (bootarg_has(info, "mod-list"))
			print_module_list(tag, "after loading");
		hold_until_shared(tag);
	}
	if (bootarg_has(info, "input") || bootarg_has(info, "input-no-timeout"))
		wait_input(tag, bootarg_has(info, "input-no-timeout"));
	if (bootarg_has(info, "cpu-off")) {
		/* The VM's last vCPU: the hypervisor must stop the VM (PSCI allows it). */
		kprintf("%s: turning my last vCPU off\n", tag);
		psci_cpu_off();
	}
}

/* --- SMP: the second vCPU comes up with PSCI CPU_ON, takes an SGI, goes off again --- */
static uint8_t secondary_stack[8192] __aligned(16);
static volatile bool secondary_up;
static volatile bool secondary_ready;
static volatile bool sgi_seen;
static const char *smp_tag;

extern char secondary_start[];
void secondary_main(void);

static void sgi_handler(unsigned intid)
{
	(void)intid;
	sgi_seen = true;
}

static volatile bool secondary_just_spin;

static void (*volatile secondary_job)(void);

void secondary_main(void)
{
	mmu_enable_this_cpu();
	secondary_up = true;
	if (secondary_job)
		secondary_job();
	while (secondary_just_spin)
		__asm__ volatile("wfi");
	exceptions_init();
	gic_init_cpu();
	gic_enable_irq(1, sgi_handler);
	irq_enable();
	secondary_ready = true;
	while (!sgi_seen)
		__asm__ volatile("wfi");
	kprintf("%s: cpu 1 took SGI 1 from cpu 0, turning itself off\n", smp_tag);
	psci_cpu_off();
}

/* Runs job on cpu 1 (started with CPU_ON), which then waits with WFI until the VM stops. */
void guest_start_cpu1(void (*job)(void));
void guest_start_cpu1(void (*job)(void))
{
	secondary_job = job;
	secondary_just_spin = true;
	psci_cpu_on(1, (uintptr_t)secondary_start,
		    (uint64_t)(uintptr_t)(secondary_stack + sizeof(secondary_stack)));
}

/* Boot 0 leaves cpu 1 running and resets the VM: the reset must stop it first. */
void guest_reset_with_cpu1(const char *tag)
{
	secondary_just_spin = true;
	psci_cpu_on(1, (uintptr_t)secondary_start,
		    (uint64_t)(uintptr_t)(secondary_stack + sizeof(secondary_stack)));
	while (!secondary_up)
		;
	kprintf("%s: cpu 1 is running; asking for a reset\n", tag);
	psci_system_reset();
}

void guest_smp_check(const char *tag)
{
	int64_t ret;

	smp_tag = tag;
	ret = psci_cpu_on(1, (uintptr_t)secondary_start,
			  (uint64_t)(uintptr_t)(secondary_stack + sizeof(secondary_stack)));
	kprintf("%s: PSCI CPU_ON(cpu 1) returned %ld\n", tag, (long)ret);
	if (ret != 0)
		return;
	kprintf("%s: CPU_ON again returned %ld\n", tag,
		(long)psci_cpu_on(1, (uintptr_t)secondary_start, 0));
	while (!secondary_ready)
		;
	gic_send_sgi(1, 1);
	while (psci_affinity_info(1) != 1)
		;
	kprintf("%s: cpu 1 is off again\n", tag);
}

/* --- Issue 11 probes: PSCI races and resets from vCPU 1, SGI to self, AArch32 EL0 --------- */
static volatile bool race_go;

static void job_reset(void)
{
	kprintf("%s: cpu 1 asks for a reset\n", smp_tag);
	psci_system_reset();
}

static void job_race_reset(void)
{
	while (!race_go)
		;
	psci_system_reset();
}

static void job_race_off(void)
{
	while (!race_go)
		;
	psci_cpu_off();
}

void guest_start_cpu1_job(const char *tag, void (*job)(void));
void guest_start_cpu1_job(const char *tag, void (*job)(void))
{
	smp_tag = tag;
	secondary_job = job;
	psci_cpu_on(1, (uintptr_t)secondary_start,
		    (uint64_t)(uintptr_t)(secondary_stack + sizeof(secondary_stack)));
	while (!secondary_up)
		;
}

/*
 * reset-from-cpu1: vCPU 1 resets the VM while vCPU 0 computes (no trap of its own that could
 * wake its CPU). reset-race, off-race: both vCPUs ask for a reset, or turn themselves off, at
 * the same moment. Each only on the first boot.
 */
static void psci_race_probes(const char *tag, const struct boot_info *info)
{
	bool any = bootarg_has(info, "reset-from-cpu1") || bootarg_has(info, "reset-race") ||
		   bootarg_has(info, "off-race");

	if (any && info->reset_count != 0)
		kprintf("%s: boot %u after reset\n", tag, info->reset_count);
	if (!any || info->reset_count != 0 || info->cpus < 2)
		return;
	if (bootarg_has(info, "reset-from-cpu1")) {
		guest_start_cpu1_job(tag, job_reset);
		for (;;)
			__asm__ volatile("nop");
	}
	if (bootarg_has(info, "reset-race")) {
		guest_start_cpu1_job(tag, job_race_reset);
		kprintf("%s: both vCPUs ask for a reset\n", tag);
		race_go = true;
		psci_system_reset();
	}
	if (bootarg_has(info, "off-race")) {
		guest_start_cpu1_job(tag, job_race_off);
		kprintf("%s: both vCPUs turn themselves off\n", tag);
		race_go = true;
		psci_cpu_off();
	}
}

static volatile unsigned sgi_self_taken;

static void sgi_self_handler(unsigned intid)
{
	/* The first time, while it is active: sent again to this vCPU (the write traps). */
	if (sgi_self_taken++ == 0)
		gic_send_sgi(intid, 0);
}

/* GICv3: an SGI sent to itself while active becomes active and pending, and is taken again
 * right after the EOI, not only at the hypervisor's next trap (nothing here traps). */
static void check_sgi_self_while_active(const char *tag)
{
	unsigned taken;

	gic_enable_irq(2, sgi_self_handler);
	irq_enable();
	gic_send_sgi(2, 0);
	for (volatile unsigned i = 0; i < 100000 && sgi_self_taken < 2; i++)
		;
	taken = sgi_self_taken;
	kprintf("%s: SGI re-sent to itself while active: taken %u times before the next trap\n",
		tag, taken);
}

#define A32_CODE_VA 0xc0000000UL     /* a GiB with no RAM in it (a 32-bit VA) */
#define A32_MRC_CNTP_CTL 0xee1e0f32U /* mrc p15, 0, r0, c14, c2, 1 */
#define A32_SVC_0 0xef000000U	     /* svc #0 */
#define SPSR_A32_USR 0x10UL	     /* AArch32 User mode, A32, interrupts unmasked */
#define CNTKCTL_EL0PTEN (1UL << 9)

void mmu_map_el0_page(uint64_t va, uint64_t pa);
uint64_t el0_a32_call(uint64_t pc, uint64_t spsr);
extern char el0_a32_return[];

static const uint32_t a32_code[PAGE_SIZE / 4] __aligned(PAGE_SIZE) = {A32_MRC_CNTP_CTL, A32_SVC_0};
static uint64_t a32_kernel_spsr;
static uint64_t a32_esr, a32_elr, a32_spsr;
static bool a32_undef;

static bool catch_a32(struct exc_frame *frame, uint64_t esr)
{
	if (!(frame->spsr & 0x10))
		return false; /* not from AArch32 */
	if ((esr >> 26) == 0 && !a32_undef) {
		a32_undef = true;
		a32_esr = esr;
		a32_elr = frame->elr;
		a32_spsr = frame->spsr;
		frame->elr += 4; /* an A32 instruction */
		return true;
	}
	if ((esr >> 26) == 0x11) {
		/* SVC: back to the kernel, after el0_a32_call(). */
		frame->elr = (uint64_t)(uintptr_t)el0_a32_return;
		frame->spsr = a32_kernel_spsr;
		return true;
	}
	return false;
}

/* AArch32 EL0 reads CNTP_CTL: the access traps to EL2 (EC 0x3, EL0PTEN lets EL1 pass it on)
 * and must come back as an undefined instruction from lower EL AArch32, the VM running on. */
static void check_aarch32_el0(const char *tag)
{
	uint64_t daif, cntkctl;

	mmu_map_el0_page(A32_CODE_VA, (uint64_t)(uintptr_t)a32_code);
	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	__asm__ volatile("mrs %0, cntkctl_el1" : "=r"(cntkctl));
	__asm__ volatile("msr cntkctl_el1, %0; isb" ::"r"(cntkctl | CNTKCTL_EL0PTEN));
	a32_kernel_spsr = daif | 0x5; /* EL1h, as this function runs */
	exc_sync_hook = catch_a32;
	el0_a32_call(A32_CODE_VA, SPSR_A32_USR);
	exc_sync_hook = NULL;
	__asm__ volatile("msr cntkctl_el1, %0; isb" ::"r"(cntkctl));
	if (a32_undef)
		kprintf("%s: AArch32 EL0 CNTP_CTL read raised undefined instruction from AArch32 "
			"(ESR %#lx, ELR %#lx, SPSR %#lx)\n",
			tag, (unsigned long)a32_esr, (unsigned long)a32_elr,
			(unsigned long)a32_spsr);
	else
		kprintf("%s: AArch32 EL0 CNTP_CTL read was not trapped\n", tag);
}
