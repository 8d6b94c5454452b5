/* The scheduler on the physical CPUs: run-queue locks, the EL2 timer, WFI yields, wake-ups and
 * vCPU switches around the pure decisions of sched.c. */
#include "vsched.h"
#include "arch/asm_offsets.h"
#include "arch/context.h"
#include "arch/el2timer.h"
#include "arch/gic_hw.h"
#include "arch/sysregs.h"
#include "cpu.h"
#include "sched_rq.h"
#include "spinlock.h"
#include "vcpu.h"
#include "vgic.h"
#include "vm.h"
#include <mv_compiler.h>

#define CNTV_CTL_ENABLE (1ULL << 0)
#define CNTV_CTL_IMASK (1ULL << 1)
#define CNTV_CTL_ISTATUS (1ULL << 2)

_Static_assert(SCHED_NEVER == EL2TIMER_OFF, "no deadline means the timer is off");

struct cpu_sched {
	struct spinlock lock; /* the run queue; taken inside a VM's lock, never around one */
	struct sched_rq rq;
	bool used; /* some vCPU has this CPU's affinity */
};

static struct cpu_sched cpu_scheds[HYP_MAX_CPUS];

static uint64_t now(void)
{
	return read_sysreg(cntpct_el0);
}

static struct vcpu *vcpu_of(struct sched_entity *se)
{
	return se ? container_of(se, struct vcpu, se) : NULL;
}

/* The EL2 timer of this CPU (a shared one) for its next decision; caller holds the lock. */
static void arm(struct cpu_sched *cs)
{
	el2timer_set_sched(sched_next_event(&cs->rq));
}

void vsched_attach(struct vcpu *vcpu, unsigned slice_ms)
{
	struct cpu_sched *cs = &cpu_scheds[vcpu->pcpu];

	/* At boot, on the boot CPU alone: the first VM's slice is the scenario's slice. */
	if (!cs->used) {
		cs->lock = (struct spinlock)SPINLOCK_INIT;
		sched_rq_init(&cs->rq, read_sysreg(cntfrq_el0) / 1000 * slice_ms);
		cs->used = true;
	}
	sched_add_member(&cs->rq, &vcpu->se);
}

bool vsched_cpu_shared(unsigned pcpu)
{
	return sched_is_shared(&cpu_scheds[pcpu].rq);
}

bool vsched_ready(struct vcpu *vcpu)
{
	struct cpu_sched *cs = &cpu_scheds[vcpu->pcpu];
	bool idle;

	spin_lock(&cs->lock);
	idle = sched_wake(&cs->rq, &vcpu->se);
	spin_unlock(&cs->lock);
	return idle;
}

void vsched_kick(struct vcpu *vcpu)
{
	struct cpu_sched *cs = &cpu_scheds[vcpu->pcpu];
	bool kick;

	if (!sched_is_shared(&cs->rq)) {
		/* Pinned: it runs, or its VM is down; a running one rescans on the kick. */
		kick = vcpu->state == VCPU_RUNNABLE;
	} else {
		spin_lock(&cs->lock);
		if (vcpu->se.state == SCHED_BLOCKED)
			sched_wake(&cs->rq, &vcpu->se);
		/* An idle CPU picks it up at once; one running it rescans its interrupts; one
		 * running another vCPU gets to it when that one's slice ends. */
		kick = !cs->rq.current || cs->rq.current == &vcpu->se;
		spin_unlock(&cs->lock);
	}
	if (kick && vcpu->pcpu != cpu_index())
		gic_hw_send_sgi(cpu_mpidr(vcpu->pcpu), GIC_SGI_KICK);
}

/* Leaves `prev` for `next` (NULL: idle). Its registers are all in memory afterwards, so a CPU
 * that stops or resets its VM need not wait for this one (parked). */
static __noreturn void switch_to(struct vcpu *prev, struct vcpu *next)
{
	ctx_save(&prev->ctx);
	prev->ctx_saved = true;
	__atomic_store_n(&prev->parked, true, __ATOMIC_RELEASE);
	if (next)
		vcpu_run(next);
	cpu_park_idle();
}

void vsched_wfi(struct vcpu *vcpu)
{
	struct cpu_sched *cs = &cpu_scheds[vcpu->pcpu];
	uint64_t ctl, wake_at = SCHED_NEVER, t;
	struct vcpu *next;
	bool pending;

	if (!sched_is_shared(&cs->rq)) {
		/* Nothing else is pinned here: wait for a physical interrupt in place, unless the
		 * vCPU already has one to take. */
		if (!vgic_has_pending(vcpu))
			wfi();
		return;
	}
	ctl = read_sysreg(cntv_ctl_el0);
	if ((ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE) {
		if (ctl & CNTV_CTL_ISTATUS)
			return; /* its timer fires now: the interrupt is on its way */
		wake_at = read_sysreg(cntv_cval_el0);
	}
	spin_lock(&cs->lock);
	/* Under the lock: an interrupt injected from now on finds it blocked and wakes it. */
	pending = READ_ONCE(vcpu->vgic.dirty) || vgic_has_pending(vcpu);
	t = now();
	if (sched_wfi(&cs->rq, &vcpu->se, pending, wake_at, t) != SCHED_WFI_YIELD) {
		spin_unlock(&cs->lock);
		return;
	}
	next = vcpu_of(sched_pick(&cs->rq, t));
	arm(cs);
	spin_unlock(&cs->lock);
	switch_to(vcpu, next);
}

void vsched_timer_irq(void)
{
	/* Level-sensitive: the line must drop before the interrupt is deactivated. The decision
	 * that follows (vsched_tick or the idle loop) sets the next deadline. */
	el2timer_set_sched(EL2TIMER_OFF);
}

void vsched_tick(struct vcpu *cur)
{
	struct cpu_sched *cs = &cpu_scheds[cur->pcpu];
	struct vcpu *next = cur;
	uint64_t t;

	spin_lock(&cs->lock);
	t = now();
	sched_wake_expired(&cs->rq, t);
	/* A vCPU being stopped or reset is parked by the trap's tail instead. */
	if (cur->state == VCPU_RUNNABLE && cs->rq.current == &cur->se)
		next = vcpu_of(sched_pick(&cs->rq, t));
	if (sched_is_shared(&cs->rq))
		arm(cs);
	spin_unlock(&cs->lock);
	if (next != cur)
		switch_to(cur, next);
}

void vsched_drop(struct vcpu *vcpu)
{
	struct cpu_sched *cs = &cpu_scheds[vcpu->pcpu];

	spin_lock(&cs->lock);
	sched_remove(&cs->rq, &vcpu->se, now());
	spin_unlock(&cs->lock);
}

struct vcpu *vsched_next(void)
{
	struct cpu_sched *cs = &cpu_scheds[cpu_index()];
	struct sched_entity *se;
	uint64_t t;

	if (!cs->used)
		return NULL;
	spin_lock(&cs->lock);
	t = now();
	sched_wake_expired(&cs->rq, t);
	se = sched_pick(&cs->rq, t);
	if (sched_is_shared(&cs->rq))
		arm(cs);
	spin_unlock(&cs->lock);
	return vcpu_of(se);
}
