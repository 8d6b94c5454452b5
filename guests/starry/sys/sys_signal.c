/* Signal syscalls: each goes to the signal module, which the first one loads. */
#include "syscalls.h"
#include "../mm/uaccess.h"
#include "../proc/signal.h"
#include "../proc/task.h"

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
	return sig ? signal_send(t, (int)sig, -6 /* SI_TKILL */, 0) : 0;
}

SYSCALL(tkill)
{
	return kill_thread(-1, (pid_t)a->arg[0], a->arg[1]);
}

SYSCALL(tgkill)
{
	return kill_thread((pid_t)a->arg[0], (pid_t)a->arg[1], a->arg[2]);
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
