/* Starry test program: pipes between processes, EOF, dup2 onto stdout across execve, EPIPE. */
#include "common.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINES 2000 /* about 20 KB: more than a small pipe buffer holds, so the writer blocks */

static int wait_status(pid_t pid)
{
	int status = -1;

	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

static void stream(void)
{
	int fds[2], st;
	long bytes = 0, lines = 0;
	unsigned long sum = 0;
	char buf[512];
	ssize_t n;
	pid_t pid;

	if (!check(pipe(fds) == 0, "pipe"))
		return;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (int i = 0; i < LINES; i++) {
			int len = snprintf(buf, sizeof(buf), "line %d of the stream\n", i);

			if (write(fds[1], buf, (size_t)len) != len)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			lines += buf[i] == '\n';
			sum = sum * 31 + (unsigned char)buf[i];
		}
		bytes += n;
	}
	check(n == 0, "read returns 0 (EOF) once the writer has exited");
	close(fds[0]);
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "writer exited 0");
	printf("stream: %ld lines, %ld bytes, checksum %08lx\n", lines, bytes, sum & 0xffffffffUL);
}

static void eof_on_close(void)
{
	int fds[2];
	char c;

	if (!check(pipe(fds) == 0, "second pipe"))
		return;
	check(write(fds[1], "x", 1) == 1, "write 1 byte");
	close(fds[1]);
	check(read(fds[0], &c, 1) == 1 && c == 'x', "read it back");
	check(read(fds[0], &c, 1) == 0, "then EOF");
	close(fds[0]);
}

static void from_hello(const char *hello)
{
	int fds[2], st;
	char buf[1024];
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (!check(pipe(fds) == 0, "pipe for hello"))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		char *args[] = {"hello", "through", "a pipe", NULL};

		close(fds[0]);
		dup2(fds[1], 1);
		close(fds[1]);
		execve(hello, args, args + 3);
		_exit(126);
	}
	close(fds[1]);
	while (len < sizeof(buf) - 1 && (n = read(fds[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	close(fds[0]);
	st = wait_status(pid);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "hello exited 0");
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("from hello: %s\n", line);
}

static void no_reader(void)
{
	int fds[2], st;
	pid_t pid;

	if (!check(pipe(fds) == 0, "pipe without a reader"))
		return;
	close(fds[0]);
	/* The default action first: the writer dies of SIGPIPE. */
	pid = fork();
	if (pid == 0) {
		if (write(fds[1], "x", 1) < 0)
			_exit(2);
		_exit(3);
	}
	st = wait_status(pid);
	check(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "writer killed by signal %d",
	      WIFSIGNALED(st) ? WTERMSIG(st) : -1);
	signal(SIGPIPE, SIG_IGN);
	check(write(fds[1], "x", 1) < 0 && errno == EPIPE, "SIGPIPE ignored: write fails with %s",
	      ename(errno));
	close(fds[1]);
}

int main(int argc, char **argv)
{
	line_buffered();
	stream();
	eof_on_close();
	from_hello(argc > 1 ? argv[1] : "/bin/hello");
	no_reader();
	return finish("pipes");
}
