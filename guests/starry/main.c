/* The StarryOS-like guest kernel: boots, reports what it was given, runs requested checks. */
#include "guest.h"
#include <modvisor/hypercall.h>

#define UNMAPPED_IPA 0x20000000UL

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

static void check_unknown_hypercall(void)
{
	struct smccc_res r = smccc_hvc(MV_HVC_BASE | 0xff, 0, 0, 0, 0, 0, 0);

	kprintf("starry: unknown hypercall returned %ld\n", (long)r.a0);
}

static void check_version_hypercall(void)
{
	struct smccc_res r = smccc_hvc(MV_HVC_VERSION, 0, 0, 0, 0, 0, 0);

	kprintf("starry: modvisor version call: status %ld, ABI %lu.%lu\n", (long)r.a0,
		(unsigned long)(r.a1 >> 16), (unsigned long)(r.a1 & 0xffff));
}

static void check_trapped_sysreg(void)
{
	uint64_t v = 0;

	exc_sync_hook = catch_undef;
	/* The EL1 physical timer belongs to the hypervisor: CNTHCTL_EL2.EL1PCEN traps it. */
	__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	kprintf("starry: physical timer read %s\n",
		undef_seen ? "raised undefined instruction" : "was not trapped");
}

static void touch_unmapped(void)
{
	kprintf("starry: touching unmapped IPA %#lx\n", UNMAPPED_IPA);
	(void)*(volatile uint32_t *)UNMAPPED_IPA;
	kprintf("starry: still running after the fault (wrong)\n");
}

void kernel_main(void *dtb);
void kernel_main(void *dtb)
{
	struct boot_info info;

	exceptions_init();
	if (boot_info_parse(dtb, &info) != 0) {
		kprintf("starry: no usable device tree at %p\n", dtb);
		psci_system_off();
	}
	mmu_enable_identity(info.ram_base, info.ram_size);
	kprintf("starry: hello from vm '%s': %lu MiB RAM at %#lx, %u vCPU, PSCI %u.%u\n",
		info.vm_name, (unsigned long)(info.ram_size >> 20), (unsigned long)info.ram_base,
		info.cpus, psci_version() >> 16, psci_version() & 0xffff);
	if (bootarg_has(&info, "check-hvc")) {
		check_version_hypercall();
		check_unknown_hypercall();
	}
	if (bootarg_has(&info, "check-sysreg"))
		check_trapped_sysreg();
	if (bootarg_has(&info, "fault-unmapped"))
		touch_unmapped();
	kprintf("starry: powering off\n");
	psci_system_off();
}
