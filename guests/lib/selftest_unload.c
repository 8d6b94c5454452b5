/* Self-test probe: after MOD_UNLOAD no stale TLB entry lets the guest read, write or run the slot.
 */
#include "guest.h"
#include <modvisor/hypercall.h>

/*
 * "unload-read", "unload-write", "unload-exec": load fatfs and touch its slot in all three
 * ways (so the TLBs hold its text and data translations), unload it, then make the one access
 * asked for. The hypervisor must stop the VM with a stage-2 abort at that address.
 */
void guest_unload_probes(const char *tag, const struct boot_info *info)
{
	struct gmod m = {.name = "fatfs", .kind = MV_MODULE_FS};
	volatile uint32_t *text, *data;
	void (*code)(void);
	uint32_t word;
	int ret;

	if (!bootarg_has(info, "unload-read") && !bootarg_has(info, "unload-write") &&
	    !bootarg_has(info, "unload-exec"))
		return;
	if (info->module_window_size)
		mmu_map_normal(info->module_window_base, info->module_window_size);
	ret = gmod_load(&m, guest_kservices(tag));
	if (ret != 0) {
		kprintf("%s: unload probe: load failed: %d\n", tag, ret);
		return;
	}
	/* The descriptor lies in the private data page, the entry point in the shared text. */
	data = (volatile uint32_t *)(uintptr_t)m.desc;
	code = (void (*)(void))(uintptr_t)m.desc->init;
	text = (volatile uint32_t *)(uintptr_t)m.desc->init;
	word = *data;
	*data = word; /* the same value back: only the write's translation matters */
	word += *text;
	ret = gmod_unload(&m);
	kprintf("%s: unload probe: unloaded: %d (text %#lx, data %#lx, sum %#x)\n", tag, ret,
		(unsigned long)(uintptr_t)text, (unsigned long)(uintptr_t)data, word);
	if (bootarg_has(info, "unload-read"))
		word = *text;
	else if (bootarg_has(info, "unload-write"))
		*data = 0;
	else
		code();
	kprintf("%s: unload probe: slot still usable after unload (wrong): %#x\n", tag, word);
}
