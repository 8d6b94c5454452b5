/* eventfd: a 64-bit counter as a file: write adds, read takes (all of it, or one with
 * EFD_SEMAPHORE), both block at the limits unless non-blocking; poll says which may go. */
#include "fs.h"
#include "../proc/task.h"
#include <string.h>

#define EFD_SEMAPHORE 1
#define COUNT_MAX 0xfffffffffffffffeULL

struct eventfd {
	uint64_t count;
	bool semaphore;
	struct waitq rq, wq; /* readers wait for a count, writers for room */
};

static int64_t efd_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	(void)pos;
	if (len < sizeof(v))
		return -EINVAL;
	while (e->count == 0) {
		int ret;

		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		ret = waitq_wait(&e->rq);
		if (ret < 0)
			return ret;
	}
	v = e->semaphore ? 1 : e->count;
	e->count -= v;
	memcpy(buf, &v, sizeof(v));
	waitq_wake_all(&e->wq);
	return sizeof(v);
}

static int64_t efd_write(struct file *f, const void *buf, uint64_t len, uint64_t *pos)
{
	struct eventfd *e = f->priv;
	uint64_t v;

	(void)pos;
	if (len < sizeof(v))
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == ~0ULL)
		return -EINVAL;
	while (COUNT_MAX - e->count < v) {
		int ret;

		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		ret = waitq_wait(&e->wq);
		if (ret < 0)
			return ret;
	}
	e->count += v;
	if (v)
		waitq_wake_all(&e->rq);
	return sizeof(v);
}

static unsigned efd_poll(struct file *f)
{
	const struct eventfd *e = f->priv;

	return (e->count ? POLLIN : 0) | (e->count < COUNT_MAX ? POLLOUT : 0);
}

int anon_inode_fstat(struct file *f, struct kstat *st)
{
	(void)f;
	st->mode = 0600; /* an anonymous inode: no file type bits, as on Linux */
	st->nlink = 1;
	st->blksize = 4096;
	return 0;
}

static void efd_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops eventfd_ops = {
    .read = efd_read,
    .write = efd_write,
    .fstat = anon_inode_fstat,
    .poll = efd_poll,
    .release = efd_release,
};

int eventfd_create(uint64_t initval, unsigned flags, struct file **out)
{
	struct eventfd *e = kmalloc(sizeof(*e));

	if (!e)
		return -ENOMEM;
	memset(e, 0, sizeof(*e));
	e->count = initval;
	e->semaphore = (flags & EFD_SEMAPHORE) != 0;
	*out = file_alloc(&eventfd_ops, e, O_RDWR | (flags & O_NONBLOCK));
	if (!*out) {
		kfree(e);
		return -ENOMEM;
	}
	(*out)->anon_name = "eventfd";
	return 0;
}
