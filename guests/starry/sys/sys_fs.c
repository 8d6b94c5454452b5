/* The file and directory syscalls: user arguments checked and copied, then handed to the VFS. */
#include "syscalls.h"
#include "poll.h"
#include "../fs/fs.h"
#include "../mm/pmm.h"
#include "../mm/uaccess.h"
#include "../proc/signal.h"
#include "../proc/task.h"
#include <string.h>

#define AT_FDCWD (-100)
#define AT_SYMLINK_NOFOLLOW 0x100
#define AT_REMOVEDIR 0x200
#define AT_NO_AUTOMOUNT 0x800
#define AT_EMPTY_PATH 0x1000
#define AT_EACCESS 0x200

#define F_DUPFD 0
#define F_GETFD 1
#define F_SETFD 2
#define F_GETFL 3
#define F_SETFL 4
#define F_GETLK 5
#define F_SETLK 6
#define F_SETLKW 7
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032

#define FIONCLEX 0x5450
#define FIOCLEX 0x5451
#define FIONBIO 0x5421

#define IO_CHUNK 16384UL    /* the bounce buffer between user memory and a filesystem */
#define RW_MAX 0x7ffff000UL /* Linux's cap on one read or write */
#define IOV_MAX 1024
#define PIPEFS_DEV 12

/* struct stat of asm-generic (aarch64). */
struct linux_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	uint64_t st_rdev;
	uint64_t pad1;
	int64_t st_size;
	int32_t st_blksize;
	int32_t pad2;
	int64_t st_blocks;
	int64_t st_atime, st_atime_nsec;
	int64_t st_mtime, st_mtime_nsec;
	int64_t st_ctime, st_ctime_nsec;
	uint32_t unused[2];
};
_Static_assert(sizeof(struct linux_stat) == 128, "asm-generic struct stat is 128 bytes");

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

struct iovec {
	uint64_t base;
	uint64_t len;
};

static unsigned file_mode_mask = 022;

static struct fdtable *fdt(void)
{
	return current->files;
}

/* Resolves (dirfd, user path) to an absolute normalised path. An empty path gives -ENOENT
 * unless *empty is not NULL: then it is set and abs is left alone. */
static int at_path_nofollow(int dirfd, uint64_t upath, char *abs, bool *empty)
{
	char path[PATH_MAX];
	long len = strncpy_from_user(path, upath, sizeof(path));
	struct file *dir;
	int ret;

	if (len < 0)
		return (int)len;
	if (len == 0 && empty) {
		*empty = true;
		return 0;
	}
	if (empty)
		*empty = false;
	if (len == 0)
		return -ENOENT;
	if (path[0] == '/' || dirfd == AT_FDCWD)
		return path_normalise(current->cwd, path, abs);
	dir = fd_get(fdt(), dirfd);
	if (!dir)
		return -EBADF;
	ret = dir->is_dir && dir->path[0] ? path_normalise(dir->path, path, abs) : -ENOTDIR;
	file_put(dir);
	return ret;
}

/* The same, with /dev/fd, /dev/stdin, /dev/stdout and /dev/stderr followed into /proc/self/fd
 * (the links Linux's /dev holds; nothing else here is a link). */
static int at_path(int dirfd, uint64_t upath, char *abs, bool *empty)
{
	int ret = at_path_nofollow(dirfd, upath, abs, empty);

	if (ret == 0 && !(empty && *empty))
		ret = fdlink_follow_dev(abs);
	return ret < 0 ? ret : 0;
}

struct timespec64 {
	int64_t tv_sec;
	int64_t tv_nsec;
};

static int put_stat(uint64_t ubuf, const struct kstat *st)
{
	struct linux_stat ls;

	memset(&ls, 0, sizeof(ls));
	ls.st_dev = st->dev;
	ls.st_ino = st->ino;
	ls.st_mode = st->mode;
	ls.st_nlink = st->nlink;
	ls.st_rdev = st->rdev;
	ls.st_size = (int64_t)st->size;
	ls.st_blksize = (int32_t)(st->blksize ? st->blksize : 4096);
	ls.st_blocks = (int64_t)st->blocks;
	ls.st_mtime = ls.st_ctime = (int64_t)st->mtime_s;
	ls.st_atime = (int64_t)(st->atime_s ? st->atime_s : st->mtime_s);
	return copy_to_user(ubuf, &ls, sizeof(ls));
}

static int fstat_file(struct file *f, struct kstat *st)
{
	int ret = vfs_fstat_kernel(f, st);

	if (!f->mnt)
		st->dev = PIPEFS_DEV;
	return ret;
}

/* --- descriptors ----------------------------------------------------------------------------- */

SYSCALL(dup)
{
	return fd_dup(fdt(), (int)a->arg[0], 0, false);
}

SYSCALL(dup3)
{
	if (a->arg[2] & ~(uint64_t)O_CLOEXEC)
		return -EINVAL;
	return fd_dup3(fdt(), (int)a->arg[0], (int)a->arg[1], a->arg[2] & O_CLOEXEC);
}

SYSCALL(fcntl)
{
	int fd = (int)a->arg[0];
	uint64_t arg = a->arg[2];
	struct file *f = fd_get(fdt(), fd);
	long ret;

	if (!f)
		return -EBADF;
	switch ((int)a->arg[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		/* Linux takes the lowest fd as an unsigned int: -1 is past any limit. */
		ret = (uint32_t)arg >= fdt()->nofile ? -EINVAL
						     : fd_dup(fdt(), fd, (int)(uint32_t)arg,
							      (int)a->arg[1] == F_DUPFD_CLOEXEC);
		break;
	case F_GETFD:
		ret = fd_get_flags(fdt(), fd);
		break;
	case F_SETFD:
		ret = fd_set_flags(fdt(), fd, (int)arg);
		break;
	case F_GETFL:
		ret = f->flags;
		break;
	case F_SETFL:
		f->flags = (f->flags & ~(unsigned)(O_APPEND | O_NONBLOCK)) |
			   (unsigned)(arg & (O_APPEND | O_NONBLOCK));
		ret = 0;
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		ret = fcntl_lock(f, (int)a->arg[1], arg);
		break;
	case F_GETPIPE_SZ:
		ret = pipe_get_size(f);
		break;
	case F_SETPIPE_SZ:
		ret = pipe_set_size(f, (uint32_t)arg);
		break;
	default:
		ret = -EINVAL;
		break;
	}
	file_put(f);
	return ret;
}

#define FIONREAD_PIPE 0x541b /* FIONREAD */

SYSCALL(ioctl)
{
	int fd = (int)a->arg[0];
	unsigned long cmd = (uint32_t)a->arg[1];
	struct file *f = fd_get(fdt(), fd);
	long ret;
	int on;

	if (!f)
		return -EBADF;
	switch (cmd) {
	case FIOCLEX:
	case FIONCLEX:
		ret = fd_set_flags(fdt(), fd, cmd == FIOCLEX ? FD_CLOEXEC : 0);
		break;
	case FIONREAD_PIPE:
		/* Pipes here; other files answer through their own ioctl. */
		ret = pipe_bytes_waiting(f);
		if (ret >= 0) {
			on = (int)ret;
			ret = copy_to_user(a->arg[2], &on, sizeof(on)) ? -EFAULT : 0;
		} else {
			ret = f->ops->ioctl ? f->ops->ioctl(f, cmd, a->arg[2]) : -ENOTTY;
		}
		break;
	case FIONBIO:
		ret = copy_from_user(&on, a->arg[2], sizeof(on));
		if (ret == 0)
			f->flags = on ? f->flags | O_NONBLOCK : f->flags & ~(unsigned)O_NONBLOCK;
		break;
	default:
		ret = f->ops->ioctl ? f->ops->ioctl(f, cmd, a->arg[2]) : -ENOTTY;
		break;
	}
	file_put(f);
	return ret;
}

SYSCALL(close)
{
	return fd_close(fdt(), (int)a->arg[0]);
}

#define CLOSE_RANGE_UNSHARE 2
#define CLOSE_RANGE_CLOEXEC 4

/* close_range(first, last, flags): what glibc's closefrom and posix_spawn use. With
 * CLOSE_RANGE_UNSHARE a thread first gets a table of its own, as Linux's unshare_fd. */
SYSCALL(close_range)
{
	unsigned first = (unsigned)a->arg[0], last = (unsigned)a->arg[1];
	unsigned flags = (unsigned)a->arg[2];
	struct fdtable *t = fdt();

	if ((flags & ~(unsigned)(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) || first > last)
		return -EINVAL;
	if ((flags & CLOSE_RANGE_UNSHARE) && t->refs > 1) {
		struct fdtable *own = fdtable_fork(t, false);

		if (!own)
			return -ENOMEM;
		current->files = own;
		fdtable_put(t);
		t = own;
	}
	fd_close_range(t, first, last, flags & CLOSE_RANGE_CLOEXEC);
	return 0;
}

SYSCALL(openat)
{
	char abs[PATH_MAX];
	unsigned flags = (unsigned)a->arg[2];
	struct file *f;
	int ret = at_path((int)a->arg[0], a->arg[1], abs, NULL);

	if (ret == 0)
		ret = fd_room(fdt());
	if (ret < 0)
		return ret;
	ret = fdlink_open(abs, flags, &f);
	if (ret == 0)
		ret = vfs_open_abs(abs, flags, &f);
	if (ret < 0)
		return ret;
	ret = fd_install(fdt(), f, 0, flags & O_CLOEXEC);
	file_put(f);
	return ret;
}

SYSCALL(pipe2)
{
	unsigned flags = (unsigned)a->arg[1];
	struct file *rd, *wr;
	int fds[2], ret;

	if (flags & ~(unsigned)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	ret = pipe_create(flags, &rd, &wr);
	if (ret < 0)
		return ret;
	fds[0] = fd_install(fdt(), rd, 0, flags & O_CLOEXEC);
	fds[1] = fds[0] < 0 ? fds[0] : fd_install(fdt(), wr, 0, flags & O_CLOEXEC);
	file_put(rd);
	file_put(wr);
	ret = fds[1] < 0 ? fds[1] : copy_to_user(a->arg[0], fds, sizeof(fds));
	if (ret < 0) {
		if (fds[0] >= 0)
			fd_close(fdt(), fds[0]);
		if (fds[1] >= 0)
			fd_close(fdt(), fds[1]);
	}
	return ret;
}

#define EFD_SEMAPHORE 1

/* eventfd2(initval, flags) */
SYSCALL(eventfd2)
{
	unsigned flags = (unsigned)a->arg[1];
	struct file *f;
	int fd, ret;

	if (flags & ~(unsigned)(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE))
		return -EINVAL;
	ret = eventfd_create((uint32_t)a->arg[0], flags, &f);
	if (ret < 0)
		return ret;
	fd = fd_install(fdt(), f, 0, flags & O_CLOEXEC);
	file_put(f);
	return fd;
}

#define TFD_TIMER_ABSTIME 1
#define CLOCK_REALTIME_ID 0
#define CLOCK_MONOTONIC_ID 1
#define CLOCK_BOOTTIME_ID 7

/* timerfd_create(clockid, flags): the boot-time and monotonic clocks are one clock here. */
SYSCALL(timerfd_create)
{
	unsigned flags = (unsigned)a->arg[1];
	struct file *f;
	int fd, ret;

	if (a->arg[0] != CLOCK_REALTIME_ID && a->arg[0] != CLOCK_MONOTONIC_ID &&
	    a->arg[0] != CLOCK_BOOTTIME_ID)
		return -EINVAL;
	if (flags & ~(unsigned)(O_CLOEXEC | O_NONBLOCK))
		return -EINVAL;
	ret = timerfd_create_file(flags, a->arg[0] == CLOCK_REALTIME_ID, &f);
	if (ret < 0)
		return ret;
	fd = fd_install(fdt(), f, 0, flags & O_CLOEXEC);
	file_put(f);
	return fd;
}

/* struct itimerspec: the interval, then the value. */
static int put_itimerspec(uint64_t uaddr, uint64_t left, uint64_t interval)
{
	struct timespec64 ts[2] = {
	    {(int64_t)(interval / 1000000000), (int64_t)(interval % 1000000000)},
	    {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000)}};

	return copy_to_user(uaddr, ts, sizeof(ts)) ? -EFAULT : 0;
}

/* timerfd_settime(fd, flags, new, old) */
SYSCALL(timerfd_settime)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	struct timespec64 ts[2];
	uint64_t left, interval;
	long ret = 0;

	if (!f)
		return -EBADF;
	if (a->arg[1] & ~(uint64_t)(TFD_TIMER_ABSTIME | 2 /* TFD_TIMER_CANCEL_ON_SET */))
		ret = -EINVAL;
	else if (copy_from_user(ts, a->arg[2], sizeof(ts)))
		ret = -EFAULT;
	else if (ts[0].tv_sec < 0 || ts[0].tv_nsec < 0 || ts[0].tv_nsec >= 1000000000 ||
		 ts[1].tv_sec < 0 || ts[1].tv_nsec < 0 || ts[1].tv_nsec >= 1000000000)
		ret = -EINVAL;
	if (!ret)
		ret = timerfd_set(f, timespec_to_ns(ts[1].tv_sec, ts[1].tv_nsec),
				  timespec_to_ns(ts[0].tv_sec, ts[0].tv_nsec),
				  a->arg[1] & TFD_TIMER_ABSTIME, &left, &interval);
	if (!ret && a->arg[3])
		ret = put_itimerspec(a->arg[3], left, interval);
	file_put(f);
	return ret;
}

SYSCALL(timerfd_gettime)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	uint64_t left, interval;
	long ret;

	if (!f)
		return -EBADF;
	ret = timerfd_get(f, &left, &interval);
	if (!ret)
		ret = put_itimerspec(a->arg[1], left, interval);
	file_put(f);
	return ret;
}

/* Hard and symbolic links: no filesystem here keeps them. Like Linux on vfat: EPERM for a
 * link that could otherwise be made (the names checked first). */
static long no_links(int olddirfd, uint64_t oldpath, int newdirfd, uint64_t newpath)
{
	char abs[PATH_MAX];
	struct kstat st;
	int ret;

	if (oldpath) {
		ret = at_path(olddirfd, oldpath, abs, NULL);
		if (ret == 0)
			ret = vfs_stat_abs(abs, &st);
		if (ret < 0)
			return ret;
	}
	ret = at_path(newdirfd, newpath, abs, NULL);
	if (ret < 0)
		return ret;
	ret = vfs_stat_abs(abs, &st);
	if (ret == 0)
		return -EEXIST;
	if (ret != -ENOENT)
		return ret;
	path_parent(abs, abs);
	ret = vfs_stat_abs(abs, &st);
	return ret < 0 ? ret : -EPERM;
}

/* linkat(olddirfd, oldpath, newdirfd, newpath, flags) */
SYSCALL(linkat)
{
	if (a->arg[4] & ~(uint64_t)(0x400 /* AT_SYMLINK_FOLLOW */ | AT_EMPTY_PATH))
		return -EINVAL;
	return no_links((int)a->arg[0], a->arg[1], (int)a->arg[2], a->arg[3]);
}

/* symlinkat(target, newdirfd, linkpath): the target need not exist. */
SYSCALL(symlinkat)
{
	char target[PATH_MAX];
	long len = strncpy_from_user(target, a->arg[0], sizeof(target));

	if (len < 0)
		return len;
	if (len == 0)
		return -ENOENT;
	return no_links(AT_FDCWD, 0, (int)a->arg[1], a->arg[2]);
}

/* --- reading and writing --------------------------------------------------------------------- */

/* Reads and writes this small bounce through the kernel stack: no heap search on the hot path
 * of a pipe or a tty (a byte at a time is common), and nothing to fail. */
#define IO_SMALL 256UL

/* The bounce buffer for len bytes: small (on the caller's stack) or from the heap (NULL when
 * it is out); bounce_put gives back a heap one. */
static char *bounce_get(uint64_t len, char *small)
{
	return len <= IO_SMALL ? small : kmalloc(len < IO_CHUNK ? len : IO_CHUNK);
}

static void bounce_put(char *buf, const char *small)
{
	if (buf != small)
		kfree(buf);
}

/* Reads into user memory through the bounce buffer. off: pread's offset, or NULL. */
static int64_t do_read(struct file *f, uint64_t ubuf, uint64_t len, uint64_t *off)
{
	char small[IO_SMALL], *buf;
	uint64_t done = 0;
	int64_t ret = 0;

	if (len > RW_MAX)
		len = RW_MAX;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (len == 0)
		return f->is_dir ? -EISDIR : 0;
	buf = bounce_get(len, small);
	if (!buf)
		return -ENOMEM;
	while (done < len) {
		uint64_t chunk = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		int64_t n = vfs_read_file(f, buf, chunk, off);

		if (n < 0) {
			ret = n;
			break;
		}
		if (n > 0 && copy_to_user(ubuf + done, buf, (size_t)n) < 0) {
			done = 0; /* as before: a fault loses what this call read */
			ret = -EFAULT;
			break;
		}
		done += (uint64_t)n;
		if ((uint64_t)n != chunk)
			break;
		/* A pipe or tty returns what it has: ask again only while more is there, since it
		 * would block with data in hand (one CPU, no preemption: nothing drains it between
		 * the poll and the read). */
		if (!f->seekable && !f->ops->fills && !(f->ops->poll && (f->ops->poll(f) & POLLIN)))
			break;
	}
	bounce_put(buf, small);
	return done ? (int64_t)done : ret;
}

static int64_t do_write(struct file *f, uint64_t ubuf, uint64_t len, uint64_t *off)
{
	char small[IO_SMALL], *buf;
	uint64_t done = 0;
	int64_t ret = 0;

	if (len > RW_MAX)
		len = RW_MAX;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (len == 0)
		return 0;
	buf = bounce_get(len, small);
	if (!buf)
		return -ENOMEM;
	while (done < len) {
		uint64_t chunk = len - done < IO_CHUNK ? len - done : IO_CHUNK;
		int64_t n;

		if (copy_from_user(buf, ubuf + done, (size_t)chunk) < 0) {
			ret = -EFAULT;
			break;
		}
		n = vfs_write_file(f, buf, chunk, off);
		if (n < 0) {
			ret = n;
			break;
		}
		done += (uint64_t)n;
		if ((uint64_t)n < chunk)
			break;
	}
	bounce_put(buf, small);
	return done ? (int64_t)done : ret;
}

SYSCALL(read)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	int64_t ret;

	if (!f)
		return -EBADF;
	ret = do_read(f, a->arg[1], a->arg[2], NULL);
	file_put(f);
	return ret;
}

SYSCALL(write)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	int64_t ret;

	if (!f)
		return -EBADF;
	ret = do_write(f, a->arg[1], a->arg[2], NULL);
	file_put(f);
	return ret;
}

static long do_iov(const struct syscall_args *a, bool write)
{
	int cnt = (int)a->arg[2];
	struct file *f;
	int64_t total = 0;

	if (cnt < 0 || cnt > IOV_MAX)
		return -EINVAL;
	f = fd_get(fdt(), (int)a->arg[0]);
	if (!f)
		return -EBADF;
	for (int i = 0; i < cnt; i++) {
		struct iovec iov;
		int64_t n;

		if (copy_from_user(&iov, a->arg[1] + (uint64_t)i * sizeof(iov), sizeof(iov)) < 0) {
			total = total ? total : -EFAULT;
			break;
		}
		if (iov.len == 0)
			continue;
		n = write ? do_write(f, iov.base, iov.len, NULL)
			  : do_read(f, iov.base, iov.len, NULL);
		if (n < 0) {
			total = total ? total : n;
			break;
		}
		total += n;
		if ((uint64_t)n < iov.len)
			break;
	}
	file_put(f);
	return total;
}

SYSCALL(readv)
{
	return do_iov(a, false);
}

SYSCALL(writev)
{
	return do_iov(a, true);
}

/* pread64/pwrite64(fd, buf, count, offset): at an offset, leaving the file position alone. */
static long do_positional(const struct syscall_args *a, bool write)
{
	struct file *f;
	uint64_t off = a->arg[3];
	int64_t ret;

	if (off >> 63) /* a negative loff_t */
		return -EINVAL;
	f = fd_get(fdt(), (int)a->arg[0]);
	if (!f)
		return -EBADF;
	if (!f->seekable)
		ret = -ESPIPE;
	else
		ret = write ? do_write(f, a->arg[1], a->arg[2], &off)
			    : do_read(f, a->arg[1], a->arg[2], &off);
	file_put(f);
	return ret;
}

SYSCALL(pread64)
{
	return do_positional(a, false);
}

SYSCALL(pwrite64)
{
	return do_positional(a, true);
}

SYSCALL(lseek)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	int64_t ret;

	if (!f)
		return -EBADF;
	ret = vfs_lseek(f, (int64_t)a->arg[1], (int)a->arg[2]);
	file_put(f);
	return ret;
}

SYSCALL(getdents64)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	uint64_t ubuf = a->arg[1], count = a->arg[2], done = 0;
	struct vfs_dirent ent;
	union {
		struct linux_dirent64 d;
		char raw[sizeof(struct linux_dirent64) + NAME_MAX + 8];
	} rec;
	long ret = 0;

	if (!f)
		return -EBADF;
	if (!f->is_dir) {
		file_put(f);
		return -ENOTDIR;
	}
	for (;;) {
		uint64_t saved = f->pos;
		size_t namelen, reclen;
		int r = vfs_getdents(f, &ent);

		if (r <= 0) {
			ret = r;
			break;
		}
		namelen = strnlen(ent.name, NAME_MAX);
		reclen = (offsetof(struct linux_dirent64, d_name) + namelen + 1 + 7) & ~(size_t)7;
		if (done + reclen > count) {
			f->pos = saved; /* this entry goes into the next call */
			ret = done ? 0 : -EINVAL;
			break;
		}
		memset(&rec, 0, sizeof(rec));
		rec.d.d_ino = ent.ino ? ent.ino : 1;
		rec.d.d_off = (int64_t)f->pos;
		rec.d.d_reclen = (uint16_t)reclen;
		rec.d.d_type = ent.type;
		memcpy(rec.d.d_name, ent.name, namelen);
		if (copy_to_user(ubuf + done, &rec, reclen) < 0) {
			f->pos = saved;
			ret = -EFAULT;
			break;
		}
		done += reclen;
	}
	file_put(f);
	return ret < 0 ? ret : (long)done;
}

/* --- metadata -------------------------------------------------------------------------------- */

SYSCALL(newfstatat)
{
	char abs[PATH_MAX];
	int dirfd = (int)a->arg[0];
	unsigned flags = (unsigned)a->arg[3];
	struct kstat st;
	bool empty;
	int ret;

	if (flags & ~(unsigned)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	ret = at_path(dirfd, a->arg[1], abs, &empty);
	if (ret < 0)
		return ret;
	if (empty) {
		if (!(flags & AT_EMPTY_PATH))
			return -ENOENT;
		if (dirfd == AT_FDCWD) {
			ret = vfs_stat_abs(current->cwd, &st);
		} else {
			struct file *f = fd_get(fdt(), dirfd);

			if (!f)
				return -EBADF;
			ret = fstat_file(f, &st);
			file_put(f);
		}
	} else {
		ret = vfs_stat_abs(abs, &st);
	}
	return ret < 0 ? ret : put_stat(a->arg[2], &st);
}

SYSCALL(fstat)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	struct kstat st;
	int ret;

	if (!f)
		return -EBADF;
	ret = fstat_file(f, &st);
	file_put(f);
	return ret < 0 ? ret : put_stat(a->arg[1], &st);
}

/* The work of faccessat and faccessat2: only existence is checked (everything is root's). */
static long access_check(const struct syscall_args *a, unsigned flags)
{
	char abs[PATH_MAX];
	struct kstat st;
	int ret;

	if (a->arg[2] & ~7ULL)
		return -EINVAL;
	if (flags & ~(unsigned)(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	ret = at_path((int)a->arg[0], a->arg[1], abs, NULL);
	return ret < 0 ? ret : vfs_stat_abs(abs, &st);
}

SYSCALL(faccessat)
{
	return access_check(a, 0);
}

long sys_faccessat2(const struct syscall_args *a)
{
	return access_check(a, (unsigned)a->arg[3]);
}

/* procfs's links (a process's executable and working directory) into the user's buffer: the
 * length, -EINVAL for what is no link, or another -errno. */
static int proc_readlink(const char *abs, uint64_t ubuf, uint64_t size)
{
	const char *inner;
	struct mount *m = mount_find(abs, &inner);
	char target[PATH_MAX];
	int len;

	if (!m || strcmp(m->type, "proc") != 0)
		return -EINVAL;
	len = procfs_readlink(inner, target, (size_t)(size < PATH_MAX ? size : PATH_MAX));
	if (len < 0)
		return len;
	return copy_to_user(ubuf, target, (size_t)len) ? -EFAULT : len;
}

SYSCALL(readlinkat)
{
	char abs[PATH_MAX];
	struct kstat st;
	int ret = at_path_nofollow((int)a->arg[0], a->arg[1], abs, NULL);
	const char *rest, *target = ret == 0 ? fdlink_dev_target(abs, &rest) : NULL;

	if (target && !*rest) { /* /dev/stdout and the like are links */
		size_t len = strlen(target);

		if (len > a->arg[3])
			len = a->arg[3];
		return copy_to_user(a->arg[2], target, len) ? -EFAULT : (long)len;
	}
	if (ret == 0)
		ret = fdlink_follow_dev(abs);
	if (ret > 0)
		ret = 0;

	if (ret == 0 && a->arg[3] && strncmp(abs, "/proc/", 6) == 0) {
		ret = proc_readlink(abs, a->arg[2], a->arg[3]);
		if (ret != -EINVAL)
			return ret;
		ret = 0;
	}
	if (ret == 0)
		ret = vfs_stat_abs(abs, &st);
	/* No other symlinks anywhere: whatever exists is not one. */
	return ret < 0 ? ret : -EINVAL;
}

SYSCALL(umask)
{
	unsigned old = file_mode_mask;

	file_mode_mask = (unsigned)a->arg[0] & 0777;
	return old;
}

/* --- directories and names ------------------------------------------------------------------- */

SYSCALL(getcwd)
{
	size_t len = strlen(current->cwd) + 1;

	if (a->arg[1] < len)
		return -ERANGE;
	if (copy_to_user(a->arg[0], current->cwd, len) < 0)
		return -EFAULT;
	return (long)len;
}

/* The working directory belongs to the process: glibc's threads share it (CLONE_FS). */
static void set_cwd(const char *abs)
{
	for (struct task *t = thread_next(current, NULL); t; t = thread_next(current, t))
		memcpy(t->cwd, abs, strlen(abs) + 1);
}

SYSCALL(chdir)
{
	char abs[PATH_MAX];
	struct kstat st;
	int ret = at_path(AT_FDCWD, a->arg[0], abs, NULL);

	if (ret == 0)
		ret = vfs_stat_abs(abs, &st);
	if (ret < 0)
		return ret;
	if ((st.mode & S_IFMT) != S_IFDIR)
		return -ENOTDIR;
	set_cwd(abs);
	return 0;
}

SYSCALL(fchdir)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	int ret = 0;

	if (!f)
		return -EBADF;
	if (!f->is_dir || !f->path[0])
		ret = -ENOTDIR;
	else
		set_cwd(f->path);
	file_put(f);
	return ret;
}

SYSCALL(mkdirat)
{
	char abs[PATH_MAX];
	int ret = at_path((int)a->arg[0], a->arg[1], abs, NULL);

	return ret < 0 ? ret : vfs_mkdir_abs(abs);
}

SYSCALL(unlinkat)
{
	char abs[PATH_MAX];
	unsigned flags = (unsigned)a->arg[2];
	struct kstat st;
	int ret;

	if (flags & ~(unsigned)AT_REMOVEDIR)
		return -EINVAL;
	ret = at_path((int)a->arg[0], a->arg[1], abs, NULL);
	if (ret < 0)
		return ret;
	if (flags & AT_REMOVEDIR)
		return vfs_rmdir_abs(abs);
	ret = vfs_stat_abs(abs, &st);
	if (ret < 0)
		return ret;
	if ((st.mode & S_IFMT) == S_IFDIR)
		return -EISDIR;
	return vfs_unlink_abs(abs);
}

static long do_rename(const struct syscall_args *a, uint64_t flags)
{
	char from[PATH_MAX], to[PATH_MAX];
	int ret;

	if (flags)
		return -EINVAL;
	ret = at_path((int)a->arg[0], a->arg[1], from, NULL);
	if (ret == 0)
		ret = at_path((int)a->arg[2], a->arg[3], to, NULL);
	return ret < 0 ? ret : vfs_rename_abs(from, to);
}

SYSCALL(renameat)
{
	return do_rename(a, 0);
}

SYSCALL(renameat2)
{
	return do_rename(a, a->arg[4]);
}

static long truncate_file(struct file *f, int64_t len)
{
	if (len < 0)
		return -EINVAL;
	if (f->is_dir)
		return -EISDIR;
	if ((f->flags & O_ACCMODE) == O_RDONLY || !f->ops->truncate)
		return -EINVAL;
	return f->ops->truncate(f, (uint64_t)len);
}

SYSCALL(truncate)
{
	char abs[PATH_MAX];
	struct file *f;
	int ret;

	if ((int64_t)a->arg[1] < 0)
		return -EINVAL;
	ret = at_path(AT_FDCWD, a->arg[0], abs, NULL);
	if (ret == 0)
		ret = vfs_open_abs(abs, O_WRONLY, &f);
	if (ret < 0)
		return ret;
	ret = (int)truncate_file(f, (int64_t)a->arg[1]);
	file_put(f);
	return ret;
}

SYSCALL(ftruncate)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	long ret;

	if (!f)
		return -EBADF;
	ret = truncate_file(f, (int64_t)a->arg[1]);
	file_put(f);
	return ret;
}

SYSCALL(sync)
{
	(void)a;
	vfs_sync_all();
	return 0;
}

SYSCALL(fsync)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->ops->sync ? f->ops->sync(f) : 0;
	file_put(f);
	return ret;
}

/* fdatasync: the data and the size are all a sync writes here anyway. */
SYSCALL(fdatasync)
{
	return sys_fsync(a);
}

/* --- attributes: modes, owners, times, filesystem figures ------------------------------------ */

#define UTIME_NOW ((1L << 30) - 1)
#define UTIME_OMIT ((1L << 30) - 2)

/* The attribute change of an open file: through the path it was opened by; a pipe or a device
 * without one keeps nothing and accepts it. */
static long fd_setattr(int fd, const struct vfs_attr *attr)
{
	struct file *f = fd_get(fdt(), fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = f->mnt && f->path[0] ? vfs_setattr_abs(f->path, attr) : 0;
	file_put(f);
	return ret;
}

static long path_setattr(int dirfd, uint64_t upath, const struct vfs_attr *attr)
{
	char abs[PATH_MAX];
	int ret = at_path(dirfd, upath, abs, NULL);

	return ret < 0 ? ret : vfs_setattr_abs(abs, attr);
}

/* fchmodat(dirfd, path, mode) (and fchmodat2's flags, which only name symlinks). */
SYSCALL(fchmodat)
{
	struct vfs_attr attr = {.set_mode = true, .mode = (uint32_t)a->arg[2] & 07777};

	return path_setattr((int)a->arg[0], a->arg[1], &attr);
}

SYSCALL(fchmod)
{
	struct vfs_attr attr = {.set_mode = true, .mode = (uint32_t)a->arg[1] & 07777};

	return fd_setattr((int)a->arg[0], &attr);
}

/* Owners are root everywhere (FAT has none); a change is accepted on what exists. */
SYSCALL(fchownat)
{
	struct vfs_attr none = {0};

	if (a->arg[4] & ~(uint64_t)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if ((a->arg[4] & AT_EMPTY_PATH) && (int)a->arg[0] != AT_FDCWD) {
		char c;

		if (copy_from_user(&c, a->arg[1], 1))
			return -EFAULT;
		if (!c)
			return fd_setattr((int)a->arg[0], &none);
	}
	return path_setattr((int)a->arg[0], a->arg[1], &none);
}

SYSCALL(fchown)
{
	struct vfs_attr none = {0};

	return fd_setattr((int)a->arg[0], &none);
}

/* utimensat(dirfd, path, times[2] (access, modification), flags); a NULL path names dirfd
 * itself (futimens). Times are kept to the second. */
SYSCALL(utimensat)
{
	struct timespec64 ts[2];
	struct vfs_attr attr = {0};
	uint64_t now = wallclock_ns() / 1000000000;

	if (a->arg[3] & ~(uint64_t)AT_SYMLINK_NOFOLLOW)
		return -EINVAL;
	if (a->arg[2]) {
		if (copy_from_user(ts, a->arg[2], sizeof(ts)))
			return -EFAULT;
	} else {
		ts[0].tv_nsec = ts[1].tv_nsec = UTIME_NOW;
	}
	for (int i = 0; i < 2; i++) {
		bool *set = i ? &attr.set_mtime : &attr.set_atime;
		uint64_t *val = i ? &attr.mtime_s : &attr.atime_s;

		if (ts[i].tv_nsec == UTIME_OMIT)
			continue;
		if (ts[i].tv_nsec != UTIME_NOW &&
		    (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= 1000000000 || ts[i].tv_sec < 0))
			return -EINVAL;
		*set = true;
		*val = ts[i].tv_nsec == UTIME_NOW ? now : (uint64_t)ts[i].tv_sec;
	}
	if (!a->arg[1])
		return (int)a->arg[0] == AT_FDCWD ? -EFAULT : fd_setattr((int)a->arg[0], &attr);
	return path_setattr((int)a->arg[0], a->arg[1], &attr);
}

/* struct statfs as arm64 has it. */
struct linux_statfs {
	int64_t f_type, f_bsize;
	uint64_t f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	int64_t f_namelen, f_frsize, f_flags, f_spare[4];
};

/* The figures of the filesystem mounted at m. The sizes are known for tmpfs (the page pool)
 * only: the fatfs module reports no free-cluster count, so FAT shows 0 blocks. */
static int put_statfs(uint64_t ubuf, const struct mount *m)
{
	struct linux_statfs sf;

	memset(&sf, 0, sizeof(sf));
	sf.f_bsize = sf.f_frsize = 4096;
	sf.f_namelen = NAME_MAX;
	sf.f_fsid[0] = (int32_t)m->dev;
	if (strcmp(m->type, "vfat") == 0) {
		sf.f_type = 0x4d44; /* MSDOS_SUPER_MAGIC */
	} else if (strcmp(m->type, "proc") == 0) {
		sf.f_type = 0x9fa0; /* PROC_SUPER_MAGIC */
	} else {
		sf.f_type = 0x01021994; /* TMPFS_MAGIC, devtmpfs too */
		if (strcmp(m->type, "tmpfs") == 0) {
			sf.f_blocks = pmm_total_pages();
			sf.f_bfree = sf.f_bavail = pmm_free_pages();
		}
	}
	return copy_to_user(ubuf, &sf, sizeof(sf)) ? -EFAULT : 0;
}

static long statfs_abs(const char *abs, uint64_t ubuf)
{
	const char *inner;
	struct kstat st;
	struct mount *m;
	int ret = vfs_stat_abs(abs, &st); /* it must exist; this also mounts the root */

	if (ret)
		return ret;
	m = mount_find(abs, &inner);
	return m ? put_statfs(ubuf, m) : -ENOENT;
}

SYSCALL(statfs)
{
	char abs[PATH_MAX];
	int ret = at_path(AT_FDCWD, a->arg[0], abs, NULL);

	return ret < 0 ? ret : statfs_abs(abs, a->arg[1]);
}

SYSCALL(fstatfs)
{
	struct file *f = fd_get(fdt(), (int)a->arg[0]);
	long ret;

	if (!f)
		return -EBADF;
	if (f->mnt)
		ret = put_statfs(a->arg[1], f->mnt);
	else
		ret = -ENOSYS; /* pipes: Linux's pipefs has no statfs a program needs */
	file_put(f);
	return ret;
}

/* --- waiting for descriptors and copying between them ---------------------------------------- */

#define POLL_STEP_NS 10000000ULL /* the console has no wake-up of its own: look this often */

struct pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
};

/* Nobody wakes it: a poller sleeps on it until its step, its deadline or a signal. */
static struct waitq poll_wq = WAITQ_INIT;

/* The absolute deadline for a user timespec (UINT64_MAX: none), or -errno. */
static int poll_deadline(uint64_t uts, uint64_t *deadline)
{
	struct timespec64 ts;

	*deadline = UINT64_MAX;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)) < 0)
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
		return -EINVAL;
	*deadline = deadline_after(timespec_to_ns(ts.tv_sec, ts.tv_nsec));
	return 0;
}

/* One sleep between two looks at the descriptors: 1 to look again, 0 at the deadline, or
 * -EINTR for a signal (ppoll and pselect are never restarted after a handler). */
int poll_sleep(uint64_t deadline)
{
	uint64_t now = ktime_ns(), until = now + POLL_STEP_NS;
	int ret;

	if (now >= deadline)
		return 0;
	ret = waitq_wait_until(&poll_wq, until < deadline ? until : deadline);
	return ret == -ERESTARTSYS ? -EINTR : 1;
}

/* Linux writes the time left back into ppoll's and pselect6's timeout (glibc's select hands
 * it on to the caller's timeval); 0 once the deadline passed. */
static void poll_time_left(uint64_t uts, uint64_t deadline)
{
	uint64_t now = ktime_ns(), left = deadline > now ? deadline - now : 0;
	struct timespec64 ts = {(int64_t)(left / 1000000000), (int64_t)(left % 1000000000)};

	if (uts && deadline != UINT64_MAX)
		(void)copy_to_user(uts, &ts, sizeof(ts)); /* Linux ignores a fault here too */
}

/* The signal mask a ppoll or pselect6 waits with: installed for the call. *old gets the mask
 * to put back (poll_mask_end); 0 when none was given, else -errno. */
int poll_mask_begin(uint64_t umask, uint64_t size, bool *set, mv_sigset_t *old)
{
	const struct mv_sig_ops *o;
	mv_sigset_t mask;

	*set = false;
	if (!umask)
		return 0;
	if (size != sizeof(mv_sigset_t))
		return -EINVAL;
	if (copy_from_user(&mask, umask, sizeof(mask)))
		return -EFAULT;
	o = signal_ops("ppoll");
	if (!o)
		return -ENOSYS;
	mask &= ~((1ULL << (MV_SIGKILL - 1)) | (1ULL << (MV_SIGSTOP - 1)));
	if (o->sigprocmask((uint32_t)current->pid, MV_SIG_SETMASK, &mask, old) < 0)
		return -EINVAL;
	current->sig_maybe_pending = true;
	*set = true;
	return 0;
}

/* Puts the caller's mask back: at once, or, when a signal ended the call, after its handler
 * ran (the frame saves the old mask, as for sigsuspend), so that the handler of a signal the
 * call's mask let through does run. */
void poll_mask_end(bool set, mv_sigset_t old, long ret)
{
	const struct mv_sig_ops *o = set ? signal_ops("ppoll") : NULL;

	if (!o)
		return;
	if (ret == -EINTR) {
		current->saved_mask = old;
		current->mask_saved = true;
	} else {
		(void)o->sigprocmask((uint32_t)current->pid, MV_SIG_SETMASK, &old, NULL);
	}
}

#define POLLRDNORM 0x040
#define POLLWRNORM 0x100

/* What a file is ready for, with the "normal data" twins Linux reports along. */
unsigned file_poll(struct file *f)
{
	unsigned ev = f->ops->poll ? f->ops->poll(f) : POLLIN | POLLOUT;

	return ev | ((ev & POLLIN) ? POLLRDNORM : 0) | ((ev & POLLOUT) ? POLLWRNORM : 0);
}

/* ppoll(fds, nfds, timeout, sigmask, sigsetsize). */
long sys_ppoll(const struct syscall_args *a)
{
	uint64_t nfds = a->arg[1], deadline;
	struct pollfd *pfds;
	mv_sigset_t old = 0;
	bool masked;
	long ret;

	if (nfds > fdt()->nofile) /* Linux: more than RLIMIT_NOFILE entries is EINVAL */
		return -EINVAL;
	ret = poll_deadline(a->arg[2], &deadline);
	if (ret < 0)
		return ret;
	pfds = kmalloc(nfds ? nfds * sizeof(*pfds) : 1);
	if (!pfds)
		return -ENOMEM;
	if (copy_from_user(pfds, a->arg[0], nfds * sizeof(*pfds)) < 0) {
		kfree(pfds);
		return -EFAULT;
	}
	ret = poll_mask_begin(a->arg[3], a->arg[4], &masked, &old);
	if (ret < 0) {
		kfree(pfds);
		return ret;
	}
	for (;;) {
		long ready = 0;

		for (uint64_t i = 0; i < nfds; i++) {
			struct file *f;
			unsigned mask = (unsigned)(uint16_t)pfds[i].events | POLLERR | POLLHUP;

			pfds[i].revents = 0;
			if (pfds[i].fd < 0)
				continue;
			f = fd_get(fdt(), pfds[i].fd);
			pfds[i].revents = (int16_t)(f ? file_poll(f) & mask : POLLNVAL);
			if (f)
				file_put(f);
			if (pfds[i].revents)
				ready++;
		}
		if (ready) {
			ret = ready;
			break;
		}
		ret = poll_sleep(deadline);
		if (ret <= 0)
			break;
	}
	if (ret >= 0 && copy_to_user(a->arg[0], pfds, nfds * sizeof(*pfds)) < 0)
		ret = -EFAULT;
	kfree(pfds);
	poll_time_left(a->arg[2], deadline);
	poll_mask_end(masked, old, ret);
	return ret;
}

#define SET_WORDS(n) (((size_t)(n) + 63) / 64)

/* One look at the descriptors of the three sets (words 64-bit words each, read, write and
 * except in a row): what is ready goes into out. The count of bits set, or -EBADF when a set
 * names a descriptor that is not open. */
static long select_once(const uint64_t *in, uint64_t *out, size_t words)
{
	long ready = 0;

	for (size_t w = 0; w < words; w++) {
		uint64_t want = in[w] | in[words + w] | in[2 * words + w];

		for (; want; want &= want - 1) {
			int b = __builtin_ctzll(want), fd = (int)(w * 64) + b;
			uint64_t bit = 1ULL << b;
			struct file *f = fd_get(fdt(), fd);
			unsigned ev;

			if (!f)
				return -EBADF;
			ev = file_poll(f);
			file_put(f);
			if ((in[w] & bit) && (ev & (POLLIN | POLLHUP | POLLERR)))
				out[w] |= bit;
			if ((in[words + w] & bit) && (ev & (POLLOUT | POLLERR)))
				out[words + w] |= bit;
			if ((in[2 * words + w] & bit) && (ev & POLLPRI))
				out[2 * words + w] |= bit;
		}
	}
	for (size_t w = 0; w < 3 * words; w++)
		ready += __builtin_popcountll(out[w]);
	return ready;
}

/* pselect6(nfds, readfds, writefds, exceptfds, timeout, sigmask): fd sets of nfds bits, read
 * and written in whole 64-bit words as Linux does; bits from the table's size on (Linux's
 * max_fds) are not looked at. The sixth argument points at {const sigset_t *ss; size_t
 * ss_len}. */
long sys_pselect6(const struct syscall_args *a)
{
	uint64_t deadline, sigarg[2] = {0, 0}, *in, *out;
	int nfds = (int)a->arg[0];
	mv_sigset_t old = 0;
	bool masked;
	size_t words, bytes;
	long ret;

	if (nfds < 0)
		return -EINVAL;
	if ((unsigned)nfds > fd_select_bound(fdt()))
		nfds = (int)fd_select_bound(fdt());
	words = SET_WORDS(nfds);
	bytes = words * sizeof(uint64_t);
	in = kmalloc(words ? 6 * bytes : 1);
	if (!in)
		return -ENOMEM;
	memset(in, 0, 6 * bytes);
	out = in + 3 * words;
	for (int s = 0; s < 3; s++) {
		if (a->arg[1 + s] && copy_from_user(in + s * words, a->arg[1 + s], bytes) < 0) {
			kfree(in);
			return -EFAULT;
		}
		if (nfds % 64)
			in[s * words + words - 1] &= (1ULL << (nfds % 64)) - 1;
	}
	ret = poll_deadline(a->arg[4], &deadline);
	if (ret == 0 && a->arg[5] && copy_from_user(sigarg, a->arg[5], sizeof(sigarg)) < 0)
		ret = -EFAULT;
	if (ret == 0)
		ret = poll_mask_begin(sigarg[0], sigarg[1], &masked, &old);
	if (ret < 0) {
		kfree(in);
		return ret;
	}
	for (;;) {
		memset(out, 0, 3 * bytes);
		ret = select_once(in, out, words);
		if (ret != 0)
			break;
		ret = poll_sleep(deadline);
		if (ret <= 0)
			break;
	}
	for (int s = 0; s < 3 && ret >= 0; s++)
		if (a->arg[1 + s] && copy_to_user(a->arg[1 + s], out + s * words, bytes) < 0)
			ret = -EFAULT;
	kfree(in);
	if (ret != -EBADF)
		poll_time_left(a->arg[4], deadline);
	poll_mask_end(masked, old, ret);
	return ret;
}

/* sendfile(out_fd, in_fd, offset, count): a copy through a kernel buffer. */
long sys_sendfile(const struct syscall_args *a)
{
	struct file *out = fd_get(fdt(), (int)a->arg[0]), *in = fd_get(fdt(), (int)a->arg[1]);
	uint64_t count = a->arg[3] > RW_MAX ? RW_MAX : a->arg[3], done = 0, off = 0;
	char *buf = NULL;
	long ret = 0;

	if (!out || !in) {
		ret = -EBADF;
		goto out;
	}
	if (a->arg[2] && copy_from_user(&off, a->arg[2], sizeof(off)) < 0) {
		ret = -EFAULT;
		goto out;
	}
	if ((off >> 63) || (a->arg[2] && !in->seekable)) {
		ret = a->arg[2] && !in->seekable ? -ESPIPE : -EINVAL;
		goto out;
	}
	buf = kmalloc(IO_CHUNK);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	while (done < count) {
		uint64_t chunk = count - done < IO_CHUNK ? count - done : IO_CHUNK;
		int64_t n = vfs_read_file(in, buf, chunk, a->arg[2] ? &off : NULL), w;

		if (n <= 0) {
			ret = n;
			break;
		}
		w = vfs_write_file(out, buf, (uint64_t)n, NULL);
		if (w < 0) {
			ret = w;
			break;
		}
		/* Give back to the input what the output did not take. */
		if (w < n) {
			if (a->arg[2])
				off -= (uint64_t)(n - w);
			else if (in->seekable)
				in->pos -= (uint64_t)(n - w);
		}
		done += (uint64_t)w;
		if (w < n || !in->seekable)
			break;
	}
	if (done)
		ret = (long)done;
	if (a->arg[2] && ret >= 0 && copy_to_user(a->arg[2], &off, sizeof(off)) < 0)
		ret = -EFAULT;
out:
	kfree(buf);
	if (out)
		file_put(out);
	if (in)
		file_put(in);
	return ret;
}
