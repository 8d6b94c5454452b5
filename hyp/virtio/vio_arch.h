/* The few AArch64 instructions the virtio code needs: barriers, MMIO accessors, the counter. */
#ifndef HYP_VIRTIO_VIO_ARCH_H
#define HYP_VIRTIO_VIO_ARCH_H

#include <stdint.h>
#include "arch/el2timer.h"
#include "arch/sysregs.h"

/* Ring writes must be visible to the device (or the guest) before the index that publishes
 * them, and before the notify that tells it to look. */
static inline void vio_wmb(void)
{
	dsb(st);
}

/* An index must be read before the ring entries it announces. */
static inline void vio_rmb(void)
{
	dsb(ld);
}

static inline void vio_mb(void)
{
	dsb(sy);
}

static inline uint32_t vio_read32(uint64_t base, unsigned off)
{
	return *(volatile uint32_t *)(uintptr_t)(base + off);
}

static inline void vio_write32(uint64_t base, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(uintptr_t)(base + off) = v;
}

/* The generic timer's physical count and frequency, for time-bounded polling. */
static inline uint64_t vio_ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static inline uint64_t vio_ticks_per_sec(void)
{
	return read_sysreg(cntfrq_el0);
}

/* Sleeps until an interrupt is pending (taken or not: EL2 runs with IRQs masked). */
static inline void vio_wait_for_interrupt(void)
{
	dsb(sy);
	wfi();
}

/* The EL2 physical timer (PPI 26) wakes a waiting CPU at `deadline` ticks at the latest. */
static inline void vio_watchdog_arm(uint64_t deadline)
{
	el2timer_set_watchdog(deadline); /* shared with the scheduler's slices */
}

static inline void vio_watchdog_disarm(void)
{
	el2timer_set_watchdog(EL2TIMER_OFF);
}

#endif /* HYP_VIRTIO_VIO_ARCH_H */
