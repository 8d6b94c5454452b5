/* The LiteOS-like guest kernel (minimal for now): boots, runs its checks, powers off. */
#include "guest.h"

void kernel_main(void *dtb);
void kernel_main(void *dtb)
{
	struct boot_info info;

	exceptions_init();
	if (boot_info_parse(dtb, &info) != 0) {
		kprintf("liteos: no usable device tree at %p\n", dtb);
		psci_system_off();
	}
	mmu_enable_identity(info.ram_base, info.ram_size);
	kprintf("liteos: LOS kernel starting in vm '%s': %lu MiB RAM, %u vCPU\n", info.vm_name,
		(unsigned long)(info.ram_size >> 20), info.cpus);
	guest_selftest("liteos", &info, 10);
	kprintf("liteos: shutting down\n");
	psci_system_off();
}
