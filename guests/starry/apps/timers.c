/* Starry test: interval timers (alarm, setitimer/getitimer: real, virtual, profiling), alarm
 * then pause, sleeps a signal interrupts (EINTR and the time left), select's updated timeout,
 * the signal masks of ppoll and pselect, and timerfd. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static volatile sig_atomic_t alarms, vtalarms, profs, usr1s;

static void on_signal(int sig)
{
	if (sig == SIGALRM)
		alarms++;
	else if (sig == SIGVTALRM)
		vtalarms++;
	else if (sig == SIGPROF)
		profs++;
	else if (sig == SIGUSR1)
		usr1s++;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void arm_real(long value_ms, long interval_ms)
{
	struct itimerval it = {{interval_ms / 1000, interval_ms % 1000 * 1000},
			       {value_ms / 1000, value_ms % 1000 * 1000}};

	setitimer(ITIMER_REAL, &it, NULL);
}

static void real_timers(void)
{
	struct itimerval it = {{0, 0}, {1, 0}}, old, cur;
	int64_t t0;
	int r;

	check(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer arms a 1 s timer");
	check(getitimer(ITIMER_REAL, &cur) == 0 &&
		  cur.it_value.tv_sec * 1000000 + cur.it_value.tv_usec > 500000 &&
		  cur.it_value.tv_sec * 1000000 + cur.it_value.tv_usec <= 1000000 &&
		  cur.it_interval.tv_sec == 0 && cur.it_interval.tv_usec == 0,
	      "getitimer shows the time left");
	memset(&it, 0, sizeof(it));
	check(setitimer(ITIMER_REAL, &it, &old) == 0 &&
		  old.it_value.tv_sec * 1000000 + old.it_value.tv_usec > 500000,
	      "disarming returns the old value");
	check(getitimer(ITIMER_REAL, &cur) == 0 && cur.it_value.tv_sec == 0 &&
		  cur.it_value.tv_usec == 0,
	      "and leaves it disarmed");

	t0 = now_ms();
	arm_real(50, 0);
	r = pause();
	check(r == -1 && errno == EINTR && alarms == 1, "pause() ends with SIGALRM: %s, %d",
	      ename(errno), alarms);
	check(now_ms() - t0 >= 50, "no sooner than 50 ms");

	alarms = 0;
	arm_real(20, 20);
	while (alarms < 3)
		pause();
	arm_real(0, 0);
	check(alarms == 3, "a periodic timer fired 3 times");

	errno = 0;
	check(setitimer(5, &it, NULL) == -1 && errno == EINVAL, "an unknown timer: %s",
	      ename(errno));
	it.it_value.tv_usec = 1000000;
	errno = 0;
	check(setitimer(ITIMER_REAL, &it, NULL) == -1 && errno == EINVAL,
	      "tv_usec of a million: %s", ename(errno));
}

static void alarm_pause(void)
{
	unsigned left;
	int64_t t0;

	check(alarm(5) == 0, "alarm(5) had no alarm before");
	left = alarm(0);
	check(left == 5, "alarm(0) cancels it, %u s left", left);
	alarms = 0;
	t0 = now_ms();
	alarm(1);
	pause();
	check(alarms == 1 && now_ms() - t0 >= 1000, "alarm(1); pause() returns after the alarm");
}

static void cpu_timers(void)
{
	struct itimerval it = {{0, 0}, {0, 30000}};
	volatile uint64_t x = 0;

	check(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0, "ITIMER_VIRTUAL armed for 30 ms of CPU");
	while (!vtalarms)
		x++;
	check(vtalarms == 1, "SIGVTALRM after computing");
	check(setitimer(ITIMER_PROF, &it, NULL) == 0, "ITIMER_PROF armed");
	while (!profs)
		x++;
	check(profs == 1, "SIGPROF after computing");
	(void)x;
}

static void interrupted_sleeps(void)
{
	struct timespec req = {2, 0}, rem = {0, 0};
	int r;

	arm_real(30, 0);
	r = nanosleep(&req, &rem);
	check(r == -1 && errno == EINTR, "nanosleep interrupted: %s", ename(errno));
	check(rem.tv_sec == 1 && rem.tv_nsec > 0, "with the time left in rem (1.9x s)");

	arm_real(30, 0);
	rem.tv_sec = 0;
	r = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	check(r == EINTR && rem.tv_sec == 1, "clock_nanosleep interrupted: %s, time left",
	      ename(r));

	arm_real(30, 0);
	clock_gettime(CLOCK_MONOTONIC, &req);
	req.tv_sec += 2;
	r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &req, NULL);
	check(r == EINTR, "an absolute clock_nanosleep interrupted: %s", ename(r));
}

static void select_timeout(void)
{
	struct timeval tv = {0, 50000};
	int fds[2], r;
	fd_set rd;
	pid_t child;

	check(select(0, NULL, NULL, NULL, &tv) == 0 && tv.tv_sec == 0 && tv.tv_usec == 0,
	      "select that timed out leaves a zero timeout");
	pipe(fds);
	child = fork();
	if (child == 0) {
		usleep(30000);
		write(fds[1], "x", 1);
		_exit(0);
	}
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv.tv_sec = 2;
	tv.tv_usec = 0;
	r = select(fds[0] + 1, &rd, NULL, NULL, &tv);
	check(r == 1 && FD_ISSET(fds[0], &rd), "select sees the pipe readable");
	check(tv.tv_sec == 1 && tv.tv_usec > 0, "and its timeout holds the time left (1.9x s)");
	waitpid(child, NULL, 0);
	close(fds[0]);
	close(fds[1]);
}

/* ppoll and pselect install their mask for the call only. */
static void poll_masks(void)
{
	struct timespec ts = {2, 0};
	sigset_t block_usr1, during, now;
	pid_t child;
	int r;

	sigemptyset(&block_usr1);
	sigaddset(&block_usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block_usr1, NULL);
	child = fork();
	if (child == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigemptyset(&during);
	r = ppoll(NULL, 0, &ts, &during);
	check(r == -1 && errno == EINTR && usr1s == 1, "ppoll with SIGUSR1 unblocked takes it: %s",
	      ename(errno));
	sigprocmask(SIG_BLOCK, NULL, &now);
	check(sigismember(&now, SIGUSR1), "SIGUSR1 is blocked again after ppoll");
	waitpid(child, NULL, 0);

	child = fork();
	if (child == 0) {
		usleep(30000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	ts.tv_sec = 2;
	r = pselect(0, NULL, NULL, NULL, &ts, &during);
	check(r == -1 && errno == EINTR && usr1s == 2, "pselect likewise: %s", ename(errno));
	waitpid(child, NULL, 0);

	/* The other way round: blocked during the call, delivered once it returns. */
	sigprocmask(SIG_UNBLOCK, &block_usr1, NULL);
	child = fork();
	if (child == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	waitpid(child, NULL, 0);
	check(usr1s == 3, "an unblocked SIGUSR1 is taken at once");
	arm_real(20, 0);
	sigemptyset(&during);
	sigaddset(&during, SIGALRM);
	alarms = 0;
	ts.tv_sec = 0;
	ts.tv_nsec = 100000000;
	r = ppoll(NULL, 0, &ts, &during);
	check(r == 0 && alarms == 1, "ppoll blocking SIGALRM times out; the handler runs after");
}

static void timerfds(void)
{
	struct itimerspec its = {{0, 0}, {0, 30000000}}, cur;
	struct pollfd p;
	uint64_t n = 0;
	int64_t t0 = now_ms();
	int fd = timerfd_create(CLOCK_MONOTONIC, 0), nb;

	check(fd >= 0 && timerfd_settime(fd, 0, &its, NULL) == 0, "timerfd armed for 30 ms");
	check(timerfd_gettime(fd, &cur) == 0 && cur.it_value.tv_nsec > 0 &&
		  cur.it_value.tv_nsec <= 30000000,
	      "timerfd_gettime shows the time left");
	check(read(fd, &n, 8) == 8 && n == 1 && now_ms() - t0 >= 30,
	      "a blocking read returns one expiration, no sooner than 30 ms");
	errno = 0;
	check(read(fd, &n, 4) == -1 && errno == EINVAL, "a short read: %s", ename(errno));
	close(fd);

	nb = timerfd_create(CLOCK_REALTIME, TFD_NONBLOCK | TFD_CLOEXEC);
	errno = 0;
	check(read(nb, &n, 8) == -1 && errno == EAGAIN, "nothing yet: %s", ename(errno));
	its.it_interval.tv_nsec = 10000000;
	its.it_value.tv_nsec = 10000000;
	timerfd_settime(nb, 0, &its, NULL);
	usleep(65000);
	p.fd = nb;
	p.events = POLLIN;
	check(poll(&p, 1, 0) == 1 && p.revents == POLLIN, "poll: readable after expiries");
	check(read(nb, &n, 8) == 8 && n >= 3,
	      "a periodic timer counts every expiry since the last read");
	memset(&its, 0, sizeof(its));
	check(timerfd_settime(nb, 0, &its, &cur) == 0 && cur.it_interval.tv_nsec == 10000000,
	      "disarmed; the old setting comes back");
	check(timerfd_gettime(nb, &cur) == 0 && cur.it_value.tv_sec == 0 &&
		  cur.it_value.tv_nsec == 0,
	      "and it reads as disarmed");
	clock_gettime(CLOCK_MONOTONIC, &its.it_value);
	check(timerfd_settime(nb, TFD_TIMER_ABSTIME, &its, NULL) == 0, "an absolute time, now");
	usleep(20000);
	check(read(nb, &n, 8) == 8 && n == 1, "has expired");
	close(nb);
	errno = 0;
	check(timerfd_create(12345, 0) == -1 && errno == EINVAL, "an unknown clock: %s",
	      ename(errno));
}

int main(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	line_buffered();
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGVTALRM, &sa, NULL);
	sigaction(SIGPROF, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	real_timers();
	alarm_pause();
	cpu_timers();
	interrupted_sleeps();
	select_timeout();
	poll_masks();
	timerfds();
	return finish("timers");
}
