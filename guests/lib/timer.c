/* The EL1 virtual timer as a periodic tick (PPI 27). */
#include "guest.h"

#define CNTV_CTL_ENABLE 1UL
#define VTIMER_PPI 27

static volatile uint64_t ticks;
static uint64_t period;
static void (*tick_hook)(uint64_t ticks);

static void timer_irq(unsigned intid)
{
	(void)intid;
	__asm__ volatile("msr cntv_tval_el0, %0" ::"r"(period));
	ticks++;
	if (tick_hook)
		tick_hook(ticks);
}

void timer_start(unsigned hz, void (*hook)(uint64_t ticks))
{
	uint64_t freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	period = freq / hz;
	tick_hook = hook;
	gic_enable_irq(VTIMER_PPI, timer_irq);
	__asm__ volatile("msr cntv_tval_el0, %0" ::"r"(period));
	__asm__ volatile("msr cntv_ctl_el0, %0; isb" ::"r"(CNTV_CTL_ENABLE));
}

uint64_t guest_time_ns(void)
{
	uint64_t count, freq;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return count / freq * 1000000000ULL + count % freq * 1000000000ULL / freq;
}

uint64_t timer_ticks(void)
{
	return ticks;
}
