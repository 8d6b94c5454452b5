/* The guests' wall clock (CLOCK_REALTIME): the PL031 read once at boot, then the virtual counter.
 */
#include "guest.h"
#include <dev/pl031.h>

#define NSEC_PER_SEC 1000000000ULL

static uint64_t rtc;
/* Wall time minus monotonic time (negative without an RTC); set rarely, read from any CPU. */
static int64_t offset_ns;

static volatile uint32_t *rtc_reg(uint64_t off)
{
	return (volatile uint32_t *)(uintptr_t)(rtc + off);
}

void wallclock_init(uint64_t rtc_base)
{
	uint64_t secs;

	/* Only a PL031 is trusted to hold seconds (its PrimeCell part number). */
	rtc = rtc_base && *(volatile uint32_t *)(uintptr_t)(rtc_base + PL031_PERIPHID0) == 0x31
		  ? rtc_base
		  : 0;
	secs = rtc ? *rtc_reg(PL031_DR) : 0;
	__atomic_store_n(&offset_ns, (int64_t)(secs * NSEC_PER_SEC - guest_time_ns()),
			 __ATOMIC_RELAXED);
}

uint64_t wallclock_ns(void)
{
	return guest_time_ns() + (uint64_t)__atomic_load_n(&offset_ns, __ATOMIC_RELAXED);
}

void wallclock_set_ns(uint64_t ns)
{
	uint64_t secs = ns / NSEC_PER_SEC;

	__atomic_store_n(&offset_ns, (int64_t)(ns - guest_time_ns()), __ATOMIC_RELAXED);
	/* What hwclock --systohc does on Linux: the VM's RTC keeps it across a reset. */
	if (rtc && secs <= UINT32_MAX)
		*rtc_reg(PL031_LR) = (uint32_t)secs;
}

uint64_t wallclock_to_mono(uint64_t rt_ns)
{
	int64_t mono;

	if (rt_ns > (uint64_t)INT64_MAX)
		return UINT64_MAX; /* a saturated "never" stays never */
	mono = (int64_t)rt_ns - __atomic_load_n(&offset_ns, __ATOMIC_RELAXED);
	return mono > 0 ? (uint64_t)mono : 0;
}
