/* pending and dequeue: choosing the next deliverable signal and what the kernel must do with it. */
#include <string.h>
#include "sig_internal.h"

int sig_do_pending(struct sig_state *s, uint32_t tid, mv_sigset_t *set)
{
	const struct sig_task *t;

	if (!set)
		return -MV_EINVAL;
	t = sig_table_find(&s->table, tid);
	if (!t)
		return -MV_ESRCH;
	*set = t->pending;
	return 0;
}

/* SIGKILL and SIGSTOP first, then by number: standard (1..31) before real-time (32..64). */
static int next_signal(mv_sigset_t ready)
{
	if (ready & SIG_BIT(MV_SIGKILL))
		return MV_SIGKILL;
	if (ready & SIG_BIT(MV_SIGSTOP))
		return MV_SIGSTOP;
	return __builtin_ctzll(ready) + 1;
}

static void run_handler(struct sig_task *t, int sig, struct mv_sigdelivery *out)
{
	struct mv_sigaction *a = &t->action[sig - 1];
	/* Neither may hold SIGKILL or SIGSTOP, and those two never reach a handler. */
	mv_sigset_t during = t->blocked | a->mask;

	if (!(a->flags & MV_SA_NODEFER))
		during |= SIG_BIT(sig);
	out->disposition = MV_SIG_RUN_HANDLER;
	out->mask_before = t->blocked;
	out->mask_during = during;
	/* The handler runs with this mask; the kernel puts mask_before back at sigreturn. */
	t->blocked = during;
	if (a->flags & MV_SA_RESETHAND) {
		a->handler = MV_SIG_DFL;
		a->flags &= ~MV_SA_SIGINFO;
	}
}

/* Fills the disposition for a signal at SIG_DFL; false if its default is to do nothing. */
static bool default_disposition(int sig, struct mv_sigdelivery *out)
{
	switch (sig_default_action(sig)) {
	case MV_SIGDFL_CORE:
		out->core = 1;
		/* fall through */
	case MV_SIGDFL_TERM:
		out->disposition = MV_SIG_TERMINATE;
		return true;
	case MV_SIGDFL_STOP:
		out->disposition = MV_SIG_STOP;
		return true;
	case MV_SIGDFL_CONT:
		/* Only a SIGCONT that was blocked when generated gets here; the task was resumed
		 * then. */
		out->disposition = MV_SIG_CONTINUE;
		return true;
	case MV_SIGDFL_IGN:
	default:
		return false;
	}
}

int sig_do_dequeue(struct sig_state *s, uint32_t tid, struct mv_sigdelivery *out)
{
	struct sig_task *t;

	if (!out)
		return -MV_EINVAL;
	t = sig_table_find(&s->table, tid);
	if (!t)
		return -MV_ESRCH;
	/* Each pass removes one pending instance, so this ends. */
	for (;;) {
		mv_sigset_t ready = t->pending & ~t->blocked;
		const struct mv_sigaction *a;
		int sig;

		memset(out, 0, sizeof(*out));
		if (!ready)
			return 0;
		sig = next_signal(ready);
		sig_take(s, t, sig, &out->info);
		a = &t->action[sig - 1];
		if (a->handler == MV_SIG_IGN)
			continue; /* blocked while ignored at generation, still ignored now */
		out->signo = sig;
		out->action = *a;
		out->mask_before = t->blocked;
		out->mask_during = t->blocked;
		if (a->handler != MV_SIG_DFL) {
			run_handler(t, sig, out);
			return 1;
		}
		if (default_disposition(sig, out))
			return 1;
	}
}
