/* Starry benchmark: exact instruction counts of Linux syscalls and process operations, read
 * from the INST_RETIRED event counter (PMEVCNTR0_EL0, 32 bits) under QEMU's -icount; the kernel
 * sets it up and lets EL0 read it with the bootarg "bench".
 * Run as init by tests/bench/run.py; prints one BENCH line per case. AArch64 only. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

/* A futex word no thread waits on: FUTEX_WAKE finds nobody (what an uncontended unlock that
 * still calls the kernel costs: the system call, the hash bucket, the empty queue). */
static void futex_wake(void)
{
	enum { N = 1000 };
	static int word;
	uint32_t t0;

	align_to_tick();
	t0 = counter();
	for (int i = 0; i < N; i++)
		syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	report("linux_futex_wake", counter() - t0, N);
}

/*
 * The disk cases wait for the host, and virtual time follows the host's clock while the CPU
 * waits: a slow host can make a timer tick fall inside a measured step (its handler, and the
 * hypervisor's disk wait spinning on the pending interrupt, add instructions). Each step starts
 * just after a tick and is short; one that saw a tick anyway is counted here, and the run says
 * so at the end, so that tests/bench/run.py runs it again rather than keep an inexact figure.
 */
static int polluted;

/* Timer ticks charged to this process so far (user and system), from getrusage. */
static long ticks_charged(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return -1;
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 100L +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 10000L;
}

/* The i-th long name of the FAT directory cases: 24 characters, so two LFN slots and an alias
 * whose ~N tail collides with all the others'. */
static void fat_name(char *buf, size_t size, const char *dir, int i)
{
	snprintf(buf, size, "%s/a long file name %04d.txt", dir, i);
}

/* Long-name files from..to-1 created in a FAT directory (open O_CREAT|O_EXCL, close) in
 * batches, each starting just after a tick and short enough that none lands inside it (the
 * disk's waits advance virtual time by the host's time); the number created, the
 * instructions in *insns. */
static int fat_create(const char *dir, int n, uint64_t *insns)
{
	enum { BATCH = 2 };
	char path[128];
	int made = 0;

	*insns = 0;
	while (made < n) {
		uint32_t t0;
		int stop = made + BATCH < n ? made + BATCH : n;
		long ticks;

		align_to_tick();
		ticks = ticks_charged();
		t0 = counter();
		for (; made < stop; made++) {
			int fd;

			fat_name(path, sizeof(path), dir, made);
			fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
			if (fd < 0)
				break;
			close(fd);
		}
		*insns += counter() - t0;
		polluted += ticks_charged() != ticks;
		if (made < stop)
			break;
	}
	return made;
}

static void fat_remove(const char *dir, int n)
{
	char path[128];

	for (int i = 0; i < n; i++) {
		fat_name(path, sizeof(path), dir, i);
		unlink(path);
	}
	rmdir(dir);
}

/* 500 creates in one FAT directory (the total: guest time in ns under -icount shift=0). */
static void fat_create_500(void)
{
	static const char dir[] = "/data/bench-create";
	uint64_t insns;
	int made;

	if (mkdir(dir, 0755) != 0)
		return;
	made = fat_create(dir, 500, &insns);
	if (made == 500)
		report("linux_create_500_fat", insns, 1);
	fat_remove(dir, made);
}

/* One 64 KiB step of a 1 MiB file's write or read, the open before the first and the close
 * after the last, counted from just after a tick (see fat_create). */
static int fat_1m_step(const char *path, char *buf, int i, int n, int *fd, bool write_it,
		       uint64_t *insns)
{
	enum { CHUNK = 65536 };
	uint32_t t0;
	int ok = 1;
	long ticks;

	align_to_tick();
	ticks = ticks_charged();
	t0 = counter();
	if (i == 0)
		*fd = write_it ? open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644)
			       : open(path, O_RDONLY);
	if (*fd >= 0)
		ok = (write_it ? write(*fd, buf, CHUNK) : read(*fd, buf, CHUNK)) == CHUNK;
	if (i == n - 1 && *fd >= 0)
		ok &= close(*fd) == 0;
	*insns += counter() - t0;
	polluted += ticks_charged() != ticks;
	return ok && *fd >= 0;
}

/* A 1 MiB file written (open, 16 writes of 64 KiB, close) then read back the same way. */
static void fat_1m(void)
{
	enum { CHUNK = 65536, N = 16 };
	static const char path[] = "/data/bench-1m.bin";
	/* Mapped, not static: a bigger .bss would make every fork and exec case dearer. */
	char *buf = mmap(NULL, CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint64_t wr = 0, rd = 0;
	int fd = -1, ok = 1;

	if (buf == MAP_FAILED)
		return;
	memset(buf, 0x5a, CHUNK);
	for (int i = 0; i < N && ok; i++)
		ok = fat_1m_step(path, buf, i, N, &fd, true, &wr);
	if (ok)
		report("linux_write_1m_fat", wr, 1);
	for (int i = 0; i < N && ok; i++)
		ok = fat_1m_step(path, buf, i, N, &fd, false, &rd);
	if (ok)
		report("linux_read_1m_fat", rd, 1);
	if (!ok && fd >= 0)
		close(fd);
	unlink(path);
	munmap(buf, CHUNK);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* "bench fatdir N [DIR]" (no counter: runs natively too): N long-name files created in DIR
 * (default /data/fatdir), each found by stat under its name in upper case, listed, half
 * renamed, all unlinked; prints the counts, then the time each phase took. */
static int fat_dir_check(int n, const char *dir)
{
	char path[128], other[160];
	double t_create, t_stat, t_rest;
	struct timespec t0;
	int made = 0, found = 0, listed = 0, renamed = 0, removed = 0;
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (mkdir(dir, 0755) != 0)
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		int fd;

		fat_name(path, sizeof(path), dir, i);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd >= 0 && write(fd, path, 8) == 8 && close(fd) == 0)
			made++;
	}
	t_create = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++) {
		/* FAT is case-insensitive; a native run on a case-sensitive disk uses the name. */
		snprintf(path, sizeof(path), "%s/A LONG FILE NAME %04d.TXT", dir, i);
		if (stat(path, &st) != 0)
			fat_name(path, sizeof(path), dir, i);
		found += stat(path, &st) == 0 && st.st_size == 8;
	}
	t_stat = seconds_since(&t0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	d = opendir(dir);
	while (d && (de = readdir(d)) != NULL)
		listed += strncmp(de->d_name, "a long file name ", 17) == 0;
	if (d)
		closedir(d);
	for (int i = 0; i < n; i += 2) {
		fat_name(path, sizeof(path), dir, i);
		snprintf(other, sizeof(other), "%s/renamed with a longer name %04d.txt", dir, i);
		renamed += rename(path, other) == 0;
	}
	for (int i = 0; i < n; i++) {
		if (i % 2 == 0)
			snprintf(path, sizeof(path), "%s/renamed with a longer name %04d.txt", dir,
				 i);
		else
			fat_name(path, sizeof(path), dir, i);
		removed += unlink(path) == 0;
	}
	printf("fatdir: created %d, found %d, listed %d, renamed %d, unlinked %d, rmdir %s\n", made,
	       found, listed, renamed, removed, rmdir(dir) == 0 ? "ok" : strerror(errno));
	t_rest = seconds_since(&t0);
	printf("fatdir: seconds: create %.3f, stat %.3f, list+rename+unlink %.3f\n", t_create,
	       t_stat, t_rest);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "noop") == 0)
		return 0;
	if (argc > 2 && strcmp(argv[1], "fatdir") == 0)
		return fat_dir_check(atoi(argv[2]), argc > 3 ? argv[3] : "/data/fatdir");
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
	futex_wake();
	fat_create_500();
	fat_1m();
	signal_delivery(); /* last: the first signal syscall loads the signal module */
	if (polluted)
		printf("bench: polluted: a timer tick fell in %d disk step(s)\n", polluted);
	printf("bench: done\n");
	return 0;
}
