/* exit and wait4: zombies, re-parenting to init, SIGCHLD, and pid 1's end. */
#include <string.h>
#include "futex.h"
#include "process.h"
#include "signal.h"
#include "../fs/vfs.h"
#include "../mm/mm.h"
#include "../mm/pmm.h"
#include "../mm/uaccess.h"

#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3

static struct task *init_task;

void process_set_init(struct task *t)
{
	init_task = t;
}

static void reparent_children(struct task *t)
{
	struct task *c = t->children;

	while (c) {
		struct task *next = c->next_sibling;

		c->parent = init_task;
		c->next_sibling = init_task->children;
		init_task->children = c;
		if (c->state == TASK_ZOMBIE)
			waitq_wake_all(init_task->child_wait);
		c = next;
	}
	t->children = NULL;
}

/* The process ends: its last thread has exited. Its leader l is what the parent reaps. */
static void end_process(struct task *l, int status)
{
	reparent_children(l);
	l->exit_status = status;
	if (l->vfork_parent) {
		l->vfork_done = true;
		task_wake(l->vfork_parent);
	}
	if (l->parent) {
		int code =
		    (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;

		signal_send_process(l->parent, MV_SIGCHLD, code, status);
		waitq_wake_all(l->parent->child_wait);
	}
}

/* Sends every other live thread of self's group to exit on its way back to user mode. */
static void kill_other_threads(struct task *self)
{
	for (struct task *th = thread_next(self, NULL); th; th = thread_next(self, th)) {
		if (th == self)
			continue;
		th->fatal_signal = MV_SIGKILL;
		th->group_stop = false;
		if (th->state == TASK_STOPPED)
			th->state = TASK_SLEEPING;
		task_wake(th);
	}
}

__noreturn void do_exit(int status)
{
	struct task *t = current, *l = t->leader;
	uint32_t zero = 0;

	if (l == init_task && l->nthreads == 1) {
		if (l->group_exiting)
			status = l->group_status;
		kprintf(KTAG ": init exited with status %d; syncing the disk and powering off\n",
			(status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
		/* What is still allocated shows leaks: init's own pages and its last files only. */
		kprintf(KTAG ": kernel heap %lu KiB in use (peak %lu KiB), %lu of %lu pages free\n",
			(unsigned long)(kheap_in_use() >> 10), (unsigned long)(kheap_peak() >> 10),
			(unsigned long)pmm_free_pages(), (unsigned long)pmm_total_pages());
		vfs_sync_all();
		psci_system_off();
	}
	futex_exit_robust_list(t);
	/* CLONE_CHILD_CLEARTID: pthread_join waits on this word for the thread to end. */
	if (t->clear_child_tid && copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake(t->clear_child_tid, 1);
	fdtable_put(t->files);
	t->files = NULL;
	signal_task_exit(t);
	mm_activate(NULL);
	mm_put(t->mm);
	t->mm = NULL;
	t->state = TASK_ZOMBIE;
	if (t != l) {
		/* The process's CPU time keeps what its threads used. */
		l->user_ticks += t->user_ticks;
		l->system_ticks += t->system_ticks;
		task_thread_died(t);
	}
	if (--l->nthreads == 0)
		end_process(l, l->group_exiting ? l->group_status : status);
	schedule();
	starry_panic(__FILE__, __LINE__, "a zombie ran again");
}

__noreturn void do_group_exit(int status)
{
	struct task *l = current->leader;

	if (!l->group_exiting) {
		l->group_exiting = true;
		l->group_status = status;
		kill_other_threads(current);
	}
	do_exit(status);
}

/* execve in a thread group: the other threads end, and a thread other than the leader takes
 * the leader's place and pid, as Linux does. */
void process_exec_single(void)
{
	struct task *t = current, *l = t->leader;
	pid_t tid = t->pid;
	struct waitq *wq;

	if (l->nthreads == 1 && t == l)
		return;
	/* Marked exiting while they go, so that their exit does not take this thread too. */
	l->group_exiting = true;
	l->group_status = MV_SIGKILL;
	kill_other_threads(t);
	while (l->nthreads > 1)
		schedule(); /* they are runnable and exit on their way to user mode */
	l->group_exiting = false;
	if (t == l)
		return;
	t->pid = l->pid;
	l->pid = tid;
	t->leader = t;
	t->nthreads = 1;
	t->pgid = l->pgid;
	t->sid = l->sid;
	t->start_ns = l->start_ns;
	t->child_ticks = l->child_ticks;
	t->user_ticks += l->user_ticks;
	t->system_ticks += l->system_ticks;
	t->vfork_parent = l->vfork_parent;
	l->vfork_parent = NULL;
	memcpy(t->itimer, l->itimer, sizeof(t->itimer)); /* exec keeps the timers */
	/* The parent's child and the children's parent become this thread. */
	t->parent = l->parent;
	if (t->parent)
		for (struct task **pp = &t->parent->children; *pp; pp = &(*pp)->next_sibling)
			if (*pp == l) {
				*pp = t;
				t->next_sibling = l->next_sibling;
				break;
			}
	t->children = l->children;
	l->children = NULL;
	for (struct task *c = t->children; c; c = c->next_sibling)
		c->parent = t;
	wq = t->child_wait;
	t->child_wait = l->child_wait;
	l->child_wait = wq;
	l->parent = NULL;
	l->leader = l;
	if (init_task == l)
		init_task = t;
	task_thread_died(l);
	signal_task_rekey(tid, t->pid);
}

static bool wait_matches(const struct task *c, pid_t pid)
{
	if (pid > 0)
		return c->pid == pid;
	if (pid == 0)
		return c->pgid == current->pgid;
	if (pid < -1)
		return c->pgid == -pid;
	return true;
}

static void unlink_child(struct task *parent, struct task *c)
{
	for (struct task **pp = &parent->children; *pp; pp = &(*pp)->next_sibling)
		if (*pp == c) {
			*pp = c->next_sibling;
			return;
		}
}

long do_wait4(pid_t pid, uint64_t ustatus, int options)
{
	struct task *t = current;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | 0x40000000 /* __WALL */))
		return -EINVAL;
	for (;;) {
		bool any = false;
		int ret;

		for (struct task *c = t->children; c; c = c->next_sibling) {
			pid_t cpid;
			int status;

			if (!wait_matches(c, pid))
				continue;
			any = true;
			if (c->report_stop && (options & WUNTRACED)) {
				status = (c->stop_signal << 8) | 0x7f;
				if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) != 0)
					return -EFAULT;
				c->report_stop = false;
				return c->pid;
			}
			if (c->report_cont && (options & WCONTINUED)) {
				status = 0xffff;
				if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) != 0)
					return -EFAULT;
				c->report_cont = false;
				return c->pid;
			}
			if (c->state != TASK_ZOMBIE || c->nthreads)
				continue; /* a leader that exited waits for its other threads */
			status = c->exit_status;
			if (ustatus && copy_to_user(ustatus, &status, sizeof(status)) != 0)
				return -EFAULT;
			cpid = c->pid;
			t->child_ticks += c->user_ticks + c->system_ticks + c->child_ticks;
			unlink_child(t, c);
			task_free(c);
			return cpid;
		}
		if (!any)
			return -ECHILD;
		if (options & WNOHANG)
			return 0;
		ret = waitq_wait(t->child_wait);
		if (ret)
			return ret;
	}
}
