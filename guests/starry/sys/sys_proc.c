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
	do_exit(W_EXITCODE((int)a->arg[0]));
}

SYSCALL(set_tid_address)
{
	current->clear_child_tid = a->arg[0];
	return current->pid;
}

SYSCALL(set_robust_list)
{
	(void)a;
	return 0; /* no futexes to clean up: one thread per process */
}

SYSCALL(getpid)
{
	(void)a;
	return current->pid;
}

SYSCALL(gettid)
{
	(void)a;
	return current->pid;
}

SYSCALL(getppid)
{
	(void)a;
	return current->parent ? current->parent->pid : 0;
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
