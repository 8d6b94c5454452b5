/* The StarryOS-like guest kernel (minimal for now): boots, runs its checks, powers off. */
#include "guest.h"

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
	guest_selftest("starry", &info, 5);
	kprintf("starry: powering off\n");
	psci_system_off();
}
