/* Starry test program: a child that dereferences NULL dies of SIGSEGV; the parent carries on. */
#include "common.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	int status = -1;
	pid_t pid;

	line_buffered();
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		/* No core file on the host when run natively for comparison. */
		struct rlimit none = {0, 0};

		setrlimit(RLIMIT_CORE, &none);
		// cppcheck-suppress nullPointer
		*(volatile int *)NULL = 1;
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status))
		printf("child killed by signal %d\n", WTERMSIG(status));
	else
		printf("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV, "SIGSEGV reported");
	return finish("segv");
}
