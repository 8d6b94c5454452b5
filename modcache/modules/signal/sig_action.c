/* sigaction and sigprocmask: a task's dispositions and blocked mask. */
#include "sig_internal.h"

int sig_do_sigaction(struct sig_state *s, uint32_t tid, int sig, const struct mv_sigaction *act,
		     struct mv_sigaction *old)
{
	struct sig_task *t;
	struct mv_sigaction prev;

	if (!sig_valid(sig))
		return -MV_EINVAL;
	/* Even SIG_DFL is refused, as on Linux: these two are the kernel's, not the task's. */
	if (act && (sig == MV_SIGKILL || sig == MV_SIGSTOP))
		return -MV_EINVAL;
	t = sig_table_find(&s->table, tid);
	if (!t)
		return -MV_ESRCH;
	prev = t->action[sig - 1]; /* act and old may be the same buffer */
	if (act) {
		struct mv_sigaction a = *act;

		/* Unknown flags are dropped so that the caller can read back what is supported. */
		a.flags &= SIG_SA_KNOWN;
		a.mask &= ~SIG_UNBLOCKABLE;
		t->action[sig - 1] = a;
		/* POSIX: a pending signal whose action becomes "ignore" goes, blocked or not. */
		if (sig_ignores(&a, sig))
			sig_discard(s, t, sig);
	}
	if (old)
		*old = prev;
	return 0;
}

int sig_do_sigprocmask(struct sig_state *s, uint32_t tid, int how, const mv_sigset_t *set,
		       mv_sigset_t *old)
{
	struct sig_task *t;
	mv_sigset_t prev;

	/* POSIX: with no set, how is not looked at. */
	if (set && how != MV_SIG_BLOCK && how != MV_SIG_UNBLOCK && how != MV_SIG_SETMASK)
		return -MV_EINVAL;
	t = sig_table_find(&s->table, tid);
	if (!t)
		return -MV_ESRCH;
	prev = t->blocked;
	if (set) {
		mv_sigset_t v = *set;

		if (how == MV_SIG_BLOCK)
			v = prev | v;
		else if (how == MV_SIG_UNBLOCK)
			v = prev & ~v;
		t->blocked = v & ~SIG_UNBLOCKABLE; /* silently, as POSIX requires */
	}
	if (old)
		*old = prev;
	return 0;
}
