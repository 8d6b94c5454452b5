/* Starry benchmark: exact instruction counts of Linux syscalls and process operations, read
 * from the INST_RETIRED event counter (PMEVCNTR0_EL0, 32 bits) under QEMU's -icount; the kernel
 * sets it up and lets EL0 read it with the bootarg "bench".
 * Run as init by tests/bench/run.py; prints one BENCH line per case. AArch64 only. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static inline uint32_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, pmevcntr0_el0" : "=r"(v));
	return (uint32_t)v;
}

/* Sleeps past the next timer tick: each case then starts at the same distance from the tick,
 * whatever disk waits came before (their length is the host's), so counts repeat exactly. */
static void align_to_tick(void)
{
	struct timespec ts = {0, 1000000};

	nanosleep(&ts, NULL);
}

static void report(const char *name, uint64_t total, unsigned iterations)
{
	printf(
	    "BENCH {\"vm\":\"starry\",\"case\":\"%s\",\"value\":%llu,\"unit\":\"instructions\"}\n",
	    name, (unsigned long long)(total / iterations));
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{
	handled += sig == SIGUSR1;
}

static void null_syscall(void)
{
	enum { N = 1000 };
	uint32_t t0;

	align_to_tick();
	t0 = counter();

	for (int i = 0; i < N; i++)
		syscall(SYS_getppid);
	report("linux_null_syscall", counter() - t0, N);
}

static void anon_fault(void)
{
	enum { PAGES = 256 };
	char *p =
	    mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint32_t t0;

	if (p == MAP_FAILED)
		return;
	align_to_tick();
	t0 = counter();
	for (int i = 0; i < PAGES; i++)
		p[i * 4096] = 1;
	report("linux_anon_page_fault", counter() - t0, PAGES);
	munmap(p, PAGES * 4096);
}

/* Copies a file (outside any measurement); 0 or -1. */
static int copy_file(const char *from, const char *to)
{
	static char buf[16384];
	int in = open(from, O_RDONLY), out = open(to, O_CREAT | O_TRUNC | O_WRONLY, 0755);
	ssize_t n = 0;

	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	close(in);
	close(out);
	return in < 0 || out < 0 || n < 0 ? -1 : 0;
}

/* n children, each exiting at once, or first exec'ing `exec` (this program, which then exits
 * at once) when it is given. */
static void fork_children(const char *name, int n, const char *exec)
{
	uint32_t t0;

	align_to_tick();
	t0 = counter();
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0) {
			if (exec)
				execl(exec, exec, "noop", (char *)NULL);
			_exit(exec ? 127 : 0);
		}
		waitpid(pid, &st, 0);
	}
	report(name, counter() - t0, (unsigned)n);
}

static void pipe_round_trip(void)
{
	enum { N = 200 };
	int to[2], from[2];
	pid_t pid;
	char c = 'x';
	uint32_t t0;

	if (pipe(to) < 0 || pipe(from) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(to[1]);
		close(from[0]);
		while (read(to[0], &c, 1) == 1 && write(from[1], &c, 1) == 1)
			;
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	align_to_tick();
	t0 = counter();
	for (int i = 0; i < N; i++)
		if (write(to[1], &c, 1) != 1 || read(from[0], &c, 1) != 1)
			break;
	report("linux_pipe_round_trip", counter() - t0, N);
	close(to[1]);
	close(from[0]);
	waitpid(pid, NULL, 0);
}

static void signal_delivery(void)
{
	enum { N = 200 };
	struct sigaction sa;
	uint32_t t0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	align_to_tick();
	t0 = counter();
	for (int i = 0; i < N; i++)
		kill(getpid(), SIGUSR1);
	report("linux_signal_to_self", counter() - t0, N);
}

static void file_write_read(const char *path, const char *name)
{
	enum { N = 64 };
	static char buf[4096];
	int fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	uint32_t t0;
	char case_name[64];

	if (fd < 0)
		return;
	align_to_tick();
	t0 = counter();
	for (int i = 0; i < N; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	snprintf(case_name, sizeof(case_name), "linux_write_4k_%s", name);
	report(case_name, counter() - t0, N);
	lseek(fd, 0, SEEK_SET);
	align_to_tick();
	t0 = counter();
	for (int i = 0; i < N; i++)
		if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			break;
	snprintf(case_name, sizeof(case_name), "linux_read_4k_%s", name);
	report(case_name, counter() - t0, N);
	close(fd);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "noop") == 0)
		return 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	null_syscall();
	anon_fault();
	fork_children("linux_fork_exit_wait", 20, NULL);
	/* exec runs from tmpfs: a disk read's cost depends on when the host completes it, so
	 * exact counts keep the disk out. */
	if (copy_file("/bin/bench", "/tmp/bench") == 0)
		fork_children("linux_fork_exec_wait", 5, "/tmp/bench");
	pipe_round_trip();
	file_write_read("/tmp/bench.bin", "tmpfs");
	signal_delivery(); /* last: the first signal syscall loads the signal module */
	printf("bench: done\n");
	return 0;
}
