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

#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2

struct prio_ctx {
	int which;
	pid_t who;
	int set; /* setpriority's value, or INT32_MIN for getpriority */
	int best, found;
};

static int prio_one(struct task *t, void *arg)
{
	struct prio_ctx *c = arg;
	bool match;

	if (!task_is_leader(t) || (t->state == TASK_ZOMBIE && !t->nthreads))
		return 0;
	if (c->which == PRIO_PROCESS)
		match = t->tgid == (c->who ? c->who : current->tgid);
	else if (c->which == PRIO_PGRP)
		match = t->pgid == (c->who ? c->who : current->leader->pgid);
	else
		match = c->who == 0; /* every process is root's */
	if (!match)
		return 0;
	c->found++;
	if (c->set != INT32_MIN)
		t->nice = c->set;
	else if (20 - t->nice > c->best)
		c->best = 20 - t->nice; /* the highest priority of those that match */
	return 0;
}

static long priority(int which, pid_t who, int set)
{
	struct prio_ctx c = {which, who, set, 0, 0};

	if (which < PRIO_PROCESS || which > PRIO_USER || who < 0)
		return -EINVAL;
	task_for_each(prio_one, &c);
	if (!c.found)
		return -ESRCH;
	/* The raw syscall returns 20 - nice (1..40) so that it is never negative. */
	return set == INT32_MIN ? c.best : 0;
}

SYSCALL(getpriority)
{
	return priority((int)a->arg[0], (pid_t)a->arg[1], INT32_MIN);
}

/* Kept and reported; the round-robin scheduler does not weigh it. */
SYSCALL(setpriority)
{
	int nice = (int)a->arg[2];

	nice = nice < -20 ? -20 : nice > 19 ? 19 : nice;
	return priority((int)a->arg[0], (pid_t)a->arg[1], nice);
}

/* root belongs to no supplementary group. */
SYSCALL(getgroups)
{
	if ((int)a->arg[0] < 0)
		return -EINVAL;
	return 0;
}

#define PR_SET_NAME 15
#define PR_GET_NAME 16

/* prctl: the thread's name (what /proc/<pid>/comm and ps show); other options are accepted
 * and change nothing (no process control here to change). */
SYSCALL(prctl)
{
	char name[16];
	long len;

	switch (a->arg[0]) {
	case PR_SET_NAME:
		memset(name, 0, sizeof(name));
		len = strncpy_from_user(name, a->arg[1], sizeof(name));
		if (len < 0 && len != -ENAMETOOLONG)
			return len;
		name[sizeof(name) - 1] = '\0'; /* longer names are cut to 15 bytes, as on Linux */
		memcpy(current->comm, name, sizeof(name));
		return 0;
	case PR_GET_NAME:
		return copy_to_user(a->arg[1], current->comm, sizeof(current->comm)) ? -EFAULT : 0;
	default:
		return 0;
	}
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
	struct wait_info wi = {0};
	int options = (int)a->arg[2];
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | 0x40000000 /* __WALL */))
		return -EINVAL;
	ret = do_wait((pid_t)a->arg[0], options | WEXITED, &wi);
	if (ret <= 0)
		return ret;
	if (a->arg[1] && copy_to_user(a->arg[1], &wi.status, sizeof(wi.status)))
		return -EFAULT;
	if (a->arg[3] && rusage_copy_out(a->arg[3], wi.utime, wi.stime, wi.maxrss))
		return -EFAULT;
	return ret;
}

#define P_ALL 0
#define P_PID 1
#define P_PGID 2
#define SIGCHLD_NR 17

/* waitid(idtype, id, infop, options, rusage): the child in a siginfo_t. */
SYSCALL(waitid)
{
	struct wait_info wi = {0};
	int options = (int)a->arg[3];
	pid_t id = (pid_t)a->arg[1], sel;
	int32_t info[32] = {0}; /* siginfo_t: 128 bytes */
	long ret;

	if (options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | 0x40000000))
		return -EINVAL;
	if (!(options & (WSTOPPED | WEXITED | WCONTINUED)))
		return -EINVAL;
	switch (a->arg[0]) {
	case P_ALL:
		sel = -1;
		break;
	case P_PID:
		if (id <= 0)
			return -EINVAL;
		sel = id;
		break;
	case P_PGID:
		if (id < 0)
			return -EINVAL;
		sel = id ? -id : 0;
		break;
	default:
		return -EINVAL;
	}
	ret = do_wait(sel, options, &wi);
	if (ret < 0)
		return ret;
	/* WNOHANG with nothing to report: Linux clears the siginfo (si_pid 0). */
	if (ret > 0) {
		info[0] = SIGCHLD_NR;
		info[2] = wi.code;
		info[4] = wi.pid; /* si_pid, then si_uid (0), then si_status */
		info[6] = wi.si_status;
	}
	if (a->arg[2] && copy_to_user(a->arg[2], info, sizeof(info)))
		return -EFAULT;
	if (a->arg[4] && rusage_copy_out(a->arg[4], wi.utime, wi.stime, wi.maxrss))
		return -EFAULT;
	return 0;
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
