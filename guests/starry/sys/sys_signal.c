/* Signal syscalls: each goes to the signal module, which the first one loads. */
#include "syscalls.h"
#include "../mm/uaccess.h"
#include "../proc/signal.h"
#include "../proc/task.h"

#define SI_TKILL (-6)
#define SS_ONSTACK 1
#define SS_DISABLE 2
#define MINSIGSTKSZ 5120

/* struct sigaction as the arm64 kernel takes it. */
struct user_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask;
};

struct user_stack_t {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

static bool valid_signal(uint64_t sig)
{
	return sig >= 1 && sig <= MV_NSIG;
}

SYSCALL(rt_sigaction)
{
	const struct mv_sig_ops *o;
	struct user_sigaction uact, uold;
	struct mv_sigaction act, old;
	int ret;

	if (a->arg[3] != sizeof(mv_sigset_t))
		return -EINVAL;
	if (!valid_signal(a->arg[0]))
		return -EINVAL;
	if (a->arg[1] && copy_from_user(&uact, a->arg[1], sizeof(uact)))
		return -EFAULT;
	o = signal_ops("rt_sigaction");
	if (!o)
		return -ENOSYS;
	act.handler = uact.handler;
	act.flags = (uint32_t)uact.flags;
	act.mask = uact.mask;
	act.restorer = uact.restorer;
	ret = o->sigaction((uint32_t)current->pid, (int)a->arg[0], a->arg[1] ? &act : NULL, &old);
	if (ret < 0)
		return ret;
	if (a->arg[1])
		signal_sync_action(current, (int)a->arg[0]);
	if (a->arg[2]) {
		uold.handler = old.handler;
		uold.flags = old.flags;
		uold.mask = old.mask;
		uold.restorer = old.restorer;
		if (copy_to_user(a->arg[2], &uold, sizeof(uold)))
			return -EFAULT;
	}
	current->sig_maybe_pending = true;
	return 0;
}

SYSCALL(rt_sigprocmask)
{
	const struct mv_sig_ops *o;
	mv_sigset_t set, old;
	int ret;

	if (a->arg[3] != sizeof(mv_sigset_t))
		return -EINVAL;
	if (a->arg[1] && copy_from_user(&set, a->arg[1], sizeof(set)))
		return -EFAULT;
	o = signal_ops("rt_sigprocmask");
	if (!o)
		return -ENOSYS;
	ret = o->sigprocmask((uint32_t)current->pid, (int)a->arg[0], a->arg[1] ? &set : NULL, &old);
	if (ret < 0)
		return ret;
	if (a->arg[2] && copy_to_user(a->arg[2], &old, sizeof(old)))
		return -EFAULT;
	current->sig_maybe_pending = true;
	return 0;
}

SYSCALL(rt_sigpending)
{
	const struct mv_sig_ops *o;
	mv_sigset_t set, mask;
	int ret;

	if (a->arg[1] != sizeof(mv_sigset_t))
		return -EINVAL;
	o = signal_ops("rt_sigpending");
	if (!o)
		return -ENOSYS;
	ret = o->pending((uint32_t)current->pid, &set);
	if (ret == 0)
		ret = o->sigprocmask((uint32_t)current->pid, MV_SIG_BLOCK, NULL, &mask);
	if (ret < 0)
		return ret;
	set &= mask; /* pending and blocked, as sigpending(2) says */
	return copy_to_user(a->arg[0], &set, sizeof(set)) ? -EFAULT : 0;
}

SYSCALL(rt_sigsuspend)
{
	const struct mv_sig_ops *o;
	mv_sigset_t set, old;
	int ret;

	if (a->arg[1] != sizeof(mv_sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, a->arg[0], sizeof(set)))
		return -EFAULT;
	o = signal_ops("rt_sigsuspend");
	if (!o)
		return -ENOSYS;
	ret = o->sigprocmask((uint32_t)current->pid, MV_SIG_SETMASK, &set, &old);
	if (ret < 0)
		return ret;
	current->saved_mask = old;
	current->mask_saved = true;
	current->sig_maybe_pending = true;
	while (waitq_wait(NULL) != -ERESTARTSYS)
		;
	return -EINTR;
}

SYSCALL(rt_sigreturn)
{
	(void)a;
	return signal_return(current->tf);
}

/* Sends sig to every task kill(2)'s pid selects; sig 0 only checks. */
struct kill_ctx {
	pid_t pid;
	int sig;
	int found, sent_err;
};

static int kill_one(struct task *t, void *arg)
{
	struct kill_ctx *k = arg;
	bool match;

	/* Processes, each once: a thread id names its process too, as on Linux. */
	if (k->pid > 0)
		match = t->pid == k->pid;
	else if (!task_is_leader(t))
		match = false;
	else if (k->pid == 0)
		match = t->pgid == current->pgid;
	else if (k->pid == -1)
		match = t->tgid != 1 && t != current->leader;
	else
		match = t->pgid == -k->pid;
	if (!match)
		return 0;
	k->found++;
	/* A process that has exited still exists (kill succeeds) but takes no more signals. */
	if (k->sig) {
		int ret = signal_send_process(t->leader, k->sig, 0 /* SI_USER */, 0);
		if (ret < 0)
			k->sent_err = ret;
	}
	return 0;
}

static long kill_pids(pid_t pid, uint64_t sig)
{
	struct kill_ctx k = {.pid = pid, .sig = (int)sig};

	if (sig > MV_NSIG)
		return -EINVAL;
	if (!signal_ops("kill"))
		return -ENOSYS;
	task_for_each(kill_one, &k);
	if (!k.found)
		return -ESRCH;
	return k.sent_err;
}

SYSCALL(kill)
{
	return kill_pids((pid_t)a->arg[0], a->arg[1]);
}

/* A thread-directed signal: to thread tid, of process tgid unless tgid is -1 (tkill). */
static long kill_thread(pid_t tgid, pid_t tid, uint64_t sig)
{
	struct task *t = task_find(tid);

	if (tid <= 0 || (tgid != -1 && tgid <= 0) || sig > MV_NSIG)
		return -EINVAL;
	if (!t || t->state == TASK_ZOMBIE || (tgid != -1 && t->tgid != tgid))
		return -ESRCH;
	if (!signal_ops("tgkill"))
		return -ENOSYS;
	return sig ? signal_send(t, (int)sig, SI_TKILL, 0) : 0;
}

SYSCALL(tkill)
{
	return kill_thread(-1, (pid_t)a->arg[0], a->arg[1]);
}

SYSCALL(tgkill)
{
	return kill_thread((pid_t)a->arg[0], (pid_t)a->arg[1], a->arg[2]);
}

/* rt_sigtimedwait(set, info, timeout, sigsetsize): sigwait, sigwaitinfo, sigtimedwait. */
SYSCALL(rt_sigtimedwait)
{
	const struct mv_sig_ops *o;
	struct mv_siginfo info;
	mv_sigset_t set;
	uint64_t deadline = 0;
	int sig;

	if (a->arg[3] != sizeof(mv_sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, a->arg[0], sizeof(set)))
		return -EFAULT;
	set &= ~((1ULL << (MV_SIGKILL - 1)) | (1ULL << (MV_SIGSTOP - 1)));
	if (a->arg[2]) {
		int64_t ts[2];

		if (copy_from_user(ts, a->arg[2], sizeof(ts)))
			return -EFAULT;
		if (ts[0] < 0 || ts[1] < 0 || ts[1] >= 1000000000)
			return -EINVAL;
		deadline = deadline_after(timespec_to_ns(ts[0], ts[1]));
	}
	o = signal_ops("rt_sigtimedwait");
	if (!o)
		return -ENOSYS;
	for (;;) {
		int r;

		sig = signal_take(current, set, &info);
		if (sig)
			break;
		if (signal_pending(current))
			return -EINTR; /* another signal, for its handler */
		if (deadline && ktime_ns() >= deadline)
			return -EAGAIN;
		/* An awaited signal wakes it though blocked (signal_send); the mask stays, so
		 * that one whose default is to be ignored is kept pending, not dropped. */
		current->sigwait_set = set;
		r = deadline ? waitq_wait_until(NULL, deadline) : waitq_wait(NULL);
		current->sigwait_set = 0;
		(void)r;
	}
	if (a->arg[1] && signal_copy_siginfo(a->arg[1], &info))
		return -EFAULT;
	return sig;
}

/* The signal and value of a user siginfo for rt_(tg)sigqueueinfo. Like Linux, only
 * negative codes other than SI_TKILL may be sent to another process (no forging of kernel
 * or kill() origins). */
static long queue_info(uint64_t uinfo, bool to_self, int *code, int64_t *value)
{
	struct {
		int32_t signo, errno_, code, pad;
		int32_t pid, uid;
		int64_t value;
	} si;

	if (copy_from_user(&si, uinfo, sizeof(si)))
		return -EFAULT;
	if (!to_self && (si.code >= 0 || si.code == SI_TKILL))
		return -EPERM;
	*code = si.code;
	*value = si.value;
	return 0;
}

/* rt_sigqueueinfo(tgid, sig, info): sigqueue(3), which carries a value to the handler. */
SYSCALL(rt_sigqueueinfo)
{
	pid_t pid = (pid_t)a->arg[0];
	struct task *t = task_find(pid);
	int64_t value;
	int code;
	long ret;

	if (a->arg[1] > MV_NSIG)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	ret = queue_info(a->arg[2], t->leader == current->leader, &code, &value);
	if (ret)
		return ret;
	if (!signal_ops("rt_sigqueueinfo"))
		return -ENOSYS;
	return a->arg[1] ? signal_send_process(t->leader, (int)a->arg[1], code, value) : 0;
}

/* rt_tgsigqueueinfo(tgid, tid, sig, info): the same, to one thread. */
SYSCALL(rt_tgsigqueueinfo)
{
	struct task *t = task_find((pid_t)a->arg[1]);
	int64_t value;
	int code;
	long ret;

	if ((pid_t)a->arg[0] <= 0 || (pid_t)a->arg[1] <= 0 || a->arg[2] > MV_NSIG)
		return -EINVAL;
	if (!t || t->state == TASK_ZOMBIE || t->tgid != (pid_t)a->arg[0])
		return -ESRCH;
	ret = queue_info(a->arg[3], t->leader == current->leader, &code, &value);
	if (ret)
		return ret;
	if (!signal_ops("rt_tgsigqueueinfo"))
		return -ENOSYS;
	return a->arg[2] ? signal_send(t, (int)a->arg[2], code, value) : 0;
}

SYSCALL(sigaltstack)
{
	struct task *t = current;
	struct user_stack_t ss, old = {
				    .sp = t->altstack_sp,
				    .size = t->altstack_size,
				    .flags = t->altstack_size ? 0 : SS_DISABLE,
				};

	if (t->altstack_size && t->tf->sp > t->altstack_sp &&
	    t->tf->sp <= t->altstack_sp + t->altstack_size)
		old.flags = SS_ONSTACK;
	if (a->arg[0]) {
		if (copy_from_user(&ss, a->arg[0], sizeof(ss)))
			return -EFAULT;
		if (old.flags == SS_ONSTACK)
			return -EPERM;
		if (ss.flags & ~(SS_DISABLE | (int32_t)0x80000000 /* SS_AUTODISARM */))
			return -EINVAL;
		if (ss.flags & SS_DISABLE) {
			t->altstack_sp = t->altstack_size = 0;
		} else {
			if (ss.size < MINSIGSTKSZ)
				return -ENOMEM;
			t->altstack_sp = ss.sp;
			t->altstack_size = ss.size;
		}
	}
	if (a->arg[1] && copy_to_user(a->arg[1], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}
