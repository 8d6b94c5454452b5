/* fcntl's POSIX record locks (F_GETLK, F_SETLK, F_SETLKW): struct flock in and out, ranges
 * resolved against the file, one system-wide table (fs/reclock.c), waiters woken on changes. */
#include "syscalls.h"
#include "../fs/fs.h"
#include "../fs/reclock.h"
#include "../mm/uaccess.h"
#include "../proc/task.h"

#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define EOVERFLOW 75
#define OFFSET_MAX INT64_MAX
#define PIPEFS_DEV 12

/* struct flock of aarch64 (off_t is 64-bit; the padding is explicit). */
struct linux_flock {
	int16_t l_type;
	int16_t l_whence;
	int32_t pad1;
	int64_t l_start;
	int64_t l_len;
	int32_t l_pid;
	int32_t pad2;
};
_Static_assert(sizeof(struct linux_flock) == 32, "aarch64 struct flock is 32 bytes");

static void *lock_alloc(uint64_t size)
{
	return kmalloc(size);
}

static struct reclock_table locks = {.alloc = lock_alloc, .free = kfree};
/* Every F_SETLKW sleeper; woken by any change, each then tries again. */
static struct waitq lock_wait = WAITQ_INIT;

static int file_key(struct file *f, struct reclock_key *key)
{
	struct kstat st;
	int ret;

	if (!f->mnt) { /* a pipe or an anonymous file: the object itself names it */
		*key = (struct reclock_key){PIPEFS_DEV, (uint64_t)(uintptr_t)f->priv};
		return 0;
	}
	ret = vfs_fstat_kernel(f, &st);
	if (ret < 0)
		return ret;
	*key = (struct reclock_key){st.dev, st.ino};
	return 0;
}

/* The byte range a struct flock names, as Linux's flock64_to_posix_lock works it out. */
static int lock_range(struct file *f, const struct linux_flock *fl, uint64_t *start, uint64_t *end)
{
	int64_t base, s;
	int ret = vfs_whence_base(f, fl->l_whence, &base);

	if (ret < 0)
		return ret;
	if (fl->l_start > 0 ? base > OFFSET_MAX - fl->l_start : base < -fl->l_start)
		return -EINVAL;
	s = base + fl->l_start;
	if (fl->l_len > 0) {
		if (fl->l_len - 1 > OFFSET_MAX - s)
			return -EOVERFLOW;
		*start = (uint64_t)s;
		*end = (uint64_t)(s + fl->l_len - 1);
	} else if (fl->l_len < 0) {
		if (s + fl->l_len < 0)
			return -EINVAL;
		*start = (uint64_t)(s + fl->l_len);
		*end = (uint64_t)(s - 1);
	} else {
		*start = (uint64_t)s;
		*end = RECLOCK_EOF;
	}
	if (*end >= (uint64_t)OFFSET_MAX)
		*end = RECLOCK_EOF;
	return 0;
}

long fcntl_lock(struct file *f, int cmd, uint64_t uflock)
{
	struct linux_flock fl;
	struct reclock_key key;
	uint64_t start, end;
	int owner = current->tgid, ret;

	if (copy_from_user(&fl, uflock, sizeof(fl)))
		return -EFAULT;
	if (fl.l_type != RECLOCK_RD && fl.l_type != RECLOCK_WR && fl.l_type != RECLOCK_UN)
		return -EINVAL;
	ret = lock_range(f, &fl, &start, &end);
	if (ret == 0)
		ret = file_key(f, &key);
	if (ret < 0)
		return ret;
	if (cmd == F_GETLK) {
		const struct reclock *c;

		if (fl.l_type == RECLOCK_UN)
			return -EINVAL;
		c = reclock_conflict(&locks, key, owner, fl.l_type, start, end);
		if (!c) {
			fl.l_type = RECLOCK_UN;
		} else {
			fl.l_type = (int16_t)c->type;
			fl.l_whence = SEEK_SET;
			fl.l_start = (int64_t)c->start;
			fl.l_len = c->end == RECLOCK_EOF ? 0 : (int64_t)(c->end - c->start + 1);
			fl.l_pid = c->owner;
		}
		return copy_to_user(uflock, &fl, sizeof(fl)) ? -EFAULT : 0;
	}
	/* A read lock needs the file open for reading, a write lock for writing. */
	if ((fl.l_type == RECLOCK_RD && (f->flags & O_ACCMODE) == O_WRONLY) ||
	    (fl.l_type == RECLOCK_WR && (f->flags & O_ACCMODE) == O_RDONLY))
		return -EBADF;
	for (;;) {
		ret = reclock_set(&locks, key, owner, fl.l_type, start, end);
		if (ret != RECLOCK_EAGAIN || cmd != F_SETLKW)
			break;
		/* No deadlock detection: two processes each waiting for the other's lock sleep
		 * until a signal ends one of the waits (Linux would give one of them EDEADLK). */
		ret = waitq_wait(&lock_wait);
		if (ret < 0)
			return ret;
	}
	if (ret == 0)
		waitq_wake_all(&lock_wait);
	return ret;
}

void reclock_file_closed(struct file *f)
{
	struct reclock_key key;
	bool held = false;

	for (const struct reclock *l = locks.head; l && !held; l = l->next)
		held = l->owner == current->tgid;
	/* Closing any descriptor of a file drops all the process's locks on it (POSIX). */
	if (!held || file_key(f, &key) < 0)
		return;
	reclock_release(&locks, key, current->tgid);
	waitq_wake_all(&lock_wait);
}
