/* Per-process descriptor tables: lowest free fd, FD_CLOEXEC, dup, sharing, fork copies, and
 * growth by doubling up to RLIMIT_NOFILE. */
#include "fs.h"
#include <string.h>

#define WORD_BITS 64
#define WORDS(n) (((size_t)(n) + WORD_BITS - 1) / WORD_BITS)

static bool bit(const uint64_t *map, unsigned n)
{
	return (map[n / WORD_BITS] >> (n % WORD_BITS)) & 1;
}

static void put_bit(uint64_t *map, unsigned n, bool on)
{
	if (on)
		map[n / WORD_BITS] |= 1ULL << (n % WORD_BITS);
	else
		map[n / WORD_BITS] &= ~(1ULL << (n % WORD_BITS));
}

/* Moves t to arrays of size slots (at least its highest open fd + 1), keeping what is in
 * them. -ENOMEM leaves t as it was. */
static int resize(struct fdtable *t, unsigned size)
{
	size_t words = WORDS(size), slots = (size_t)size * sizeof(struct file *);
	uint8_t *mem = kmalloc(slots + 2 * words * sizeof(uint64_t));
	struct file **fd;
	uint64_t *open;

	if (!mem)
		return -ENOMEM;
	memset(mem, 0, slots + 2 * words * sizeof(uint64_t));
	fd = (struct file **)mem;
	open = (uint64_t *)(mem + slots);
	if (t->fd) {
		unsigned keep = t->size < size ? t->size : size;
		size_t keep_words = WORDS(keep);

		memcpy(fd, t->fd, keep * sizeof(struct file *));
		memcpy(open, t->open, keep_words * sizeof(uint64_t));
		memcpy(open + words, t->cloexec, keep_words * sizeof(uint64_t));
		kfree(t->fd);
	}
	t->fd = fd;
	t->open = open;
	t->cloexec = open + words;
	t->size = size;
	return 0;
}

/* The size a table holding fd gets: the current one (at least FD_TABLE_MIN) doubled until fd
 * fits, but no more than the hard limit; Linux's alloc_fdtable also doubles. */
static unsigned size_for(const struct fdtable *t, unsigned fd)
{
	uint64_t size = t->size ? t->size : FD_TABLE_MIN, cap = t->nofile_max;

	while (size <= fd)
		size *= 2;
	if (cap < (uint64_t)fd + 1)
		cap = (uint64_t)fd + 1;
	return (unsigned)(size < cap ? size : cap);
}

/* Makes room for fd (below the soft limit, so below FD_NR_OPEN). 0 or -ENOMEM. */
static int grow(struct fdtable *t, unsigned fd)
{
	return fd < t->size ? 0 : resize(t, size_for(t, fd));
}

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kmalloc(sizeof(*t));

	if (!t)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->refs = 1;
	t->nofile = FD_NOFILE_CUR;
	t->nofile_max = FD_NOFILE_MAX;
	if (resize(t, FD_TABLE_MIN) < 0) {
		kfree(t);
		return NULL;
	}
	return t;
}

/* The lowest fd >= from not in use: t->size or beyond when none below the size is free. */
static unsigned first_free(const struct fdtable *t, unsigned from)
{
	for (size_t w = from / WORD_BITS; w < WORDS(t->size); w++) {
		uint64_t free = ~t->open[w];

		if (w == from / WORD_BITS)
			free &= ~0ULL << (from % WORD_BITS);
		if (free)
			return (unsigned)(w * WORD_BITS) + (unsigned)__builtin_ctzll(free);
	}
	return from > t->size ? from : t->size;
}

static void set_slot(struct fdtable *t, int fd, struct file *f, bool cloexec)
{
	t->fd[fd] = f;
	put_bit(t->open, (unsigned)fd, f != NULL);
	put_bit(t->cloexec, (unsigned)fd, f && cloexec);
}

/* The lowest free fd >= minfd, with the table grown to hold it: fd, -EMFILE or -ENOMEM. */
static int room_from(struct fdtable *t, unsigned minfd)
{
	unsigned fd = first_free(t, minfd);
	int ret;

	if (fd >= t->nofile)
		return -EMFILE;
	ret = grow(t, fd);
	return ret < 0 ? ret : (int)fd;
}

int fd_room(struct fdtable *t)
{
	int ret = room_from(t, 0);

	return ret < 0 ? ret : 0;
}

int fd_install(struct fdtable *t, struct file *f, int minfd, bool cloexec)
{
	int fd;

	if (minfd < 0)
		return -EINVAL;
	fd = room_from(t, (unsigned)minfd);
	if (fd >= 0)
		set_slot(t, fd, file_get(f), cloexec);
	return fd;
}

static bool valid_fd(const struct fdtable *t, int fd)
{
	return fd >= 0 && (unsigned)fd < t->size && t->fd[fd];
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
	set_slot(t, fd, NULL, false);
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
	int ret;

	if (oldfd == newfd)
		return -EINVAL;
	if (newfd < 0 || (uint64_t)newfd >= t->nofile || !valid_fd(t, oldfd))
		return -EBADF;
	ret = grow(t, (unsigned)newfd);
	if (ret < 0)
		return ret;
	/* Take the new reference before dropping the old file: release may sleep or free. */
	old = t->fd[newfd];
	set_slot(t, newfd, file_get(t->fd[oldfd]), cloexec);
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
	return bit(t->cloexec, (unsigned)fd) ? FD_CLOEXEC : 0;
}

int fd_set_flags(struct fdtable *t, int fd, int flags)
{
	if (!valid_fd(t, fd))
		return -EBADF;
	put_bit(t->cloexec, (unsigned)fd, flags & FD_CLOEXEC);
	return 0;
}

void fd_close_range(struct fdtable *t, unsigned first, unsigned last, bool cloexec)
{
	if (first >= t->size)
		return;
	for (int fd = fd_next(t, (int)first); fd >= 0 && (unsigned)fd <= last;
	     fd = fd_next(t, fd + 1)) {
		if (cloexec)
			put_bit(t->cloexec, (unsigned)fd, true);
		else
			fd_close(t, fd);
	}
}

int fd_next(const struct fdtable *t, int from)
{
	if (from < 0)
		from = 0;
	for (size_t w = (unsigned)from / WORD_BITS; w < WORDS(t->size); w++) {
		uint64_t used = t->open[w];

		if (w == (unsigned)from / WORD_BITS)
			used &= ~0ULL << ((unsigned)from % WORD_BITS);
		if (used)
			return (int)(w * WORD_BITS) + __builtin_ctzll(used);
	}
	return -1;
}

int fd_nth(const struct fdtable *t, uint64_t index)
{
	for (size_t w = 0; w < WORDS(t->size); w++) {
		uint64_t used = t->open[w];
		unsigned n = (unsigned)__builtin_popcountll(used);

		if (index >= n) {
			index -= n;
			continue;
		}
		while (index--)
			used &= used - 1; /* drop the lowest set bit */
		return (int)(w * WORD_BITS) + __builtin_ctzll(used);
	}
	return -1;
}

unsigned fd_select_bound(const struct fdtable *t)
{
	unsigned bound = 64;

	while (bound < t->size)
		bound *= 2;
	return bound;
}

int fd_set_limit(struct fdtable *t, uint64_t cur, uint64_t max)
{
	if (cur > max)
		return -EINVAL;
	if (max > FD_NR_OPEN)
		return -EPERM;
	t->nofile = cur;
	t->nofile_max = max;
	return 0;
}

struct fdtable *fdtable_fork(struct fdtable *t, bool share)
{
	struct fdtable *n;
	int last = -1;

	if (share) {
		t->refs++;
		return t;
	}
	n = kmalloc(sizeof(*n));
	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->refs = 1;
	n->nofile = t->nofile;
	n->nofile_max = t->nofile_max;
	/* The copy holds the used part only, as Linux's dup_fd: up to the highest open fd. */
	for (int fd = fd_next(t, 0); fd >= 0; fd = fd_next(t, fd + 1))
		last = fd;
	if (resize(n, last < 0 ? FD_TABLE_MIN : size_for(n, (unsigned)last)) < 0) {
		kfree(n);
		return NULL;
	}
	for (int fd = fd_next(t, 0); fd >= 0; fd = fd_next(t, fd + 1))
		set_slot(n, fd, file_get(t->fd[fd]), bit(t->cloexec, (unsigned)fd));
	return n;
}

void fdtable_close_on_exec(struct fdtable *t)
{
	for (int fd = fd_next(t, 0); fd >= 0; fd = fd_next(t, fd + 1))
		if (bit(t->cloexec, (unsigned)fd))
			fd_close(t, fd);
}

void fdtable_put(struct fdtable *t)
{
	if (!t || --t->refs > 0)
		return;
	for (int fd = fd_next(t, 0); fd >= 0; fd = fd_next(t, fd + 1))
		fd_close(t, fd);
	kfree(t->fd);
	kfree(t);
}
