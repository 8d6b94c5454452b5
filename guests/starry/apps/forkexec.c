/* Starry test program: fork, execve (static and static-PIE), wait and exit codes, getppid,
 * orphans re-parented to init. */
#include "common.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *hello = "/bin/hello";

static int wait_status(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void exit_codes(void)
{
	static const int codes[] = {0, 3, 42};

	for (unsigned i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			_exit(codes[i]);
		st = wait_status(pid);
		check(pid > 0 && WIFEXITED(st) && WEXITSTATUS(st) == codes[i], "child exited %d",
		      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	}
}

static void parent_pid(void)
{
	pid_t me = getpid(), pid = fork();

	if (pid == 0)
		_exit(getppid() == me ? 0 : 1);
	check(pid > 0 && wait_status(pid) == 0, "ppid ok");
}

static void exec_hello(const char *hello)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = {"hello", "one", "two three", NULL};
		char *env[] = {"FROM=forkexec", NULL};

		execve(hello, args, env);
		_exit(126);
	}
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "hello exited %d",
	      WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

static void exec_missing(void)
{
	pid_t pid;
	int st;

	pid = fork();
	if (pid == 0) {
		char *args[] = {"missing", NULL};

		execve("/no/such/program", args, args + 1);
		_exit(errno == ENOENT ? 7 : 8);
	}
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 7, "execve missing fails with ENOENT");
}

/* The grandchild outlives its parent and reports whom it was given to through a pipe. */
static void orphan(void)
{
	int fds[2];
	pid_t mid;
	int who = -1, st;

	if (pipe(fds) < 0) {
		check(0, "pipe for the orphan");
		return;
	}
	mid = fork();
	if (mid == 0) {
		pid_t parent = getpid();

		if (fork() == 0) {
			struct timespec ts = {0, 10 * 1000 * 1000};
			int tries = 500, ppid;

			close(fds[0]);
			while ((ppid = getppid()) == parent && tries-- > 0)
				nanosleep(&ts, NULL);
			ppid = ppid == parent ? -1 : ppid == 1 ? 1 : 2;
			if (write(fds[1], &ppid, sizeof(ppid)) != sizeof(ppid))
				_exit(1);
			_exit(0);
		}
		_exit(0);
	}
	close(fds[1]);
	st = wait_status(mid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "middle child exited");
	if (read(fds[0], &who, sizeof(who)) != sizeof(who))
		who = -2;
	close(fds[0]);
	/* A host may hand orphans to a subreaper (systemd --user, a container's init). */
	check(who > 0, "orphan re-parented to %s",
	      who == 1	 ? "init"
	      : who == 2 ? "a subreaper"
			 : "nobody");
}

int main(int argc, char **argv)
{
	int st;

	line_buffered();
	if (argc > 1)
		hello = argv[1];
	exit_codes();
	parent_pid();
	exec_hello(hello);
	/* The same program linked as a static PIE (ET_DYN): loaded at a bias, relocates itself. */
	if (argc > 2)
		exec_hello(argv[2]);
	exec_missing();
	orphan();
	st = waitpid(-1, NULL, WNOHANG);
	check(st < 0 && errno == ECHILD, "wait with no children: %s", ename(errno));
	return finish("forkexec");
}
