/* clone: a child process with a copy-on-write copy of the address space. */
#include <string.h>
#include "process.h"
#include "signal.h"
#include "../fs/vfs.h"
#include "../mm/mm.h"
#include "../mm/uaccess.h"

void fpsimd_save(struct fpsimd_state *st);

/* Threads (CLONE_VM without CLONE_VFORK, CLONE_THREAD) are not supported: the programs this
 * kernel runs are single-threaded; glibc's posix_spawn uses CLONE_VM|CLONE_VFORK, which is
 * served as a copy plus the parent waiting. */
long do_clone(uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t tls, uint64_t ctid)
{
	struct task *parent = current, *child;
	uint64_t tp;
	pid_t pid;

	if (flags & CLONE_THREAD)
		return -EINVAL;
	if ((flags & CLONE_VM) && !(flags & CLONE_VFORK))
		return -EINVAL;
	child = task_alloc();
	if (!child)
		return -EAGAIN;
	child->mm = mm_fork(parent->mm);
	child->files = child->mm ? fdtable_fork(parent->files, (flags & CLONE_FILES) != 0) : NULL;
	if (!child->mm || !child->files) {
		mm_destroy(child->mm);
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

	child->parent = (flags & CLONE_PARENT) && parent->parent ? parent->parent : parent;
	child->next_sibling = child->parent->children;
	child->parent->children = child;
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
