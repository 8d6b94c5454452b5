/* Starry robustness test: children that exhaust memory (touching pages until the kernel stops
 * them) and a fork chain that exhausts processes; the kernel must stop the greedy process,
 * keep going, and get every page back. Run as init with a count of rounds. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Touches fresh anonymous memory until something stops it. */
static void eat_memory(void)
{
	for (;;) {
		char *p =
		    mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			_exit(3);
		for (int i = 0; i < (1 << 20); i += 4096)
			p[i] = 1;
	}
}

/* Forks a chain of children until fork fails; each link waits for the next. Returns the depth
 * reached through the exit status (capped at 255). */
static int fork_chain(int depth)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return depth;
	if (pid == 0) {
		int reached = fork_chain(depth + 1);

		_exit(reached > 255 ? 255 : reached);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 2, stopped = 0, deep = 0, depth = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int r = 0; r < rounds; r++) {
		pid_t pid = fork();
		int st;

		if (pid == 0)
			eat_memory();
		waitpid(pid, &st, 0);
		stopped += WIFSIGNALED(st) || (WIFEXITED(st) && WEXITSTATUS(st) == 3);

		depth = fork_chain(0);
		deep += depth > 0;
	}
	printf(
	    "oom: %d of %d memory eaters stopped, %d of %d fork chains ended (the last %d deep); "
	    "the kernel is alive\n",
	    stopped, rounds, deep, rounds, depth);
	return 0;
}
