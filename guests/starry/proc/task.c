/* Tasks: allocation, pids, the list of all tasks and lookups. */
#include <string.h>
#include "task.h"

static struct task *all_tasks, *last_task;
static pid_t next_pid = 1;

struct task *task_alloc(void)
{
	struct task *t = kmalloc_aligned(sizeof(*t), 16);
	struct waitq *wq = kmalloc(sizeof(*wq));
	void *kstack = kmalloc_aligned(KSTACK_SIZE, 16);

	if (!t || !wq || !kstack) {
		kfree(t);
		kfree(wq);
		kfree(kstack);
		return NULL;
	}
	memset(t, 0, sizeof(*t));
	wq->first = NULL;
	t->child_wait = wq;
	t->kstack = kstack;
	t->tf = (struct trap_frame *)((uintptr_t)kstack + KSTACK_SIZE) - 1;
	memset(t->tf, 0, sizeof(*t->tf));
	t->pid = next_pid++;
	t->tgid = t->pid;
	t->leader = t;
	t->nthreads = 1;
	t->pgid = t->pid;
	t->sid = t->pid;
	t->state = TASK_SLEEPING;
	t->start_ns = ktime_ns();
	strlcpy(t->cwd, "/", sizeof(t->cwd));
	if (last_task)
		last_task->next_all = t;
	else
		all_tasks = t;
	last_task = t;
	return t;
}

void task_free(struct task *t)
{
	struct task *prev = NULL;

	for (struct task *p = all_tasks; p; prev = p, p = p->next_all) {
		if (p != t)
			continue;
		if (prev)
			prev->next_all = t->next_all;
		else
			all_tasks = t->next_all;
		if (last_task == t)
			last_task = prev;
		break;
	}
	kfree(t->child_wait);
	kfree(t->kstack);
	kfree(t);
}

static unsigned ndead; /* threads marked dead and not yet freed: most switches have none */

void task_thread_died(struct task *t)
{
	t->thread_dead = true;
	ndead++;
}

void task_reap_dead(void)
{
	struct task *t = all_tasks;

	while (ndead && t) {
		struct task *next = t->next_all;

		if (t->thread_dead && t != current) {
			task_free(t);
			ndead--;
		}
		t = next;
	}
}

struct task *thread_next(const struct task *t, struct task *prev)
{
	const struct task *leader = t->leader;

	for (struct task *p = prev ? prev->next_all : all_tasks; p; p = p->next_all)
		if (p->leader == leader && p->state != TASK_ZOMBIE)
			return p;
	return NULL;
}

struct task *task_find(pid_t pid)
{
	for (struct task *t = all_tasks; t; t = t->next_all)
		if (t->pid == pid)
			return t;
	return NULL;
}

int task_for_each(int (*fn)(struct task *t, void *arg), void *arg)
{
	for (struct task *t = all_tasks; t; t = t->next_all) {
		int r = fn(t, arg);

		if (r)
			return r;
	}
	return 0;
}

const char *task_state_name(const struct task *t)
{
	switch (t->state) {
	case TASK_RUNNABLE:
		return "R";
	case TASK_SLEEPING:
		return "S";
	case TASK_STOPPED:
		return "T";
	case TASK_ZOMBIE:
		return "Z";
	}
	return "?";
}
