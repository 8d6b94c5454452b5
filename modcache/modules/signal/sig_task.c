/* Task lifecycle: create, fork (inherit actions and mask), exec (reset handlers), exit. */
#include <string.h>
#include "sig_internal.h"

static struct sig_task *task_alloc(struct sig_state *s, uint32_t tid)
{
	struct sig_task *t = sig_alloc(s, sizeof(*t), _Alignof(struct sig_task));

	if (!t)
		return NULL;
	/* All zero is the initial state: every action SIG_DFL, nothing blocked or pending. */
	memset(t, 0, sizeof(*t));
	t->tid = tid;
	return t;
}

/* Checks shared by create and fork, done before allocating so a failure changes nothing. */
static int check_new(const struct sig_state *s, uint32_t tid)
{
	if (sig_table_find(&s->table, tid))
		return -MV_EEXIST;
	if (sig_table_full(&s->table))
		return -MV_EAGAIN;
	return 0;
}

int sig_task_create(struct sig_state *s, uint32_t tid)
{
	struct sig_task *t;
	int ret = check_new(s, tid);

	if (ret)
		return ret;
	t = task_alloc(s, tid);
	if (!t)
		return -MV_ENOMEM;
	sig_table_insert(s, t);
	return 0;
}

/* POSIX fork: the child gets the parent's actions and mask, and no pending signals. */
int sig_task_fork(struct sig_state *s, uint32_t parent, uint32_t child)
{
	const struct sig_task *p = sig_table_find(&s->table, parent);
	struct sig_task *c;
	int ret;

	if (!p)
		return -MV_ESRCH;
	ret = check_new(s, child);
	if (ret)
		return ret;
	c = task_alloc(s, child);
	if (!c)
		return -MV_ENOMEM;
	memcpy(c->action, p->action, sizeof(c->action));
	c->blocked = p->blocked;
	sig_table_insert(s, c);
	return 0;
}

/*
 * POSIX exec: caught signals go back to SIG_DFL (the handlers' code is gone), ignored ones stay
 * ignored; mask and pending signals survive. As on Linux, flags, sa_mask and restorer of every
 * action are cleared too, since they belonged to the old image.
 */
int sig_task_exec(struct sig_state *s, uint32_t tid)
{
	struct sig_task *t = sig_table_find(&s->table, tid);

	if (!t)
		return -MV_ESRCH;
	for (int i = 0; i < MV_NSIG; i++) {
		struct mv_sigaction *a = &t->action[i];

		if (a->handler != MV_SIG_IGN)
			a->handler = MV_SIG_DFL;
		a->flags = 0;
		a->mask = 0;
		a->restorer = 0;
	}
	return 0;
}

int sig_task_exit(struct sig_state *s, uint32_t tid)
{
	struct sig_task *t = sig_table_find(&s->table, tid);

	if (!t)
		return -MV_ESRCH;
	sig_table_remove(s, t);
	sig_queue_flush(s, t);
	sig_free(s, t);
	return 0;
}

/* Module exit: the guest may unload us with tasks still registered; give all memory back. */
void sig_task_exit_all(struct sig_state *s)
{
	for (uint32_t i = 0; i < s->table.nbuckets; i++) {
		struct sig_task *t = s->table.buckets[i];

		while (t) {
			struct sig_task *next = t->next;

			sig_queue_flush(s, t);
			sig_free(s, t);
			t = next;
		}
	}
	sig_table_release(s);
}

/*
 * Whether tid's state is anything but a new task's: what an unload would lose. SA_NOCLDSTOP
 * and SA_NOCLDWAIT count with SIG_DFL too, since they change what the kernel does for the
 * task's children; the other flags and sa_mask only matter for a handler.
 */
int sig_task_busy(struct sig_state *s, uint32_t tid)
{
	const struct sig_task *t = sig_table_find(&s->table, tid);

	if (!t)
		return -MV_ESRCH;
	if (t->blocked || t->pending || t->rt_head)
		return 1;
	for (int i = 0; i < MV_NSIG; i++) {
		const struct mv_sigaction *a = &t->action[i];

		if (a->handler != MV_SIG_DFL || (a->flags & (MV_SA_NOCLDSTOP | SIG_SA_NOCLDWAIT)))
			return 1;
	}
	return 0;
}
