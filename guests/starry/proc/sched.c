/* The scheduler: round-robin over runnable tasks, preempted by the timer tick at user-mode
 * boundaries (the kernel itself is not preemptible), wait queues and timed sleeps. */
#include "signal.h"
#include "task.h"
#include "../sys/syscalls.h"
#include "../fs/fs.h"
#include "../mm/mm.h"
#include "../kmod.h"

void cpu_switch_to(struct cpu_context *prev, struct cpu_context *next);
void fpsimd_save(struct fpsimd_state *st);
void fpsimd_load(const struct fpsimd_state *st);
void task_entry_trampoline(void);
void schedule_tail(void);

static struct task idle_task = {.pid = 0, .comm = "idle", .state = TASK_RUNNABLE};
static struct task *cur = &idle_task;
static struct task *runq_head, *runq_tail;
static bool need_resched;

struct task *current_task(void)
{
	return cur;
}

static void runq_push(struct task *t)
{
	t->next_run = NULL;
	if (runq_tail)
		runq_tail->next_run = t;
	else
		runq_head = t;
	runq_tail = t;
}

static struct task *runq_pop(void)
{
	struct task *t = runq_head;

	if (t) {
		runq_head = t->next_run;
		if (!runq_head)
			runq_tail = NULL;
	}
	return t;
}

void task_make_runnable(struct task *t)
{
	if (t->state == TASK_RUNNABLE || t->state == TASK_ZOMBIE)
		return;
	t->state = TASK_RUNNABLE;
	runq_push(t);
}

void task_start(struct task *t, void (*fn)(void *), void *arg)
{
	t->ctx.x19_x28[0] = (uint64_t)(uintptr_t)fn;
	t->ctx.x19_x28[1] = (uint64_t)(uintptr_t)arg;
	t->ctx.lr = (uint64_t)(uintptr_t)task_entry_trampoline;
	t->ctx.fp = 0;
	t->ctx.sp = (uint64_t)(uintptr_t)t->tf;
	task_make_runnable(t);
}

/* A new task's first run: the task switched out before it may be a dead thread. */
void schedule_tail(void)
{
	task_reap_dead();
}

static void switch_to(struct task *prev, struct task *next)
{
	if (prev->mm) {
		uint64_t tp;

		fpsimd_save(&prev->fp);
		__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
		prev->tpidr_el0 = tp;
	}
	cur = next;
	mm_activate(next->mm);
	if (next->mm) {
		fpsimd_load(&next->fp);
		__asm__ volatile("msr tpidr_el0, %0" ::"r"(next->tpidr_el0));
	}
	cpu_switch_to(&prev->ctx, &next->ctx);
}

void schedule(void)
{
	struct task *prev = cur, *next;

	need_resched = false;
	if (prev != &idle_task && prev->state == TASK_RUNNABLE)
		runq_push(prev);
	next = runq_pop();
	if (!next)
		next = &idle_task;
	if (next != prev) {
		switch_to(prev, next);
		task_reap_dead();
	}
}

static void waitq_remove(struct task *t)
{
	struct waitq *wq = t->waiting;

	if (!wq)
		return;
	for (struct task **pp = &wq->first; *pp; pp = &(*pp)->next_wait)
		if (*pp == t) {
			*pp = t->next_wait;
			break;
		}
	t->waiting = NULL;
	t->next_wait = NULL;
}

void task_wake(struct task *t)
{
	if (t->state != TASK_SLEEPING)
		return;
	waitq_remove(t);
	t->wake_at_ns = 0;
	task_make_runnable(t);
}

static int wait_common(struct waitq *wq, uint64_t deadline_ns)
{
	struct task *t = cur;

	if (signal_pending(t))
		return -ERESTARTSYS;
	t->state = TASK_SLEEPING;
	if (wq) {
		t->waiting = wq;
		t->next_wait = wq->first;
		wq->first = t;
	}
	t->wake_at_ns = deadline_ns;
	schedule();
	waitq_remove(t);
	t->wake_at_ns = 0;
	if (signal_pending(t))
		return -ERESTARTSYS;
	if (deadline_ns && ktime_ns() >= deadline_ns)
		return -EAGAIN;
	return 0;
}

int waitq_wait(struct waitq *wq)
{
	return wait_common(wq, 0);
}

int waitq_wait_until(struct waitq *wq, uint64_t deadline_ns)
{
	return wait_common(wq, deadline_ns ? deadline_ns : 1);
}

void waitq_wake_all(struct waitq *wq)
{
	while (wq->first)
		task_wake(wq->first);
}

static int wake_expired(struct task *t, void *arg)
{
	uint64_t now = *(uint64_t *)arg;

	if (t->state == TASK_SLEEPING && t->wake_at_ns && now >= t->wake_at_ns)
		task_wake(t);
	/* The process's real-time timer; the signal goes to a thread that takes it. */
	if (task_is_leader(t) && t->nthreads && itimer_real_expire(&t->itimer[ITIMER_REAL], now))
		(void)signal_send_process(t, MV_SIGALRM, SI_KERNEL, 0);
	return 0;
}

/* The CPU-time timers of the running process: a tick of user time counts for both, one of
 * system time for the profiling timer only. */
static void charge_cpu_timers(bool user)
{
	struct task *l = cur->leader;

	if (user && itimer_cpu_charge(&l->itimer[ITIMER_VIRTUAL], TICK_NS))
		(void)signal_send_process(l, MV_SIGVTALRM, SI_KERNEL, 0);
	if (itimer_cpu_charge(&l->itimer[ITIMER_PROF], TICK_NS))
		(void)signal_send_process(l, MV_SIGPROF, SI_KERNEL, 0);
}

void sched_tick(bool from_user)
{
	uint64_t now = ktime_ns();

	task_for_each(wake_expired, &now);
	timerfd_tick(now);
	posix_timers_tick(now);
	if (from_user) {
		cur->user_ticks++;
		charge_cpu_timers(true);
		need_resched = true; /* one tick per slice */
	} else if (cur != &idle_task) {
		cur->system_ticks++;
		charge_cpu_timers(false);
	}
}

/* What runs before every return to user mode, interrupts masked. */
void ret_to_user_work(struct trap_frame *tf);
void ret_to_user_work(struct trap_frame *tf)
{
	for (;;) {
		if (need_resched || cur->state != TASK_RUNNABLE) {
			schedule();
			continue;
		}
		/* Most returns have nothing to deliver and no syscall to restart. */
		if (cur->fatal_signal || cur->sig_maybe_pending || cur->mask_saved ||
		    cur->group_stop || (int64_t)tf->x[0] == -ERESTARTSYS)
			signal_deliver(tf);
		if (need_resched || cur->state != TASK_RUNNABLE)
			continue;
		break;
	}
}

__noreturn void sched_run(void)
{
	for (;;) {
		schedule();
		kmod_idle_check();
		/* Nothing to run: sleep until an interrupt, taking it with interrupts unmasked only
		 * here, where no kernel state is half-changed. */
		__asm__ volatile("wfi; msr daifclr, #2; isb; msr daifset, #2" ::: "memory");
	}
}
