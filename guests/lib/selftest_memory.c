/* Self-test probe "touch-memory": writes to every page of the guest's RAM above its heap. */
#include "guest.h"

#define HEAP_BYTES (4UL << 20) /* what selftest.c's heap_setup takes after the stack */
#define REPORT_EVERY (128UL << 20)
/* "touch-late": first wait this long (100 Hz ticks), while another VM may exhaust the host. */
#define LATE_TICKS 1500

void guest_touch_memory(const char *tag, const struct boot_info *info);

/*
 * Under the lazy policy each first write is a stage-2 fault the hypervisor serves from the VM's
 * quota; a VM promised more than the host has (memory-overcommit) is stopped when it runs out.
 */
void guest_touch_memory(const char *tag, const struct boot_info *info)
{
	extern char __stack_top[];
	uintptr_t start = ALIGN_UP((uintptr_t)__stack_top, SZ_2M) + HEAP_BYTES;
	uintptr_t end = info->ram_base + info->ram_size;

	if (bootarg_has(info, "touch-late")) {
		uint64_t until = timer_ticks() + LATE_TICKS;

		kprintf("%s: waiting %u ticks before touching memory\n", tag, LATE_TICKS);
		while (timer_ticks() < until)
			__asm__ volatile("wfi");
	}
	if (start >= end) {
		kprintf("%s: no RAM to touch past the heap\n", tag);
		return;
	}
	kprintf("%s: touching %lu MiB of RAM from %#lx\n", tag, (end - start) >> 20, start);
	for (uintptr_t p = start; p < end; p += PAGE_SIZE) {
		*(volatile uintptr_t *)p = p;
		if (p != start && ((p - start) & (REPORT_EVERY - 1)) == 0)
			kprintf("%s: touched %lu MiB\n", tag, (p - start) >> 20);
	}
	for (uintptr_t p = start; p < end; p += PAGE_SIZE) {
		if (*(volatile uintptr_t *)p != p) {
			kprintf("%s: page %#lx lost its contents\n", tag, p);
			return;
		}
	}
	kprintf("%s: touched all %lu MiB, contents intact\n", tag, (end - start) >> 20);
}
