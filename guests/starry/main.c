/* The Starry kernel's boot: memory, MMU, interrupts, filesystems, then pid 1 from the disk.
 * With the bootarg "probe" it runs the hypervisor's guest checks instead (tests/integration). */
#include <string.h>
#include "kernel.h"
#include "fs/vfs.h"
#include "mm/mm.h"
#include "mm/pmm.h"
#include "proc/exec.h"
#include "proc/process.h"
#include "proc/task.h"

/* The kernel heap: an eighth of RAM, 2 to 8 MiB (a busy run peaks under 300 KiB; exec
 * borrows 160 KiB for a while). Pages it never hands out are never touched. */
#define KERNEL_HEAP_MIN (2UL << 20)
#define KERNEL_HEAP_MAX (8UL << 20)
#define TICK_HZ 100

extern char __stack_top[];
extern char starry_vectors[];
bool trap_irq_from_user(void);
bool trap_kernel_fault(struct exc_frame *frame, uint64_t esr);

static __noreturn void probe_main(const struct boot_info *info)
{
	mmu_enable_identity(info->ram_base, info->ram_size);
	kprintf("starry: hello from vm '%s': %lu MiB RAM at %#lx, %u vCPU, PSCI %u.%u\n",
		info->vm_name, (unsigned long)(info->ram_size >> 20), (unsigned long)info->ram_base,
		info->cpus, psci_version() >> 16, psci_version() & 0xffff);
	guest_selftest("starry", info, 5);
	kprintf("starry: powering off\n");
	psci_system_off();
}

/* Benchmarks (bootarg "bench"): event counter 0 counts instructions retired at every
 * exception level (NSH: EL2 too), the cycle counter runs as well, and user programs may read
 * both. Instructions retired, unlike virtual time, do not grow while a CPU waits for the host. */
static void pmu_open_to_user(void)
{
	__asm__ volatile("msr pmccfiltr_el0, %0" ::"r"(1ULL << 27));
	__asm__ volatile("msr pmevtyper0_el0, %0" ::"r"((1ULL << 27) | 0x08 /* INST_RETIRED */));
	__asm__ volatile("msr pmcntenset_el0, %0" ::"r"((1ULL << 31) | 1ULL));
	__asm__ volatile("msr pmcr_el0, %0; isb" ::"r"((1ULL << 0) | (1ULL << 2) | (1ULL << 6)));
	__asm__ volatile("msr pmuserenr_el0, %0; isb" ::"r"((1ULL << 0) | (1ULL << 2)));
}

static void tick(uint64_t ticks)
{
	(void)ticks;
	sched_tick(trap_irq_from_user());
}

/* init=PATH from bootargs, else /sbin/init. */
static void init_path(const struct boot_info *info, char *out, size_t size)
{
	const char *p = info->bootargs ? info->bootargs : "";

	strlcpy(out, "/sbin/init", size);
	for (; *p; p++) {
		size_t n = 0;

		if (strncmp(p, "init=", 5) != 0 || (p != info->bootargs && p[-1] != ' '))
			continue;
		p += 5;
		while (p[n] && p[n] != ' ' && n + 1 < size)
			n++;
		memcpy(out, p, n);
		out[n] = '\0';
		return;
	}
}

/* What follows " -- " in bootargs goes to init as its arguments, as on Linux. */
static const char *init_args(const struct boot_info *info)
{
	const char *args = info->bootargs ? info->bootargs : "";

	for (const char *p = args; *p; p++)
		if ((p == args || p[-1] == ' ') && strncmp(p, "--", 2) == 0 &&
		    (!p[2] || p[2] == ' '))
			return p[2] ? p + 3 : p + 2;
	return NULL;
}

void kernel_main(void *dtb);
void kernel_main(void *dtb)
{
	static char init[PATH_MAX];
	struct boot_info info;
	uint64_t heap = ALIGN_UP((uint64_t)(uintptr_t)__stack_top, PAGE_SIZE);
	uint64_t ram_end, heap_size;

	exceptions_init();
	if (boot_info_parse(dtb, &info) != 0) {
		kprintf("starry: no usable device tree at %p\n", dtb);
		psci_system_off();
	}
	if (bootarg_has(&info, "probe"))
		probe_main(&info);
	ram_end = info.ram_base + info.ram_size;
	heap_size = info.ram_size / 8;
	heap_size = heap_size < KERNEL_HEAP_MIN	  ? KERNEL_HEAP_MIN
		    : heap_size > KERNEL_HEAP_MAX ? KERNEL_HEAP_MAX
						  : heap_size;
	if (heap + heap_size + (4UL << 20) > ram_end) {
		kprintf("starry: %lu MiB of RAM is too little\n",
			(unsigned long)(info.ram_size >> 20));
		psci_system_off();
	}
	kheap_init(heap, heap_size);
	pmm_init(heap + heap_size, ram_end);
	pmm_set_reporting(!bootarg_has(&info, "no-page-reporting"));
	mm_kernel_init(info.ram_base, info.ram_size, info.module_window_base,
		       info.module_window_size);
	exc_sync_hook = trap_kernel_fault;
	__asm__ volatile("msr vbar_el1, %0; isb" ::"r"(starry_vectors));
	gic_init();
	timer_start(TICK_HZ, tick);
	wallclock_init(info.rtc_base);
	uart_rx_start();
	kprintf("starry: Linux-compatible kernel on vm '%s': %lu MiB RAM, %lu pages for "
		"processes, modules on demand%s\n",
		info.vm_name, (unsigned long)(info.ram_size >> 20), (unsigned long)pmm_free_pages(),
		info.has_disk ? "" : " (no disk!)");
	if (bootarg_has(&info, "bench"))
		pmu_open_to_user();
	exec_init();
	gmod_idle_init(&info);
	vfs_set_disk_present(info.has_disk);
	vfs_init();
	init_path(&info, init, sizeof(init));
	process_start_init(init, init_args(&info));
	sched_run();
}
