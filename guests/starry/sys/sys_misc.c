/* Time, system identity, limits and randomness. */
#include <string.h>
#include "syscalls.h"
#include "../fs/fs.h"
#include "../mm/mm.h"
#include "../mm/pmm.h"
#include "../mm/uaccess.h"
#include "../proc/task.h"

#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID 3
#define CLOCK_MONOTONIC_RAW 4
#define CLOCK_REALTIME_COARSE 5
#define CLOCK_MONOTONIC_COARSE 6
#define CLOCK_BOOTTIME 7
#define TIMER_ABSTIME 1
#define NSEC_PER_SEC 1000000000ULL
#define RLIMIT_STACK 3
#define RLIMIT_NOFILE 7
#define RLIMIT_NLIMITS 16
#define RLIM_INFINITY (~0ULL)
#define GRND_NONBLOCK 1
#define GRND_RANDOM 2
#define GRND_INSECURE 4

struct user_timespec {
	int64_t sec, nsec;
};

struct rlimit64 {
	uint64_t cur, max;
};

struct group_ticks {
	const struct task *leader;
	uint64_t user, system;
};

/* A process's CPU time: its threads', the exited ones being in the leader's count already. */
static int add_thread_ticks(struct task *t, void *arg)
{
	struct group_ticks *g = arg;

	if (t->leader == g->leader && !t->thread_dead) {
		g->user += t->user_ticks;
		g->system += t->system_ticks;
	}
	return 0;
}

static uint64_t clock_ns(uint64_t clock)
{
	if (clock == CLOCK_PROCESS_CPUTIME_ID) {
		struct group_ticks g = {current->leader, 0, 0};

		task_for_each(add_thread_ticks, &g);
		return (g.user + g.system) * TICK_NS;
	}
	if (clock == CLOCK_THREAD_CPUTIME_ID)
		return (current->user_ticks + current->system_ticks) * TICK_NS;
	/* The real-time clocks: the VM's RTC at boot, then clock_settime/settimeofday. */
	if (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)
		return wallclock_ns();
	return ktime_ns();
}

static bool clock_known(uint64_t clock)
{
	return clock <= CLOCK_BOOTTIME;
}

SYSCALL(clock_gettime)
{
	uint64_t ns;
	struct user_timespec ts;

	if (!clock_known(a->arg[0]))
		return -EINVAL;
	ns = clock_ns(a->arg[0]);
	ts.sec = (int64_t)(ns / NSEC_PER_SEC);
	ts.nsec = (int64_t)(ns % NSEC_PER_SEC);
	return copy_to_user(a->arg[1], &ts, sizeof(ts)) ? -EFAULT : 0;
}

/* Linux's timespec64_valid_settod: 30 years short of the 64-bit nanosecond limit, so that the
 * clock cannot be set close to overflowing. */
#define SETTOD_SEC_MAX 8277292036LL

/* Linux's do_settimeofday64: within range, and not before the boot (the monotonic clock would
 * have to go below zero). */
static long set_realtime(int64_t sec, int64_t nsec)
{
	uint64_t ns;

	if (sec < 0 || sec >= SETTOD_SEC_MAX || nsec < 0 || nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	ns = timespec_to_ns(sec, nsec);
	if (ns < ktime_ns())
		return -EINVAL;
	wallclock_set_ns(ns);
	return 0;
}

/* The guest runs as root: every clock that can be set is settable (no EPERM for lack of
 * CAP_SYS_TIME). The CPU-time clocks refuse with EPERM, the others with EINVAL, as on Linux. */
SYSCALL(clock_settime)
{
	struct user_timespec ts;

	if (a->arg[0] == CLOCK_PROCESS_CPUTIME_ID || a->arg[0] == CLOCK_THREAD_CPUTIME_ID) {
		if (copy_from_user(&ts, a->arg[1], sizeof(ts)))
			return -EFAULT;
		return -EPERM;
	}
	if (a->arg[0] != CLOCK_REALTIME)
		return -EINVAL;
	if (copy_from_user(&ts, a->arg[1], sizeof(ts)))
		return -EFAULT;
	return set_realtime(ts.sec, ts.nsec);
}

SYSCALL(clock_getres)
{
	struct user_timespec ts = {0, 1};

	if (!clock_known(a->arg[0]))
		return -EINVAL;
	if (a->arg[1] && copy_to_user(a->arg[1], &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/* struct timezone, which settimeofday keeps and gettimeofday returns (Linux's sys_tz). */
static int32_t sys_tz[2];

SYSCALL(gettimeofday)
{
	uint64_t ns = wallclock_ns();
	int64_t tv[2] = {(int64_t)(ns / NSEC_PER_SEC), (int64_t)(ns % NSEC_PER_SEC / 1000)};

	if (a->arg[0] && copy_to_user(a->arg[0], tv, sizeof(tv)))
		return -EFAULT;
	if (a->arg[1] && copy_to_user(a->arg[1], sys_tz, sizeof(sys_tz)))
		return -EFAULT;
	return 0;
}

/* settimeofday(tv, tz): both are read before either is used, in Linux's order of checks. */
SYSCALL(settimeofday)
{
	int64_t tv[2];
	int32_t tz[2];

	if (a->arg[0]) {
		if (copy_from_user(tv, a->arg[0], sizeof(tv)))
			return -EFAULT;
		if (tv[1] < 0 || tv[1] >= 1000000)
			return -EINVAL;
	}
	if (a->arg[1] && copy_from_user(tz, a->arg[1], sizeof(tz)))
		return -EFAULT;
	if (a->arg[0] && (tv[0] < 0 || tv[0] >= SETTOD_SEC_MAX))
		return -EINVAL;
	if (a->arg[1]) {
		if (tz[0] > 15 * 60 || tz[0] < -15 * 60)
			return -EINVAL;
		sys_tz[0] = tz[0];
		sys_tz[1] = tz[1];
	}
	return a->arg[0] ? set_realtime(tv[0], tv[1] * 1000) : 0;
}

/* Sleeps until the deadline; a signal ends the sleep early with -EINTR and the time left. */
static long sleep_until(uint64_t deadline, uint64_t urem)
{
	while (ktime_ns() < deadline) {
		if (waitq_wait_until(NULL, deadline) == -ERESTARTSYS) {
			uint64_t left = deadline > ktime_ns() ? deadline - ktime_ns() : 0;
			struct user_timespec rem = {(int64_t)(left / NSEC_PER_SEC),
						    (int64_t)(left % NSEC_PER_SEC)};

			if (urem && copy_to_user(urem, &rem, sizeof(rem)))
				return -EFAULT;
			return -EINTR;
		}
	}
	return 0;
}

static int read_timespec(uint64_t uts, uint64_t *ns)
{
	struct user_timespec ts;

	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= (int64_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = timespec_to_ns(ts.sec, ts.nsec);
	return 0;
}

SYSCALL(nanosleep)
{
	uint64_t ns;
	int ret = read_timespec(a->arg[0], &ns);

	return ret ? ret : sleep_until(deadline_after(ns), a->arg[1]);
}

SYSCALL(clock_nanosleep)
{
	uint64_t ns;
	int ret;

	if (!clock_known(a->arg[0]))
		return -EINVAL;
	ret = read_timespec(a->arg[2], &ns);
	if (ret)
		return ret;
	/* An absolute real-time deadline becomes a monotonic one at the current offset (Linux
	 * would also follow a clock_settime made during the sleep). */
	if ((a->arg[1] & TIMER_ABSTIME) &&
	    (a->arg[0] == CLOCK_REALTIME || a->arg[0] == CLOCK_REALTIME_COARSE))
		return sleep_until(wallclock_to_mono(ns), 0);
	if (a->arg[1] & TIMER_ABSTIME)
		return sleep_until(ns, 0);
	return sleep_until(deadline_after(ns), a->arg[3]);
}

/* struct itimerval: the interval, then the value, each a timeval. */
struct user_itimerval {
	int64_t interval_sec, interval_usec, value_sec, value_usec;
};

static void itimerval_of(const struct itimer *it, bool real, struct user_itimerval *v)
{
	uint64_t left = itimer_left(it, real, ktime_ns());

	/* Rounded up to the microsecond, so that an armed timer never reads as disarmed. */
	left = (left + 999) / 1000;
	v->value_sec = (int64_t)(left / 1000000);
	v->value_usec = (int64_t)(left % 1000000);
	v->interval_sec = (int64_t)(it->interval / NSEC_PER_SEC);
	v->interval_usec = (int64_t)(it->interval % NSEC_PER_SEC / 1000);
}

static bool timeval_ok(int64_t sec, int64_t usec)
{
	return sec >= 0 && usec >= 0 && usec < 1000000;
}

SYSCALL(getitimer)
{
	struct user_itimerval v;

	if (a->arg[0] >= ITIMER_COUNT)
		return -EINVAL;
	itimerval_of(&current->leader->itimer[a->arg[0]], a->arg[0] == ITIMER_REAL, &v);
	return copy_to_user(a->arg[1], &v, sizeof(v)) ? -EFAULT : 0;
}

SYSCALL(setitimer)
{
	struct user_itimerval nv, old;
	struct itimer *it;
	bool real = a->arg[0] == ITIMER_REAL;

	if (a->arg[0] >= ITIMER_COUNT)
		return -EINVAL;
	it = &current->leader->itimer[a->arg[0]];
	/* A NULL new value disarms, as Linux has long accepted. */
	memset(&nv, 0, sizeof(nv));
	if (a->arg[1] && copy_from_user(&nv, a->arg[1], sizeof(nv)))
		return -EFAULT;
	if (!timeval_ok(nv.value_sec, nv.value_usec) ||
	    !timeval_ok(nv.interval_sec, nv.interval_usec))
		return -EINVAL;
	itimerval_of(it, real, &old);
	itimer_set(it, real, timespec_to_ns(nv.value_sec, nv.value_usec * 1000),
		   timespec_to_ns(nv.interval_sec, nv.interval_usec * 1000), ktime_ns());
	if (a->arg[2] && copy_to_user(a->arg[2], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* One CPU: the mask has bit 0, in a kernel cpumask of one long, as Linux returns its size. */
SYSCALL(sched_getaffinity)
{
	uint64_t mask = 1;
	pid_t pid = (pid_t)a->arg[0];

	if (a->arg[1] < sizeof(mask) || (a->arg[1] & (sizeof(mask) - 1)))
		return -EINVAL;
	if (pid && !task_find(pid))
		return -ESRCH;
	return copy_to_user(a->arg[2], &mask, sizeof(mask)) ? -EFAULT : (long)sizeof(mask);
}

SYSCALL(sched_setaffinity)
{
	uint64_t mask = 0;
	pid_t pid = (pid_t)a->arg[0];
	size_t len = a->arg[1] < sizeof(mask) ? a->arg[1] : sizeof(mask);

	if (pid && !task_find(pid))
		return -ESRCH;
	if (copy_from_user(&mask, a->arg[2], len))
		return -EFAULT;
	return (mask & 1) ? 0 : -EINVAL; /* a mask without the one CPU */
}

SYSCALL(sched_yield)
{
	(void)a;
	schedule();
	return 0;
}

SYSCALL(times)
{
	struct group_ticks g = {current->leader, 0, 0};
	int64_t tms[4];

	task_for_each(add_thread_ticks, &g);
	tms[0] = (int64_t)g.user;
	tms[1] = (int64_t)g.system;
	tms[2] = (int64_t)current->leader->child_user_ticks;
	tms[3] = (int64_t)current->leader->child_system_ticks;

	if (a->arg[0] && copy_to_user(a->arg[0], tms, sizeof(tms)))
		return -EFAULT;
	return (long)(ktime_ns() / TICK_NS);
}

SYSCALL(uname)
{
	char u[6][65];

	memset(u, 0, sizeof(u));
	strlcpy(u[0], "Linux", 65); /* programs compare against it; the ABI is Linux's */
	strlcpy(u[1], "starry", 65);
	strlcpy(u[2], STARRY_RELEASE, 65);
	strlcpy(u[3], STARRY_VERSION, 65);
	strlcpy(u[4], "aarch64", 65);
	strlcpy(u[5], "(none)", 65);
	return copy_to_user(a->arg[0], u, sizeof(u)) ? -EFAULT : 0;
}

/* The limits of t's process: RLIMIT_NOFILE is its table's; the others are fixed. */
static struct rlimit64 limit_of(const struct task *t, unsigned resource)
{
	struct rlimit64 r = {RLIM_INFINITY, RLIM_INFINITY};

	if (resource == RLIMIT_STACK) {
		r.cur = r.max = 8ULL << 20;
	} else if (resource == RLIMIT_NOFILE) {
		r.cur = t->files ? t->files->nofile : FD_NOFILE_CUR;
		r.max = t->files ? t->files->nofile_max : FD_NOFILE_MAX;
	}
	return r;
}

SYSCALL(getrlimit)
{
	struct rlimit64 r;

	if (a->arg[0] >= RLIMIT_NLIMITS)
		return -EINVAL;
	r = limit_of(current, (unsigned)a->arg[0]);
	return copy_to_user(a->arg[1], &r, sizeof(r)) ? -EFAULT : 0;
}

/* prlimit64(pid, resource, new, old); glibc's setrlimit and getrlimit come here too. */
SYSCALL(prlimit64)
{
	pid_t pid = (pid_t)a->arg[0];
	unsigned resource = (unsigned)a->arg[1];
	struct task *t = pid ? task_find(pid) : current;
	struct rlimit64 old, set;

	if (a->arg[1] >= RLIMIT_NLIMITS)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	old = limit_of(t, resource);
	if (a->arg[2]) {
		int ret = 0;

		if (copy_from_user(&set, a->arg[2], sizeof(set)))
			return -EFAULT;
		if (set.cur > set.max)
			return -EINVAL;
		/* RLIMIT_NOFILE binds; the other limits are accepted and change nothing. */
		if (resource == RLIMIT_NOFILE)
			ret = t->files ? fd_set_limit(t->files, set.cur, set.max) : -ESRCH;
		if (ret < 0)
			return ret;
	}
	if (a->arg[3] && copy_to_user(a->arg[3], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

int rusage_copy_out(uint64_t uaddr, uint64_t uticks, uint64_t sticks, uint64_t maxrss_pages)
{
	/* struct rusage: ru_utime, ru_stime (timevals), then 14 longs from ru_maxrss (KiB). */
	int64_t ru[18];

	memset(ru, 0, sizeof(ru));
	ru[0] = (int64_t)(uticks * TICK_NS / NSEC_PER_SEC);
	ru[1] = (int64_t)(uticks * TICK_NS % NSEC_PER_SEC / 1000);
	ru[2] = (int64_t)(sticks * TICK_NS / NSEC_PER_SEC);
	ru[3] = (int64_t)(sticks * TICK_NS % NSEC_PER_SEC / 1000);
	ru[4] = (int64_t)(maxrss_pages * (PAGE_SIZE / 1024));
	return copy_to_user(uaddr, ru, sizeof(ru)) ? -EFAULT : 0;
}

#define RUSAGE_SELF 0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD 1

SYSCALL(getrusage)
{
	struct task *l = current->leader;
	struct group_ticks g = {l, 0, 0};
	uint64_t rss = l->maxrss_pages;

	switch ((int)a->arg[0]) {
	case RUSAGE_SELF:
		task_for_each(add_thread_ticks, &g);
		if (current->mm && current->mm->peak_rss_pages > rss)
			rss = current->mm->peak_rss_pages;
		return rusage_copy_out(a->arg[1], g.user, g.system, rss);
	case RUSAGE_THREAD:
		if (current->mm && current->mm->peak_rss_pages > rss)
			rss = current->mm->peak_rss_pages;
		return rusage_copy_out(a->arg[1], current->user_ticks, current->system_ticks, rss);
	case RUSAGE_CHILDREN:
		return rusage_copy_out(a->arg[1], l->child_user_ticks, l->child_system_ticks,
				       l->child_maxrss_pages);
	default:
		return -EINVAL;
	}
}

static int count_task(struct task *t, void *arg)
{
	(void)t;
	(*(unsigned *)arg)++;
	return 0;
}

SYSCALL(sysinfo)
{
	struct {
		int64_t uptime;
		uint64_t loads[3], totalram, freeram, sharedram, bufferram, totalswap, freeswap;
		uint16_t procs, pad;
		uint32_t pad2;
		uint64_t totalhigh, freehigh;
		uint32_t mem_unit;
		char reserved[4];
	} si;
	unsigned procs = 0;

	memset(&si, 0, sizeof(si));
	task_for_each(count_task, &procs);
	si.uptime = (int64_t)(ktime_ns() / NSEC_PER_SEC);
	si.totalram = pmm_total_pages() * PAGE_SIZE;
	si.freeram = pmm_free_pages() * PAGE_SIZE;
	si.procs = (uint16_t)procs;
	si.mem_unit = 1;
	return copy_to_user(a->arg[0], &si, sizeof(si)) ? -EFAULT : 0;
}

SYSCALL(getrandom)
{
	uint64_t buf = a->arg[0], len = a->arg[1], done = 0;

	if (a->arg[2] & ~(uint64_t)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	while (done < len) {
		uint64_t r = random_u64();
		size_t n = len - done < 8 ? (size_t)(len - done) : 8;

		if (copy_to_user(buf + done, &r, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return (long)done;
}
