/* Pipes: a ring of pages (64 KiB by default, as Linux) between a read end and a write end. */
#include "fs.h"
#include "../mm/pmm.h"
#include "../proc/signal.h"
#include "../proc/task.h"
#include <string.h>

#define PIPE_DEF_PAGES 16u  /* Linux's default capacity: 16 pages */
#define PIPE_MAX_PAGES 256u /* /proc/sys/fs/pipe-max-size: 1 MiB */
#define PIPE_BUF 4096u	    /* writes up to this size are atomic */
#define SIGPIPE 13

/*
 * The ring's pages are allocated when a write first reaches them and freed with the pipe, so a
 * pipe carrying small messages holds one page (head goes back to 0 whenever the pipe drains).
 */
struct pipe {
	uint64_t pages[PIPE_MAX_PAGES]; /* kernel addresses, 0 until used */
	size_t cap;			/* bytes: a power of two pages */
	size_t head, len;		/* the oldest byte and how many there are */
	int readers, writers;
	struct waitq rq, wq; /* readers wait for data, writers for room */
	uint64_t ino;
};

static uint64_t pipe_ino = 1;

/* The contiguous bytes from ring offset off within its page, at most want. */
static size_t pipe_span(size_t off, size_t want)
{
	size_t in_page = PAGE_SIZE - off % PAGE_SIZE;

	return want < in_page ? want : in_page;
}

static char *pipe_at(const struct pipe *p, size_t off)
{
	return (char *)(uintptr_t)(p->pages[off / PAGE_SIZE] + off % PAGE_SIZE);
}

/* Copies len bytes from the ring starting at head; the caller moves head. */
static void pipe_copy_out(const struct pipe *p, char *out, size_t len)
{
	size_t off = p->head, n = 0;

	while (n < len) {
		size_t chunk = pipe_span(off, len - n);

		memcpy(out + n, pipe_at(p, off), chunk);
		off = (off + chunk) % p->cap;
		n += chunk;
	}
}

static int64_t pipe_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	struct pipe *p = f->priv;
	size_t n;

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
	n = len < p->len ? (size_t)len : p->len;
	pipe_copy_out(p, buf, n);
	p->head = (p->head + n) % p->cap;
	p->len -= n;
	if (p->len == 0)
		p->head = 0; /* keeps small messages in the first page */
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
		/* Up to PIPE_BUF bytes go in whole or not at all, so writers never interleave. */
		if (p->len == p->cap || (len <= PIPE_BUF && p->cap - p->len < len)) {
			int ret;

			if (f->flags & O_NONBLOCK)
				return n ? (int64_t)n : -EAGAIN;
			ret = waitq_wait(&p->wq);
			if (ret < 0)
				return n ? (int64_t)n : ret;
			continue;
		}
		tail = (p->head + p->len) % p->cap;
		chunk = pipe_span(tail, len - n);
		if (chunk > p->cap - p->len)
			chunk = p->cap - p->len;
		if (!p->pages[tail / PAGE_SIZE]) {
			p->pages[tail / PAGE_SIZE] = pmm_alloc_page();
			if (!p->pages[tail / PAGE_SIZE])
				return n ? (int64_t)n : -ENOMEM;
		}
		memcpy(pipe_at(p, tail), in + n, chunk);
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

	/* Linux: writable when a PIPE_BUF write would not block. */
	return p->readers ? (p->cap - p->len >= PIPE_BUF ? POLLOUT : 0) : POLLERR;
}

static int pipe_fstat(struct file *f, struct kstat *st)
{
	const struct pipe *p = f->priv;

	st->ino = p->ino;
	st->mode = S_IFIFO | 0600;
	st->nlink = 1;
	st->size = p->len;
	st->blksize = PAGE_SIZE;
	return 0;
}

static void pipe_free_pages(uint64_t *pages, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pages[i])
			pmm_put_page(pages[i]);
}

static void pipe_release_end(struct pipe *p)
{
	if (p->readers == 0 && p->writers == 0) {
		pipe_free_pages(p->pages, PIPE_MAX_PAGES);
		kfree(p);
	}
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

static struct pipe *pipe_of(const struct file *f)
{
	return f->ops == &pipe_read_ops || f->ops == &pipe_write_ops ? f->priv : NULL;
}

int64_t pipe_bytes_waiting(const struct file *f)
{
	const struct pipe *p = pipe_of(f);

	return p ? (int64_t)p->len : -ENOTTY;
}

int64_t pipe_get_size(const struct file *f)
{
	const struct pipe *p = pipe_of(f);

	return p ? (int64_t)p->cap : -EBADF;
}

int64_t pipe_set_size(struct file *f, uint64_t size)
{
	struct pipe *p = pipe_of(f);
	size_t pages = 1, held;
	uint64_t *fresh;

	if (!p)
		return -EBADF;
	while (pages < PIPE_MAX_PAGES && (uint64_t)pages * PAGE_SIZE < size)
		pages *= 2;
	if (size > (uint64_t)PIPE_MAX_PAGES * PAGE_SIZE)
		return -EPERM; /* above pipe-max-size without CAP_SYS_RESOURCE */
	if (pages * PAGE_SIZE < p->len)
		return -EBUSY;
	/* Move the bytes held to fresh pages from offset 0 on, then drop the old ring. */
	held = (p->len + PAGE_SIZE - 1) / PAGE_SIZE;
	fresh = kmalloc((held ? held : 1) * sizeof(*fresh));
	if (!fresh)
		return -ENOMEM;
	for (size_t i = 0; i < held; i++) {
		fresh[i] = pmm_alloc_page();
		if (!fresh[i]) {
			pipe_free_pages(fresh, i);
			kfree(fresh);
			return -ENOMEM;
		}
		pipe_copy_out(p, (char *)(uintptr_t)fresh[i],
			      p->len - i * PAGE_SIZE < PAGE_SIZE ? p->len - i * PAGE_SIZE
								 : PAGE_SIZE);
		p->head = (p->head + PAGE_SIZE) % p->cap;
	}
	pipe_free_pages(p->pages, PIPE_MAX_PAGES);
	memset(p->pages, 0, sizeof(p->pages));
	memcpy(p->pages, fresh, held * sizeof(*fresh));
	kfree(fresh);
	p->head = 0;
	p->cap = pages * PAGE_SIZE;
	waitq_wake_all(&p->wq);
	return (int64_t)p->cap;
}

int pipe_create(unsigned flags, struct file **rd, struct file **wr)
{
	struct pipe *p = kmalloc(sizeof(*p));
	unsigned nb = flags & O_NONBLOCK;

	if (!p)
		return -ENOMEM;
	memset(p, 0, sizeof(*p));
	p->cap = PIPE_DEF_PAGES * PAGE_SIZE;
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
