/* VFS internals shared by the filesystems and the file syscalls: files, mounts, fd tables. */
#ifndef STARRY_FS_FS_H
#define STARRY_FS_FS_H

#include "vfs.h"

/* Linux arm64 open flags (asm-generic/fcntl.h with the arm64 overrides). */
#define O_ACCMODE 03
#define O_RDONLY 00
#define O_WRONLY 01
#define O_RDWR 02
#define O_CREAT 0100
#define O_EXCL 0200
#define O_NOCTTY 0400
#define O_TRUNC 01000
#define O_APPEND 02000
#define O_NONBLOCK 04000
#define O_DIRECTORY 040000
#define O_NOFOLLOW 0100000
#define O_LARGEFILE 0400000
#define O_CLOEXEC 02000000

#define S_IFMT 0170000
#define S_IFIFO 0010000
#define S_IFCHR 0020000
#define S_IFDIR 0040000
#define S_IFREG 0100000

#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_REG 8
#define DT_LNK 10

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020

#define FD_CLOEXEC 1

/* RLIMIT_NOFILE as Linux gives init (INR_OPEN_CUR, INR_OPEN_MAX), inherited by every process. */
#define FD_NOFILE_CUR 1024
#define FD_NOFILE_MAX 4096
/* The highest hard limit, Linux's fs.nr_open (1048576 there). Here it is what the kernel heap
 * (2 to 8 MiB) can really hold: a table of 65536 takes 528 KiB, and growing to it needs the
 * 264 KiB of the half-size table besides for a moment. */
#define FD_NR_OPEN 65536
/* Slots of a new table: a shell's 0..2 and the 10 and 11 it keeps its own files at. */
#define FD_TABLE_MIN 16

#define NAME_MAX 255

struct file;
struct mount;

/* What chmod and utimensat change; owners stay root everywhere. */
struct vfs_attr {
	bool set_mode, set_mtime, set_atime;
	uint32_t mode; /* permission bits (07777) */
	uint64_t mtime_s, atime_s;
};

/* One directory entry, as a filesystem's getdents gives it. */
struct vfs_dirent {
	uint64_t ino;
	uint8_t type; /* DT_* */
	char name[NAME_MAX + 1];
};

/* What an open file does. Buffers are kernel memory; the syscalls bounce user data. A NULL
 * operation means the file does not support it. */
struct file_ops {
	/* *pos is the file position in and out (pipes and ttys ignore it). */
	int64_t (*read)(struct file *f, void *buf, uint64_t len, uint64_t *pos);
	int64_t (*write)(struct file *f, const void *buf, uint64_t len, uint64_t *pos);
	/* Directories: the index-th entry after "." and "..": 1 and the entry, 0 past the end. */
	int (*getdents)(struct file *f, uint64_t index, struct vfs_dirent *ent);
	int (*fstat)(struct file *f, struct kstat *st);
	int (*ioctl)(struct file *f, unsigned long cmd, uint64_t arg);
	int (*truncate)(struct file *f, uint64_t len);
	int (*sync)(struct file *f);
	/* POLLIN/POLLOUT/POLLHUP/POLLERR as they stand now; NULL: always readable and writable. */
	unsigned (*poll)(struct file *f);
	/* The last reference went away. */
	void (*release)(struct file *f);
	/* Reads never block and fill the whole request (zero, urandom): read(2) loops past its
	 * bounce buffer for them as for a regular file, where a pipe returns what it has. */
	bool fills;
};

struct file {
	int refs;
	unsigned flags; /* O_ACCMODE | O_APPEND | O_NONBLOCK */
	bool is_dir;
	bool seekable; /* false for pipes and ttys: lseek gives -ESPIPE */
	uint64_t pos;
	uint64_t dir_end; /* directories: 1 + the index where the filesystem's entries end */
	const struct file_ops *ops;
	void *priv;
	struct mount *mnt;     /* NULL for pipes */
	const char *anon_name; /* a file with no name: what /proc/<pid>/fd says ("eventfd") */
	/* The absolute path it was opened by ("" for pipes): *at() and fchdir. Only as long as
	 * it is, so that a process may keep thousands of files open on a small kernel heap. */
	char path[];
};

/* A new file with one reference and no path, or NULL when memory is out. */
struct file *file_alloc(const struct file_ops *ops, void *priv, unsigned flags);
/* The same, opened by the absolute path `path` (shorter than PATH_MAX). */
struct file *file_alloc_named(const struct file_ops *ops, void *priv, unsigned flags,
			      const char *path);
struct file *file_get(struct file *f);
/* file_put is declared in vfs.h. */

/* What a filesystem does with paths; every path is absolute inside the filesystem ("/" is its
 * root, no "." or ".." and no trailing '/'). */
struct fs_ops {
	/* Called before every lookup that reaches the mount; mounts on first use. 0 or -errno. */
	int (*ready)(struct mount *m, const char *why);
	/* Fills f->ops, f->priv, f->is_dir, f->seekable; flags are Linux open flags. */
	int (*open)(struct mount *m, const char *path, unsigned flags, struct file *f);
	int (*stat)(struct mount *m, const char *path, struct kstat *st);
	int (*mkdir)(struct mount *m, const char *path);
	int (*rmdir)(struct mount *m, const char *path);
	int (*unlink)(struct mount *m, const char *path);
	int (*rename)(struct mount *m, const char *from, const char *to);
	int (*sync)(struct mount *m);
	/* chmod, utimensat. NULL: the filesystem keeps no such attributes, and a change of
	 * them is accepted with no effect (as Linux's vfat accepts a chmod it cannot store
	 * with the "quiet" option). */
	int (*setattr)(struct mount *m, const char *path, const struct vfs_attr *a);
};

struct mount {
	char path[PATH_MAX]; /* where it is mounted: "/", "/dev" */
	const struct fs_ops *fs;
	const char *source; /* for /proc/mounts */
	const char *type;
	void *priv;
	uint32_t dev;
	bool mounted; /* false while the root waits for its first lookup */
};

/* --- record locks (sys/sys_lock.c) ----------------------------------------------------------- */
/* fcntl's F_GETLK (5), F_SETLK (6), F_SETLKW (7) on f with the user's struct flock. */
long fcntl_lock(struct file *f, int cmd, uint64_t uflock);
/* A descriptor of f is being closed by the current process: its locks on the file go. */
void reclock_file_closed(struct file *f);

/* --- epoll (sys/sys_epoll.c) ------------------------------------------------------------------ */
/* f was just read or written: epoll instances watching it with EPOLLET look at its readiness
 * again, so that the next time it becomes ready is an edge. */
void epoll_note_io(struct file *f);

/* --- descriptors as names (sys/sys_procfd.c) -------------------------------------------------- */
struct task;
/* If abs is /dev/fd, /dev/stdin, /dev/stdout or /dev/stderr or lies under one: what that link
 * points at, *rest what follows it in abs; else NULL. */
const char *fdlink_dev_target(const char *abs, const char **rest);
/* Rewrites such a path in place into /proc/self/fd/...: 1 if it did, 0 if abs is no such
 * name, -ENAMETOOLONG. */
int fdlink_follow_dev(char *abs);
/* If abs is /proc/<pid>/fd/<n>: opens what that descriptor refers to (1, *out), or -errno;
 * 0 when abs is no such name. */
int fdlink_open(const char *abs, unsigned flags, struct file **out);
/* The file at p's descriptor fd with a new reference, or NULL. */
struct file *fdlink_file(struct task *p, int fd);
/* What readlink of /proc/<pid>/fd/<fd> gives: the path, "pipe:[ino]" or "anon_inode:[name]";
 * its length (at most size, no NUL), or -ENOENT. */
int fdlink_text(struct task *p, int fd, char *out, size_t size);

/* --- paths (path.c) -------------------------------------------------------------------------- */
/* Resolves path against cwd (absolute, normalised) into out (PATH_MAX bytes): absolute, no
 * ".", "..", repeated or trailing '/'. 0, -ENOENT for "", -ENAMETOOLONG. */
int path_normalise(const char *cwd, const char *path, char *out);
/* The last component of a normalised path ("" for "/"). */
const char *path_basename(const char *path);
/* Copies the parent of a normalised path into out (PATH_MAX bytes); "/" for "/x" and "/". */
void path_parent(const char *path, char *out);

/* --- mount table (mount.c) ------------------------------------------------------------------- */
#define MOUNT_MAX 8
/* Adds a mount at a normalised path; NULL when the table is full. */
struct mount *mount_add(const char *path, const struct fs_ops *fs, const char *source,
			const char *type, void *priv, bool mounted);
/* The mount with the longest prefix of path on a component boundary; *inner points into path
 * (or at "/" for the mount root). NULL when nothing is mounted at "/" or above. */
struct mount *mount_find(const char *path, const char **inner);
/* The name of the i-th mount point directly inside directory dir ("dev" for "/dev" in "/"), or
 * NULL past the last: directory listings show mount points the filesystem below lacks. */
const char *mount_child(const char *dir, unsigned i);
/* True when a mount point hides dir/name. */
bool mount_shadows(const char *dir, const char *name);
unsigned mount_count(void);
struct mount *mount_at(unsigned i);
/* Forgets every mount (host tests). */
void mount_reset(void);

/* --- fd tables (fdtable.c) ------------------------------------------------------------------- */
struct fdtable {
	int refs;
	/* Slots in fd[] and bits in the two maps: FD_TABLE_MIN at first, doubled as descriptors
	 * reach past it (never past the hard limit, unless the limit was lowered after the
	 * growth); a table never shrinks. The three arrays are one allocation. */
	unsigned size;
	struct file **fd;
	uint64_t *open;	   /* bit n: fd n in use (lowest free fd, /proc/<pid>/fd's n-th entry) */
	uint64_t *cloexec; /* bit n: FD_CLOEXEC on fd n */
	/* RLIMIT_NOFILE, soft and hard (at most FD_NR_OPEN). Linux keeps it with the process;
	 * here it goes with the table, which fork copies and execve keeps just the same. */
	uint64_t nofile, nofile_max;
};
/* Installs f (taking a new reference) at the lowest free fd >= minfd below the soft
 * RLIMIT_NOFILE, growing the table if need be. fd, -EMFILE (none free below the limit),
 * -ENOMEM (the table could not grow: nothing changed), -EINVAL (minfd < 0). */
int fd_install(struct fdtable *t, struct file *f, int minfd, bool cloexec);
/* 0 when fd_install(t, f, 0, ...) would find a descriptor now (the table grown already), or
 * the -EMFILE/-ENOMEM it would give: open asks first, as Linux takes the descriptor before
 * opening, so that an open at the limit creates or truncates nothing. */
int fd_room(struct fdtable *t);
/* The file at fd with a new reference (file_put it), or NULL. */
struct file *fd_get(struct fdtable *t, int fd);
int fd_close(struct fdtable *t, int fd);
/* dup / F_DUPFD: the lowest free fd >= minfd. */
int fd_dup(struct fdtable *t, int oldfd, int minfd, bool cloexec);
/* dup3, in Linux's order: -EINVAL when oldfd == newfd, -EBADF for a newfd outside the soft
 * limit or a closed oldfd, -ENOMEM when the table cannot grow to newfd; newfd closed first
 * if open. */
int fd_dup3(struct fdtable *t, int oldfd, int newfd, bool cloexec);
/* FD_CLOEXEC of fd, or -EBADF. */
int fd_get_flags(struct fdtable *t, int fd);
int fd_set_flags(struct fdtable *t, int fd, int flags);
/* close_range: closes the open fds in [first, last], or sets FD_CLOEXEC on them. */
void fd_close_range(struct fdtable *t, unsigned first, unsigned last, bool cloexec);
/* The lowest open fd >= from, or -1. */
int fd_next(const struct fdtable *t, int from);
/* The index-th open fd (from 0, in order), or -1: /proc/<pid>/fd's listing. */
int fd_nth(const struct fdtable *t, uint64_t index);
/* What Linux's fdt->max_fds would be for this table, where select stops looking: Linux's
 * tables start at 64 slots and double as this one does. */
unsigned fd_select_bound(const struct fdtable *t);
/* setrlimit(RLIMIT_NOFILE): -EINVAL for soft > hard, -EPERM for a hard limit above
 * FD_NR_OPEN (Linux's nr_open; the caller is root, with CAP_SYS_RESOURCE, so raising the hard
 * limit up to it is allowed). New descriptors then stay below the soft limit; those already
 * open above it stay open. */
int fd_set_limit(struct fdtable *t, uint64_t cur, uint64_t max);

/* --- the VFS proper (vfs.c) ------------------------------------------------------------------ */
/* Opens an absolute normalised path. flags are Linux open flags (O_CLOEXEC is the caller's). */
int vfs_open_abs(const char *path, unsigned flags, struct file **out);
int vfs_stat_abs(const char *path, struct kstat *st);
int vfs_mkdir_abs(const char *path);
int vfs_rmdir_abs(const char *path);
int vfs_unlink_abs(const char *path);
int vfs_rename_abs(const char *from, const char *to);
int vfs_setattr_abs(const char *path, const struct vfs_attr *a);
/* Reads and writes at f->pos (moving it), or at *off for pread/pwrite when off is not NULL. */
int64_t vfs_read_file(struct file *f, void *buf, uint64_t len, uint64_t *off);
int64_t vfs_write_file(struct file *f, const void *buf, uint64_t len, uint64_t *off);
int64_t vfs_lseek(struct file *f, int64_t off, int whence);
/* Where SEEK_SET, SEEK_CUR or SEEK_END count from (lseek, fcntl record locks). */
int vfs_whence_base(struct file *f, int whence, int64_t *base);
/* The next directory entry ("." and ".." first) at f->pos: 1, 0 at the end, or -errno. */
int vfs_getdents(struct file *f, struct vfs_dirent *ent);

/* --- the filesystems ------------------------------------------------------------------------- */
extern const struct fs_ops fatroot_fs_ops;
extern const struct fs_ops devfs_ops;
extern const struct fs_ops sysfs_ops;
extern const struct fs_ops procfs_ops;
extern const struct fs_ops tmpfs_ops;
void tmpfs_init(struct mount *m);
/* Frees every node of a tmpfs none of whose files is open (host tests). */
void tmpfs_free(struct mount *m);
int devfs_open_console(struct file **out);
int fatroot_sync(void);
/* Unmounts the root filesystem and unloads its module when nothing is open on it and it has not
 * been used for gmod_idle_ns (at guest time now); the next lookup mounts it again. */
void fatroot_idle(uint64_t now);
/* readlink of a procfs path ("/self/exe", "/<pid>/cwd", ".../task/<tid>/exe", inside the
 * mount): the target's length copied into out (at most size bytes, no NUL), -EINVAL for
 * what is not a link, -ENOENT. */
int procfs_readlink(const char *path, char *out, size_t size);
/* fstat of eventfds and timerfds: an anonymous inode (mode 0600, no file type), as on Linux. */
int anon_inode_fstat(struct file *f, struct kstat *st);
/* eventfd2: a new counter file (flags: EFD_SEMAPHORE, O_NONBLOCK) in *out. 0 or -ENOMEM. */
int eventfd_create(uint64_t initval, unsigned flags, struct file **out);
/* timerfd: a new timer file (O_NONBLOCK in flags), disarmed, on the real-time clock or the
 * monotonic one. 0 or -ENOMEM. */
int timerfd_create_file(unsigned flags, bool realtime, struct file **out);
/* Arms it (value_ns 0 disarms): relative to now, or an absolute time on its clock; what was
 * left and the old interval come back. -EINVAL if f is not a timerfd. */
int timerfd_set(struct file *f, uint64_t value_ns, uint64_t interval_ns, bool absolute,
		uint64_t *old_left, uint64_t *old_interval);
int timerfd_get(struct file *f, uint64_t *left, uint64_t *interval);
/* From the scheduler's tick: counts the expirations due and wakes their readers. */
void timerfd_tick(uint64_t now);
/* FIONREAD: the bytes a pipe holds (either end), or -ENOTTY for a file that is not a pipe. */
int64_t pipe_bytes_waiting(const struct file *f);
/* Pipes (pipe.c): two files, the read end and the write end. flags: O_NONBLOCK. */
int pipe_create(unsigned flags, struct file **rd, struct file **wr);
/* F_GETPIPE_SZ / F_SETPIPE_SZ: the capacity in bytes, or -EBADF for a file that is no pipe;
 * setting rounds up to a power of two pages and fails with -EBUSY below the bytes held. */
int64_t pipe_get_size(const struct file *f);
int64_t pipe_set_size(struct file *f, uint64_t size);

#endif /* STARRY_FS_FS_H */
