/* The signal module's idle unload as a program sees it (guest only: it reads Starry's
 * /proc/modules): what pins the module, its unload once nothing does, the reload on the next
 * use, and a child forked while it was gone. Argument: the kernel's modidle= time in ms. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "common.h"

struct modline {
	char state[32]; /* "loaded" or "idle-unloaded" */
	unsigned users, loads, idle_unloads, reloads;
};

static volatile sig_atomic_t caught;
static long idle_ms = 1000;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

/* The signal module's line of /proc/modules; false if there is none. */
static int signal_line(struct modline *m)
{
	FILE *f = fopen("/proc/modules", "r");
	char line[256], version[16], how[16], base[24];
	int found = 0;

	if (!f)
		return 0;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "signal ", 7) != 0)
			continue;
		/* "signal 1.1 loaded on-miss 0x.. users=.." or "signal - idle-unloaded - 0x0 ..."
		 */
		found = sscanf(line,
			       "signal %15s %31s %15s %23s users=%u last_use_ms_ago=%*u loads=%u "
			       "idle_unloads=%u reloads=%u",
			       version, m->state, how, base, &m->users, &m->loads, &m->idle_unloads,
			       &m->reloads) == 8;
		printf("sigidle: %s", line);
	}
	fclose(f);
	return found;
}

static void nap_idle_times(int n)
{
	struct timespec ts = {.tv_sec = n * idle_ms / 1000,
			      .tv_nsec = n * idle_ms % 1000 * 1000000};

	while (nanosleep(&ts, &ts) != 0)
		;
}

/* After n idle times: the module's state, users and idle unloads are what the step expects. */
static void expect(const char *step, const char *state, unsigned users, unsigned idle_unloads)
{
	struct modline m;

	nap_idle_times(3);
	if (!signal_line(&m)) {
		printf("sigidle: %s: FAIL: no signal line in /proc/modules\n", step);
		failures++;
		return;
	}
	if (strcmp(m.state, state) != 0 || m.users != users || m.idle_unloads != idle_unloads) {
		printf("sigidle: %s: FAIL: %s users=%u idle_unloads=%u, expected %s users=%u "
		       "idle_unloads=%u\n",
		       step, m.state, m.users, m.idle_unloads, state, users, idle_unloads);
		failures++;
		return;
	}
	printf("sigidle: %s: ok\n", step);
}

static void catch_usr1(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};

	sigemptyset(&sa.sa_mask);
	check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction(SIGUSR1, handler)");
}

static void default_usr1(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};

	sigemptyset(&sa.sa_mask);
	check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction(SIGUSR1, SIG_DFL)");
}

int main(int argc, char **argv)
{
	struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR2};
	sigset_t usr2;
	siginfo_t si;
	struct timespec now = {0, 0};
	timer_t timer;
	int status;
	pid_t child;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (argc > 1)
		idle_ms = atol(argv[1]);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);

	/* A handler keeps the module: it holds the handler's address. */
	catch_usr1();
	expect("a handler pins it", "loaded", 1, 0);
	check(kill(getpid(), SIGUSR1) == 0 && caught == 1, "the handler runs after the wait");

	/* A blocked signal, then one pending, keep it too. */
	default_usr1();
	check(sigprocmask(SIG_BLOCK, &usr2, NULL) == 0, "block SIGUSR2");
	expect("a blocked signal pins it", "loaded", 1, 0);
	check(kill(getpid(), SIGUSR2) == 0, "SIGUSR2 sent while blocked");
	expect("a pending signal pins it", "loaded", 1, 0);
	check(sigtimedwait(&usr2, &si, &now) == SIGUSR2 && si.si_pid == getpid(),
	      "the pending SIGUSR2 is still there");
	check(sigprocmask(SIG_UNBLOCK, &usr2, NULL) == 0, "unblock SIGUSR2");

	/* A timer that signals keeps it: its expiry comes in an interrupt, which cannot load. */
	check(timer_create(CLOCK_MONOTONIC, &ev, &timer) == 0, "timer_create(SIGEV_SIGNAL)");
	expect("a signalling timer pins it", "loaded", 1, 0);
	check(timer_delete(timer) == 0, "timer_delete");

	/* Now every action is the default and nothing is blocked or pending: it goes. */
	expect("unused and unpinned: unloaded", "idle-unloaded", 0, 1);

	/* A child made while it is gone gets its state when the next use loads it again. */
	child = fork();
	if (child == 0) {
		pause();
		_exit(0);
	}
	check(child > 0, "fork while the module is unloaded");
	catch_usr1();
	check(kill(getpid(), SIGUSR1) == 0 && caught == 2, "the handler runs after the reload");
	check(kill(child, SIGUSR1) == 0, "kill(child, SIGUSR1)");
	check(waitpid(child, &status, 0) == child && WIFSIGNALED(status) &&
		  WTERMSIG(status) == SIGUSR1,
	      "the child dies of SIGUSR1's default action");
	expect("reloaded, pinned by the handler", "loaded", 1, 1);
	printf("sigidle: %s\n", failures ? "FAILED" : "all passed");
	return failures != 0;
}
