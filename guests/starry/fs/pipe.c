/* Pipes: a 4 KiB ring between a read end and a write end, with blocking and SIGPIPE. */
#include "fs.h"
#include "../proc/signal.h"
#include "../proc/task.h"
#include <string.h>

#define PIPE_SIZE 4096
#define SIGPIPE 13

struct pipe {
	char buf[PIPE_SIZE];
	size_t head, len; /* the oldest byte and how many there are */
	int readers, writers;
	struct waitq rq, wq; /* readers wait for data, writers for room */
	uint64_t ino;
};

static uint64_t pipe_ino = 1;

static int64_t pipe_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	struct pipe *p = f->priv;
	char *out = buf;
	size_t n = 0;

	(void)pos;
	if (len == 0)
		return 0;
	while (p->len == 0) {
		int ret;

		if (p->writers == 0)
			return 0;
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		ret = waitq_wait(&p->rq);
		if (ret < 0)
			return ret;
	}
	while (n < len && p->len > 0) {
		size_t chunk = PIPE_SIZE - p->head;

		if (chunk > p->len)
			chunk = p->len;
		if (chunk > len - n)
			chunk = (size_t)(len - n);
		memcpy(out + n, p->buf + p->head, chunk);
		p->head = (p->head + chunk) % PIPE_SIZE;
		p->len -= chunk;
		n += chunk;
	}
	waitq_wake_all(&p->wq);
	return (int64_t)n;
}

static int64_t pipe_write(struct file *f, const void *buf, uint64_t len, uint64_t *pos)
{
	struct pipe *p = f->priv;
	const char *in = buf;
	size_t n = 0;

	(void)pos;
	while (n < len) {
		size_t tail, chunk;

		if (p->readers == 0) {
			signal_send(current, SIGPIPE, 0, 0);
			return n ? (int64_t)n : -EPIPE;
		}
		if (p->len == PIPE_SIZE) {
			int ret;

			if (f->flags & O_NONBLOCK)
				return n ? (int64_t)n : -EAGAIN;
			ret = waitq_wait(&p->wq);
			if (ret < 0)
				return n ? (int64_t)n : ret;
			continue;
		}
		tail = (p->head + p->len) % PIPE_SIZE;
		chunk = tail < p->head ? p->head - tail : PIPE_SIZE - tail;
		if (chunk > len - n)
			chunk = (size_t)(len - n);
		memcpy(p->buf + tail, in + n, chunk);
		p->len += chunk;
		n += chunk;
		waitq_wake_all(&p->rq);
	}
	return (int64_t)n;
}

static unsigned pipe_poll_read(struct file *f)
{
	const struct pipe *p = f->priv;

	return (p->len ? POLLIN : 0) | (p->writers ? 0 : POLLHUP);
}

static unsigned pipe_poll_write(struct file *f)
{
	const struct pipe *p = f->priv;

	return p->readers ? (p->len < PIPE_SIZE ? POLLOUT : 0) : POLLERR;
}

static int pipe_fstat(struct file *f, struct kstat *st)
{
	const struct pipe *p = f->priv;

	st->ino = p->ino;
	st->mode = S_IFIFO | 0600;
	st->nlink = 1;
	st->size = p->len;
	st->blksize = PIPE_SIZE;
	return 0;
}

static void pipe_release_end(struct pipe *p)
{
	if (p->readers == 0 && p->writers == 0)
		kfree(p);
}

static void pipe_release_read(struct file *f)
{
	struct pipe *p = f->priv;

	p->readers--;
	waitq_wake_all(&p->wq); /* a blocked writer must see EPIPE */
	pipe_release_end(p);
}

static void pipe_release_write(struct file *f)
{
	struct pipe *p = f->priv;

	p->writers--;
	waitq_wake_all(&p->rq); /* a blocked reader must see EOF */
	pipe_release_end(p);
}

static const struct file_ops pipe_read_ops = {
    .read = pipe_read,
    .fstat = pipe_fstat,
    .poll = pipe_poll_read,
    .release = pipe_release_read,
};
static const struct file_ops pipe_write_ops = {
    .write = pipe_write,
    .fstat = pipe_fstat,
    .poll = pipe_poll_write,
    .release = pipe_release_write,
};

int64_t pipe_bytes_waiting(const struct file *f)
{
	if (f->ops != &pipe_read_ops && f->ops != &pipe_write_ops)
		return -ENOTTY;
	return (int64_t)((const struct pipe *)f->priv)->len;
}

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct pipe *p = kmalloc(sizeof(*p));
	unsigned nb = flags & O_NONBLOCK;

	if (!p)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	p->ino = pipe_ino++;
	*rd = file_alloc(&pipe_read_ops, p, O_RDONLY | nb);
	*wr = file_alloc(&pipe_write_ops, p, O_WRONLY | nb);
	if (!*rd || !*wr) {
		kfree(*rd);
		kfree(*wr);
		kfree(p);
		return -ENOMEM;
	}
	p->readers = 1;
	p->writers = 1;
	return 0;
}
