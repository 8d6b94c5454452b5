/* Self-test probes for time-shared vCPUs: a vCPU spinning with interrupts masked, registers kept
 * across vCPU switches, a VM stopped by one vCPU while another is off its CPU. */
#include "guest.h"
#include <string.h>

#define SPIN_MS 1500 /* long enough for the other guests on the CPU to finish their ticks */
#define KEEP_MS 300

void guest_sched_probes(const char *tag, const struct boot_info *info);
void guest_start_cpu1_job(const char *tag, void (*job)(void)); /* selftest.c */

/* fp_fill(seed): v<n> = {seed + n, seed + n}; fp_check(seed): how many halves differ. */
unsigned long fp_fill(uint64_t seed);
unsigned long fp_check(uint64_t seed);
__asm__(".arch_extension fp\n"
	".arch_extension simd\n"
	".text\n"
	".globl fp_fill\n"
	"fp_fill:\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,"
	"29,30,31\n"
	"	add	x1, x0, #\\n\n"
	"	dup	v\\n\\().2d, x1\n"
	".endr\n"
	"	ret\n"
	".globl fp_check\n"
	"fp_check:\n"
	"	mov	x2, #0\n"
	".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,"
	"29,30,31\n"
	"	add	x1, x0, #\\n\n"
	"	umov	x3, v\\n\\().d[0]\n"
	"	cmp	x3, x1\n"
	"	cinc	x2, x2, ne\n"
	"	umov	x3, v\\n\\().d[1]\n"
	"	cmp	x3, x1\n"
	"	cinc	x2, x2, ne\n"
	".endr\n"
	"	mov	x0, x2\n"
	"	ret\n");

static void spin_ms(unsigned ms)
{
	uint64_t end = guest_time_ns() + (uint64_t)ms * 1000000ULL;

	while (guest_time_ns() < end)
		;
}

/* No trap of its own for 1.5 s: only the hypervisor's timer can take the CPU from it. */
static void spin_masked(const char *tag)
{
	uint64_t t0 = guest_time_ns();

	kprintf("%s: spinning with interrupts masked\n", tag);
	irq_disable();
	spin_ms(SPIN_MS);
	irq_enable();
	kprintf("%s: spun %lu ms with interrupts masked\n", tag,
		(unsigned long)((guest_time_ns() - t0) / 1000000ULL));
}

/* FP/SIMD registers and EL1/EL0 system registers with values of this VM's own, across many
 * slices in which another VM does the same with other values. */
static void keep_registers(const char *tag)
{
	uint64_t seed = (uint64_t)(unsigned char)tag[0] << 48 | (uint64_t)strlen(tag) << 32;
	uint64_t tpidrro, contextidr;
	unsigned long bad;

	irq_disable(); /* the guest's handlers keep to general registers, but be sure */
	fp_fill(seed);
	__asm__ volatile("msr tpidrro_el0, %0; msr contextidr_el1, %1" ::"r"(seed | 1),
			 "r"((seed >> 32) | 2));
	spin_ms(KEEP_MS);
	bad = fp_check(seed);
	__asm__ volatile("mrs %0, tpidrro_el0; mrs %1, contextidr_el1"
			 : "=r"(tpidrro), "=r"(contextidr));
	irq_enable();
	kprintf("%s: registers kept across %u ms: %s (%lu FP/SIMD halves differ, tpidrro %s, "
		"contextidr %s)\n",
		tag, KEEP_MS,
		!bad && tpidrro == (seed | 1) && contextidr == ((seed >> 32) | 2) ? "yes" : "NO",
		bad, tpidrro == (seed | 1) ? "ok" : "wrong",
		contextidr == ((seed >> 32) | 2) ? "ok" : "wrong");
}

static const char *stop_tag;

static void job_stop(void)
{
	kprintf("%s: cpu 1 powers the VM off\n", stop_tag);
	psci_system_off();
}

void guest_sched_probes(const char *tag, const struct boot_info *info)
{
	if (bootarg_has(info, "keep-registers"))
		keep_registers(tag);
	if (bootarg_has(info, "spin-masked"))
		spin_masked(tag);
	if (bootarg_has(info, "stop-from-cpu1") && info->cpus > 1) {
		/* vCPU 0 waits for an interrupt that never comes (off its CPU, if that CPU is
		 * time-shared) while vCPU 1 stops the VM. */
		stop_tag = tag;
		guest_start_cpu1_job(tag, job_stop);
		for (;;)
			__asm__ volatile("wfi");
	}
}
