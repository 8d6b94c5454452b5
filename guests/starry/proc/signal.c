/* Signals: the kernel's side of the signal module (loaded on first use), and the AArch64
 * signal frame: built on the user stack before a handler, read back by rt_sigreturn. */
#include <string.h>
#include "process.h"
#include "signal.h"
#include "sigframe.h"
#include "../kmod.h"
#include "../mm/mm.h"
#include "../mm/uaccess.h"
#include "../sys/syscalls.h"

void fpsimd_save(struct fpsimd_state *st);
void fpsimd_load(const struct fpsimd_state *st);

#define SA_RESTORER 0x04000000U
#define PSTATE_NZCV 0xf0000000ULL
#define WCOREFLAG 0x80

/* The module's record, looked up by name only once: it is asked on every return to user mode
 * and every time the kernel goes idle. */
static struct gmod *sigmod(void)
{
	static struct gmod *m;

	if (!m)
		m = kmod_get("signal");
	return m;
}

static const struct mv_sig_ops *ops(void)
{
	const struct gmod *m = sigmod();

	return m->desc ? m->ops : NULL;
}

static int create_one(struct task *t, void *arg)
{
	const struct mv_sig_ops *o = arg;

	if (t->state != TASK_ZOMBIE)
		(void)o->task_create((uint32_t)t->pid);
	return 0;
}

const struct mv_sig_ops *signal_ops(const char *what)
{
	struct gmod *m = sigmod();

	if (!m->desc) {
		if (kmod_load_on_miss(m, what) != 0)
			return NULL;
		/* Tasks created before the module came (or since its idle unload) get their
		 * initial signal state now: all an unload dropped, since it waits for that. */
		task_for_each(create_one, (void *)(uintptr_t)m->ops);
	}
	modidle_touch(&m->idle, ktime_ns());
	return m->ops;
}

/* A module older than 1.1 cannot say what an unload would lose: it is never unloaded. */
static bool knows_busy(const struct mv_sig_ops *o)
{
	return o->size >= offsetof(struct mv_sig_ops, task_busy) + sizeof(o->task_busy) &&
	       o->task_busy;
}

/* signal_users' walk over the tasks: the module asked, and the threads that pin it. */
struct user_count {
	const struct mv_sig_ops *o;
	unsigned n;
};

static int count_user(struct task *t, void *arg)
{
	struct user_count *c = arg;

	if (t->state == TASK_ZOMBIE)
		return 0;
	/* A waiter keeps a mask to put back (sigsuspend, ppoll) or a set it waits for. */
	if (t->mask_saved || t->sigwait_set || c->o->task_busy((uint32_t)t->pid) != 0)
		c->n++;
	return 0;
}

unsigned signal_users(void)
{
	struct user_count c = {ops(), 0};

	if (!c.o)
		return 0;
	if (!knows_busy(c.o))
		return 1;
	task_for_each(count_user, &c);
	return c.n + posix_timers_signalling();
}

#define IDLE_RESCAN_NS 1000000000ULL /* how often a due but pinned module is looked at again */

void signal_idle(uint64_t now)
{
	static uint64_t next_look;
	struct gmod *m = sigmod();
	uint64_t wait;

	if (!m->desc || now < next_look)
		return;
	/* First the clock alone: the scan of every task waits until it could matter. */
	wait = modidle_unused_left_ns(&m->idle, now, gmod_idle_ns);
	if (wait) {
		next_look = now + wait;
		return;
	}
	if (signal_users()) {
		next_look = now + IDLE_RESCAN_NS;
		return;
	}
	if (gmod_unload_idle(m, KTAG) != 0)
		modidle_touch(&m->idle, now); /* e.g. another module needs it: not before long */
	next_look = 0;
}

static bool default_ignored(int sig)
{
	return sig == MV_SIGCHLD || sig == MV_SIGURG || sig == MV_SIGWINCH || sig == MV_SIGCONT;
}

static bool default_core(int sig)
{
	return sig == MV_SIGQUIT || sig == MV_SIGILL || sig == MV_SIGTRAP || sig == MV_SIGABRT ||
	       sig == MV_SIGBUS || sig == MV_SIGFPE || sig == MV_SIGSEGV || sig == MV_SIGXCPU ||
	       sig == MV_SIGXFSZ || sig == MV_SIGSYS;
}

#define CLD_STOPPED 5
#define CLD_CONTINUED 6

/* A child stopped or continued: its parent hears SIGCHLD and wait4 may report it. */
static void notify_parent(struct task *t, int code, int sig)
{
	struct task *l = t->leader;

	if (!l->parent)
		return;
	signal_send_process(l->parent, MV_SIGCHLD, code, sig);
	waitq_wake_all(l->parent->child_wait);
}

/* True if a stop signal stopped t's group and no SIGCONT has resumed it yet. */
static bool group_stopped(struct task *t)
{
	for (struct task *th = thread_next(t, NULL); th; th = thread_next(t, th))
		if (th->state == TASK_STOPPED || th->group_stop)
			return true;
	return false;
}

/* SIGCONT or SIGKILL: every thread of a stopped group runs again. */
static void resume_group(struct task *t)
{
	for (struct task *th = thread_next(t, NULL); th; th = thread_next(t, th)) {
		th->group_stop = false;
		if (th->state == TASK_STOPPED) {
			th->state = TASK_SLEEPING;
			task_wake(th);
		}
	}
}

/* Stops every thread of t's group: t now, the others on their way back to user mode (a
 * sleeping one is woken: its call restarts once the group continues). */
static void stop_group(struct task *t, int sig)
{
	struct task *l = t->leader;

	for (struct task *th = thread_next(t, NULL); th; th = thread_next(t, th)) {
		th->group_stop = th != t;
		if (th != t)
			task_wake(th);
	}
	t->state = TASK_STOPPED;
	l->stop_signal = sig;
	l->report_stop = true;
	l->report_cont = false;
	notify_parent(t, CLD_STOPPED, sig);
}

void signal_sync_action(struct task *t, int sig)
{
	const struct mv_sig_ops *o = ops();
	struct mv_sigaction act;

	if (!o || o->sigaction((uint32_t)t->pid, sig, NULL, &act) < 0)
		return;
	for (struct task *th = thread_next(t, NULL); th; th = thread_next(t, th))
		if (th != t)
			(void)o->sigaction((uint32_t)th->pid, sig, &act, NULL);
}

struct task *signal_process_target(struct task *p, int sig)
{
	const struct mv_sig_ops *o = ops();
	struct task *target = NULL;
	mv_sigset_t bit = 1ULL << (sig - 1);

	/* Like Linux's choice of a thread for a process-directed signal: the first that does
	 * not block it (the leader first), else the first. */
	for (struct task *th = thread_next(p, NULL); th; th = thread_next(p, th)) {
		mv_sigset_t mask = 0;

		if (!target)
			target = th;
		/* A thread in sigwait for it counts as taking it, as on Linux. */
		if (!o || (th->sigwait_set & bit) ||
		    (o->sigprocmask((uint32_t)th->pid, MV_SIG_BLOCK, NULL, &mask) == 0 &&
		     !(mask & bit))) {
			target = th;
			break;
		}
	}
	return target;
}

int signal_send_process(struct task *p, int sig, int code, int64_t value)
{
	struct task *target = signal_process_target(p, sig);

	return target ? signal_send(target, sig, code, value) : 0;
}

int signal_send(struct task *t, int sig, int code, int64_t value)
{
	struct mv_siginfo info = {.signo = sig, .code = code, .pid = current->tgid, .value = value};

	return signal_send_info(t, &info);
}

int signal_send_info(struct task *t, const struct mv_siginfo *info)
{
	const struct mv_sig_ops *o = ops();
	int sig = info->signo;
	int ret;

	if (t->state == TASK_ZOMBIE)
		return 0;
	if (!o) {
		/* No program has touched signals yet, so every action is the default and nothing
		 * is blocked: apply the default here rather than load the module for it. */
		if (default_ignored(sig) || sig == MV_SIGSTOP || sig == MV_SIGTSTP ||
		    sig == MV_SIGTTIN || sig == MV_SIGTTOU)
			return 0;
		if (!t->fatal_signal)
			t->fatal_signal = sig | (default_core(sig) ? WCOREFLAG : 0);
		task_wake(t);
		return 0;
	}
	ret = o->kill((uint32_t)t->pid, sig, info);
	if (ret < 0)
		return ret;
	modidle_touch(&sigmod()->idle, ktime_ns());
	t->sig_maybe_pending = true;
	if ((sig == MV_SIGCONT || sig == MV_SIGKILL) && group_stopped(t)) {
		resume_group(t);
		if (sig == MV_SIGCONT) {
			t->leader->report_stop = false;
			t->leader->report_cont = true;
			notify_parent(t, CLD_CONTINUED, MV_SIGCONT);
		}
	}
	if (signal_pending(t) || (t->sigwait_set & (1ULL << (sig - 1)))) {
		task_wake(t);
	}
	return 0;
}

int signal_force(struct task *t, int sig, int code, int64_t value)
{
	const struct mv_sig_ops *o = ops();
	mv_sigset_t mask = 0, bit = 1ULL << (sig - 1);
	struct mv_sigaction act;
	uint32_t tid = (uint32_t)t->pid;

	/* As Linux forces a fault signal: a blocked or ignored one is unblocked and goes back to
	 * its default action, since returning to the faulting instruction would fault again. */
	if (o && o->sigaction(tid, sig, NULL, &act) == 0 &&
	    o->sigprocmask(tid, MV_SIG_BLOCK, NULL, &mask) == 0 &&
	    ((mask & bit) || act.handler == MV_SIG_IGN)) {
		act.handler = MV_SIG_DFL;
		(void)o->sigaction(tid, sig, &act, NULL);
		signal_sync_action(t, sig);
		(void)o->sigprocmask(tid, MV_SIG_UNBLOCK, &bit, NULL);
	}
	return signal_send(t, sig, code, value);
}

bool signal_pending(struct task *t)
{
	const struct mv_sig_ops *o = ops();
	mv_sigset_t pending = 0, mask = 0;

	if (t->fatal_signal || t->group_stop)
		return true;
	if (!o || !t->sig_maybe_pending)
		return false;
	if (o->pending((uint32_t)t->pid, &pending) < 0 ||
	    o->sigprocmask((uint32_t)t->pid, MV_SIG_BLOCK, NULL, &mask) < 0)
		return false;
	return (pending & ~mask) != 0;
}

/* A task's fork, exec or exit changes what pins the module, like a close for a filesystem:
 * the idle time counts from there. */
static const struct mv_sig_ops *ops_for_lifecycle(void)
{
	const struct mv_sig_ops *o = ops();

	if (o)
		modidle_touch(&sigmod()->idle, ktime_ns());
	return o;
}

void signal_task_fork(struct task *parent, struct task *child)
{
	const struct mv_sig_ops *o = ops_for_lifecycle();

	if (o && o->task_fork((uint32_t)parent->pid, (uint32_t)child->pid) < 0)
		(void)o->task_create((uint32_t)child->pid);
}

void signal_task_exec(struct task *t)
{
	const struct mv_sig_ops *o = ops_for_lifecycle();

	if (o)
		(void)o->task_exec((uint32_t)t->pid);
}

#define SA_NOCLDWAIT 0x00000002U

bool signal_no_zombies(struct task *parent)
{
	const struct mv_sig_ops *o = ops();
	struct mv_sigaction act;

	/* Without the module no program has changed SIGCHLD's action from the default. */
	return o && o->sigaction((uint32_t)parent->pid, MV_SIGCHLD, NULL, &act) == 0 &&
	       (act.handler == MV_SIG_IGN || (act.flags & SA_NOCLDWAIT));
}

void signal_task_rekey(pid_t from, pid_t to)
{
	const struct mv_sig_ops *o = ops();

	if (o && o->task_fork((uint32_t)from, (uint32_t)to) == 0)
		(void)o->task_exit((uint32_t)from);
}

void signal_task_exit(struct task *t)
{
	const struct mv_sig_ops *o = ops_for_lifecycle();

	if (o)
		(void)o->task_exit((uint32_t)t->pid);
}

static void fill_siginfo(struct user_siginfo *si, const struct mv_siginfo *info)
{
	memset(si, 0, sizeof(*si));
	si->signo = info->signo;
	si->code = info->code;
	if (info->signo == MV_SIGSEGV || info->signo == MV_SIGBUS || info->signo == MV_SIGILL ||
	    info->signo == MV_SIGTRAP || info->signo == MV_SIGFPE) {
		si->u.addr = (uint64_t)info->value;
	} else if (info->signo == MV_SIGCHLD) {
		int status = (int)info->value;

		si->u.chld.pid = info->pid;
		si->u.chld.status = (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff;
	} else {
		si->u.kill.pid = info->pid;
		si->u.kill.uid = info->uid;
		si->u.kill.value = (uint64_t)info->value;
	}
}

int signal_copy_siginfo(uint64_t uaddr, const struct mv_siginfo *info)
{
	struct user_siginfo si;

	fill_siginfo(&si, info);
	return copy_to_user(uaddr, &si, sizeof(si)) ? -EFAULT : 0;
}

/* The lowest of a set, in the module's order: SIGKILL and SIGSTOP first, then by number. */
static int first_signal(mv_sigset_t set)
{
	if (set & (1ULL << (MV_SIGKILL - 1)))
		return MV_SIGKILL;
	if (set & (1ULL << (MV_SIGSTOP - 1)))
		return MV_SIGSTOP;
	return __builtin_ctzll(set) + 1;
}

int signal_take(struct task *t, mv_sigset_t set, struct mv_siginfo *info)
{
	const struct mv_sig_ops *o = ops();
	struct mv_sigaction saved, taker = {.handler = 2 /* any address: "caught" */};
	mv_sigset_t pending, mask, only;
	struct mv_sigdelivery d;
	uint32_t tid = (uint32_t)t->pid;
	int sig, r;

	if (!o || o->pending(tid, &pending) < 0 || o->sigprocmask(tid, MV_SIG_BLOCK, NULL, &mask))
		return 0;
	/* SIGKILL and SIGSTOP pending go first, to their own delivery. */
	if (!(pending & set) || first_signal(pending) == MV_SIGKILL ||
	    first_signal(pending) == MV_SIGSTOP)
		return 0;
	sig = first_signal(pending & set);
	/* The module dequeues only deliverable signals and drops those whose default is to be
	 * ignored; so for the call, sig alone is unblocked and caught. */
	only = ~(1ULL << (sig - 1));
	if (o->sigaction(tid, sig, NULL, &saved) < 0)
		return 0;
	(void)o->sigaction(tid, sig, &taker, NULL);
	(void)o->sigprocmask(tid, MV_SIG_SETMASK, &only, NULL);
	r = o->dequeue(tid, &d);
	(void)o->sigprocmask(tid, MV_SIG_SETMASK, &mask, NULL);
	(void)o->sigaction(tid, sig, &saved, NULL);
	if (r <= 0 || d.signo != sig)
		return 0;
	*info = d.info;
	info->signo = sig;
	return sig;
}

static bool on_altstack(const struct task *t, uint64_t sp)
{
	return t->altstack_size && sp > t->altstack_sp && sp <= t->altstack_sp + t->altstack_size;
}

/* Builds the frame a handler runs on; false when the user stack cannot take it. */
static bool setup_frame(struct task *t, struct trap_frame *tf, const struct mv_sigdelivery *d)
{
	struct rt_sigframe *f = kmalloc_aligned(sizeof(*f), 16);
	uint64_t sp = tf->sp, frame, record[2];
	struct fpsimd_context *fp;
	bool ok;

	if (!f)
		return false;
	if ((d->action.flags & MV_SA_ONSTACK) && t->altstack_size && !on_altstack(t, sp))
		sp = t->altstack_sp + t->altstack_size;
	frame = (sp - sizeof(*f) - sizeof(record)) & ~15ULL;
	memset(f, 0, sizeof(*f));
	fill_siginfo(&f->info, &d->info);
	f->uc.stack.sp = t->altstack_sp;
	f->uc.stack.size = t->altstack_size;
	f->uc.stack.flags = t->altstack_size ? (on_altstack(t, tf->sp) ? 1 : 0) : 2;
	f->uc.sigmask = t->mask_saved ? t->saved_mask : d->mask_before;
	t->mask_saved = false;
	f->uc.mcontext.fault_address = f->info.u.addr;
	memcpy(f->uc.mcontext.regs, tf->x, sizeof(tf->x));
	f->uc.mcontext.sp = tf->sp;
	f->uc.mcontext.pc = tf->pc;
	f->uc.mcontext.pstate = tf->pstate;
	fp = (struct fpsimd_context *)(void *)f->uc.mcontext.reserved;
	fpsimd_save(&t->fp);
	fp->head.magic = FPSIMD_MAGIC;
	fp->head.size = sizeof(*fp);
	fp->fpsr = t->fp.fpsr;
	fp->fpcr = t->fp.fpcr;
	memcpy(fp->vregs, t->fp.v, sizeof(fp->vregs));
	/* The frame record makes the handler's backtrace continue into the interrupted code. */
	record[0] = tf->x[29];
	record[1] = tf->pc;
	ok = copy_to_user(frame, f, sizeof(*f)) == 0 &&
	     copy_to_user(frame + sizeof(*f), record, sizeof(record)) == 0;
	kfree(f);
	if (!ok)
		return false;
	tf->x[0] = (uint64_t)d->signo;
	tf->x[1] = frame + offsetof(struct rt_sigframe, info);
	tf->x[2] = frame + offsetof(struct rt_sigframe, uc);
	tf->x[29] = frame + sizeof(*f);
	tf->x[30] = (d->action.flags & SA_RESTORER) ? d->action.restorer : USER_SIGTRAMP;
	tf->sp = frame;
	tf->pc = d->action.handler;
	tf->pstate &= PSTATE_NZCV;
	return true;
}

void signal_deliver(struct trap_frame *tf)
{
	struct task *t = current;
	const struct mv_sig_ops *o = ops();
	bool in_syscall = tf->syscallno != (uint64_t)-1 && (int64_t)tf->x[0] == -ERESTARTSYS;
	struct mv_sigdelivery d;

	if (t->fatal_signal)
		do_group_exit(t->fatal_signal);
	if (t->group_stop) {
		/* Another thread of the group took a stop signal. */
		t->group_stop = false;
		t->state = TASK_STOPPED;
		if (in_syscall) {
			tf->x[0] = tf->orig_x0;
			tf->pc -= 4;
			tf->syscallno = (uint64_t)-1;
		}
		return;
	}
	while (o && t->sig_maybe_pending && t->state == TASK_RUNNABLE) {
		int r = o->dequeue((uint32_t)t->pid, &d);

		if (r <= 0) {
			t->sig_maybe_pending = false;
			break;
		}
		switch (d.disposition) {
		case MV_SIG_TERMINATE:
			do_group_exit(d.signo | (d.core ? WCOREFLAG : 0));
		case MV_SIG_STOP:
			stop_group(t, d.signo);
			return; /* the return path schedules away; we come back on SIGCONT */
		case MV_SIG_CONTINUE:
			continue;
		case MV_SIG_RUN_HANDLER:
		default:
			if (d.action.flags & MV_SA_RESETHAND)
				signal_sync_action(t, d.signo); /* the reset holds for the group */
			if (in_syscall) {
				if (d.action.flags & MV_SA_RESTART) {
					tf->x[0] = tf->orig_x0;
					tf->pc -= 4;
				} else {
					tf->x[0] = (uint64_t)-EINTR;
				}
				tf->syscallno = (uint64_t)-1;
			}
			if (!setup_frame(t, tf, &d)) {
				kprintf(KTAG ": pid %d (%s): no room for a signal frame at %#lx\n",
					t->pid, t->comm, (unsigned long)tf->sp);
				do_group_exit(MV_SIGSEGV | WCOREFLAG);
			}
			return;
		}
	}
	if (t->mask_saved && o) {
		(void)o->sigprocmask((uint32_t)t->pid, MV_SIG_SETMASK, &t->saved_mask, NULL);
		t->mask_saved = false;
	}
	if (in_syscall) {
		/* Interrupted, but no handler ran: the call starts again. */
		tf->x[0] = tf->orig_x0;
		tf->pc -= 4;
		tf->syscallno = (uint64_t)-1;
	}
}

long signal_return(struct trap_frame *tf)
{
	struct task *t = current;
	const struct mv_sig_ops *o = ops();
	struct rt_sigframe *f = kmalloc_aligned(sizeof(*f), 16);
	const struct fpsimd_context *fp;
	mv_sigset_t mask;

	if (!f || copy_from_user(f, tf->sp, sizeof(*f)) != 0) {
		kfree(f);
		kprintf(KTAG ": pid %d (%s): bad signal frame at %#lx\n", t->pid, t->comm,
			(unsigned long)tf->sp);
		do_group_exit(MV_SIGSEGV | WCOREFLAG);
	}
	memcpy(tf->x, f->uc.mcontext.regs, sizeof(tf->x));
	tf->sp = f->uc.mcontext.sp;
	tf->pc = f->uc.mcontext.pc;
	/* Only the condition flags come back: the frame must not raise the exception level or
	 * mask interrupts. */
	tf->pstate = f->uc.mcontext.pstate & PSTATE_NZCV;
	tf->syscallno = (uint64_t)-1;
	fp = (const struct fpsimd_context *)(const void *)f->uc.mcontext.reserved;
	if (fp->head.magic == FPSIMD_MAGIC && fp->head.size == sizeof(*fp)) {
		t->fp.fpsr = fp->fpsr;
		t->fp.fpcr = fp->fpcr;
		memcpy(t->fp.v, fp->vregs, sizeof(t->fp.v));
		fpsimd_load(&t->fp);
	}
	mask = f->uc.sigmask;
	kfree(f);
	if (o)
		(void)o->sigprocmask((uint32_t)t->pid, MV_SIG_SETMASK, &mask, NULL);
	t->sig_maybe_pending = true;
	return (long)tf->x[0];
}
