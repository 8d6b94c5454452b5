/* kill: generating a signal for a task, with POSIX's discard, coalesce and queue rules. */
#include <string.h>
#include "sig_internal.h"

static void make_info(struct mv_siginfo *si, int sig, const struct mv_siginfo *given)
{
	if (given) {
		*si = *given;
	} else {
		memset(si, 0, sizeof(*si));
		si->code = SIG_SI_KERNEL;
	}
	si->signo = sig; /* dequeue picks the queue entry by signo, so it must match */
}

int sig_do_kill(struct sig_state *s, uint32_t tid, int sig, const struct mv_siginfo *info)
{
	struct sig_task *t;
	mv_sigset_t bit;
	struct mv_siginfo si;

	if (sig < 0 || sig > MV_NSIG)
		return -MV_EINVAL;
	t = sig_table_find(&s->table, tid);
	if (!t)
		return -MV_ESRCH;
	if (sig == 0)
		return 0;
	bit = SIG_BIT(sig);

	/* POSIX: continue and stop cancel each other's pending instances, whatever the actions. */
	if (sig == MV_SIGCONT)
		t->pending &= ~SIG_STOP_SET;
	else if (bit & SIG_STOP_SET)
		t->pending &= ~SIG_BIT(MV_SIGCONT);

	/*
	 * An ignored signal is discarded at generation. A blocked one stays pending even if ignored
	 * (POSIX leaves it open; Linux keeps it): the action may change before it is unblocked, and
	 * sigpending()/sigwait() must see it. dequeue drops it if it is still ignored then.
	 */
	if (!(t->blocked & bit) && sig_ignores(&t->action[sig - 1], sig))
		return 0;

	make_info(&si, sig, info);
	if (sig > SIG_NSTD)
		return sig_queue_rt(s, t, &si);
	if (!(t->pending & bit)) { /* a standard signal coalesces: the first siginfo wins */
		t->std_info[sig - 1] = si;
		t->pending |= bit;
	}
	return 0;
}
