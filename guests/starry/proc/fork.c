/* clone: a child process with a copy-on-write copy of the address space. */
#include <string.h>
#include "process.h"
#include "signal.h"
#include "../fs/vfs.h"
#include "../mm/mm.h"
#include "../mm/uaccess.h"

void fpsimd_save(struct fpsimd_state *st);

/* Threads (CLONE_THREAD) share the address space, the descriptors (CLONE_FILES) and the
 * signal actions; they are not in the process tree: their leader is. A process sharing its
 * parent's memory without being its thread (CLONE_VM alone) is not supported; glibc's
 * posix_spawn uses CLONE_VM|CLONE_VFORK, which is served as a copy plus the parent waiting. */
long do_clone(uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t tls, uint64_t ctid)
{
	struct task *parent = current, *child;
	bool thread = (flags & CLONE_THREAD) != 0;
	uint64_t tp;
	pid_t pid;

	/* clone(2): a thread shares the signal actions, which need a shared address space. */
	if ((thread && !(flags & CLONE_SIGHAND)) ||
	    ((flags & CLONE_SIGHAND) && !(flags & CLONE_VM)))
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & (CLONE_VFORK | CLONE_THREAD)))
		return -EINVAL;
	if (thread && parent->leader->group_exiting)
		return -EAGAIN; /* the group is going: no new members */
	child = task_alloc();
	if (!child)
		return -EAGAIN;
	child->mm = thread ? mm_get(parent->mm) : mm_fork(parent->mm);
	child->files = child->mm ? fdtable_fork(parent->files, (flags & CLONE_FILES) != 0) : NULL;
	if (!child->mm || !child->files) {
		mm_put(child->mm);
		child->mm = NULL;
		child->state = TASK_ZOMBIE;
		task_free(child);
		return -ENOMEM;
	}
	pid = child->pid;
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	memcpy(child->cwd, parent->cwd, sizeof(child->cwd));
	memcpy(child->exe, parent->exe, sizeof(child->exe));
	child->arg_start = parent->arg_start;
	child->arg_end = parent->arg_end;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->altstack_sp = parent->altstack_sp;
	child->altstack_size = parent->altstack_size;
	child->altstack_flags = parent->altstack_flags;
	/* The user registers and FP state as the parent has them now; the child sees 0. */
	*child->tf = *parent->tf;
	child->tf->x[0] = 0;
	if (stack)
		child->tf->sp = stack;
	fpsimd_save(&child->fp);
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
	child->tpidr_el0 = (flags & CLONE_SETTLS) ? tls : tp;
	if (flags & CLONE_CHILD_CLEARTID)
		child->clear_child_tid = ctid;
	if ((flags & CLONE_CHILD_SETTID) && mm_copy_out(child->mm, ctid, &pid, sizeof(pid)) != 0)
		child->clear_child_tid = 0;
	if (flags & CLONE_PARENT_SETTID)
		(void)copy_to_user(ptid, &pid, sizeof(pid));

	if (thread) {
		child->leader = parent->leader;
		child->tgid = parent->tgid;
		child->nthreads = 0;
		child->leader->nthreads++;
	} else {
		/* Children belong to the process: a thread's fork hangs under its leader. */
		struct task *p = parent->leader;

		child->parent = (flags & CLONE_PARENT) && p->parent ? p->parent : p;
		child->nice = p->nice;
		child->next_sibling = child->parent->children;
		child->parent->children = child;
	}
	signal_task_fork(parent, child);
	if (flags & CLONE_VFORK)
		child->vfork_parent = parent;
	task_start(child, NULL, NULL);
	if (flags & CLONE_VFORK) {
		/* The parent's memory is not shared, but callers expect to resume only once the
		 * child has exec'd or exited. */
		while (task_find(pid) == child && !child->vfork_done && child->state != TASK_ZOMBIE)
			if (waitq_wait(NULL) == -ERESTARTSYS) /* exec and exit wake us */
				break;
		/* Interrupted or done: the child must not wake this task later, which may be
		 * gone by then. */
		if (task_find(pid) == child)
			child->vfork_parent = NULL;
	}
	return pid;
}
