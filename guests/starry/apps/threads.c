/* Starry test: glibc pthreads on clone(CLONE_THREAD): create/join/detach, a mutex contended by
 * 8 threads, condition variables, rwlocks, semaphores, barriers, once, TLS, robust mutexes,
 * thread-directed signals, and the process-wide effects of exit, exit_group, fork, exec and a
 * fatal signal in a thread. Argument: a program to exec from a thread (hello). */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

#define NTHREADS 8
#define ROUNDS 100000

static pid_t gettid_(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* --- create, join, the mutex ----------------------------------------------------------------- */
static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_value = 42;
static __thread int tls_zero;

struct worker {
	int index;
	pid_t tid, pid;
	long tls_seen;
	int tls_zero_seen;
};

static void *count_up(void *arg)
{
	struct worker *w = arg;

	w->tid = gettid_();
	w->pid = getpid();
	w->tls_seen = tls_value; /* each thread starts with the initial image */
	w->tls_zero_seen = tls_zero;
	tls_value = 1000 + w->index;
	tls_zero = w->index;
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&counter_lock);
		counter++;
		pthread_mutex_unlock(&counter_lock);
		if (i % 10000 == 0)
			sched_yield();
	}
	return (void *)(intptr_t)(w->index * 3);
}

static void mutex_contention(void)
{
	pthread_t th[NTHREADS];
	struct worker w[NTHREADS];
	int created = 0, joined = 0, distinct = 1, same_pid = 1, tls_ok = 1;

	tls_value = 7;
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){.index = i};
		created += pthread_create(&th[i], NULL, count_up, &w[i]) == 0;
	}
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;

		if (pthread_join(th[i], &ret) == 0 && (intptr_t)ret == i * 3)
			joined++;
	}
	check(created == NTHREADS && joined == NTHREADS,
	      "%d threads created, %d joined with "
	      "their return values",
	      created, joined);
	check(counter == (long)NTHREADS * ROUNDS, "the mutex-protected counter is %ld", counter);
	for (int i = 0; i < NTHREADS; i++) {
		same_pid &= w[i].pid == getpid();
		distinct &= w[i].tid != getpid() && w[i].tid > 0;
		for (int j = 0; j < i; j++)
			distinct &= w[i].tid != w[j].tid;
		tls_ok &= w[i].tls_seen == 42 && w[i].tls_zero_seen == 0;
	}
	check(same_pid, "every thread has the process's pid");
	check(distinct, "every thread has its own tid");
	check(tls_ok && tls_value == 7, "thread-local variables start from the image, each its "
					"own");
}

/* --- condition variables, semaphores, barriers, once, rwlock, detach ------------------------- */
static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_cond = PTHREAD_COND_INITIALIZER;
static int queue[64], q_head, q_tail, q_done;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 1; i <= 200; i++) {
		pthread_mutex_lock(&q_lock);
		while (q_tail - q_head == 64)
			pthread_cond_wait(&q_cond, &q_lock);
		queue[q_tail++ % 64] = i;
		pthread_cond_broadcast(&q_cond);
		pthread_mutex_unlock(&q_lock);
	}
	pthread_mutex_lock(&q_lock);
	q_done = 1;
	pthread_cond_broadcast(&q_cond);
	pthread_mutex_unlock(&q_lock);
	return NULL;
}

static void condvar(void)
{
	pthread_t p;
	long sum = 0;

	pthread_create(&p, NULL, producer, NULL);
	pthread_mutex_lock(&q_lock);
	for (;;) {
		while (q_head == q_tail && !q_done)
			pthread_cond_wait(&q_cond, &q_lock);
		if (q_head == q_tail)
			break;
		sum += queue[q_head++ % 64];
		pthread_cond_broadcast(&q_cond);
	}
	pthread_mutex_unlock(&q_lock);
	pthread_join(p, NULL);
	check(sum == 200 * 201 / 2, "condition variables hand over 200 items: sum %ld", sum);
}

static sem_t ping, pong;
static int flag_set;

static void *signaller(void *arg)
{
	(void)arg;
	usleep(20000);
	pthread_mutex_lock(&q_lock);
	flag_set = 1;
	pthread_cond_signal(&q_cond);
	pthread_mutex_unlock(&q_lock);
	for (int i = 0; i < 100; i++) {
		sem_wait(&ping);
		sem_post(&pong);
	}
	return NULL;
}

static void timed_and_semaphores(void)
{
	struct timespec abs;
	pthread_t t;
	int r = 0, n = 0;

	sem_init(&ping, 0, 0);
	sem_init(&pong, 0, 0);
	pthread_create(&t, NULL, signaller, NULL);
	clock_gettime(CLOCK_REALTIME, &abs);
	abs.tv_sec += 5;
	pthread_mutex_lock(&q_lock);
	while (!flag_set && r == 0)
		r = pthread_cond_timedwait(&q_cond, &q_lock, &abs);
	pthread_mutex_unlock(&q_lock);
	check(r == 0 && flag_set, "pthread_cond_timedwait woken by another thread: %s", ename(r));
	for (int i = 0; i < 100; i++) {
		sem_post(&ping);
		n += sem_wait(&pong) == 0;
	}
	pthread_join(t, NULL);
	check(n == 100, "100 semaphore round trips between two threads");
}

static pthread_barrier_t barrier;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_count, serial_count;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_value, rw_bad;

static void once_init(void)
{
	usleep(10000); /* the others wait in pthread_once meanwhile */
	once_count++;
}

static void *team(void *arg)
{
	(void)arg;
	pthread_once(&once, once_init);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD)
		__atomic_fetch_add(&serial_count, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < 2000; i++) {
		if (i % 4 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_value++;
			rw_value++;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			if (rw_value % 2)
				rw_bad++;
			pthread_rwlock_unlock(&rw);
		}
		if (i % 200 == 0)
			sched_yield();
	}
	return NULL;
}

static void once_barrier_rwlock(void)
{
	pthread_t t[4];

	pthread_barrier_init(&barrier, NULL, 4);
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, team, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	check(once_count == 1, "pthread_once ran once for 4 threads");
	check(serial_count == 1, "one barrier waiter is the serial thread");
	check(rw_value == 4 * 500 * 2 && rw_bad == 0, "rwlock: %ld writes seen whole, %ld torn",
	      rw_value, rw_bad);
	pthread_barrier_destroy(&barrier);
}

static sem_t detached_done;

static void *detached(void *arg)
{
	*(pid_t *)arg = gettid_();
	sem_post(&detached_done);
	return NULL;
}

static void detach(void)
{
	pthread_attr_t attr;
	pthread_t t;
	pid_t tid = 0;
	int r;

	sem_init(&detached_done, 0, 0);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	r = pthread_create(&t, &attr, detached, &tid);
	sem_wait(&detached_done);
	check(r == 0 && tid > 0, "a detached thread ran");
	pthread_attr_destroy(&attr);
}

/* --- robust mutexes -------------------------------------------------------------------------- */
static pthread_mutex_t robust;

static void *lock_and_die(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&robust);
	return NULL; /* ends holding it */
}

static void robust_mutex(void)
{
	pthread_mutexattr_t ma;
	pthread_t t;
	int r;

	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_create(&t, NULL, lock_and_die, NULL);
	pthread_join(t, NULL);
	r = pthread_mutex_lock(&robust);
	check(r == EOWNERDEAD, "a robust mutex whose owner died: %s",
	      r == EOWNERDEAD ? "EOWNERDEAD" : ename(r));
	check(pthread_mutex_consistent(&robust) == 0 && pthread_mutex_unlock(&robust) == 0,
	      "made consistent and unlocked");
	check(pthread_mutex_lock(&robust) == 0, "then locks normally");
	pthread_mutex_unlock(&robust);
}

/* --- thread-directed signals ----------------------------------------------------------------- */
static volatile pid_t handled_by;
static sem_t armed;

static void on_usr1(int sig)
{
	(void)sig;
	handled_by = gettid_();
}

static void *wait_for_signal(void *arg)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	*(pid_t *)arg = gettid_();
	sem_post(&armed);
	while (!handled_by)
		usleep(1000);
	return NULL;
}

static void thread_signals(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	sigset_t set, old;
	pthread_t t;
	pid_t tid = 0;

	sigaction(SIGUSR1, &sa, NULL);
	sem_init(&armed, 0, 0);
	/* Blocked here, unblocked in the thread: a process-directed kill goes to the thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	pthread_create(&t, NULL, wait_for_signal, &tid);
	sem_wait(&armed);
	kill(getpid(), SIGUSR1);
	pthread_join(t, NULL);
	check(handled_by == tid, "kill() went to the thread that does not block the signal");
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	handled_by = 0;
	pthread_create(&t, NULL, wait_for_signal, &tid);
	sem_wait(&armed);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	check(handled_by == tid, "pthread_kill() runs the handler in the chosen thread");
	errno = 0;
	check(syscall(SYS_tgkill, getpid(), tid, 0) == -1 && errno == ESRCH,
	      "tgkill of an ended thread: %s", ename(errno));
	check(syscall(SYS_tgkill, getpid() + 100000, gettid_(), 0) == -1 && errno == ESRCH,
	      "tgkill with the wrong process: %s", ename(errno));
	signal(SIGUSR1, SIG_DFL);
}

/* --- process-wide effects, each in a child process ------------------------------------------- */
static void *sleep_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void *exit_later(void *arg)
{
	(void)arg;
	usleep(30000);
	printf("thread outlived main\n");
	fflush(stdout);
	return NULL;
}

static void *crash(void *arg)
{
	(void)arg;
	usleep(10000);
	abort();
}

static const char *exec_path;

static void *exec_hello(void *arg)
{
	(void)arg;
	execl(exec_path, "hello", "from-a-thread", (char *)NULL);
	_exit(99);
}

static void *fork_child(void *arg)
{
	pid_t pid = fork();

	(void)arg;
	if (pid == 0)
		_exit(21);
	return (void *)(intptr_t)pid;
}

static int child_status(void (*body)(void), pid_t *pid_out)
{
	int status = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		body();
		_exit(100);
	}
	if (pid_out)
		*pid_out = pid;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void body_exit_group(void)
{
	pthread_t t;

	pthread_create(&t, NULL, sleep_forever, NULL);
	pthread_create(&t, NULL, sleep_forever, NULL);
	exit(3);
}

static void body_main_exits_first(void)
{
	pthread_t t;

	pthread_create(&t, NULL, exit_later, NULL);
	pthread_exit(NULL);
}

static void body_crash(void)
{
	pthread_t t;

	pthread_create(&t, NULL, crash, NULL);
	for (;;)
		pause();
}

static void body_exec(void)
{
	pthread_t t;

	pthread_create(&t, NULL, sleep_forever, NULL);
	pthread_create(&t, NULL, exec_hello, NULL);
	for (;;)
		pause();
}

static void process_effects(void)
{
	pthread_t t;
	void *ret;
	int status;
	pid_t pid = 0;

	status = child_status(body_exit_group, NULL);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 3,
	      "exit() in main ends the sleeping threads: status %d", WEXITSTATUS(status));
	status = child_status(body_main_exits_first, NULL);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "pthread_exit in main: the process ends with its last thread");
	status = child_status(body_crash, NULL);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	      "abort() in a thread kills the process: signal %d", WTERMSIG(status));
	status = child_status(body_exec, &pid);
	check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	      "exec from a thread: the new program ran and exited %d", WEXITSTATUS(status));

	pthread_create(&t, NULL, fork_child, NULL);
	pthread_join(t, &ret);
	pid = (pid_t)(intptr_t)ret;
	check(pid > 0 && waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 21,
	      "a child forked by a thread is the process's child");
}

/* --- the working directory is the process's ------------------------------------------------ */
static void *change_dir(void *arg)
{
	return (void *)(intptr_t)chdir((const char *)arg);
}

static void shared_cwd(void)
{
	char before[512], after[512];
	pthread_t t;
	void *ret;

	if (!getcwd(before, sizeof(before)))
		before[0] = '\0';
	pthread_create(&t, NULL, change_dir, "/proc");
	pthread_join(t, &ret);
	check(ret == 0 && getcwd(after, sizeof(after)) && strcmp(after, "/proc") == 0,
	      "a thread's chdir moves the whole process");
	check(chdir(before) == 0, "and back");
}

/* --- /proc ----------------------------------------------------------------------------------- */
static int count_tasks(void)
{
	return count_entries("/proc/self/task");
}

static void proc_tasks(void)
{
	pthread_t t[3];
	char path[64];
	int n;

	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, sleep_forever, NULL);
	n = count_tasks();
	check(n == 4, "/proc/self/task lists %d threads", n);
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", getpid());
	check(access(path, R_OK) == 0, "/proc/self/task/<pid>/stat is readable");
	for (int i = 0; i < 3; i++)
		pthread_cancel(t[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	n = count_tasks();
	check(n == 1, "after the joins, %d", n);
}

int main(int argc, char **argv)
{
	line_buffered();
	exec_path = argc > 1 ? argv[1] : "/bin/hello";
	mutex_contention();
	condvar();
	timed_and_semaphores();
	once_barrier_rwlock();
	detach();
	robust_mutex();
	thread_signals();
	process_effects();
	shared_cwd();
	proc_tasks();
	return finish("threads");
}
