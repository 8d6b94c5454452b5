/* Starry test program: handlers, blocking and pending, SIGCHLD, kill between processes, SA_RESTART,
 * siginfo, the alternate stack, tgkill, sigsuspend, SA_RESETHAND, SIGKILL of a spinning child. */
#include "common.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, chld, usr2;

static void on_usr1(int sig)
{
	usr1 += sig == SIGUSR1;
}

static void on_chld(int sig)
{
	chld += sig == SIGCHLD;
}

static void on_usr2(int sig)
{
	usr2 += sig == SIGUSR2;
}

static void handle(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

static int wait_status(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void nap(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void handler_and_mask(void)
{
	sigset_t set, pending;

	handle(SIGUSR1, on_usr1, 0);
	kill(getpid(), SIGUSR1);
	check(usr1 == 1, "SIGUSR1 handler ran %d time(s)", (int)usr1);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR1);
	kill(getpid(), SIGUSR1); /* standard signals do not queue: one delivery */
	check(usr1 == 1, "blocked: handler not run");
	check(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1) == 1, "SIGUSR1 pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	check(usr1 == 2, "unblocked: delivered once (%d)", (int)usr1);
	check(sigpending(&pending) == 0 && sigismember(&pending, SIGUSR1) == 0, "nothing pending");

	signal(SIGUSR1, SIG_IGN);
	kill(getpid(), SIGUSR1);
	check(usr1 == 2, "ignored SIGUSR1 not delivered");
}

static void sigchld(void)
{
	handle(SIGCHLD, on_chld, SA_RESTART);
	for (int i = 0; i < 3; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(i);
		wait_status(pid);
	}
	check(chld == 3, "SIGCHLD handler ran %d times for 3 children", (int)chld);
	signal(SIGCHLD, SIG_DFL);
}

/* The child says it is about to block by writing to `ready`, then blocks. */
static pid_t blocked_child(int ready[2], int how)
{
	pid_t pid;

	if (pipe(ready) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ready[0]);
		if (how)
			handle(SIGUSR2, on_usr2, 0);
		if (write(ready[1], "r", 1) != 1)
			_exit(9);
		pause();
		_exit(usr2 && errno == EINTR ? 5 : 6);
	}
	close(ready[1]);
	return pid;
}

static void kill_other(void)
{
	int ready[2], st;
	char c;
	pid_t pid = blocked_child(ready, 0);

	check(pid > 0 && read(ready[0], &c, 1) == 1, "child ready to pause");
	close(ready[0]);
	check(kill(pid, SIGTERM) == 0, "kill child SIGTERM");
	st = wait_status(pid);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "child killed by signal %d",
	      WIFSIGNALED(st) ? WTERMSIG(st) : -1);

	pid = blocked_child(ready, 1);
	check(pid > 0 && read(ready[0], &c, 1) == 1, "child with a handler ready to pause");
	close(ready[0]);
	nap(50);
	kill(pid, SIGUSR2);
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 5, "pause returned EINTR after the handler");
	check(kill(pid, 0) < 0, "reaped child is gone");
}

/* Child blocks in read() on a pipe; a signal arrives, then data. */
static void restart(int flags)
{
	int data[2], ready[2], st;
	char c;
	pid_t pid;

	if (pipe(data) < 0 || pipe(ready) < 0)
		return;
	pid = fork();
	if (pid == 0) {
		char buf[16];
		ssize_t n;

		usr1 = 0;
		handle(SIGUSR1, on_usr1, flags);
		close(data[1]);
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			_exit(9);
		n = read(data[0], buf, sizeof(buf));
		if (n == 4 && !memcmp(buf, "data", 4))
			_exit(usr1 ? 0 : 3);
		_exit(n < 0 && errno == EINTR ? 1 : 2);
	}
	close(data[0]);
	close(ready[1]);
	check(read(ready[0], &c, 1) == 1, "reader ready");
	nap(100); /* let it block in read() */
	kill(pid, SIGUSR1);
	nap(100);
	if (write(data[1], "data", 4) != 4 && errno != EPIPE)
		check(0, "write data");
	st = wait_status(pid);
	close(data[1]);
	close(ready[0]);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
	if (flags & SA_RESTART)
		check(st == 0, "SA_RESTART: read restarted and got the data");
	else
		check(st == 1, "no SA_RESTART: read failed with EINTR");
}

static volatile sig_atomic_t info_signo, info_code, info_pid, on_alt, alt_flags, winch;
static char *alt_base;
static size_t alt_size;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	info_signo = si->si_signo;
	info_code = si->si_code;
	info_pid = si->si_pid;
}

static void on_alt_stack(int sig)
{
	char here;
	stack_t cur;

	(void)sig;
	on_alt = (uintptr_t)&here >= (uintptr_t)alt_base &&
		 (uintptr_t)&here < (uintptr_t)alt_base + alt_size;
	if (sigaltstack(NULL, &cur) == 0)
		alt_flags = cur.ss_flags;
}

static void on_winch(int sig)
{
	winch += sig == SIGWINCH;
}

/* SA_SIGINFO: who sent the signal and how. */
static void siginfo(void)
{
	struct sigaction sa;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_info;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR2, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	wait_status(pid);
	check(info_signo == SIGUSR2 && info_code == SI_USER && info_pid == pid,
	      "SA_SIGINFO: signo %d, SI_USER, sender is the child", (int)info_signo);
	signal(SIGUSR2, SIG_DFL);
}

/* SA_ONSTACK runs the handler on the stack sigaltstack gave, and says so. */
static void alt_stack(void)
{
	stack_t ss = {0}, old;
	struct sigaction sa;

	alt_size = 64 * 1024;
	alt_base = malloc(alt_size);
	ss.ss_sp = alt_base;
	ss.ss_size = alt_size;
	check(alt_base && sigaltstack(&ss, NULL) == 0, "sigaltstack set");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alt_stack;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	kill(getpid(), SIGUSR1);
	check(on_alt && (alt_flags & SS_ONSTACK), "handler ran on the alternate stack");
	ss.ss_flags = SS_DISABLE;
	check(sigaltstack(&ss, &old) == 0 && old.ss_sp == alt_base && old.ss_size == alt_size,
	      "sigaltstack reports the old stack");
	ss.ss_size = 1024;
	ss.ss_flags = 0;
	check(sigaltstack(&ss, NULL) < 0 && errno == ENOMEM, "too small a stack: ENOMEM");
	signal(SIGUSR1, SIG_DFL);
	free(alt_base);
}

/* tgkill to this thread; sigsuspend waits with a temporary mask and restores it. */
static void tgkill_and_suspend(void)
{
	sigset_t block, empty, now;
	pid_t pid;

	usr2 = 0;
	handle(SIGUSR2, on_usr2, 0);
	check(syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR2) == 0 && usr2 == 1,
	      "tgkill to this thread ran the handler");
	sigemptyset(&block);
	sigaddset(&block, SIGUSR2);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid = fork();
	if (pid == 0) {
		nap(50);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	sigemptyset(&empty);
	check(sigsuspend(&empty) == -1 && errno == EINTR && usr2 == 2,
	      "sigsuspend returned EINTR after the handler");
	sigprocmask(SIG_BLOCK, NULL, &now);
	check(sigismember(&now, SIGUSR2) == 1, "sigsuspend restored the mask");
	wait_status(pid);
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	signal(SIGUSR2, SIG_DFL);
}

/* SA_RESETHAND: the first delivery runs the handler and puts the default back. */
static void reset_hand(void)
{
	struct sigaction sa, cur;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_winch;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, NULL);
	kill(getpid(), SIGWINCH);
	kill(getpid(), SIGWINCH);
	sigaction(SIGWINCH, NULL, &cur);
	check(winch == 1 && cur.sa_handler == SIG_DFL, "SA_RESETHAND: one run, then the default");
}

/* A child that never gives up the CPU: the parent still runs (the timer preempts the child),
 * and SIGKILL ends it. */
static void kill_spinner(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0)
		for (;;)
			__asm__ volatile("" ::: "memory");
	nap(50);
	check(kill(pid, SIGKILL) == 0, "the parent ran while its child spun");
	st = wait_status(pid);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "spinning child killed by signal %d",
	      WIFSIGNALED(st) ? WTERMSIG(st) : -1);
}

/* wait4 reports a child stopped by SIGSTOP (WUNTRACED) and continued by SIGCONT
 * (WCONTINUED), then its exit. */
static void stop_and_continue(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		kill(getpid(), SIGSTOP);
		_exit(4);
	}
	check(waitpid(pid, &st, WUNTRACED) == pid && WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP,
	      "WUNTRACED: child stopped by signal %d", WIFSTOPPED(st) ? WSTOPSIG(st) : -1);
	kill(pid, SIGCONT);
	check(waitpid(pid, &st, WCONTINUED) == pid && WIFCONTINUED(st),
	      "WCONTINUED: child continued");
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 4, "then it exited 4");
}

int main(void)
{
	line_buffered();
	signal(SIGPIPE, SIG_IGN); /* the no-restart reader exits before the data is written */
	handler_and_mask();
	sigchld();
	kill_other();
	restart(SA_RESTART);
	restart(0);
	siginfo();
	alt_stack();
	tgkill_and_suspend();
	reset_hand();
	kill_spinner();
	stop_and_continue();
	return finish("signals");
}
