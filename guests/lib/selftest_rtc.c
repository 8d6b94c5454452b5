/* Probes of the VM's own PL031 (hyp/vrtc.c): one VM sets its clock (and resets to see it kept),
 * another watches its own. */
#include "guest.h"
#include <dev/pl031.h>

#define NSEC_PER_SEC 1000000000ULL
#define RTC_SET_VALUE 978307200U /* 2001-01-01 00:00:00 UTC */

static uint32_t rtc_read(uint64_t base, uint64_t off)
{
	return *(volatile uint32_t *)(uintptr_t)(base + off);
}

/* The lowest and highest count seen while reading for secs seconds of guest time. */
static void watch(uint64_t base, unsigned secs, uint32_t *lo, uint32_t *hi)
{
	uint64_t end = guest_time_ns() + secs * NSEC_PER_SEC;

	*lo = *hi = rtc_read(base, PL031_DR);
	while (guest_time_ns() < end) {
		uint32_t v = rtc_read(base, PL031_DR);

		*lo = v < *lo ? v : *lo;
		*hi = v > *hi ? v : *hi;
	}
}

void guest_rtc_probes(const char *tag, const struct boot_info *info)
{
	uint64_t base = info->rtc_base;
	uint32_t lo, hi;

	if (!bootarg_has(info, "rtc-set") && !bootarg_has(info, "rtc-watch"))
		return;
	if (!base) {
		kprintf("%s: rtc: none in the device tree\n", tag);
		return;
	}
	kprintf("%s: rtc: id %x %x, reads %u\n", tag, rtc_read(base, PL031_PERIPHID0),
		rtc_read(base, PL031_PERIPHID0 + 0x1c), rtc_read(base, PL031_DR));
	/* Once: after a reset (rtc-reset) the clock must still be the one set. */
	if (bootarg_has(info, "rtc-set") && info->reset_count == 0) {
		*(volatile uint32_t *)(uintptr_t)(base + PL031_LR) = RTC_SET_VALUE;
		watch(base, 3, &lo, &hi);
		kprintf("%s: rtc: set to %u, then read %u..%u\n", tag, RTC_SET_VALUE, lo, hi);
		if (bootarg_has(info, "rtc-reset")) {
			kprintf("%s: rtc: asking for a reset\n", tag);
			psci_system_reset();
		}
	}
	if (bootarg_has(info, "rtc-watch")) {
		watch(base, 5, &lo, &hi);
		kprintf("%s: rtc: watched %u..%u\n", tag, lo, hi);
	}
}
