/* POSIX per-process timers (timer_create and friends): SIGEV_SIGNAL, SIGEV_THREAD_ID and
 * SIGEV_NONE on CLOCK_REALTIME, CLOCK_MONOTONIC and CLOCK_BOOTTIME, fired by the 100 Hz tick. */
#include "syscalls.h"
#include "../mm/uaccess.h"
#include "../proc/itimer.h"
#include "../proc/signal.h"
#include "../proc/task.h"
#include <string.h>

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_BOOTTIME 7
#define SIGEV_SIGNAL 0
#define SIGEV_NONE 1
#define SIGEV_THREAD_ID 4
#define SI_TIMER (-2)
#define TIMER_ABSTIME 1
#define TIMERS_PER_PROCESS 64
#define OVERRUN_MAX INT32_MAX /* Linux's DELAYTIMER_MAX */
#define NSEC_PER_SEC 1000000000ULL

/* struct sigevent of arm64: the value, the signal, how to notify, then the thread id. */
struct user_sigevent {
	uint64_t value;
	int32_t signo;
	int32_t notify;
	int32_t tid;
	int32_t pad[11];
};
_Static_assert(sizeof(struct user_sigevent) == 64, "struct sigevent is 64 bytes");

struct user_itimerspec {
	int64_t interval_sec, interval_nsec;
	int64_t value_sec, value_nsec;
};

struct ptimer {
	int id;
	pid_t tgid; /* the owning process */
	pid_t tid;  /* SIGEV_THREAD_ID: the thread to signal */
	int clock;  /* CLOCK_REALTIME or a monotonic one: both tick alike here */
	int notify; /* SIGEV_* */
	int signo;
	uint64_t value;	  /* sigev_value, for si_value */
	struct itimer it; /* absolute monotonic deadline and interval */
	pid_t queued_on;  /* the thread its signal waits on, until delivered; 0: none */
	int overrun;	  /* expiries while the signal was still pending */
	int last_overrun; /* timer_getoverrun: the count of the last delivered signal */
	struct ptimer *next;
};

static struct ptimer *timers;

static struct ptimer *find_timer(pid_t tgid, int id)
{
	for (struct ptimer *t = timers; t; t = t->next)
		if (t->tgid == tgid && t->id == id)
			return t;
	return NULL;
}

static void free_timer(struct ptimer *victim)
{
	for (struct ptimer **pp = &timers; *pp; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			kfree(victim);
			return;
		}
	}
}

void posix_timers_exit(pid_t tgid)
{
	for (struct ptimer **pp = &timers; *pp;) {
		if ((*pp)->tgid == tgid) {
			struct ptimer *t = *pp;

			*pp = t->next;
			kfree(t);
		} else {
			pp = &(*pp)->next;
		}
	}
}

unsigned posix_timers_signalling(void)
{
	unsigned n = 0;

	for (const struct ptimer *t = timers; t; t = t->next)
		n += t->notify != SIGEV_NONE;
	return n;
}

/* Whether the timer's last signal still waits on its thread (not yet delivered). When it
 * went, the overruns counted meanwhile become what timer_getoverrun reports. */
static bool signal_still_queued(struct ptimer *t)
{
	const struct mv_sig_ops *o = signal_ops("timer_create");
	mv_sigset_t pending = 0;

	if (!t->queued_on)
		return false;
	if (o && task_find(t->queued_on) && o->pending((uint32_t)t->queued_on, &pending) == 0 &&
	    (pending & (1ULL << (t->signo - 1))))
		return true;
	t->last_overrun = t->overrun;
	t->overrun = 0;
	t->queued_on = 0;
	return false;
}

/* An expiry: one signal, or one more overrun while the last is still pending. */
static void fire(struct ptimer *t, uint64_t missed)
{
	struct task *p = task_find(t->tgid), *target;
	struct mv_siginfo info;

	if (t->notify == SIGEV_NONE)
		return;
	if (!p || p->state == TASK_ZOMBIE) {
		free_timer(t); /* a process that ended without exiting through the hook */
		return;
	}
	if (signal_still_queued(t)) {
		uint64_t n = (uint64_t)t->overrun + 1 + missed;

		t->overrun = n > OVERRUN_MAX ? OVERRUN_MAX : (int)n;
		return;
	}
	t->overrun = missed > OVERRUN_MAX ? OVERRUN_MAX : (int)missed;
	if (t->notify == SIGEV_THREAD_ID) {
		target = task_find(t->tid);
		if (!target || target->tgid != t->tgid || target->state == TASK_ZOMBIE)
			return; /* that thread is gone: nobody to tell */
	} else {
		target = signal_process_target(p, t->signo);
		if (!target)
			return;
	}
	/* si_timerid, si_overrun and si_value sit where si_pid, si_uid and si_value do. */
	info = (struct mv_siginfo){.signo = t->signo,
				   .code = SI_TIMER,
				   .pid = t->id,
				   .uid = t->overrun,
				   .value = (int64_t)t->value};
	if (signal_send_info(target, &info) == 0)
		t->queued_on = target->pid;
}

void posix_timers_tick(uint64_t now)
{
	for (struct ptimer *t = timers, *next; t; t = next) {
		uint64_t missed = 0;

		next = t->next;
		if (!t->it.value || now < t->it.value)
			continue;
		if (t->it.interval)
			missed = (now - t->it.value) / t->it.interval;
		if (itimer_real_expire(&t->it, now))
			fire(t, missed);
	}
}

SYSCALL(timer_create)
{
	int clock = (int)a->arg[0], id = 0;
	struct user_sigevent ev;
	struct ptimer *t;
	pid_t tgid = current->tgid;

	if (clock != CLOCK_REALTIME && clock != CLOCK_MONOTONIC && clock != CLOCK_BOOTTIME)
		return -EINVAL;
	if (a->arg[1]) {
		if (copy_from_user(&ev, a->arg[1], sizeof(ev)))
			return -EFAULT;
	} else {
		ev = (struct user_sigevent){.signo = MV_SIGALRM, .notify = SIGEV_SIGNAL};
	}
	if (ev.notify == SIGEV_THREAD_ID) {
		struct task *th = task_find(ev.tid);

		if (!th || th->tgid != tgid || th->state == TASK_ZOMBIE)
			return -EINVAL;
	}
	if (ev.notify != SIGEV_SIGNAL && ev.notify != SIGEV_THREAD_ID && ev.notify != SIGEV_NONE)
		return -EINVAL;
	if (ev.notify != SIGEV_NONE && (ev.signo < 1 || ev.signo > MV_NSIG))
		return -EINVAL;
	/* Signals need the signal module: load it now rather than at the first expiry. */
	if (ev.notify != SIGEV_NONE && !signal_ops("timer_create"))
		return -ENOSYS;
	/* The lowest free id, as Linux hands them out to a new process from 0. */
	for (int n = 0;; n++) {
		if (n == TIMERS_PER_PROCESS)
			return -EAGAIN;
		if (!find_timer(tgid, n)) {
			id = n;
			break;
		}
	}
	t = kmalloc(sizeof(*t));
	if (!t)
		return -EAGAIN;
	*t = (struct ptimer){.id = id,
			     .tgid = tgid,
			     .tid = ev.tid,
			     .clock = clock,
			     .notify = ev.notify,
			     .signo = ev.signo,
			     .value = a->arg[1] ? ev.value : (uint64_t)id,
			     .next = timers};
	if (copy_to_user(a->arg[2], &id, sizeof(id))) {
		kfree(t);
		return -EFAULT;
	}
	timers = t;
	return 0;
}

static struct ptimer *timer_of(uint64_t id)
{
	return (int64_t)id < 0 || id > INT32_MAX ? NULL : find_timer(current->tgid, (int)id);
}

static void timer_spec(const struct ptimer *t, struct user_itimerspec *s)
{
	uint64_t left = itimer_left(&t->it, true, ktime_ns());

	s->interval_sec = (int64_t)(t->it.interval / NSEC_PER_SEC);
	s->interval_nsec = (int64_t)(t->it.interval % NSEC_PER_SEC);
	s->value_sec = (int64_t)(left / NSEC_PER_SEC);
	s->value_nsec = (int64_t)(left % NSEC_PER_SEC);
}

SYSCALL(timer_gettime)
{
	struct ptimer *t = timer_of(a->arg[0]);
	struct user_itimerspec s;

	if (!t)
		return -EINVAL;
	timer_spec(t, &s);
	return copy_to_user(a->arg[1], &s, sizeof(s)) ? -EFAULT : 0;
}

static bool bad_ns(int64_t sec, int64_t nsec)
{
	return sec < 0 || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC;
}

SYSCALL(timer_settime)
{
	struct ptimer *t = timer_of(a->arg[0]);
	struct user_itimerspec s, old;
	uint64_t value, now = ktime_ns();

	if (!t)
		return -EINVAL;
	if (!a->arg[2])
		return -EINVAL;
	if (copy_from_user(&s, a->arg[2], sizeof(s)))
		return -EFAULT;
	if (bad_ns(s.value_sec, s.value_nsec) || bad_ns(s.interval_sec, s.interval_nsec))
		return -EINVAL;
	timer_spec(t, &old);
	if (a->arg[3] && copy_to_user(a->arg[3], &old, sizeof(old)))
		return -EFAULT;
	value = timespec_to_ns(s.value_sec, s.value_nsec);
	if (value && (a->arg[1] & TIMER_ABSTIME)) {
		uint64_t clock_now = t->clock == CLOCK_REALTIME ? wallclock_ns() : now;

		/* Converted to the monotonic clock when armed, as clock_nanosleep and timerfd do:
		 * setting the wall clock later does not move the timer. A time already past fires
		 * at the next tick: 1 ns from now. */
		value = value > clock_now ? value - clock_now : 1;
	}
	itimer_set(&t->it, true, value, timespec_to_ns(s.interval_sec, s.interval_nsec), now);
	t->overrun = 0;
	return 0;
}

SYSCALL(timer_getoverrun)
{
	struct ptimer *t = timer_of(a->arg[0]);

	if (!t)
		return -EINVAL;
	(void)signal_still_queued(t);
	return t->last_overrun;
}

SYSCALL(timer_delete)
{
	struct ptimer *t = timer_of(a->arg[0]);

	if (!t)
		return -EINVAL;
	free_timer(t);
	return 0;
}
