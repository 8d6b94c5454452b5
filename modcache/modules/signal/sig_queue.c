/* A task's pending signals: coalesced standard signals and the FIFO of real-time siginfos. */
#include <string.h>
#include "sig_internal.h"

int sig_queue_rt(struct sig_state *s, struct sig_task *t, const struct mv_siginfo *info)
{
	struct sig_qnode *n;

	/* EAGAIN also when the guest is out of memory: that is what sigqueue(3) promises. */
	if (t->nqueued >= SIG_RTQUEUE_MAX)
		return -MV_EAGAIN;
	n = sig_alloc(s, sizeof(*n), _Alignof(struct sig_qnode));
	if (!n)
		return -MV_EAGAIN;
	n->next = NULL;
	n->info = *info;
	if (t->rt_tail)
		t->rt_tail->next = n;
	else
		t->rt_head = n;
	t->rt_tail = n;
	t->nqueued++;
	t->pending |= SIG_BIT(info->signo);
	return 0;
}

static void unlink_node(struct sig_state *s, struct sig_task *t, struct sig_qnode *prev,
			struct sig_qnode *n)
{
	if (prev)
		prev->next = n->next;
	else
		t->rt_head = n->next;
	if (t->rt_tail == n)
		t->rt_tail = prev;
	t->nqueued--;
	sig_free(s, n);
}

/* Removes the oldest instance of pending signal sig and returns its siginfo. */
void sig_take(struct sig_state *s, struct sig_task *t, int sig, struct mv_siginfo *info)
{
	struct sig_qnode *prev = NULL, *n = t->rt_head;
	bool more = false;

	if (sig <= SIG_NSTD) {
		*info = t->std_info[sig - 1];
		t->pending &= ~SIG_BIT(sig);
		return;
	}
	while (n && n->info.signo != sig) {
		prev = n;
		n = n->next;
	}
	if (!n) { /* cannot happen while pending and the queue agree; fail safe */
		t->pending &= ~SIG_BIT(sig);
		memset(info, 0, sizeof(*info));
		info->signo = sig;
		info->code = SIG_SI_KERNEL;
		return;
	}
	*info = n->info;
	for (const struct sig_qnode *m = n->next; m && !more; m = m->next)
		more = m->info.signo == sig;
	unlink_node(s, t, prev, n);
	if (!more)
		t->pending &= ~SIG_BIT(sig);
}

/* Forgets every pending instance of sig. */
void sig_discard(struct sig_state *s, struct sig_task *t, int sig)
{
	struct sig_qnode *prev = NULL, *n = t->rt_head;

	t->pending &= ~SIG_BIT(sig);
	if (sig <= SIG_NSTD)
		return;
	while (n) {
		struct sig_qnode *next = n->next;

		if (n->info.signo == sig)
			unlink_node(s, t, prev, n);
		else
			prev = n;
		n = next;
	}
}

void sig_queue_flush(struct sig_state *s, struct sig_task *t)
{
	while (t->rt_head)
		unlink_node(s, t, NULL, t->rt_head);
	t->pending &= (mv_sigset_t)((1ULL << SIG_NSTD) - 1);
}
