/* Starry robustness test: random syscalls with hostile arguments from throwaway children; the
 * kernel must answer each with a result or an error (or kill the child), never fall over. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Syscalls worth throwing garbage at: file, memory, signal and identity calls. Left out:
 * those that end or replace the process or make new ones (exit, execve, clone), signal
 * senders (a random pid could be init), calls that only sleep, and rt_sigreturn (a garbage
 * frame always ends the process, which would end each run at once). */
static const long calls[] = {
    SYS_getcwd,
    SYS_dup,
    SYS_dup3,
    SYS_fcntl,
    SYS_ioctl,
    SYS_mkdirat,
    SYS_unlinkat,
    SYS_renameat,
    SYS_truncate,
    SYS_ftruncate,
    SYS_faccessat,
    SYS_chdir,
    SYS_fchdir,
    SYS_openat,
    SYS_close,
    SYS_pipe2,
    SYS_getdents64,
    SYS_lseek,
    SYS_read,
    SYS_write,
    SYS_readv,
    SYS_writev,
    SYS_pread64,
    SYS_pwrite64,
    SYS_readlinkat,
    SYS_newfstatat,
    SYS_fstat,
    SYS_brk,
    SYS_munmap,
    SYS_mmap,
    SYS_mprotect,
    SYS_madvise,
    SYS_rt_sigaction,
    SYS_rt_sigprocmask,
    SYS_rt_sigpending,
    SYS_sigaltstack,
    SYS_uname,
    SYS_getrlimit,
    SYS_prlimit64,
    SYS_getrandom,
    SYS_clock_gettime,
    SYS_gettimeofday,
    SYS_times,
    SYS_sysinfo,
    SYS_setpgid,
    SYS_getpgid,
    SYS_set_tid_address,
    SYS_set_robust_list, /* the exit walks whatever list was accepted */
    SYS_get_robust_list,
    SYS_sendfile,
    SYS_umask,
    SYS_wait4,
    1000,
    4000,
};

static uint64_t state;

static uint64_t next(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

/* Arguments that find bugs: small numbers, fds, NULL, kernel and unmapped addresses, the
 * stack, huge lengths, negative values. */
static uint64_t hostile(void)
{
	static char scratch[256];
	static const uint64_t values[] = {0,
					  1,
					  3,
					  8,
					  0x1000,
					  0x40200000,	/* the kernel's image */
					  0x08000000,	/* the GIC */
					  0x100000000,	/* the module window */
					  0x7ffffff000, /* the sigreturn page */
					  0x8000000000, /* past user space */
					  ~0ULL,
					  ~0ULL - 4095,
					  0x7fffffffffffffffULL,
					  4096,
					  1ULL << 32,
					  (uint64_t)-100 /* AT_FDCWD */};

	switch (next() % 4) {
	case 0:
		return values[next() % (sizeof(values) / sizeof(values[0]))];
	case 1:
		return (uint64_t)(uintptr_t)scratch + next() % sizeof(scratch);
	case 2:
		return next() % 64;
	default:
		return next();
	}
}

static void fuzz_child(unsigned seed, unsigned count)
{
	int null = open("/dev/null", O_RDWR);

	/* Garbage goes to /dev/null, not the console, and reads of fd 0 end at once. */
	for (int fd = 0; fd < 3 && null >= 0; fd++)
		dup2(null, fd);
	state = 0x9e3779b97f4a7c15ULL * (seed + 1);
	for (unsigned i = 0; i < count; i++) {
		long nr = calls[next() % (sizeof(calls) / sizeof(calls[0]))];

		syscall(nr, hostile(), hostile(), hostile(), hostile(), hostile(), hostile());
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned children = argc > 1 ? (unsigned)atoi(argv[1]) : 40, exited = 0, killed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (unsigned c = 0; c < children; c++) {
		pid_t pid = fork();
		int st = 0, waited = 0;

		if (pid == 0)
			fuzz_child(c, 300);
		/* A call may block (a pipe read, the console): give each child a second. */
		while (waitpid(pid, &st, WNOHANG) == 0) {
			struct timespec ts = {0, 10000000};

			if (++waited == 100)
				kill(pid, SIGKILL);
			nanosleep(&ts, NULL);
		}
		if (WIFEXITED(st))
			exited++;
		else
			killed++;
	}
	printf("sysfuzz: %u children, %u exited, %u killed by a signal; the kernel is alive\n",
	       children, exited, killed);
	return 0;
}
