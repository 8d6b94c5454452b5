/* Starry test: signals and processes: sigqueue and its value, sigtimedwait, sigwait and
 * sigwaitinfo, waitid, SIGCHLD ignored (no zombies), getpriority/setpriority, getgroups,
 * sched_getaffinity, the resource usage of a process and of its children, RLIMIT_NOFILE and
 * descriptors by the thousand. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static volatile int got_value[4], got_code, got_pid, ngot;

static void on_queued(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (ngot < 4)
		got_value[ngot] = si->si_value.sival_int;
	ngot++;
	got_code = si->si_code;
	got_pid = si->si_pid;
}

static void queued_signals(void)
{
	struct sigaction sa = {.sa_sigaction = on_queued, .sa_flags = SA_SIGINFO};
	sigset_t rt;
	int rtsig = SIGRTMIN + 2;

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(rtsig, &sa, NULL);
	check(sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 42}) == 0, "sigqueue");
	check(ngot == 1 && got_value[0] == 42, "the handler got si_value %d", got_value[0]);
	check(got_code == SI_QUEUE && got_pid == getpid(), "si_code SI_QUEUE, si_pid the sender");

	/* Real-time signals queue, each with its value, in order. */
	ngot = 0;
	sigemptyset(&rt);
	sigaddset(&rt, rtsig);
	sigprocmask(SIG_BLOCK, &rt, NULL);
	sigqueue(getpid(), rtsig, (union sigval){.sival_int = 1});
	sigqueue(getpid(), rtsig, (union sigval){.sival_int = 2});
	sigqueue(getpid(), rtsig, (union sigval){.sival_int = 3});
	sigprocmask(SIG_UNBLOCK, &rt, NULL);
	check(ngot == 3 && got_value[0] == 1 && got_value[1] == 2 && got_value[2] == 3,
	      "three queued real-time signals, values in order");
	errno = 0;
	check(sigqueue(getpid(), 999, (union sigval){0}) == -1 && errno == EINVAL,
	      "sigqueue of signal 999: %s", ename(errno));
	signal(SIGUSR1, SIG_DFL);
	signal(rtsig, SIG_DFL);
}

static void waiting_for_signals(void)
{
	struct timespec ts = {0, 30000000};
	sigset_t set;
	siginfo_t si;
	pid_t child;
	int sig = 0, r;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	kill(getpid(), SIGUSR1);
	r = sigtimedwait(&set, &si, &ts);
	check(r == SIGUSR1 && si.si_signo == SIGUSR1 && si.si_code == SI_USER &&
		  si.si_pid == getpid(),
	      "sigtimedwait takes a pending blocked signal, with its siginfo");
	errno = 0;
	r = sigtimedwait(&set, &si, &ts);
	check(r == -1 && errno == EAGAIN, "sigtimedwait with nothing pending times out: %s",
	      ename(errno));

	child = fork();
	if (child == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	r = sigwait(&set, &sig);
	check(r == 0 && sig == SIGUSR2, "sigwait sleeps until SIGUSR2 comes");
	/* SIGCHLD's default is to be ignored; waited for, it is still reported. */
	r = sigwaitinfo(&set, &si);
	check(r == SIGCHLD && si.si_pid == child && si.si_code == CLD_EXITED && si.si_status == 0,
	      "sigwaitinfo reports the child's SIGCHLD");
	waitpid(child, NULL, 0);

	child = fork();
	if (child == 0)
		_exit(7);
	r = sigwaitinfo(&set, &si);
	check(r == SIGCHLD && si.si_pid == child && si.si_status == 7, "and its exit status, 7");
	waitpid(child, NULL, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static void waitid_cases(void)
{
	siginfo_t si;
	pid_t child;
	int r;

	child = fork();
	if (child == 0) {
		usleep(50000);
		_exit(5);
	}
	memset(&si, 0xff, sizeof(si));
	r = waitid(P_PID, child, &si, WEXITED | WNOHANG);
	check(r == 0 && si.si_pid == 0, "waitid WNOHANG before the exit: si_pid 0");
	r = waitid(P_PID, child, &si, WEXITED | WNOWAIT);
	check(r == 0 && si.si_pid == child && si.si_code == CLD_EXITED && si.si_status == 5 &&
		  si.si_signo == SIGCHLD,
	      "waitid reports the exit (WNOWAIT)");
	r = waitid(P_ALL, 0, &si, WEXITED);
	check(r == 0 && si.si_pid == child && si.si_status == 5, "still there, then reaped");
	errno = 0;
	check(waitid(P_ALL, 0, &si, WEXITED) == -1 && errno == ECHILD, "then no children: %s",
	      ename(errno));
	errno = 0;
	check(waitid(P_ALL, 0, &si, 0) == -1 && errno == EINVAL, "options 0: %s", ename(errno));

	child = fork();
	if (child == 0) {
		kill(getpid(), SIGSTOP);
		pause();
		_exit(0);
	}
	r = waitid(P_PID, child, &si, WSTOPPED);
	check(r == 0 && si.si_code == CLD_STOPPED && si.si_status == SIGSTOP,
	      "waitid WSTOPPED: CLD_STOPPED by SIGSTOP");
	kill(child, SIGCONT);
	r = waitid(P_PID, child, &si, WCONTINUED);
	check(r == 0 && si.si_code == CLD_CONTINUED && si.si_status == SIGCONT,
	      "waitid WCONTINUED: CLD_CONTINUED");
	kill(child, SIGTERM);
	r = waitid(P_PGID, 0, &si, WEXITED);
	check(r == 0 && si.si_code == CLD_KILLED && si.si_status == SIGTERM,
	      "waitid P_PGID: CLD_KILLED by SIGTERM");
}

static void no_zombies(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT};
	pid_t child;
	int r;

	signal(SIGCHLD, SIG_IGN);
	child = fork();
	if (child == 0)
		_exit(1);
	errno = 0;
	r = wait(NULL);
	check(r == -1 && errno == ECHILD, "SIGCHLD ignored: the child leaves no zombie (%s)",
	      ename(errno));
	signal(SIGCHLD, SIG_DFL);

	sigaction(SIGCHLD, &sa, NULL);
	child = fork();
	if (child == 0)
		_exit(1);
	errno = 0;
	r = wait(NULL);
	check(r == -1 && errno == ECHILD, "SA_NOCLDWAIT likewise: %s", ename(errno));
	signal(SIGCHLD, SIG_DFL);
	child = fork();
	if (child == 0)
		_exit(1);
	check(wait(NULL) == child, "back at SIG_DFL, a child is waited for again");
}

static void identity_and_scheduling(void)
{
	int prio, n;
	gid_t groups[64];
	cpu_set_t cpus;

	errno = 0;
	prio = getpriority(PRIO_PROCESS, 0);
	check(errno == 0, "getpriority");
	check(setpriority(PRIO_PROCESS, 0, prio + 2) == 0 &&
		  getpriority(PRIO_PROCESS, 0) == prio + 2,
	      "setpriority raises the nice value by 2");
	errno = 0;
	check(getpriority(7, 0) == -1 && errno == EINVAL, "getpriority of an unknown kind: %s",
	      ename(errno));
	errno = 0;
	check(getpriority(PRIO_PROCESS, 99999999) == -1 && errno == ESRCH,
	      "getpriority of no process: %s", ename(errno));
	n = getgroups(0, NULL);
	check(n >= 0 && n <= 64 && getgroups(64, groups) == n, "getgroups: count and list agree");
	CPU_ZERO(&cpus);
	check(sched_getaffinity(0, sizeof(cpus), &cpus) == 0 && CPU_COUNT(&cpus) >= 1,
	      "sched_getaffinity: at least one CPU");
	check(sched_setaffinity(0, sizeof(cpus), &cpus) == 0, "sched_setaffinity to the same");
}

static void spin_ms(int ms)
{
	struct timespec a, b;
	volatile uint64_t x = 0;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	do {
		for (int i = 0; i < 100000; i++)
			x++;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	} while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}

static void resource_usage(void)
{
	struct rusage before, after, child_ru, children;
	struct tms tms;
	size_t size = 4 << 20;
	pid_t child;
	int status;

	/* In a child: a process exec'd from a big one (natively, the test runner) starts with
	 * that one's peak; a forked child starts from its parent's memory as it is now. */
	fflush(stdout);
	child = fork();
	if (child == 0) {
		char *mem;

		getrusage(RUSAGE_SELF, &before);
		mem = malloc(size);
		memset(mem, 1, size);
		__asm__ volatile("" ::"r"(mem) : "memory");
		getrusage(RUSAGE_SELF, &after);
		_exit(after.ru_maxrss >= before.ru_maxrss + 4096 - 512 ? 0 : 1);
	}
	check(waitpid(child, &status, 0) == child && status == 0,
	      "maxrss grew by the 4 MiB touched");

	child = fork();
	if (child == 0) {
		char *m = malloc(8 << 20);

		memset(m, 2, 8 << 20);
		__asm__ volatile("" ::"r"(m) : "memory"); /* the pages must really be touched */
		spin_ms(200);
		_exit(0);
	}
	check(wait4(child, &status, 0, &child_ru) == child, "wait4 with a rusage");
	check(child_ru.ru_utime.tv_sec * 1000000 + child_ru.ru_utime.tv_usec +
		      child_ru.ru_stime.tv_sec * 1000000 + child_ru.ru_stime.tv_usec >=
		  150000,
	      "the computing child's CPU time is reported");
	check(child_ru.ru_maxrss >= 8192, "and its peak memory");
	getrusage(RUSAGE_CHILDREN, &children);
	check(children.ru_maxrss >= 8192 &&
		  children.ru_utime.tv_sec * 1000000 + children.ru_utime.tv_usec +
			  children.ru_stime.tv_sec * 1000000 + children.ru_stime.tv_usec >=
		      150000,
	      "RUSAGE_CHILDREN counts it");
	times(&tms);
	check(tms.tms_cutime + tms.tms_cstime >= 15 * sysconf(_SC_CLK_TCK) / 100,
	      "times() counts it too");
}

/* RLIMIT_NOFILE binds open, dup, F_DUPFD and dup2, is inherited by fork, is per process. */
static void fd_limits(void)
{
	struct rlimit orig, r;
	pid_t pid;
	int st = -1;

	check(getrlimit(RLIMIT_NOFILE, &orig) == 0 && orig.rlim_cur >= 20 &&
		  orig.rlim_cur <= orig.rlim_max,
	      "getrlimit(RLIMIT_NOFILE): soft at least 20, not above hard");
	pid = fork();
	if (pid == 0) {
		int fd, last = -1;

		r = (struct rlimit){10, orig.rlim_max};
		check(setrlimit(RLIMIT_NOFILE, &r) == 0, "setrlimit(RLIMIT_NOFILE) to 10");
		check(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == 10 &&
			  r.rlim_max == orig.rlim_max,
		      "getrlimit reads it back: %lu", (unsigned long)r.rlim_cur);
		errno = 0;
		while ((fd = open("/dev/null", O_RDONLY)) >= 0)
			last = fd;
		check(last == 9 && errno == EMFILE, "open fails past fd %d: %s", last,
		      ename(errno));
		errno = 0;
		check(dup(0) < 0 && errno == EMFILE, "dup: %s", ename(errno));
		errno = 0;
		check(fcntl(0, F_DUPFD, 10) < 0 && errno == EINVAL, "F_DUPFD at the limit: %s",
		      ename(errno));
		errno = 0;
		check(dup2(0, 10) < 0 && errno == EBADF, "dup2 onto the limit: %s", ename(errno));
		close(9);
		check(dup(0) == 9, "a freed fd below the limit is reused");
		pid = fork();
		if (pid == 0)
			_exit(getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur == 10 ? 0 : 1);
		check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
		      "a forked child inherits the limit");
		r = (struct rlimit){20, 10};
		errno = 0;
		check(setrlimit(RLIMIT_NOFILE, &r) < 0 && errno == EINVAL, "soft above hard: %s",
		      ename(errno));
		check(prlimit(getppid(), RLIMIT_NOFILE, NULL, &r) == 0 &&
			  r.rlim_cur == orig.rlim_cur,
		      "the parent's limit is its own");
		r = (struct rlimit){orig.rlim_cur, orig.rlim_max};
		check(setrlimit(RLIMIT_NOFILE, &r) == 0 && open("/dev/null", O_RDONLY) == 10,
		      "raised again, open gets fd 10");
		fflush(stdout);
		_exit(failures);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the limit child passed");
}

/* Open descriptors, as /proc/self/fd lists them (not counting the listing's own). */
static int count_fds(void)
{
	int n = count_entries("/proc/self/fd");

	return n < 0 ? n : n - 1;
}

/* The program again through execve, from a child with 1000 descriptors (every other one of
 * the first 500 close-on-exec by F_SETFD, the last 500 by close_range) and a soft limit of
 * 2000: it reports what it got (main's "--fds"). */
static void exec_keeps(int base, const int *mine)
{
	char self[512], arg[16];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct rlimit r = {2000, 4096};
	pid_t pid;
	int st = -1;

	if (!check(len > 0, "readlink /proc/self/exe"))
		return;
	self[len] = 0;
	snprintf(arg, sizeof(arg), "%d", base);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		for (int i = 1; i < 500; i += 2)
			fcntl(mine[i], F_SETFD, FD_CLOEXEC);
		close_range((unsigned)mine[500], (unsigned)mine[999], CLOSE_RANGE_CLOEXEC);
		setrlimit(RLIMIT_NOFILE, &r);
		execl(self, "procsig", "--fds", arg, (char *)NULL);
		_exit(127);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the exec'd program ran");
}

/* What execve kept: run by exec_keeps with the count of descriptors its parent began with. */
static int after_exec(const char *base)
{
	struct rlimit r;

	line_buffered();
	check(getrlimit(RLIMIT_NOFILE, &r) == 0, "after execve: soft limit %lu, %d descriptors",
	      (unsigned long)r.rlim_cur, count_fds() - atoi(base));
	return failures;
}

static void *unshare_and_close(void *arg)
{
	int fd = *(int *)arg;

	return (void *)(long)(close_range((unsigned)fd, (unsigned)fd, CLOSE_RANGE_UNSHARE) == 0 &&
			      fcntl(fd, F_GETFD) < 0);
}

/* A thread shares its process's table until close_range unshares it. */
static void unshare_in_thread(int fd)
{
	pthread_t th;
	void *ok = NULL;

	check(pthread_create(&th, NULL, unshare_and_close, &fd) == 0 &&
		  pthread_join(th, &ok) == 0 && ok,
	      "a thread's close_range with CLOSE_RANGE_UNSHARE closes fd %d in its own copy", fd);
	check(fcntl(fd, F_GETFD) >= 0, "the process's fd %d stays open", fd);
}

/* In a child of its own: a thousand and then 4096 descriptors, fork, select, poll, epoll. */
static void many_fds_child(void)
{
	static int mine[1000];
	int base = count_fds(), null = open("/dev/null", O_RDONLY), p[2], fd, last = -1, n, ep = -1;
	struct pollfd pf = {.events = POLLIN};
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = 4000};
	struct timeval tv = {0, 0};
	struct rlimit r;
	fd_set rs;
	pid_t pid;
	int st = -1;

	mine[0] = null;
	for (n = 1; n < 1000 && (mine[n] = dup(null)) >= 0; n++)
		;
	check(n == 1000, "1000 descriptors open");
	check(count_fds() == base + 1000, "/proc/self/fd lists %d more", count_fds() - base);
	pid = fork();
	if (pid == 0) {
		int closed = 0;

		for (int i = 0; i < 1000; i++)
			closed += close(mine[i]) == 0;
		_exit(closed == 1000 && count_fds() == base ? 0 : 1);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "a forked child inherits the 1000 and closes them");
	for (n = 0; n < 1000 && fcntl(mine[n], F_GETFD) == 0; n++)
		;
	check(n == 1000, "the parent's stay open");
	exec_keeps(base, mine);

	check(pipe(p) == 0 && dup2(p[0], 1010) == 1010 && write(p[1], "x", 1) == 1,
	      "a pipe's read end at fd 1010");
	FD_ZERO(&rs);
	FD_SET(1010, &rs);
	check(select(1011, &rs, NULL, NULL, &tv) == 1 && FD_ISSET(1010, &rs),
	      "select sees fd 1010 readable");
	pf.fd = 1010;
	check(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "poll sees it too");

	errno = 0;
	while ((fd = dup(null)) >= 0)
		last = fd;
	check(last == 1023 && errno == EMFILE, "dup fails past fd %d: %s", last, ename(errno));
	errno = 0;
	check(open("/dev/null", O_RDONLY) < 0 && errno == EMFILE, "open: %s", ename(errno));
	errno = 0;
	fd = open("/tmp/procsig-emfile", O_WRONLY | O_CREAT, 0644);
	n = errno;
	check(fd < 0 && n == EMFILE && access("/tmp/procsig-emfile", F_OK) < 0,
	      "open with O_CREAT: %s, and nothing is created", ename(n));
	errno = 0;
	check(dup2(null, 1024) < 0 && errno == EBADF, "dup2 onto 1024: %s", ename(errno));
	errno = 0;
	check(fcntl(null, F_DUPFD, 1024) < 0 && errno == EINVAL, "F_DUPFD from 1024: %s",
	      ename(errno));
	close(1010);
	FD_ZERO(&rs);
	FD_SET(1010, &rs);
	errno = 0;
	check(select(1011, &rs, NULL, NULL, &tv) < 0 && errno == EBADF,
	      "select on the closed fd 1010: %s", ename(errno));

	r = (struct rlimit){4096, 4096};
	check(setrlimit(RLIMIT_NOFILE, &r) == 0 && sysconf(_SC_OPEN_MAX) == 4096,
	      "the soft limit raised to the hard one: sysconf(_SC_OPEN_MAX) %ld",
	      sysconf(_SC_OPEN_MAX));
	errno = 0;
	while ((fd = dup(null)) >= 0)
		last = fd;
	check(last == 4095 && errno == EMFILE, "dup fails past fd %d: %s", last, ename(errno));
	close(4000);
	close(3000);
	check(dup2(p[0], 4000) == 4000 && (ep = epoll_create1(0)) == 3000,
	      "the pipe at fd 4000, an epoll at 3000");
	pf.fd = 4000;
	check(poll(&pf, 1, 0) == 1 && (pf.revents & POLLIN), "poll sees fd 4000 readable");
	check(epoll_ctl(ep, EPOLL_CTL_ADD, 4000, &ev) == 0 && epoll_wait(ep, &ev, 1, 0) == 1 &&
		  ev.data.fd == 4000,
	      "so does epoll");

	errno = 0;
	check(close_range(10, 9, 0) < 0 && errno == EINVAL, "close_range of 10..9: %s",
	      ename(errno));
	errno = 0;
	check(close_range(3, 3, 8) < 0 && errno == EINVAL, "close_range with flag 8: %s",
	      ename(errno));
	unshare_in_thread(3001);
	check(close_range(3, ~0U, 0) == 0 && count_fds() == base,
	      "close_range from 3 on closes them all");
	r = (struct rlimit){2048, 2048};
	check(setrlimit(RLIMIT_NOFILE, &r) == 0, "the hard limit lowered to 2048");
	/* Raising it again needs CAP_SYS_RESOURCE, which a host's root may lack: not shown. */
	r = (struct rlimit){2048, (1 << 20) + 1};
	errno = 0;
	check(setrlimit(RLIMIT_NOFILE, &r) < 0 && errno == EPERM, "past nr_open: %s", ename(errno));
}

/* Linux's limits for init, which every process inherits: 1024 soft, 4096 hard. */
static void many_fds(void)
{
	struct rlimit r;
	pid_t pid;
	int st = -1;

	check(getrlimit(RLIMIT_NOFILE, &r) == 0, "RLIMIT_NOFILE soft %lu, hard %lu",
	      (unsigned long)r.rlim_cur, (unsigned long)r.rlim_max);
	check(sysconf(_SC_OPEN_MAX) == (long)r.rlim_cur, "sysconf(_SC_OPEN_MAX) %ld",
	      sysconf(_SC_OPEN_MAX));
	pid = fork();
	if (pid == 0) {
		many_fds_child();
		fflush(stdout);
		_exit(failures);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "the descriptors child passed");
}

/* 2000 different files open at once (empty, on /tmp): what an open file costs the kernel must
 * be small, as on Linux, not a path buffer of PATH_MAX each. */
static void many_files(void)
{
	enum { N = 2000 };
	static int fd[N];
	char dir[] = "/tmp/procsig.XXXXXX", name[64];
	struct rlimit r = {4096, 4096};
	int n = 0, same = 0;
	struct stat a, b;

	check(setrlimit(RLIMIT_NOFILE, &r) == 0, "soft limit raised to 4096");
	check(mkdtemp(dir) != NULL, "a directory for %d files", N);
	for (; n < N; n++) {
		snprintf(name, sizeof(name), "%s/file-%04d", dir, n);
		fd[n] = open(name, O_CREAT | O_EXCL | O_RDWR, 0600);
		if (fd[n] < 0)
			break;
	}
	check(n == N, "%d different files open at once (%s)", n, n == N ? "0" : ename(errno));
	/* Each descriptor still names its own file. */
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/file-%04d", dir, i);
		same += fstat(fd[i], &a) == 0 && stat(name, &b) == 0 && a.st_ino == b.st_ino;
	}
	check(same == n, "every descriptor is its own file");
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s/file-%04d", dir, i);
		close(fd[i]);
		unlink(name);
	}
	check(rmdir(dir) == 0, "all closed and removed");
	r = (struct rlimit){1024, 4096};
	check(setrlimit(RLIMIT_NOFILE, &r) == 0, "soft limit back to 1024");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--fds") == 0)
		return after_exec(argv[2]);
	line_buffered();
	fd_limits();
	many_fds();
	many_files();
	queued_signals();
	waiting_for_signals();
	waitid_cases();
	no_zombies();
	identity_and_scheduling();
	resource_usage();
	return finish("procsig");
}
