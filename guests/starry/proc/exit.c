/* exit and wait4: zombies, re-parenting to init, SIGCHLD, and pid 1's end. */
#include <string.h>
#include "futex.h"
#include "process.h"
#include "signal.h"
#include "../fs/vfs.h"
#include "../mm/mm.h"
#include "../mm/pmm.h"
#include "../mm/uaccess.h"
#include "../sys/syscalls.h"

#define CLD_EXITED 1
#define CLD_KILLED 2
#define CLD_DUMPED 3
#define CLD_STOPPED 5
#define CLD_CONTINUED 6

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

static int exit_code(int status)
{
	return (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;
}

static void unlink_child(struct task *parent, struct task *c)
{
	for (struct task **pp = &parent->children; *pp; pp = &(*pp)->next_sibling)
		if (*pp == c) {
			*pp = c->next_sibling;
			return;
		}
}

/* The parent takes in what the ended child c used, and c goes (freed now, or by the
 * scheduler if it is the task running). */
static void reap(struct task *parent, struct task *c)
{
	uint64_t rss =
	    c->maxrss_pages > c->child_maxrss_pages ? c->maxrss_pages : c->child_maxrss_pages;

	parent->child_user_ticks += c->user_ticks + c->child_user_ticks;
	parent->child_system_ticks += c->system_ticks + c->child_system_ticks;
	if (rss > parent->child_maxrss_pages)
		parent->child_maxrss_pages = rss;
	unlink_child(parent, c);
	if (c == current)
		task_thread_died(c);
	else
		task_free(c);
}

/* The process ends: its last thread has exited. Its leader l is what the parent reaps. */
static void end_process(struct task *l, int status)
{
	struct task *parent = l->parent;

	reparent_children(l);
	l->exit_status = status;
	if (l->vfork_parent) {
		l->vfork_done = true;
		task_wake(l->vfork_parent);
	}
	if (!parent)
		return;
	if (signal_no_zombies(parent)) {
		reap(parent, l);
	} else {
		signal_send_process(parent, MV_SIGCHLD, exit_code(status), status);
	}
	/* Either way a wait may now have its answer (or learn there are no children left). */
	waitq_wake_all(parent->child_wait);
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
	if (t->mm && t->mm->peak_rss_pages > l->maxrss_pages)
		l->maxrss_pages = t->mm->peak_rss_pages;
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
	if (--l->nthreads == 0) {
		posix_timers_exit(l->tgid); /* timer_create's timers end with the process */
		end_process(l, l->group_exiting ? l->group_status : status);
	}
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
	t->child_user_ticks = l->child_user_ticks;
	t->child_system_ticks = l->child_system_ticks;
	t->child_maxrss_pages = l->child_maxrss_pages;
	t->maxrss_pages = l->maxrss_pages;
	t->nice = l->nice;
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

/* What a wait reports of child c in info, and reaps it unless WNOWAIT. */
static pid_t report(struct task *parent, struct task *c, int options, int code, int status,
		    struct wait_info *wi)
{
	wi->pid = c->pid;
	wi->code = code;
	wi->status = status;
	if (code == CLD_EXITED)
		wi->si_status = (status >> 8) & 0xff;
	else if (code == CLD_KILLED || code == CLD_DUMPED)
		wi->si_status = status & 0x7f;
	else
		wi->si_status = code == CLD_CONTINUED ? MV_SIGCONT : (status >> 8) & 0xff;
	wi->utime = c->user_ticks + c->child_user_ticks;
	wi->stime = c->system_ticks + c->child_system_ticks;
	wi->maxrss =
	    c->maxrss_pages > c->child_maxrss_pages ? c->maxrss_pages : c->child_maxrss_pages;
	if (options & WNOWAIT)
		return c->pid;
	if (code == CLD_STOPPED) {
		c->report_stop = false;
	} else if (code == CLD_CONTINUED) {
		c->report_cont = false;
	} else {
		reap(parent, c);
	}
	return wi->pid;
}

long do_wait(pid_t pid, int options, struct wait_info *wi)
{
	struct task *t = current->leader; /* any thread waits for the process's children */

	for (;;) {
		bool any = false;
		int ret;

		for (struct task *c = t->children; c; c = c->next_sibling) {
			if (!wait_matches(c, pid))
				continue;
			any = true;
			if (c->report_stop && (options & WSTOPPED))
				return report(t, c, options, CLD_STOPPED,
					      (c->stop_signal << 8) | 0x7f, wi);
			if (c->report_cont && (options & WCONTINUED))
				return report(t, c, options, CLD_CONTINUED, 0xffff, wi);
			if (c->state != TASK_ZOMBIE || c->nthreads || !(options & WEXITED))
				continue; /* a leader that exited waits for its other threads */
			return report(t, c, options, exit_code(c->exit_status), c->exit_status, wi);
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
