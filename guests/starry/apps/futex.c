/* Starry test: futex(2) directly (each operation, its errors, timeouts, a signal ending a wait)
 * and the single-threaded glibc functions that need it (pthread_once, semaphores, condition
 * variables with a timeout, mutexes and rwlocks). */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout, uint32_t *uaddr2,
		  uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, timeout, uaddr2, val3);
}

static int64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec abs_after(clockid_t clock, int64_t ns)
{
	int64_t t = now_ns(clock) + ns;

	return (struct timespec){t / 1000000000LL, t % 1000000000LL};
}

static void raw_futex(void)
{
	static uint32_t word[2] = {7, 0}, other = 1;
	struct timespec rel = {0, 20 * 1000000}, bad = {0, 1000000000}, past = {0, 0}, abs;
	int64_t t0;
	long r;

	r = futex(&word[0], FUTEX_WAIT_PRIVATE, 6, NULL, NULL, 0);
	check(r == -1 && errno == EAGAIN, "wait on a changed word: %s", ename(errno));
	t0 = now_ns(CLOCK_MONOTONIC);
	r = futex(&word[0], FUTEX_WAIT_PRIVATE, 7, &rel, NULL, 0);
	check(r == -1 && errno == ETIMEDOUT, "wait with a relative timeout: %s", ename(errno));
	check(now_ns(CLOCK_MONOTONIC) - t0 >= 20000000, "the timeout lasted at least 20 ms");
	r = futex(&word[0], FUTEX_WAIT, 7, &bad, NULL, 0);
	check(r == -1 && errno == EINVAL, "wait with tv_nsec 1e9: %s", ename(errno));
	r = futex((uint32_t *)((char *)word + 1), FUTEX_WAIT_PRIVATE, 7, &rel, NULL, 0);
	check(r == -1 && errno == EINVAL, "wait on a misaligned word: %s", ename(errno));
	r = futex(NULL, FUTEX_WAIT_PRIVATE, 7, &rel, NULL, 0);
	check(r == -1 && errno == EFAULT, "wait on NULL: %s", ename(errno));

	r = futex(&word[0], FUTEX_WAIT_BITSET_PRIVATE, 7, &past, NULL, 0);
	check(r == -1 && errno == EINVAL, "bitset wait with an empty bitset: %s", ename(errno));
	r = futex(&word[0], FUTEX_WAIT_BITSET_PRIVATE, 7, &past, NULL, FUTEX_BITSET_MATCH_ANY);
	check(r == -1 && errno == ETIMEDOUT, "bitset wait until a past deadline: %s", ename(errno));
	abs = abs_after(CLOCK_MONOTONIC, 20000000);
	r = futex(&word[0], FUTEX_WAIT_BITSET_PRIVATE, 7, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	check(r == -1 && errno == ETIMEDOUT &&
		  now_ns(CLOCK_MONOTONIC) >= abs.tv_sec * 1000000000LL + abs.tv_nsec,
	      "bitset wait until a monotonic deadline: %s", ename(errno));
	abs = abs_after(CLOCK_REALTIME, 20000000);
	r = futex(&word[0], FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 7, &abs, NULL,
		  FUTEX_BITSET_MATCH_ANY);
	check(r == -1 && errno == ETIMEDOUT, "bitset wait until a real-time deadline: %s",
	      ename(errno));

	r = futex(&word[0], FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	check(r == 0, "wake with nobody waiting: %ld", r);
	r = futex(&word[0], FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0);
	check(r == -1 && errno == EINVAL, "bitset wake with an empty bitset: %s", ename(errno));
	r = futex(&word[0], FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word[1], 8);
	check(r == -1 && errno == EAGAIN, "cmp_requeue on a changed word: %s", ename(errno));
	r = futex(&word[0], FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word[1], 7);
	check(r == 0, "cmp_requeue with nobody waiting: %ld", r);
	r = futex(&word[0], FUTEX_REQUEUE_PRIVATE, 1, (void *)1, &word[1], 0);
	check(r == 0, "requeue with nobody waiting: %ld", r);

	/* other = 1; op: other += 5, wake the second word's waiters if the old value was 1. */
	r = futex(&word[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &other,
		  FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 1));
	check(r == 0 && other == 6, "wake_op adds: %ld, word %u", r, other);
	r = futex(&word[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &other,
		  FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_GT, 100));
	check(r == 0 && other == 22, "wake_op ors a shifted operand: %ld, word %u", r, other);
	r = futex(&word[0], FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &other, 7u << 28);
	check(r == -1 && errno == ENOSYS && other == 22, "wake_op with an unknown operation: %s",
	      ename(errno));
	r = futex(&word[0], 99, 0, NULL, NULL, 0);
	check(r == -1 && errno == ENOSYS, "an unknown futex operation: %s", ename(errno));
}

static volatile sig_atomic_t got_usr1;

static void on_usr1(int sig)
{
	(void)sig;
	got_usr1 = 1;
}

/* A child signals this process while it waits with no timeout: the handler runs and, without
 * SA_RESTART, the wait ends with EINTR. */
static void interrupted_wait(void)
{
	static uint32_t word = 3;
	struct sigaction sa = {.sa_handler = on_usr1};
	pid_t child;
	long r;

	sigaction(SIGUSR1, &sa, NULL);
	child = fork();
	if (child == 0) {
		usleep(50000);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	r = futex(&word, FUTEX_WAIT_PRIVATE, 3, NULL, NULL, 0);
	check(r == -1 && errno == EINTR && got_usr1, "a signal ends an untimed wait: %s",
	      ename(errno));
	waitpid(child, NULL, 0);
	signal(SIGUSR1, SIG_DFL);
}

static int once_runs;

static void once_fn(void)
{
	once_runs++;
}

static void glibc_sync(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
	struct timespec abs;
	sem_t sem;
	int r;

	pthread_once(&once, once_fn);
	pthread_once(&once, once_fn);
	check(once_runs == 1, "pthread_once ran its function %d time(s)", once_runs);

	check(sem_init(&sem, 0, 1) == 0, "sem_init");
	check(sem_wait(&sem) == 0, "sem_wait takes the unit");
	errno = 0;
	check(sem_trywait(&sem) == -1 && errno == EAGAIN, "sem_trywait on zero: %s", ename(errno));
	abs = abs_after(CLOCK_REALTIME, 30000000);
	errno = 0;
	check(sem_timedwait(&sem, &abs) == -1 && errno == ETIMEDOUT, "sem_timedwait times out: %s",
	      ename(errno));
	check(sem_post(&sem) == 0, "sem_post");
	abs = abs_after(CLOCK_REALTIME, 30000000);
	check(sem_timedwait(&sem, &abs) == 0, "sem_timedwait takes a posted unit");
	errno = 0;
	abs = abs_after(CLOCK_MONOTONIC, 30000000);
	check(sem_clockwait(&sem, CLOCK_MONOTONIC, &abs) == -1 && errno == ETIMEDOUT,
	      "sem_clockwait on the monotonic clock times out: %s", ename(errno));
	sem_destroy(&sem);

	check(pthread_mutex_lock(&m) == 0, "mutex lock");
	check(pthread_mutex_trylock(&m) == EBUSY, "mutex trylock while held");
	abs = abs_after(CLOCK_REALTIME, 30000000);
	r = pthread_cond_timedwait(&c, &m, &abs);
	check(r == ETIMEDOUT, "pthread_cond_timedwait times out: %s", ename(r));
	check(pthread_mutex_trylock(&m) == EBUSY, "the mutex is held again after the wait");
	check(pthread_cond_signal(&c) == 0 && pthread_cond_broadcast(&c) == 0,
	      "signal and broadcast with nobody waiting");
	check(pthread_mutex_unlock(&m) == 0, "mutex unlock");
	abs = abs_after(CLOCK_REALTIME, 30000000);
	check(pthread_mutex_timedlock(&m, &abs) == 0, "mutex timedlock on a free mutex");
	pthread_mutex_unlock(&m);

	check(pthread_rwlock_rdlock(&rw) == 0 && pthread_rwlock_tryrdlock(&rw) == 0,
	      "two read locks");
	check(pthread_rwlock_trywrlock(&rw) == EBUSY, "no write lock while read-locked");
	abs = abs_after(CLOCK_REALTIME, 30000000);
	r = pthread_rwlock_timedwrlock(&rw, &abs);
	check(r == ETIMEDOUT, "rwlock timedwrlock times out: %s", ename(r));
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	check(pthread_rwlock_wrlock(&rw) == 0, "write lock once free");
	pthread_rwlock_unlock(&rw);
}

int main(void)
{
	line_buffered();
	raw_futex();
	interrupted_wait();
	glibc_sync();
	return finish("futex");
}
