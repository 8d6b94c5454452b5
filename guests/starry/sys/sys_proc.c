/* Process syscalls: identity, process groups, clone, execve, exit, wait4. */
#include <string.h>
#include "syscalls.h"
#include "../proc/exec.h"
#include "../proc/process.h"
#include "../mm/uaccess.h"

#define EXEC_MAX_STRINGS (128 * 1024) /* argument and environment bytes */
#define EXEC_MAX_VECTOR 4096	      /* arguments plus environment entries */

SYSCALL(exit)
{
	do_exit(W_EXITCODE((int)a->arg[0]));
}

SYSCALL(exit_group)
{
	do_group_exit(W_EXITCODE((int)a->arg[0]));
}

SYSCALL(set_tid_address)
{
	current->clear_child_tid = a->arg[0];
	return current->pid;
}

SYSCALL(getpid)
{
	(void)a;
	return current->tgid;
}

SYSCALL(gettid)
{
	(void)a;
	return current->pid;
}

SYSCALL(getppid)
{
	(void)a;
	return current->leader->parent ? current->leader->parent->tgid : 0;
}

SYSCALL(getuid)
{
	(void)a;
	return 0;
}

SYSCALL(getpgid)
{
	pid_t pid = (pid_t)a->arg[0];
	struct task *t = pid ? task_find(pid) : current;

	return t ? t->pgid : -ESRCH;
}

SYSCALL(setpgid)
{
	pid_t pid = (pid_t)a->arg[0], pgid = (pid_t)a->arg[1];
	struct task *t = pid ? task_find(pid) : current;

	if (pgid < 0)
		return -EINVAL;
	if (!t || (t != current && t->parent != current))
		return -ESRCH;
	t->pgid = pgid ? pgid : t->pid;
	return 0;
}

SYSCALL(getsid)
{
	pid_t pid = (pid_t)a->arg[0];
	struct task *t = pid ? task_find(pid) : current;

	return t ? t->sid : -ESRCH;
}

SYSCALL(setsid)
{
	(void)a;
	if (current->pgid == current->pid)
		return -EPERM;
	current->sid = current->pgid = current->pid;
	return current->sid;
}

SYSCALL(clone)
{
	return do_clone(a->arg[0], a->arg[1], a->arg[2], a->arg[3], a->arg[4]);
}

/* struct clone_args, as clone3(2) takes it (the first version: 64 bytes). */
struct clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

#define CLONE_ARGS_SIZE_VER0 64
#define SIGCHLD 17

SYSCALL(clone3)
{
	struct clone_args ca;
	uint64_t size = a->arg[1];

	if (size < CLONE_ARGS_SIZE_VER0 || size > 4096)
		return -EINVAL;
	if (copy_from_user(&ca, a->arg[0], sizeof(ca)))
		return -EFAULT;
	/* Later fields (set_tid, cgroup) must be zero: nothing here would honour them. */
	for (uint64_t off = sizeof(ca); off < size; off += 8) {
		uint64_t v = 0;

		if (copy_from_user(&v, a->arg[0] + off, size - off < 8 ? size - off : 8))
			return -EFAULT;
		if (v)
			return -E2BIG;
	}
	/* Only the exit signal Linux uses by default; pidfds and other flags are refused. */
	if ((ca.flags & 0xff) || ca.pidfd || (ca.exit_signal && ca.exit_signal != SIGCHLD) ||
	    (!!ca.stack != !!ca.stack_size))
		return -EINVAL;
	if ((ca.flags & CLONE_THREAD) && ca.exit_signal)
		return -EINVAL;
	return do_clone(ca.flags, ca.stack ? ca.stack + ca.stack_size : 0, ca.parent_tid, ca.tls,
			ca.child_tid);
}

SYSCALL(wait4)
{
	if (a->arg[3]) {
		/* struct rusage: times are not kept per child; report zeros. */
		static const uint8_t zeros[144];

		if (copy_to_user(a->arg[3], zeros, sizeof(zeros)))
			return -EFAULT;
	}
	return do_wait4((pid_t)a->arg[0], a->arg[1], (int)a->arg[2]);
}

/* Copies a NULL-terminated user vector of strings into pool; returns the count or -errno. */
static long copy_vector(uint64_t uvec, char **vec, unsigned max, char *pool, size_t *used)
{
	unsigned n = 0;

	if (!uvec)
		return 0;
	for (;; n++) {
		uint64_t uptr;
		long len;

		if (copy_from_user(&uptr, uvec + n * 8ULL, 8))
			return -EFAULT;
		if (!uptr)
			break;
		if (n >= max)
			return -E2BIG;
		len = strncpy_from_user(pool + *used, uptr, EXEC_MAX_STRINGS - *used);
		if (len == -ENAMETOOLONG)
			return -E2BIG;
		if (len < 0)
			return len;
		vec[n] = pool + *used;
		*used += (size_t)len + 1;
	}
	vec[n] = NULL;
	return n;
}

SYSCALL(execve)
{
	char *path = kmalloc(PATH_MAX);
	char *pool = kmalloc(EXEC_MAX_STRINGS);
	char **vec = kmalloc((EXEC_MAX_VECTOR + 2) * sizeof(char *));
	struct exec_request req = {0};
	size_t used = 0;
	long ret, argc, envc = 0;

	if (!path || !pool || !vec) {
		ret = -ENOMEM;
		goto out;
	}
	ret = strncpy_from_user(path, a->arg[0], PATH_MAX);
	if (ret < 0)
		goto out;
	argc = copy_vector(a->arg[1], vec, EXEC_MAX_VECTOR, pool, &used);
	if (argc >= 0)
		envc = copy_vector(a->arg[2], vec + argc + 1, EXEC_MAX_VECTOR - (unsigned)argc,
				   pool, &used);
	ret = argc < 0 ? argc : envc;
	if (ret < 0)
		goto out;
	vec[argc] = NULL;
	req.path = path;
	req.argv = vec;
	req.argc = (unsigned)argc;
	req.envp = vec + argc + 1;
	req.envc = (unsigned)envc;
	req.strings_len = used;
	ret = do_execve(&req);
out:
	kfree(vec);
	kfree(pool);
	kfree(path);
	return ret;
}
