/* Starry test program: a child that dereferences NULL dies of SIGSEGV, also when it blocks
 * SIGSEGV or its SIGSEGV handler faults again; the parent carries on. */
#include "common.h"

#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void fault(void)
{
	// cppcheck-suppress nullPointer
	*(volatile int *)NULL = 1;
}

static void faulting_handler(int sig)
{
	(void)sig;
	fault(); /* SIGSEGV is blocked in its own handler: this one must still end the process */
}

/* how: 0 plain, 1 with SIGSEGV blocked, 2 with a handler that faults. */
static int child_status(int how)
{
	int status = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* No core file on the host when run natively for comparison. */
		struct rlimit none = {0, 0};

		setrlimit(RLIMIT_CORE, &none);
		if (how == 1) {
			sigset_t set;

			sigemptyset(&set);
			sigaddset(&set, SIGSEGV);
			sigprocmask(SIG_BLOCK, &set, NULL);
		} else if (how == 2) {
			struct sigaction sa;

			memset(&sa, 0, sizeof(sa));
			sa.sa_handler = faulting_handler;
			sigaction(SIGSEGV, &sa, NULL);
		}
		fault();
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

int main(void)
{
	static const char *const what[] = {"", " with SIGSEGV blocked", " whose handler faults"};

	line_buffered();
	for (int how = 0; how < 3; how++) {
		int status = child_status(how);

		if (WIFSIGNALED(status))
			printf("child%s killed by signal %d\n", what[how], WTERMSIG(status));
		else
			printf("child%s exited %d\n", what[how],
			       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "SIGSEGV reported%s",
		      what[how]);
	}
	return finish("segv");
}
