/* Starry test program: pipes between processes, capacity, EOF, dup2 across execve, EPIPE. */
#define _GNU_SOURCE 1 /* F_GETPIPE_SZ */
#include "common.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINES 10000 /* about 250 KB: more than a pipe holds, so the writer blocks */

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

/* Linux's 64 KiB capacity, F_SETPIPE_SZ rounding, and PIPE_BUF writes going in whole. */
static void capacity(void)
{
	static char big[65536 + 4096], back[65536];
	int fds[2];
	ssize_t n;

	if (!check(pipe2(fds, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK)"))
		return;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + i / 4096);
	check(fcntl(fds[0], F_GETPIPE_SZ) == 65536, "F_GETPIPE_SZ is 64 KiB");
	n = write(fds[1], big, 65536);
	check(n == 65536, "64 KiB go into an empty pipe at once: %zd", n);
	errno = 0;
	check(write(fds[1], "x", 1) < 0 && errno == EAGAIN, "then it is full: %s", ename(errno));
	check(read(fds[0], back, 100) == 100, "read 100 bytes");
	errno = 0;
	check(write(fds[1], big, 4096) < 0 && errno == EAGAIN,
	      "a PIPE_BUF write does not go in part: %s", ename(errno));
	errno = 0;
	check(fcntl(fds[1], F_SETPIPE_SZ, 8192) < 0 && errno == EBUSY,
	      "F_SETPIPE_SZ below the bytes held: %s", ename(errno));
	n = read(fds[0], back + 100, sizeof(back) - 100);
	check(n == 65536 - 100 && memcmp(back, big, 65536) == 0, "the 64 KiB read back intact: %zd",
	      n);
	check(write(fds[1], "hello", 5) == 5, "write 5 bytes");
	check(fcntl(fds[1], F_SETPIPE_SZ, 3 * 4096 + 1) == 16384,
	      "F_SETPIPE_SZ rounds up to 16 KiB");
	check(fcntl(fds[0], F_GETPIPE_SZ) == 16384, "F_GETPIPE_SZ follows");
	check(read(fds[0], back, sizeof(back)) == 5 && memcmp(back, "hello", 5) == 0,
	      "the bytes held survive the resize");
	n = write(fds[1], big, 20000);
	check(n == 16384, "a 20000-byte write fills the 16 KiB pipe: %zd", n);
	close(fds[0]);
	close(fds[1]);

	/* Blocking: a 64 KiB write into an empty pipe returns without a reader reading. */
	if (!check(pipe(fds) == 0, "pipe"))
		return;
	check(write(fds[1], big, 65536) == 65536, "a blocking 64 KiB write does not block");
	close(fds[0]);
	close(fds[1]);
}

int main(int argc, char **argv)
{
	line_buffered();
	capacity();
	stream();
	eof_on_close();
	from_hello(argc > 1 ? argv[1] : "/bin/hello");
	no_reader();
	return finish("pipes");
}
