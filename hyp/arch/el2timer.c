/* The EL2 physical timer multiplexed between the scheduler and device watchdogs, per CPU. */
#include "arch/el2timer.h"
#include "arch/asm_offsets.h"
#include "arch/sysregs.h"
#include "cpu.h"
#include <stdbool.h>

/* Zero-initialised: nothing armed. */
struct el2timer {
	uint64_t sched, watchdog;
	bool sched_on, watchdog_on;
};

static struct el2timer timers[HYP_MAX_CPUS];

static void program(const struct el2timer *t)
{
	uint64_t at = EL2TIMER_OFF;

	if (t->sched_on)
		at = t->sched;
	if (t->watchdog_on && t->watchdog < at)
		at = t->watchdog;
	if (at == EL2TIMER_OFF) {
		write_sysreg(0, cnthp_ctl_el2);
	} else {
		write_sysreg(at, cnthp_cval_el2);
		write_sysreg(1, cnthp_ctl_el2); /* enabled, not masked */
	}
	isb();
}

void el2timer_set_sched(uint64_t deadline)
{
	struct el2timer *t = &timers[cpu_index()];

	t->sched = deadline;
	t->sched_on = deadline != EL2TIMER_OFF;
	program(t);
}

void el2timer_set_watchdog(uint64_t deadline)
{
	struct el2timer *t = &timers[cpu_index()];

	t->watchdog = deadline;
	t->watchdog_on = deadline != EL2TIMER_OFF;
	program(t);
}
