/* The wall clock as Linux programs see it (guest only: setting the clock needs root): the
 * real-time clocks at the host's time, settimeofday/clock_settime and their errors, absolute
 * real-time waits, and FAT timestamps. Prints "clock: year N" lines for the test to compare. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

#define SET_2001 978307200LL /* 2001-01-01 00:00:00 UTC */
#define SETTOD_MAX 8277292036LL

static long raw_settime(long clock, const struct timespec *ts)
{
	return syscall(SYS_clock_settime, clock, ts);
}

static int64_t ns_of(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int year_of(time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	return tm.tm_year + 1900;
}

/* busybox date with one argument in a child: what a shell user sees (or does). */
static void busybox_date(const char *arg1, const char *arg2)
{
	pid_t pid;
	int status;

	printf("clock: busybox date %s%s%s:\n", arg1, arg2 ? " " : "", arg2 ? arg2 : "");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execl("/bin/busybox", "date", "-u", arg1, arg2, (char *)NULL);
		_exit(127);
	}
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		  WEXITSTATUS(status) == 0,
	      "busybox date ran");
}

/* The real-time clocks agree with each other and are not "seconds since boot". */
static void read_clocks(const char *when)
{
	struct timeval tv;
	time_t t = time(NULL);
	int64_t rt = ns_of(CLOCK_REALTIME), mono = ns_of(CLOCK_MONOTONIC);
	int64_t coarse = ns_of(CLOCK_REALTIME_COARSE);

	gettimeofday(&tv, NULL);
	printf("clock: %s: time %lld, year %d\n", when, (long long)t, year_of(t));
	check(llabs(rt / 1000000000 - t) <= 1 && llabs(tv.tv_sec - t) <= 1 &&
		  llabs(coarse / 1000000000 - t) <= 1,
	      "%s: time, gettimeofday, CLOCK_REALTIME(_COARSE) agree", when);
	check(rt - mono > 100LL * 365 * 86400 * 1000000000 / 10, "%s: real time is not uptime",
	      when);
}

static void settime_errors(void)
{
	struct timespec ts = {SET_2001, 0};
	struct timeval tv = {SET_2001, 0};
	struct timezone tz = {16 * 60, 0}, got_tz;
	time_t before = time(NULL);

	errno = 0;
	check(raw_settime(CLOCK_MONOTONIC, &ts) == -1 && errno == EINVAL,
	      "clock_settime(MONOTONIC): EINVAL");
	errno = 0;
	check(raw_settime(CLOCK_BOOTTIME, &ts) == -1 && errno == EINVAL,
	      "clock_settime(BOOTTIME): EINVAL");
	errno = 0;
	check(raw_settime(CLOCK_REALTIME_COARSE, &ts) == -1 && errno == EINVAL,
	      "clock_settime(REALTIME_COARSE): EINVAL");
	errno = 0;
	check(raw_settime(CLOCK_PROCESS_CPUTIME_ID, &ts) == -1 && errno == EPERM,
	      "clock_settime(PROCESS_CPUTIME_ID): EPERM");
	errno = 0;
	check(raw_settime(99, &ts) == -1 && errno == EINVAL, "clock_settime(99): EINVAL");
	errno = 0;
	check(raw_settime(CLOCK_REALTIME, (void *)16) == -1 && errno == EFAULT,
	      "clock_settime(bad pointer): EFAULT");
	ts.tv_nsec = 1000000000;
	errno = 0;
	check(raw_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL,
	      "clock_settime(nsec 1e9): EINVAL");
	ts.tv_nsec = -1;
	errno = 0;
	check(raw_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL,
	      "clock_settime(nsec -1): EINVAL");
	ts = (struct timespec){-1, 0};
	errno = 0;
	check(raw_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL,
	      "clock_settime(sec -1): EINVAL");
	ts = (struct timespec){SETTOD_MAX, 0};
	errno = 0;
	check(raw_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL,
	      "clock_settime(too far): EINVAL");
	/* Before the boot: the monotonic clock would have to be negative. */
	ts = (struct timespec){0, 0};
	errno = 0;
	check(raw_settime(CLOCK_REALTIME, &ts) == -1 && errno == EINVAL,
	      "clock_settime(1970, before the boot): EINVAL");
	tv.tv_usec = 1000000;
	errno = 0;
	check(syscall(SYS_settimeofday, &tv, NULL) == -1 && errno == EINVAL,
	      "settimeofday(usec 1e6): EINVAL");
	errno = 0;
	check(syscall(SYS_settimeofday, (void *)16, NULL) == -1 && errno == EFAULT,
	      "settimeofday(bad pointer): EFAULT");
	errno = 0;
	check(syscall(SYS_settimeofday, NULL, &tz) == -1 && errno == EINVAL,
	      "settimeofday(tz 16 h west): EINVAL");
	tz.tz_minuteswest = -60;
	check(syscall(SYS_settimeofday, NULL, &tz) == 0 &&
		  syscall(SYS_gettimeofday, NULL, &got_tz) == 0 && got_tz.tz_minuteswest == -60,
	      "settimeofday(tz only) is kept for gettimeofday");
	tz.tz_minuteswest = 0;
	check(syscall(SYS_settimeofday, NULL, &tz) == 0, "settimeofday(tz 0)");
	check(syscall(SYS_settimeofday, NULL, NULL) == 0, "settimeofday(NULL, NULL): 0");
	check(time(NULL) - before <= 1, "no failed call moved the clock");
}

/* A file's times on the root FAT filesystem, against the clock at its creation. */
static void fat_file(const char *path)
{
	struct stat st;
	time_t t = time(NULL);
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	check(fd >= 0 && write(fd, "tick\n", 5) == 5 && close(fd) == 0, "create %s", path);
	check(stat(path, &st) == 0 && llabs(st.st_mtime - t) <= 2, "%s: mtime is now (year %d)",
	      path, year_of(st.st_mtime));
	printf("clock: %s mtime year %d\n", path, year_of(st.st_mtime));
}

/* Absolute real-time deadlines 50 ms away end in about 50 ms of monotonic time. */
static void realtime_deadlines(void)
{
	struct timespec abs;
	struct itimerspec its = {{0, 0}, {0, 0}};
	uint32_t word = 0;
	uint64_t n;
	int64_t start;
	int fd;

	alarm(20); /* a deadline taken as monotonic would wait 30 years: fail instead */
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_nsec += 50000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	start = ns_of(CLOCK_MONOTONIC);
	check(clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &abs, NULL) == 0 &&
		  ns_of(CLOCK_MONOTONIC) - start < 2000000000,
	      "clock_nanosleep(REALTIME, ABSTIME) ends on time");
	abs.tv_sec++;
	start = ns_of(CLOCK_MONOTONIC);
	errno = 0;
	check(syscall(SYS_futex, &word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs,
		      NULL, FUTEX_BITSET_MATCH_ANY) == -1 &&
		  errno == ETIMEDOUT && ns_of(CLOCK_MONOTONIC) - start < 3000000000,
	      "futex(WAIT_BITSET, CLOCK_REALTIME) times out on time: %s", ename(errno));
	fd = timerfd_create(CLOCK_REALTIME, 0);
	its.it_value = abs;
	its.it_value.tv_sec++;
	start = ns_of(CLOCK_MONOTONIC);
	check(fd >= 0 && timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == 0 &&
		  read(fd, &n, sizeof(n)) == sizeof(n) && n == 1 &&
		  ns_of(CLOCK_MONOTONIC) - start < 4000000000,
	      "timerfd(REALTIME, ABSTIME) expires on time");
	close(fd);
	alarm(0);
}

int main(void)
{
	struct timeval tv = {SET_2001, 0};
	int64_t mono;

	line_buffered();
	read_clocks("boot");
	busybox_date("+%Y", NULL);
	fat_file("/data/clk-now.txt");
	realtime_deadlines();
	settime_errors();

	mono = ns_of(CLOCK_MONOTONIC);
	check(settimeofday(&tv, NULL) == 0, "settimeofday(2001)");
	check(time(NULL) - SET_2001 <= 2, "time() reads 2001");
	check(ns_of(CLOCK_MONOTONIC) >= mono, "the monotonic clock did not move back");
	read_clocks("after settimeofday");
	busybox_date("+%Y", NULL);
	fat_file("/data/clk-2001.txt");
	realtime_deadlines();
	/* A shell user sets it too. */
	busybox_date("-s", "2002-06-01 12:00:00");
	check(time(NULL) - 1022932800 <= 2, "busybox date -s set 2002-06-01 12:00:00");
	return finish("clock");
}
