/* Starry test: epoll (level- and edge-triggered, one-shot, nested, timeouts, signals), POSIX
 * timers (timer_create with each notification, periodic, overruns, absolute real time),
 * blocking record locks, /proc/self/fd and /dev/fd, /dev/stdout. The output is compared with
 * a native run. */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
{
	switch (e) {
	case EPERM:
		return "EPERM";
	case ELOOP:
		return "ELOOP";
	default:
		return ename(e);
	}
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* epoll_wait with timeout ms: how many events, and the first's mask and data in *ev. */
static int wait1(int ep, int ms, struct epoll_event *ev)
{
	struct epoll_event evs[8];
	int n = epoll_wait(ep, evs, 8, ms);

	if (n > 0 && ev)
		*ev = evs[0];
	return n;
}

static int add(int ep, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data.u64 = data};

	return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void epoll_errors(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC), file, p[2];
	struct epoll_event ev = {.events = EPOLLIN};

	check(ep >= 0 && (fcntl(ep, F_GETFD) & FD_CLOEXEC), "epoll_create1(EPOLL_CLOEXEC)");
	errno = 0;
	check(epoll_create1(O_NONBLOCK) < 0 && errno == EINVAL, "epoll_create1 bad flags: %s",
	      errname(errno));
	file = open("/proc/self/stat", O_RDONLY);
	errno = 0;
	check(file >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, file, &ev) < 0 && errno == EPERM,
	      "epoll_ctl on a regular file: %s", errname(errno));
	close(file);
	check(pipe(p) == 0 && add(ep, p[0], EPOLLIN, 1) == 0, "add a pipe");
	errno = 0;
	check(add(ep, p[0], EPOLLIN, 1) < 0 && errno == EEXIST, "add it twice: %s", errname(errno));
	errno = 0;
	check(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev) < 0 && errno == ENOENT,
	      "modify what is not there: %s", errname(errno));
	errno = 0;
	check(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL) < 0 && errno == ENOENT,
	      "delete what is not there: %s", errname(errno));
	errno = 0;
	check(add(ep, ep, EPOLLIN, 0) < 0 && errno == EINVAL, "add itself: %s", errname(errno));
	errno = 0;
	check(add(ep, 99, EPOLLIN, 0) < 0 && errno == EBADF, "add a bad fd: %s", errname(errno));
	errno = 0;
	check(add(p[0], p[1], EPOLLIN, 0) < 0 && errno == EINVAL, "add to a pipe: %s",
	      errname(errno));
	errno = 0;
	check(epoll_wait(ep, &ev, 0, 0) < 0 && errno == EINVAL, "wait for 0 events: %s",
	      errname(errno));
	errno = 0;
	check(epoll_wait(p[0], &ev, 1, 0) < 0 && errno == EINVAL, "wait on a pipe: %s",
	      errname(errno));
	check(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0 && wait1(ep, 0, NULL) == 0,
	      "deleted: nothing to wait for");
	close(p[0]);
	close(p[1]);
	close(ep);
}

static void epoll_pipes(void)
{
	int ep = epoll_create1(0), p[2], q[2], n;
	struct epoll_event ev;
	char buf[70000];

	/* Level-triggered: reported as long as there is data. */
	check(pipe(p) == 0 && add(ep, p[0], EPOLLIN, 0x1234567890ULL) == 0, "watch a pipe");
	check(wait1(ep, 0, NULL) == 0, "empty pipe: no event");
	check(write(p[1], "abc", 3) == 3, "write 3 bytes");
	n = wait1(ep, 0, &ev);
	check(n == 1 && ev.events == EPOLLIN && ev.data.u64 == 0x1234567890ULL,
	      "level: %d event, %#x, data kept", n, n > 0 ? ev.events : 0);
	check(wait1(ep, 0, NULL) == 1, "level: reported again");
	check(read(p[0], buf, sizeof(buf)) == 3 && wait1(ep, 0, NULL) == 0, "drained: no event");

	/* Edge-triggered: once per change from not ready to ready. */
	check(pipe2(q, O_NONBLOCK) == 0 && add(ep, q[0], EPOLLIN | EPOLLET, 2) == 0,
	      "watch another pipe, EPOLLET");
	check(write(q[1], "hello", 5) == 5, "write 5 bytes");
	n = wait1(ep, 1000, &ev);
	check(n == 1 && ev.data.u64 == 2, "edge: one event");
	check(wait1(ep, 0, NULL) == 0, "edge: not again while nothing changed");
	check(read(q[0], buf, 2) == 2 && wait1(ep, 0, NULL) == 0,
	      "edge: a partial read is no edge");
	check(read(q[0], buf, sizeof(buf)) == 3 && read(q[0], buf, 1) < 0 && errno == EAGAIN,
	      "drained to EAGAIN");
	check(write(q[1], "x", 1) == 1 && wait1(ep, 1000, &ev) == 1 && ev.data.u64 == 2,
	      "edge: new data after EAGAIN is an edge");
	check(read(q[0], buf, sizeof(buf)) == 1, "read it");

	/* The write end: writable until full, and again once drained. */
	check(add(ep, q[1], EPOLLOUT, 3) == 0, "watch the write end for EPOLLOUT");
	n = wait1(ep, 0, &ev);
	check(n == 1 && ev.events == EPOLLOUT && ev.data.u64 == 3, "empty pipe is writable");
	while (write(q[1], buf, sizeof(buf)) > 0)
		;
	check(errno == EAGAIN && wait1(ep, 0, &ev) == 1 && ev.data.u64 == 2,
	      "full: only the read end is ready");
	while (read(q[0], buf, sizeof(buf)) > 0)
		;
	n = wait1(ep, 0, &ev);
	check(n == 1 && ev.events == EPOLLOUT, "drained: writable again");

	/* A hang-up needs no asking for. */
	check(epoll_ctl(ep, EPOLL_CTL_DEL, q[1], NULL) == 0, "stop watching the write end");
	close(q[1]);
	n = wait1(ep, 0, &ev);
	check(n == 1 && (ev.events & EPOLLHUP) && ev.data.u64 == 2, "writer gone: EPOLLHUP");
	close(q[0]);
	close(p[0]);
	close(p[1]);
	check(wait1(ep, 0, NULL) == 0, "closed descriptors leave the set");
	close(ep);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void epoll_others(void)
{
	int ep = epoll_create1(0), inner = epoll_create1(0), efd = eventfd(0, EFD_NONBLOCK), n;
	int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	struct itimerspec its = {.it_value = {0, 20000000}};
	struct sigaction sa = {.sa_handler = on_alarm};
	/* Periodic: a signal that came before the wait began is followed by another. */
	struct itimerval itv = {.it_value = {0, 30000}, .it_interval = {0, 30000}};
	struct epoll_event ev;
	uint64_t v = 1;
	int64_t t0;

	/* One-shot: reported once, then silent until re-armed. */
	check(add(ep, efd, EPOLLIN | EPOLLONESHOT, 4) == 0, "eventfd, EPOLLONESHOT");
	check(write(efd, &v, sizeof(v)) == sizeof(v) && wait1(ep, 0, &ev) == 1 && ev.data.u64 == 4,
	      "one-shot: reported");
	check(wait1(ep, 0, NULL) == 0, "one-shot: disarmed though still readable");
	ev = (struct epoll_event){.events = EPOLLIN | EPOLLONESHOT, .data.u64 = 5};
	check(epoll_ctl(ep, EPOLL_CTL_MOD, efd, &ev) == 0 && wait1(ep, 0, &ev) == 1 &&
		  ev.data.u64 == 5,
	      "re-armed by EPOLL_CTL_MOD");

	/* Nested: an epoll set is readable when its own set has an event; no loops. */
	ev = (struct epoll_event){.events = EPOLLIN, .data.u64 = 6};
	check(epoll_ctl(ep, EPOLL_CTL_DEL, efd, NULL) == 0 && add(inner, efd, EPOLLIN, 7) == 0 &&
		  add(ep, inner, EPOLLIN, 6) == 0,
	      "an epoll set inside another");
	n = wait1(ep, 0, &ev);
	check(n == 1 && ev.events == EPOLLIN && ev.data.u64 == 6, "outer set sees the inner event");
	errno = 0;
	check(add(inner, ep, EPOLLIN, 8) < 0 && errno == ELOOP, "a loop of sets: %s",
	      errname(errno));
	check(read(efd, &v, sizeof(v)) == sizeof(v) && wait1(ep, 0, NULL) == 0,
	      "inner event consumed: outer quiet");
	close(inner);

	/* A timerfd wakes a blocking wait. */
	/* The clock is read before arming: a VM may be descheduled at any point. */
	t0 = now_ms();
	check(add(ep, tfd, EPOLLIN, 9) == 0 && timerfd_settime(tfd, 0, &its, NULL) == 0,
	      "timerfd armed for 20 ms");
	n = wait1(ep, 5000, &ev);
	check(n == 1 && ev.data.u64 == 9 && now_ms() - t0 >= 15, "timerfd woke epoll_wait");
	check(read(tfd, &v, sizeof(v)) == sizeof(v) && v == 1, "one expiry");

	/* A timeout, then a signal. */
	t0 = now_ms();
	check(wait1(ep, 50, NULL) == 0 && now_ms() - t0 >= 45, "50 ms timeout");
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &itv, NULL);
	errno = 0;
	check(wait1(ep, -1, NULL) < 0 && errno == EINTR, "a signal ends the wait: %s",
	      errname(errno));
	itv = (struct itimerval){0};
	setitimer(ITIMER_REAL, &itv, NULL);
	close(tfd);
	close(efd);
	close(ep);
}

/* --- POSIX timers ------------------------------------------------------------------------------
 */

static volatile sig_atomic_t got_code, got_value, got_timerid, got_count;

static void on_timer(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	got_code = si->si_code;
	got_value = si->si_value.sival_int;
	got_timerid = si->si_timerid;
	got_count++;
}

static int tid_of_thread;
static volatile int thread_got;

static void *timer_thread(void *arg)
{
	sigset_t set;
	siginfo_t si;

	(void)arg;
	tid_of_thread = (int)syscall(SYS_gettid);
	sigemptyset(&set);
	sigaddset(&set, SIGRTMIN + 2);
	if (sigwaitinfo(&set, &si) == SIGRTMIN + 2 && si.si_code == SI_TIMER)
		thread_got = (int)syscall(SYS_gettid) == tid_of_thread ? 1 : 2;
	return NULL;
}

static void posix_timers(void)
{
	struct sigevent sev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGRTMIN + 1};
	struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO};
	struct itimerspec its = {.it_value = {0, 20000000}}, cur;
	sigset_t block, empty, old;
	timer_t t, t2, tn;
	siginfo_t si;
	pthread_t th;
	int n, ov;

	sigemptyset(&empty);
	sigemptyset(&block);
	sigaddset(&block, SIGRTMIN + 1);
	sigaction(SIGRTMIN + 1, &sa, NULL);
	/* A one-shot timer's signal and its siginfo. */
	sev.sigev_value.sival_int = 42;
	check(timer_create(CLOCK_MONOTONIC, &sev, &t) == 0, "timer_create: first id %ld",
	      (long)(intptr_t)t);
	sigprocmask(SIG_BLOCK, &block, &old);
	check(timer_settime(t, 0, &its, NULL) == 0, "armed for 20 ms");
	while (!got_count)
		sigsuspend(&empty);
	check(got_code == SI_TIMER && got_value == 42 && got_timerid == (int)(intptr_t)t,
	      "SI_TIMER, the sigev_value and the timer id");
	check(timer_gettime(t, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
	      "expired one-shot: disarmed");

	/* Periodic: 5 signals 10 ms apart, taken by sigwaitinfo. */
	its = (struct itimerspec){.it_interval = {0, 10000000}, .it_value = {0, 10000000}};
	n = 0;
	check(timer_settime(t, 0, &its, NULL) == 0, "periodic, 10 ms");
	while (n < 5 && sigwaitinfo(&block, &si) == SIGRTMIN + 1 && si.si_code == SI_TIMER)
		n++;
	check(n == 5, "5 periodic expiries");
	/* Overruns: expiries while the signal waits count, and timer_getoverrun tells. */
	sleep_ms(100);
	got_count = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (!got_count)
		pause();
	sigprocmask(SIG_BLOCK, &block, NULL);
	ov = timer_getoverrun(t);
	check(ov >= 3, "overruns counted while blocked (at least 3)");
	its = (struct itimerspec){0};
	check(timer_settime(t, 0, &its, &cur) == 0 && cur.it_interval.tv_nsec == 10000000,
	      "disarm: old setting returned");

	/* timer_gettime counts down. */
	its = (struct itimerspec){.it_value = {10, 0}, .it_interval = {1, 500}};
	check(timer_settime(t, 0, &its, NULL) == 0 && timer_gettime(t, &cur) == 0 &&
		  cur.it_value.tv_sec >= 9 && cur.it_value.tv_sec <= 10 &&
		  cur.it_interval.tv_sec == 1 && cur.it_interval.tv_nsec == 500,
	      "timer_gettime: value left and interval");

	/* SIGEV_NONE: no signal, but it runs out. */
	sev.sigev_notify = SIGEV_NONE;
	its = (struct itimerspec){.it_value = {0, 500000000}};
	check(timer_create(CLOCK_MONOTONIC, &sev, &tn) == 0 && (intptr_t)tn == 1 &&
		  timer_settime(tn, 0, &its, NULL) == 0,
	      "SIGEV_NONE timer, id 1");
	check(timer_gettime(tn, &cur) == 0 && cur.it_value.tv_nsec > 0, "SIGEV_NONE: running");
	sleep_ms(600);
	check(timer_gettime(tn, &cur) == 0 && cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec == 0,
	      "SIGEV_NONE: ran out");

	/* CLOCK_REALTIME, absolute. */
	sev.sigev_notify = SIGEV_SIGNAL;
	check(timer_create(CLOCK_REALTIME, &sev, &t2) == 0, "CLOCK_REALTIME timer");
	clock_gettime(CLOCK_REALTIME, &its.it_value);
	its.it_value.tv_nsec += 30000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	check(timer_settime(t2, TIMER_ABSTIME, &its, NULL) == 0 &&
		  sigwaitinfo(&block, &si) == SIGRTMIN + 1 && si.si_timerid == (int)(intptr_t)t2,
	      "absolute real-time expiry");
	timer_delete(t2);

	/* SIGEV_THREAD_ID: to one thread. */
	sigaddset(&block, SIGRTMIN + 2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pthread_create(&th, NULL, timer_thread, NULL);
	while (!__atomic_load_n(&tid_of_thread, __ATOMIC_SEQ_CST))
		sleep_ms(1);
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 2;
#ifdef sigev_notify_thread_id
	sev.sigev_notify_thread_id = tid_of_thread;
#else
	sev._sigev_un._tid = tid_of_thread;
#endif
	its = (struct itimerspec){.it_value = {0, 20000000}};
	check(timer_create(CLOCK_MONOTONIC, &sev, &t2) == 0 &&
		  timer_settime(t2, 0, &its, NULL) == 0,
	      "SIGEV_THREAD_ID timer");
	pthread_join(th, NULL);
	check(thread_got == 1, "the chosen thread took it");
	timer_delete(t2);

	/* Errors. */
	errno = 0;
	check(timer_create(99, &sev, &t2) < 0 && errno == EINVAL, "bad clock: %s", errname(errno));
	sev.sigev_notify = SIGEV_SIGNAL;
	sev.sigev_signo = 100;
	errno = 0;
	check(timer_create(CLOCK_MONOTONIC, &sev, &t2) < 0 && errno == EINVAL, "bad signal: %s",
	      errname(errno));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGRTMIN + 2;
#ifdef sigev_notify_thread_id
	sev.sigev_notify_thread_id = 999999;
#else
	sev._sigev_un._tid = 999999;
#endif
	errno = 0;
	check(timer_create(CLOCK_MONOTONIC, &sev, &t2) < 0 && errno == EINVAL, "bad thread: %s",
	      errname(errno));
	its = (struct itimerspec){.it_value = {0, 1000000000}};
	errno = 0;
	check(timer_settime(t, 0, &its, NULL) < 0 && errno == EINVAL, "bad nanoseconds: %s",
	      errname(errno));
	/* fork: the child has no timers. */
	if (fork() == 0)
		_exit(timer_gettime(t, &cur) < 0 && errno == EINVAL ? 0 : 1);
	check(wait(&n) > 0 && WIFEXITED(n) && WEXITSTATUS(n) == 0, "a forked child has no timers");
	check(timer_delete(t) == 0 && timer_delete(tn) == 0, "timer_delete");
	errno = 0;
	check(timer_delete(t) < 0 && errno == EINVAL, "deleted twice: %s", errname(errno));
	errno = 0;
	check(timer_getoverrun(t) < 0 && errno == EINVAL, "overrun of a deleted timer: %s",
	      errname(errno));
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* --- blocking record locks ------------------------------------------------------------------ */

static void record_locks(const char *dir)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 10, .l_len = 10};
	char path[512];
	int fd, up[2], st = 0;
	pid_t pid;
	char c;

	snprintf(path, sizeof(path), "%s/events.lock", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && fcntl(fd, F_SETLK, &fl) == 0, "parent locks bytes 10..19");
	check(pipe(up) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		struct flock w = {
		    .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 15, .l_len = 1};
		int cfd = open(path, O_RDWR);
		int64_t t0;

		if (fcntl(cfd, F_GETLK, &w) != 0 || w.l_type != F_WRLCK || w.l_pid != getppid() ||
		    w.l_start != 10 || w.l_len != 10)
			_exit(2);
		w = (struct flock){
		    .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 15, .l_len = 1};
		if (fcntl(cfd, F_SETLK, &w) == 0 || (errno != EAGAIN && errno != EACCES))
			_exit(3);
		t0 = now_ms(); /* before the parent can start its 60 ms */
		if (write(up[1], "w", 1) != 1)
			_exit(4);
		if (fcntl(cfd, F_SETLKW, &w) != 0)
			_exit(5);
		_exit(now_ms() - t0 >= 30 ? 0 : 6);
	}
	check(read(up[0], &c, 1) == 1, "the child found the lock and waits");
	sleep_ms(60);
	/* Closing any descriptor of the file drops the process's locks. */
	check(close(open(path, O_RDONLY)) == 0, "close another descriptor of the file");
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	      "F_SETLKW waited for the lock (status %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	close(up[0]);
	close(up[1]);
	close(fd);
	unlink(path);
}

/* --- descriptors as names ------------------------------------------------------------------ */

static void fd_names(const char *dir)
{
	char path[512], link[512], buf[64];
	int fd, fd2, p[2], listed = 0, numeric = 1, found = 0;
	struct stat a, b;
	struct dirent *de;
	ssize_t n;
	DIR *d;

	snprintf(path, sizeof(path), "%s/events.fd", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	check(fd >= 0 && write(fd, "0123456789", 10) == 10, "a file with 10 bytes");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(n > 0 && strcmp(buf, path) == 0, "readlink /proc/self/fd/N: its path");
	d = opendir("/proc/self/fd");
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		listed++;
		numeric &= de->d_name[strspn(de->d_name, "0123456789")] == '\0';
		found |= atoi(de->d_name) == fd;
	}
	check(d && listed >= 5 && numeric && found,
	      "/proc/self/fd lists stdin, stdout, stderr, the file and itself, by number");
	if (d)
		closedir(d);
	/* Opening the link opens the file again: the same file, an offset of its own. */
	fd2 = open(link, O_RDONLY);
	check(fd2 >= 0 && fd2 != fd && read(fd2, buf, 4) == 4 && memcmp(buf, "0123", 4) == 0,
	      "open /proc/self/fd/N reads the file from the start");
	check(fstat(fd, &a) == 0 && fstat(fd2, &b) == 0 && a.st_ino == b.st_ino &&
		  a.st_dev == b.st_dev,
	      "the same file");
	check(lseek(fd, 0, SEEK_CUR) == 10, "the first descriptor's offset is its own");
	close(fd2);
	snprintf(link, sizeof(link), "/dev/fd/%d", fd);
	check(stat(link, &b) == 0 && a.st_ino == b.st_ino && b.st_size == 10,
	      "stat /dev/fd/N follows to the file");
	fd2 = open(link, O_RDONLY);
	check(fd2 >= 0 && pread(fd2, buf, 3, 7) == 3 && memcmp(buf, "789", 3) == 0,
	      "open /dev/fd/N");
	close(fd2);
	n = readlink("/dev/stdout", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(strcmp(buf, "/proc/self/fd/1") == 0, "readlink /dev/stdout: %s", buf);
	n = readlink("/dev/fd", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(strcmp(buf, "/proc/self/fd") == 0, "readlink /dev/fd: %s", buf);
	fflush(stdout);
	fd2 = open("/dev/stdout", O_WRONLY);
	check(fd2 >= 0 && write(fd2, "written to /dev/stdout\n", 23) == 23, "write to /dev/stdout");
	close(fd2);
	/* A pipe through its link: the same pipe. */
	check(pipe(p) == 0, "a pipe");
	snprintf(link, sizeof(link), "/proc/self/fd/%d", p[1]);
	n = readlink(link, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check(strncmp(buf, "pipe:[", 6) == 0, "readlink of a pipe: pipe:[...]");
	fd2 = open(link, O_WRONLY);
	check(fd2 >= 0 && write(fd2, "p", 1) == 1 && read(p[0], buf, 1) == 1 && buf[0] == 'p',
	      "writing the pipe's link reaches the pipe");
	close(fd2);
	close(p[0]);
	close(p[1]);
	errno = 0;
	check(readlink("/proc/self/fd/63", buf, sizeof(buf)) < 0 && errno == ENOENT,
	      "a closed descriptor has no link: %s", errname(errno));
	errno = 0;
	check(open("/dev/fd/63", O_RDONLY) < 0 && errno == ENOENT, "nor can it be opened: %s",
	      errname(errno));
	close(fd);
	unlink(path);
}

int main(int argc, char **argv)
{
	line_buffered();
	epoll_errors();
	epoll_pipes();
	epoll_others();
	posix_timers();
	record_locks(argc > 1 ? argv[1] : "/tmp");
	fd_names(argc > 1 ? argv[1] : "/tmp");
	return finish("events");
}
