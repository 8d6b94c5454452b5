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

__noreturn void do_exit(int status)
{
	struct task *t = current;
	uint32_t zero = 0;

	if (t == init_task) {
		kprintf(KTAG ": init exited with status %d; syncing the disk and powering off\n",
			(status & 0x7f) ? 128 + (status & 0x7f) : (status >> 8) & 0xff);
		/* What is still allocated shows leaks: init's own pages and its last files only. */
		kprintf(KTAG ": kernel heap %lu KiB in use (peak %lu KiB), %lu of %lu pages free\n",
			(unsigned long)(kheap_in_use() >> 10), (unsigned long)(kheap_peak() >> 10),
			(unsigned long)pmm_free_pages(), (unsigned long)pmm_total_pages());
		vfs_sync_all();
		psci_system_off();
	}
	/* CLONE_CHILD_CLEARTID: pthread_join waits on this word for the thread to end. */
	if (t->clear_child_tid && copy_to_user(t->clear_child_tid, &zero, sizeof(zero)) == 0)
		futex_wake(t->clear_child_tid, 1);
	fdtable_put(t->files);
	t->files = NULL;
	signal_task_exit(t);
	mm_activate(NULL);
	mm_destroy(t->mm);
	t->mm = NULL;
	reparent_children(t);
	t->exit_status = status;
	t->state = TASK_ZOMBIE;
	if (t->vfork_parent) {
		t->vfork_done = true;
		task_wake(t->vfork_parent);
	}
	if (t->parent) {
		int code =
		    (status & 0x7f) ? ((status & 0x80) ? CLD_DUMPED : CLD_KILLED) : CLD_EXITED;

		signal_send(t->parent, MV_SIGCHLD, code, status);
		waitq_wake_all(t->parent->child_wait);
	}
	schedule();
	starry_panic(__FILE__, __LINE__, "a zombie ran again");
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
			if (c->state == TASK_STOPPED && c->report_stop && (options & WUNTRACED)) {
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
			if (c->state != TASK_ZOMBIE)
				continue;
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
