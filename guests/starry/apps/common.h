/* Helpers shared by the starry test programs: errno names and a pass/fail tally. */
#ifndef STARRY_APPS_COMMON_H
#define STARRY_APPS_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Names, not strerror() text: the text differs between C libraries, the name does not. */
static inline const char *ename(int e)
{
	switch (e) {
	case 0:
		return "0";
	case ENOENT:
		return "ENOENT";
	case EEXIST:
		return "EEXIST";
	case ENOTEMPTY:
		return "ENOTEMPTY";
	case EFAULT:
		return "EFAULT";
	case EPIPE:
		return "EPIPE";
	case EINTR:
		return "EINTR";
	case ECHILD:
		return "ECHILD";
	case EBADF:
		return "EBADF";
	case ENOTDIR:
		return "ENOTDIR";
	case EISDIR:
		return "EISDIR";
	case EINVAL:
		return "EINVAL";
	case ENOMEM:
		return "ENOMEM";
	case EAGAIN:
		return "EAGAIN";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case ENOSYS:
		return "ENOSYS";
	case ESRCH:
		return "ESRCH";
	case EMFILE:
		return "EMFILE";
	case EBUSY:
		return "EBUSY";
	case EPERM:
		return "EPERM";
	default:
		return "E?";
	}
}

/* Prints "ok <what>" or "FAIL <what>" so that a failure shows in the compared output. */
__attribute__((format(printf, 2, 3))) static inline int report(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
	return ok;
}

/* The condition first: the message's arguments (errno, sizes) are only valid after it ran. */
#define check(cond, ...)                                                                           \
	({                                                                                         \
		int ok_ = !!(cond);                                                                \
		report(ok_, __VA_ARGS__);                                                          \
	})

/* Line buffering even into a pipe: a fork must not duplicate unflushed output. */
static inline void line_buffered(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Entries of a directory but "." and "..", or -1: /proc's lists of tasks and descriptors. */
static inline int count_entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static inline int finish(const char *name)
{
	printf("%s: %s\n", name, failures ? "FAILED" : "done");
	return failures ? 1 : 0;
}

#endif
