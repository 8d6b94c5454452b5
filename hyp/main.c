/* Boot flow of the hypervisor: platform, memory, bundle, scenario, VMs, then run the vCPUs. */
#include "arch/gic_hw.h"
#include "arch/mmu.h"
#include "arch/sysregs.h"
#include "account.h"
#include "bundle.h"
#include "console.h"
#include "cpu.h"
#include "hostdtb.h"
#include "irq.h"
#include "mm.h"
#include "panic.h"
#include "pl011.h"
#include "scenario.h"
#include "vm.h"
#include "virtio/vblk_phys.h"
#include "vrtc.h"
#include "vmmod.h"
#include <modvisor/hypercall.h>
#include <modvisor/status.h>
#include <string.h>

#define MODVISOR_VERSION "0.1.0"
#define SCENARIO_BLOB_MAX 0x4000

/* Per-CPU hypervisor stacks, used by arch/head.S. */
uint8_t hyp_stacks[HYP_MAX_CPUS][HYP_STACK_SIZE] __aligned(16);

static struct platform plat;
static struct bundle bundle;
static struct scenario scenario;

void hyp_main(void *dtb);
void hyp_secondary_main(unsigned index);

static void print_banner(void)
{
	hyp_printf("modvisor %s: EL2 hypervisor, ABI %u.%u\n", MODVISOR_VERSION,
		   MV_ABI_VERSION >> 16, MV_ABI_VERSION & 0xffff);
	hyp_printf("hyp: %lu MiB RAM at %#lx, %u CPUs, PA %u bits, GICv3 at %#lx, UART at %#lx\n",
		   (unsigned long)(platform_ram_bytes(&plat) >> 20),
		   (unsigned long)plat.ram[0].base, plat.cpu_count, mmu_pa_bits(),
		   (unsigned long)plat.gicd_base, (unsigned long)plat.uart_base);
}

/* A legacy U-Boot image header in front of the FIT (when a loader did not strip it). */
#define UIMAGE_MAGIC 0x27051956u
#define UIMAGE_HEADER_SIZE 64

static void open_bundle(void)
{
	uint64_t size = plat.initrd_end - plat.initrd_start;
	const uint8_t *start = (const uint8_t *)plat.initrd_start;

	if (plat.initrd_start == 0 || plat.initrd_end <= plat.initrd_start) {
		hyp_printf("hyp: no boot bundle: pass build/bundle.itb with -initrd\n");
		hyp_shutdown();
	}
	if (size > UIMAGE_HEADER_SIZE && fdt_cells_read(start, 1) == UIMAGE_MAGIC) {
		start += UIMAGE_HEADER_SIZE;
		size -= UIMAGE_HEADER_SIZE;
	}
	if (bundle_open(&bundle, start, size) != MV_OK) {
		hyp_printf("hyp: boot bundle at %#lx is not a valid FIT image\n",
			   (unsigned long)plat.initrd_start);
		hyp_shutdown();
	}
	for (unsigned i = 0; i < bundle.count; i++) {
		const struct bundle_image *img = &bundle.images[i];

		if (img->status == MV_OK)
			hyp_printf("hyp: bundle: %s, %u bytes, sha256 ok\n", img->name, img->size);
		else
			hyp_printf("hyp: bundle: image '%s' refused: %s\n", img->name, img->reason);
	}
}

static void load_scenario(void)
{
	/* libfdt wants 8-byte aligned blobs; FIT data is only 4-byte aligned. */
	static uint64_t blob[SCENARIO_BLOB_MAX / 8];
	const struct bundle_image *img;
	struct scenario_error err;
	int ret = bundle_find(&bundle, "scenario", &img);

	if (ret != MV_OK) {
		hyp_printf("hyp: bundle has no usable scenario image\n");
		hyp_shutdown();
	}
	if (img->size > sizeof(blob)) {
		hyp_printf("hyp: scenario is larger than %u bytes\n", SCENARIO_BLOB_MAX);
		hyp_shutdown();
	}
	memcpy(blob, img->data, img->size);
	ret = scenario_parse(blob, img->size, plat.cpu_count, &scenario, &err);
	if (ret == MV_OK)
		ret = scenario_check_modules(&scenario, vmmod_scan_bundle(), &err);
	if (ret != MV_OK) {
		hyp_printf("hyp: scenario: %s: %s: %s\n", err.node, err.prop, err.msg);
		hyp_shutdown();
	}
}

/* Every VM's quota must be met by the frames free now, unless the scenario allows overcommit. */
static void fit_memory(void)
{
	struct scenario_memory mem;
	struct scenario_error err;
	char line[sizeof(err.msg)];

	if (scenario_fit_memory(&scenario, mm_frames_free(), &mem, &err) != MV_OK) {
		hyp_printf("hyp: scenario: %s: %s: %s\n", err.node, err.prop, err.msg);
		hyp_shutdown();
	}
	for (unsigned i = 0; i < scenario.count; i++) {
		if (!mem.short_by[i])
			continue;
		scenario_memory_describe(&scenario, &mem, i, line, sizeof(line));
		hyp_printf("hyp: scenario: warning: memory-overcommit: %s\n", line);
	}
	/* Module text is the cache's: its real size reserved, unlimited (warm text above the
	 * reserve is reclaimed on demand). */
	if (mm_quota_set(FRAME_ACCOUNT_TEXT, FRAME_NO_LIMIT, mem.text) != MV_OK)
		panic("the module text reserve does not fit after scenario_fit_memory");
	hyp_printf("hyp: memory: %lu MiB free for VMs, %lu KiB kept for module text\n",
		   (unsigned long)(mem.available >> 8), (unsigned long)(mem.text << 2));
}

static void create_vms(void)
{
	unsigned started = 0;

	for (unsigned i = 0; i < scenario.count; i++) {
		struct vm *vm;

		if (vm_create(&scenario.vms[i], &vm) == MV_OK)
			started++;
	}
	if (started == 0) {
		hyp_printf("hyp: no vm could be started\n");
		hyp_shutdown();
	}
}

/* Runs this CPU's vCPUs from its run queue (vm_create queued the boot vCPUs), or idles. */
static __noreturn void run_this_cpu(void)
{
	cpu_park_idle();
}

/*
 * Counts instructions retired at EL2, EL1 and EL0 from here on (event counter 0), so that a
 * guest can report how many instructions its boot took (benchmarks; exact under -icount).
 */
static void start_boot_instruction_count(void)
{
	write_sysreg(0, pmselr_el0);
	isb();
	write_sysreg(0x08 | (1ULL << 27), pmxevtyper_el0); /* INST_RETIRED, NSH: EL2 too */
	write_sysreg(1, pmcntenset_el0);
	write_sysreg(read_sysreg(pmcr_el0) | 1 | 2, pmcr_el0); /* E, P: start from 0 */
	isb();
}

void hyp_main(void *dtb)
{
	start_boot_instruction_count();
	mmu_enable_boot();
	if (platform_parse(dtb, &plat) != MV_OK)
		panic("cannot use the device tree at %p", dtb);
	if (plat.uart_base)
		pl011_init(plat.uart_base); /* until then the driver's default: QEMU virt's UART */
	struct mem_range dev[4 + PLATFORM_MAX_VIRTIO];

	mmu_switch_final(plat.ram, plat.ram_count, dev,
			 platform_device_ranges(&plat, dev, ARRAY_SIZE(dev)));
	vrtc_seed_from_host(plat.rtc_base);
	cpu_init_table(&plat);
	gic_hw_init_distributor(plat.gicd_base, plat.gicr_base);
	gic_hw_init_cpu();
	print_banner();
	mm_init(&plat);
	vblk_phys_probe(&plat);
	vm_subsystem_init(mmu_pa_bits(), &bundle);
	vmmod_init(&bundle);
	open_bundle();
	load_scenario();
	fit_memory();
	account_boot_baseline();
	create_vms();

	/* Console input: the UART interrupt goes to the boot CPU, which parks if its VM stops. */
	if (plat.uart_intid) {
		irq_set_console(plat.uart_intid);
		gic_hw_enable_spi(plat.uart_intid, cpu_mpidr(0));
		pl011_enable_rx_irq(true);
	}

	/* Secondary CPUs come up only where a VM's boot vCPU runs (CPU_ON starts the others). */
	for (unsigned i = 0; i < vm_count(); i++) {
		struct vcpu *boot = &vm_by_index(i)->vcpus[0];

		if (boot->pcpu != cpu_index())
			cpu_start(boot->pcpu);
	}
	run_this_cpu();
}

void hyp_secondary_main(unsigned index)
{
	(void)index;
	mmu_enable_secondary();
	gic_hw_init_cpu();
	run_this_cpu();
}
