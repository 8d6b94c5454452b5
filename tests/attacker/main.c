/* The attacker guest's entry: bootargs, its vCPUs, the phases in order, the summary, SYSTEM_OFF. */
#include "attacker.h"
#include <modvisor/hypercall.h>
#include <stdlib.h>
#include <string.h>

#define SECONDARY_STACK 16384
/* No phase may keep the others waiting longer than this at a barrier (virtual seconds). */
#define BARRIER_TIMEOUT_S 120

struct atk_env atk;

static char bootargs[512];
static uint8_t stacks[ATK_MAX_CPUS][SECONDARY_STACK] __aligned(16);
static volatile bool faulted[ATK_MAX_CPUS];
static volatile unsigned arrived;
static volatile unsigned finished;
static volatile unsigned print_lock;

static const char *const phase_names[PH_COUNT] = {"hvc", "mmio", "vgic", "psci", "race", "virtio"};
static const char *const arg_names[PH_COUNT] = {"hvc", "mmio", "vgic", "psci", "race", "virtio"};
/* The short run `make test` uses unless bootargs say otherwise. */
static const uint64_t default_n[PH_COUNT] = {4000, 3000, 2000, 500, 1000, 200};

/* Alignment faults on device memory and undefined instructions are outcomes, not crashes. */
static bool catch_fault(struct exc_frame *frame, uint64_t esr)
{
	unsigned ec = (unsigned)(esr >> 26);

	if (ec != 0x00 && ec != 0x25)
		return false;
	faulted[this_cpu() % ATK_MAX_CPUS] = true;
	frame->elr += 4;
	return true;
}

bool atk_took_fault(void)
{
	unsigned cpu = this_cpu() % ATK_MAX_CPUS;
	bool f = faulted[cpu];

	faulted[cpu] = false;
	return f;
}

enum atk_class atk_classify(int64_t x0)
{
	if (atk_took_fault())
		return CLS_FAULT;
	if (x0 == 0)
		return CLS_ZERO;
	if (x0 > 0)
		return CLS_POSITIVE;
	if (x0 >= -9)
		return (enum atk_class)(CLS_ERR1 + (-x0 - 1));
	return CLS_OTHER_NEG;
}

void atk_count(unsigned cpu, enum atk_phase ph, enum atk_class c)
{
	atk.stats[cpu].calls[ph]++;
	atk.stats[cpu].cls[ph][c]++;
}

static void lock_print(void)
{
	while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void unlock_print(void)
{
	__atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE);
}

static uint64_t cntfrq(void)
{
	uint64_t f;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(f));
	return f;
}

/* Every vCPU waits for the others; a vCPU that never comes is reported, not waited for. */
static void barrier(unsigned round)
{
	uint64_t limit = cntvct() + BARRIER_TIMEOUT_S * cntfrq();

	__atomic_fetch_add(&arrived, 1, __ATOMIC_ACQ_REL);
	while (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) < round * atk.cpus) {
		if (cntvct() > limit) {
			lock_print();
			kprintf("attacker: cpu %u: barrier %u timed out\n", this_cpu(), round);
			unlock_print();
			return;
		}
	}
}

static void run_phases(unsigned cpu)
{
	uint64_t s = atk.args.seed ^ ((uint64_t)(cpu + 1) * 0xd1b54a32d192ed03ULL);
	unsigned round = 0;

	barrier(++round);
	atk_psci_fuzz(cpu, &s, atk.args.n[PH_PSCI]);
	barrier(++round);
	atk_vgic_fuzz(cpu, &s, atk.args.n[PH_VGIC]);
	barrier(++round);
	atk_mmio_fuzz(cpu, &s, atk.args.n[PH_MMIO]);
	barrier(++round);
	atk_hvc_fuzz(cpu, &s, atk.args.n[PH_HVC]);
	barrier(++round);
	atk_race(cpu, atk.args.n[PH_RACE]);
	__atomic_fetch_add(&finished, 1, __ATOMIC_ACQ_REL);
}

extern char secondary_start[];
void secondary_main(void);
void secondary_main(void)
{
	unsigned cpu = this_cpu();

	mmu_enable_this_cpu();
	exceptions_init();
	run_phases(cpu);
	psci_cpu_off();
}

static void parse_args(void)
{
	struct atk_args *a = &atk.args;
	char *p = bootargs;

	a->seed = 1;
	a->finale = "";
	memcpy(a->n, default_n, sizeof(a->n));
	while (*p) {
		char *word = p, *eq;

		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		eq = strchr(word, '=');
		if (strcmp(word, "uart-dr") == 0)
			a->uart_dr = true;
		if (strcmp(word, "psci-unsafe") == 0)
			a->psci_unsafe = true;
		if (!eq)
			continue;
		*eq = '\0';
		if (strcmp(word, "seed") == 0)
			a->seed = strtoul(eq + 1, NULL, 0);
		if (strcmp(word, "finale") == 0)
			a->finale = eq + 1;
		for (unsigned i = 0; i < PH_COUNT; i++)
			if (strcmp(word, arg_names[i]) == 0)
				a->n[i] = strtoul(eq + 1, NULL, 0);
	}
}

static void print_classes(const char *what, uint64_t calls, const uint64_t *cls)
{
	static const char *const names[CLS_COUNT] = {"0",  ">0", "-1", "-2", "-3",  "-4",   "-5",
						     "-6", "-7", "-8", "-9", "<-9", "fault"};

	kprintf("attacker: %s: %lu calls:", what, (unsigned long)calls);
	for (unsigned c = 0; c < CLS_COUNT; c++)
		if (cls[c])
			kprintf(" %s=%lu", names[c], (unsigned long)cls[c]);
	kprintf("\n");
}

static void summary(uint64_t ticks)
{
	uint64_t total = 0, all[CLS_COUNT] = {0};
	uint64_t freq = cntfrq();
	uint64_t ms = ticks / freq * 1000 + ticks % freq * 1000 / freq;

	for (unsigned ph = 0; ph < PH_COUNT; ph++) {
		uint64_t calls = 0, cls[CLS_COUNT] = {0};

		for (unsigned cpu = 0; cpu < atk.cpus; cpu++) {
			calls += atk.stats[cpu].calls[ph];
			for (unsigned c = 0; c < CLS_COUNT; c++)
				cls[c] += atk.stats[cpu].cls[ph][c];
		}
		print_classes(phase_names[ph], calls, cls);
		total += calls;
		for (unsigned c = 0; c < CLS_COUNT; c++)
			all[c] += cls[c];
	}
	print_classes("all", total, all);
	kprintf("attacker: done: %lu calls, %u vCPUs, %lu.%03lu s virtual (CNTVCT %lu at %lu Hz), "
		"seed %#lx\n",
		(unsigned long)total, atk.cpus, (unsigned long)(ms / 1000),
		(unsigned long)(ms % 1000), (unsigned long)ticks, (unsigned long)freq,
		(unsigned long)atk.args.seed);
}

/* Free RAM the fuzz may point the hypervisor at: all of it but the kernel image and its stacks
 * (the device tree at the start was read already; bootargs were copied out of it). */
static void set_scratch(const struct boot_info *info)
{
	extern char __stack_top[];

	atk.ram_lo = info->ram_base;
	atk.ram_hi = info->ram_base + info->ram_size;
	atk.scratch_lo = ALIGN_UP((uint64_t)(uintptr_t)__stack_top, SZ_2M);
	atk.scratch_hi = atk.ram_hi;
	if (atk.scratch_lo >= atk.scratch_hi)
		atk.scratch_lo = atk.scratch_hi; /* a tiny VM: no scratch, pointers go outside */
}

static void start_secondaries(void)
{
	for (unsigned cpu = 1; cpu < atk.cpus; cpu++) {
		uint64_t sp = (uint64_t)(uintptr_t)(stacks[cpu] + SECONDARY_STACK);
		int64_t ret = psci_cpu_on(cpu, (uintptr_t)secondary_start, sp);

		if (ret != 0) {
			kprintf("attacker: CPU_ON(%u) returned %ld; running with fewer vCPUs\n",
				cpu, (long)ret);
			atk.cpus = cpu;
			return;
		}
	}
}

/* Waits (bounded) until the secondaries have finished and turned themselves off. */
static void wait_secondaries(void)
{
	uint64_t limit = cntvct() + BARRIER_TIMEOUT_S * cntfrq();

	while (__atomic_load_n(&finished, __ATOMIC_ACQUIRE) < atk.cpus && cntvct() < limit)
		;
	for (unsigned cpu = 1; cpu < atk.cpus; cpu++)
		while (psci_affinity_info(cpu) != 1 && cntvct() < limit)
			;
	if (cntvct() >= limit)
		kprintf("attacker: secondaries did not finish in %u s\n", BARRIER_TIMEOUT_S);
}

/* Once the racing vCPUs are done, the module's state must be whole again: every vCPU ended
 * with an unload, so one load and one unload from here both succeed. */
static void race_aftermath(void)
{
	static const char name[] = "fatfs";
	struct smccc_res l, u;

	if (!atk.args.n[PH_RACE])
		return;
	l = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t)name, 5, 0, 0, 0, 0);
	u = smccc_hvc(MV_HVC_MOD_UNLOAD, (uint64_t)(uintptr_t)name, 5, 0, 0, 0, 0);
	kprintf("attacker: after the race: load %ld (flags %#lx), unload %ld\n", (long)l.a0,
		(unsigned long)(l.a0 == MV_OK ? l.a3 : 0), (long)u.a0);
}

static void attacker_main(void)
{
	uint64_t t0;

	kprintf("attacker: seed %#lx, %u vCPUs, per vCPU: hvc %lu mmio %lu vgic %lu psci %lu "
		"race %lu, virtio %lu%s%s%s\n",
		(unsigned long)atk.args.seed, atk.cpus, (unsigned long)atk.args.n[PH_HVC],
		(unsigned long)atk.args.n[PH_MMIO], (unsigned long)atk.args.n[PH_VGIC],
		(unsigned long)atk.args.n[PH_PSCI], (unsigned long)atk.args.n[PH_RACE],
		(unsigned long)atk.args.n[PH_VIRTIO], atk.args.uart_dr ? ", uart-dr" : "",
		atk.args.psci_unsafe ? ", psci-unsafe" : "",
		atk.args.finale[0] ? ", then a lethal finale" : "");
	t0 = cntvct();
	start_secondaries();
	run_phases(0);
	wait_secondaries();
	race_aftermath();
	if (atk.info.has_disk) {
		uint64_t s = atk.args.seed ^ 0x5bd1e995ULL;

		atk_virtio_fuzz(&s, atk.args.n[PH_VIRTIO]);
	}
	summary(cntvct() - t0);
	if (atk.args.finale[0]) {
		kprintf("attacker: finale %s\n", atk.args.finale);
		if (!atk_finale(atk.args.finale))
			kprintf("attacker: unknown finale '%s'\n", atk.args.finale);
		else
			kprintf("attacker: finale %s survived (the hypervisor should have stopped "
				"me)\n",
				atk.args.finale);
	}
	psci_system_off();
}

void kernel_main(const void *dtb);
void kernel_main(const void *dtb)
{
	struct boot_info *info = &atk.info;

	if (boot_info_parse(dtb, info) != 0) {
		kprintf("attacker: no usable device tree\n");
		psci_system_off();
	}
	strlcpy(bootargs, info->bootargs, sizeof(bootargs));
	exceptions_init();
	exc_sync_hook = catch_fault;
	mmu_enable_identity(info->ram_base, info->ram_size);
	if (info->module_window_size)
		mmu_map_normal(info->module_window_base, info->module_window_size);
	if (bootarg_has(info, "canary"))
		canary_main(info);
	atk.cpus = MIN(MAX(info->cpus, 1U), (unsigned)ATK_MAX_CPUS);
	set_scratch(info);
	parse_args();
	attacker_main();
}
