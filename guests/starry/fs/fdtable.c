/* Per-process descriptor tables: lowest free fd, FD_CLOEXEC, dup, sharing and fork copies. */
#include "fs.h"
#include <string.h>

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kmalloc(sizeof(*t));

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->refs = 1;
	t->nofile = t->nofile_max = FD_MAX;
	return t;
}

static void set_cloexec(struct fdtable *t, int fd, bool on)
{
	if (on)
		t->cloexec |= 1ULL << fd;
	else
		t->cloexec &= ~(1ULL << fd);
}

int fd_install(struct fdtable *t, struct file *f, int minfd, bool cloexec)
{
	int end = (int)(t->nofile < FD_MAX ? t->nofile : FD_MAX);

	if (minfd < 0)
		return -EINVAL;
	for (int fd = minfd; fd < end; fd++) {
		if (!t->fd[fd]) {
			t->fd[fd] = file_get(f);
			set_cloexec(t, fd, cloexec);
			return fd;
		}
	}
	return -EMFILE;
}

static bool valid_fd(const struct fdtable *t, int fd)
{
	return fd >= 0 && fd < FD_MAX && t->fd[fd];
}

struct file *fd_get(struct fdtable *t, int fd)
{
	return valid_fd(t, fd) ? file_get(t->fd[fd]) : NULL;
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f;

	if (!valid_fd(t, fd))
		return -EBADF;
	f = t->fd[fd];
	t->fd[fd] = NULL;
	set_cloexec(t, fd, false);
	reclock_file_closed(f);
	file_put(f);
	return 0;
}

int fd_dup(struct fdtable *t, int oldfd, int minfd, bool cloexec)
{
	if (!valid_fd(t, oldfd))
		return -EBADF;
	return fd_install(t, t->fd[oldfd], minfd, cloexec);
}

int fd_dup3(struct fdtable *t, int oldfd, int newfd, bool cloexec)
{
	struct file *old;

	if (!valid_fd(t, oldfd))
		return -EBADF;
	if (newfd < 0 || (uint64_t)newfd >= t->nofile || newfd >= FD_MAX)
		return -EBADF;
	if (oldfd == newfd)
		return -EINVAL;
	/* Take the new reference before dropping the old file: release may sleep or free. */
	old = t->fd[newfd];
	t->fd[newfd] = file_get(t->fd[oldfd]);
	set_cloexec(t, newfd, cloexec);
	if (old) {
		reclock_file_closed(old);
		file_put(old);
	}
	return newfd;
}

int fd_get_flags(struct fdtable *t, int fd)
{
	if (!valid_fd(t, fd))
		return -EBADF;
	return (t->cloexec >> fd) & 1 ? FD_CLOEXEC : 0;
}

int fd_set_flags(struct fdtable *t, int fd, int flags)
{
	if (!valid_fd(t, fd))
		return -EBADF;
	set_cloexec(t, fd, flags & FD_CLOEXEC);
	return 0;
}

int fd_set_limit(struct fdtable *t, uint64_t cur, uint64_t max)
{
	if (cur > max)
		return -EINVAL;
	if (max > FD_MAX)
		return -EPERM;
	t->nofile = cur;
	t->nofile_max = max;
	return 0;
}

struct fdtable *fdtable_fork(struct fdtable *t, bool share)
{
	struct fdtable *n;

	if (share) {
		t->refs++;
		return t;
	}
	n = fdtable_create();
	if (!n)
		return NULL;
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->fd[fd])
			n->fd[fd] = file_get(t->fd[fd]);
	n->cloexec = t->cloexec;
	n->nofile = t->nofile;
	n->nofile_max = t->nofile_max;
	return n;
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->fd[fd] && ((t->cloexec >> fd) & 1))
			fd_close(t, fd);
}

void fdtable_put(struct fdtable *t)
{
	if (!t || --t->refs > 0)
		return;
	for (int fd = 0; fd < FD_MAX; fd++)
		if (t->fd[fd])
			fd_close(t, fd);
	kfree(t);
}
