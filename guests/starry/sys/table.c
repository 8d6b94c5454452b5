/* The syscall table and dispatcher: unknown numbers get -ENOSYS, logged once each. */
#include "syscalls.h"
#include "../proc/task.h"

#define SYS(name) [NR_##name] = sys_##name

static long sys_enosys_quiet(const struct syscall_args *a)
{
	(void)a;
	return -ENOSYS;
}

static const syscall_fn table[NR_SYSCALLS] = {
    SYS(getcwd),
    SYS(eventfd2),
    SYS(timerfd_create),
    SYS(timerfd_settime),
    SYS(timerfd_gettime),
    SYS(linkat),
    SYS(symlinkat),
    SYS(dup),
    SYS(dup3),
    SYS(fcntl),
    SYS(ioctl),
    SYS(mkdirat),
    SYS(unlinkat),
    SYS(renameat),
    SYS(truncate),
    SYS(ftruncate),
    SYS(faccessat),
    SYS(chdir),
    SYS(fchdir),
    SYS(openat),
    SYS(close),
    SYS(close_range),
    SYS(pipe2),
    SYS(getdents64),
    SYS(lseek),
    SYS(read),
    SYS(write),
    SYS(readv),
    SYS(writev),
    SYS(pread64),
    SYS(pwrite64),
    SYS(readlinkat),
    SYS(newfstatat),
    SYS(fstat),
    SYS(sync),
    SYS(fsync),
    SYS(fdatasync),
    SYS(utimensat),
    SYS(fchmod),
    SYS(fchmodat),
    SYS(fchown),
    SYS(fchownat),
    SYS(statfs),
    SYS(fstatfs),
    SYS(umask),
    SYS(renameat2),
    SYS(exit),
    SYS(exit_group),
    SYS(waitid),
    SYS(set_tid_address),
    SYS(set_robust_list),
    SYS(futex),
    SYS(get_robust_list),
    SYS(setpgid),
    SYS(getpriority),
    SYS(setpriority),
    SYS(getgroups),
    SYS(getpgid),
    SYS(getsid),
    SYS(setsid),
    SYS(getpid),
    SYS(getppid),
    SYS(getuid),
    SYS(gettid),
    SYS(clone),
    SYS(clone3),
    SYS(execve),
    SYS(wait4),
    SYS(brk),
    SYS(munmap),
    SYS(mremap),
    SYS(mmap),
    SYS(mprotect),
    SYS(madvise),
    SYS(kill),
    SYS(tkill),
    SYS(tgkill),
    SYS(sigaltstack),
    SYS(rt_sigsuspend),
    SYS(rt_sigaction),
    SYS(rt_sigprocmask),
    SYS(rt_sigpending),
    SYS(rt_sigreturn),
    SYS(rt_sigtimedwait),
    SYS(rt_sigqueueinfo),
    SYS(rt_tgsigqueueinfo),
    SYS(nanosleep),
    SYS(getitimer),
    SYS(setitimer),
    SYS(clock_gettime),
    SYS(clock_settime),
    SYS(clock_getres),
    SYS(clock_nanosleep),
    SYS(sched_yield),
    SYS(sched_getaffinity),
    SYS(sched_setaffinity),
    SYS(times),
    SYS(uname),
    SYS(getrlimit),
    SYS(getrusage),
    SYS(gettimeofday),
    SYS(settimeofday),
    SYS(sysinfo),
    SYS(prlimit64),
    SYS(getrandom),
    SYS(ppoll),
    SYS(pselect6),
    SYS(sendfile),
    SYS(faccessat2),
    /* One user and group (root); a process's identity is its uid 0. */
    [NR_geteuid] = sys_getuid,
    [NR_getgid] = sys_getuid,
    [NR_getegid] = sys_getuid,
    /* Known and deliberately absent: glibc falls back without a log line. */
    [NR_rseq] = sys_enosys_quiet,
    SYS(prctl),
    SYS(reboot),
    SYS(epoll_create1),
    SYS(epoll_ctl),
    SYS(epoll_pwait),
    SYS(epoll_pwait2),
    SYS(timer_create),
    SYS(timer_gettime),
    SYS(timer_getoverrun),
    SYS(timer_settime),
    SYS(timer_delete),
};

static uint64_t logged[NR_SYSCALLS / 64 + 1];
static bool logged_past_table; /* numbers past the table are logged once for all */

void syscall_dispatch(struct trap_frame *tf)
{
	uint64_t nr = tf->syscallno;
	struct syscall_args a = {{tf->x[0], tf->x[1], tf->x[2], tf->x[3], tf->x[4], tf->x[5]}};
	long ret;

	if (nr < NR_SYSCALLS && table[nr]) {
		ret = table[nr](&a);
	} else {
		bool past = nr >= NR_SYSCALLS;

		if (past ? !logged_past_table : !(logged[nr / 64] & (1ULL << (nr % 64)))) {
			kprintf(KTAG ": pid %d (%s): unknown syscall %lu, returning ENOSYS%s\n",
				current->pid, current->comm, (unsigned long)nr,
				past ? " (numbers past the table are logged only once)" : "");
			if (past)
				logged_past_table = true;
			else
				logged[nr / 64] |= 1ULL << (nr % 64);
		}
		ret = -ENOSYS;
	}
	/* execve and rt_sigreturn rewrite the frame; their result still goes to x0. */
	tf->x[0] = (uint64_t)ret;
}
