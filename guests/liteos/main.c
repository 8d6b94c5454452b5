/* The LiteOS-like guest kernel: boot checks, then (bootargs "shell" or "los-tests") the LOS kernel.
 */
#include "guest.h"
#include "los_app.h"
#include "los_config.h"
#include "los_memory.h"
#include "los_module.h"
#include "los_printf.h"
#include "los_sys.h"
#include "los_vfs.h"

/* Starts the kernel with the demo and shell, the tests or the example applications; the boot
 * stack is left for good. */
static __noreturn void los_main(const struct boot_info *info, bool tests, bool apps)
{
	UINT32 ret = LOS_KernelInit(info);

	if (ret == LOS_OK) {
		LOS_SigInit();
		LOS_ModuleAdopt();
		if (los_vfs_init() != 0)
			ret = LOS_NOK;
	}
	if (ret == LOS_OK) {
		ret = tests ? LOS_TestsStart() : apps ? LOS_AppsStart() : LOS_DemoStart();
	}
	if (ret != LOS_OK) {
		kprintf("liteos: the LOS kernel could not start (%#x)\n", ret);
		psci_system_off();
	}
	dprintf("liteos: LOS kernel up: %u KiB system pool at %p, %u ticks per second\n",
		LOS_MemPoolSizeGet(m_aucSysMem0) >> 10, (VOID *)m_aucSysMem0,
		LOSCFG_BASE_CORE_TICK_PER_SECOND);
	LOS_Start();
}

void kernel_main(void *dtb);
void kernel_main(void *dtb)
{
	static struct boot_info info;

	exceptions_init();
	if (boot_info_parse(dtb, &info) != 0) {
		kprintf("liteos: no usable device tree at %p\n", dtb);
		psci_system_off();
	}
	mmu_enable_identity(info.ram_base, info.ram_size);
	wallclock_init(info.rtc_base);
	kprintf("liteos: LOS kernel starting in vm '%s': %lu MiB RAM, %u vCPU\n", info.vm_name,
		(unsigned long)(info.ram_size >> 20), info.cpus);
	guest_selftest("liteos", &info, 10);
	if (bootarg_has(&info, "los-tests") || bootarg_has(&info, "los-apps") ||
	    bootarg_has(&info, "shell"))
		los_main(&info, bootarg_has(&info, "los-tests"), bootarg_has(&info, "los-apps"));
	kprintf("liteos: shutting down\n");
	psci_system_off();
}
