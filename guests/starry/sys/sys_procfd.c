/* A process's descriptors as names: /proc/<pid>/fd/<n> (what procfs lists and links to),
 * /dev/fd/<n> and /dev/stdin, /dev/stdout, /dev/stderr (Linux's links into /proc/self/fd),
 * and opening them: a new open of the same file, as on Linux. */
#include "syscalls.h"
#include "../fs/fs.h"
#include "../proc/task.h"
#include <string.h>

/* The links devfs would hold on Linux (udev makes them), with what they point at. */
static const struct {
	const char *name, *target;
} dev_links[] = {
    {"/dev/fd", "/proc/self/fd"},
    {"/dev/stdin", "/proc/self/fd/0"},
    {"/dev/stdout", "/proc/self/fd/1"},
    {"/dev/stderr", "/proc/self/fd/2"},
};

const char *fdlink_dev_target(const char *abs, const char **rest)
{
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		size_t len = strlen(dev_links[i].name);

		if (strncmp(abs, dev_links[i].name, len) == 0 && (!abs[len] || abs[len] == '/')) {
			*rest = abs + len;
			return dev_links[i].target;
		}
	}
	return NULL;
}

int fdlink_follow_dev(char *abs)
{
	const char *rest, *target = fdlink_dev_target(abs, &rest);
	char out[PATH_MAX];
	size_t tlen, rlen;

	if (!target)
		return 0;
	tlen = strlen(target);
	rlen = strlen(rest);
	if (tlen + rlen >= PATH_MAX)
		return -ENAMETOOLONG;
	memcpy(out, target, tlen);
	memcpy(out + tlen, rest, rlen + 1);
	memcpy(abs, out, tlen + rlen + 1);
	return 1;
}

/* Digits at *s as a number below limit, *s moved past them; -1 when there are none or it is
 * too big. */
static int64_t number(const char **s, int64_t limit)
{
	int64_t v = 0;
	const char *p = *s;

	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v >= limit)
			return -1;
	}
	if (p == *s)
		return -1;
	*s = p;
	return v;
}

/* /proc/<pid or self>/fd/<n> (also under task/<tid>/): the process and descriptor, or false. */
static bool parse_fd_path(const char *abs, struct task **p, int *fd)
{
	const char *s = abs + 6;
	int64_t pid, n;

	if (strncmp(abs, "/proc/", 6) != 0)
		return false;
	if (strncmp(s, "self/", 5) == 0) {
		pid = current->tgid;
		s += 4;
	} else if ((pid = number(&s, 1000000000)) <= 0) {
		return false;
	}
	if (strncmp(s, "/task/", 6) == 0) { /* a thread's fd/ is its process's table */
		s += 6;
		if (number(&s, 1000000000) <= 0)
			return false;
	}
	if (strncmp(s, "/fd/", 4) != 0)
		return false;
	s += 4;
	n = number(&s, FD_NR_OPEN);
	if (n < 0 || *s)
		return false;
	*p = task_find((pid_t)pid);
	*fd = (int)n;
	return *p != NULL;
}

struct file *fdlink_file(struct task *p, int fd)
{
	return p && p->files ? fd_get(p->files, fd) : NULL;
}

int fdlink_open(const char *abs, unsigned flags, struct file **out)
{
	struct task *p;
	struct file *f;
	int fd, ret;

	if (!parse_fd_path(abs, &p, &fd))
		return 0;
	f = fdlink_file(p, fd);
	if (!f)
		return -ENOENT;
	if (f->mnt && f->path[0]) {
		/* A file with a name: opened again by that name, a description of its own. */
		ret = vfs_open_abs(f->path, flags & ~(unsigned)(O_CREAT | O_EXCL), out);
	} else {
		/* A pipe or an anonymous file: the same description (Linux opens the pipe anew,
		 * with an offset and flags of its own; neither means much for a pipe). */
		unsigned acc = flags & O_ACCMODE;

		ret = (acc == O_RDONLY && (f->flags & O_ACCMODE) == O_WRONLY) ||
			      (acc == O_WRONLY && (f->flags & O_ACCMODE) == O_RDONLY)
			  ? -EACCES
			  : 0;
		if (ret == 0)
			*out = file_get(f);
	}
	file_put(f);
	return ret < 0 ? ret : 1;
}

int fdlink_text(struct task *p, int fd, char *out, size_t size)
{
	struct file *f = fdlink_file(p, fd);
	struct kstat st;
	int n;

	if (!f)
		return -ENOENT;
	memset(&st, 0, sizeof(st));
	if (f->path[0]) {
		n = (int)fmt_snprintf(out, size, "%s", f->path);
	} else if (vfs_fstat_kernel(f, &st) == 0 && (st.mode & S_IFMT) == S_IFIFO) {
		n = (int)fmt_snprintf(out, size, "pipe:[%lu]", (unsigned long)st.ino);
	} else {
		n = (int)fmt_snprintf(out, size, "anon_inode:[%s]",
				      f->anon_name ? f->anon_name : "");
	}
	file_put(f);
	return n < 0 ? -EINVAL : (size_t)n < size ? n : (int)size;
}
