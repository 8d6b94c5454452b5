/* Starry's /sbin/init for the Linux tests: runs each test program and busybox script, tallies;
 * with the argument "shell" (bootargs "... -- shell") it then runs an interactive busybox shell. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Order matters to the test: nothing before signals makes a signal system call, so the kernel's
 * signal module must load during it. "@" at the start of an argument stands for the root: "" in the
 * guest, a directory natively. */
struct prog {
	const char *name, *path, *args[6];
};

static const struct prog progs[] = {
    {"hello", "@/bin/hello", {"hello", "a", "b c"}},
    {"fileio", "@/bin/fileio", {"fileio", "@/data"}},
    {"forkexec", "@/bin/forkexec", {"forkexec", "@/bin/hello", "@/bin/hello-pie"}},
    {"signals", "@/bin/signals", {"signals"}},
    {"memgrow", "@/bin/memgrow", {"memgrow"}},
    {"pipes", "@/bin/pipes", {"pipes", "@/bin/hello"}},
    {"segv", "@/bin/segv", {"segv"}},
    {"efault", "@/bin/efault", {"efault"}},
    {"futex", "@/bin/futex", {"futex"}},
    {"threads", "@/bin/threads", {"threads", "@/bin/hello"}},
    {"timers", "@/bin/timers", {"timers"}},
    {"procsig", "@/bin/procsig", {"procsig"}},
    {"files", "@/bin/files", {"files", "@/data"}},
    {"events", "@/bin/events", {"events", "/tmp"}},
    {"bb-files", "@/bin/busybox", {"busybox", "sh", "@/etc/bb-files.sh", "@/data"}},
    {"bb-pipe", "@/bin/busybox", {"busybox", "sh", "@/etc/bb-pipe.sh"}},
    {"bb-trap", "@/bin/busybox", {"busybox", "sh", "@/etc/bb-trap.sh"}},
    {"bb-ps", "@/bin/busybox", {"busybox", "sh", "@/etc/bb-ps.sh"}},
};

static const char *root = "";

static const char *rooted(const char *arg, char *buf, size_t size)
{
	if (arg[0] != '@')
		return arg;
	snprintf(buf, size, "%s%s", root, arg + 1);
	return buf;
}

/* Returns 1 if the program exited 0. Orphans handed to init are reaped on the way. */
static int run(const struct prog *p)
{
	char bufs[7][512], *argv[7] = {0};
	int status, n = 0;
	pid_t pid, got;

	for (; n < 6 && p->args[n]; n++)
		argv[n] = (char *)rooted(p->args[n], bufs[n], sizeof(bufs[n]));
	printf("init: run %s\n", p->name);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		const char *path = rooted(p->path, bufs[6], sizeof(bufs[6]));

		execve(path, argv, environ);
		fprintf(stderr, "init: cannot execute %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		printf("init: %s: fork failed: %s\n", p->name, strerror(errno));
		return 0;
	}
	do
		got = wait4(-1, &status, 0, NULL);
	while (got != pid && (got > 0 || errno == EINTR));
	if (got != pid) {
		printf("init: %s: wait4 failed: %s\n", p->name, strerror(errno));
		return 0;
	}
	if (WIFSIGNALED(status)) {
		printf("init: %s killed by signal %d\n", p->name, WTERMSIG(status));
		return 0;
	}
	printf("init: %s exited %d\n", p->name, WEXITSTATUS(status));
	return WEXITSTATUS(status) == 0;
}

/* Which modules the kernel loaded and why, for the log. */
static void show_modules(void)
{
	char path[512], line[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/proc/modules", root);
	f = fopen(path, "r");
	if (!f) {
		printf("init: no %s: %s\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f))
		printf("init: modules: %s%s", line, strchr(line, '\n') ? "" : "\n");
	fclose(f);
}

/* The console's shell until it exits; then init ends and the VM powers off. */
static void interactive_shell(void)
{
	pid_t pid;

	printf("init: starting /bin/busybox sh on the console: Ctrl-A then 1 gives it the "
	       "keyboard, exit powers the VM off\n");
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char path[512];
		char *argv[] = {"sh", NULL};

		snprintf(path, sizeof(path), "%s/bin/busybox", root);
		execve(path, argv, environ);
		fprintf(stderr, "init: cannot execute %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (pid > 0 && waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	printf("init: the shell exited\n");
}

int main(int argc, char **argv)
{
	char data[512];
	int passed = 0, failed = 0, shell = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* In the guest the arguments come from bootargs after "--"; natively, an argument that is
	 * not "shell" is a directory laid out like the disk. */
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "shell") == 0)
			shell = 1;
		else
			root = argv[i];
	}
	snprintf(data, sizeof(data), "%s/data", root);
	if (mkdir(data, 0755) < 0 && errno != EEXIST)
		printf("init: mkdir %s: %s\n", data, strerror(errno));
	printf("init: starting %zu programs\n", sizeof(progs) / sizeof(progs[0]));
	for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
		if (run(&progs[i]))
			passed++;
		else
			failed++;
	}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	/* Read by the kernel's own procfs only in the guest; natively the host's list is shown. */
	if (!root[0])
		show_modules();
	printf("init: summary: %d passed, %d failed\n", passed, failed);
	if (shell)
		interactive_shell();
	return 0;
}
