/* The VFS as the rest of the kernel sees it: set-up, fd tables, kernel-side file access. */
#ifndef STARRY_FS_VFS_H
#define STARRY_FS_VFS_H

#include "../kernel.h"

struct file;
struct fdtable;

/* What stat reports, before the syscall turns it into struct stat. */
struct kstat {
	uint64_t ino;
	uint32_t mode; /* S_IF* | permissions, Linux values */
	uint32_t nlink;
	uint64_t size;
	uint64_t blocks; /* 512-byte */
	uint32_t blksize;
	uint32_t rdev;
	uint64_t mtime_s;
	uint64_t atime_s; /* 0: as mtime_s (filesystems that keep one time) */
	uint32_t dev;
};

/* Mounts devfs on /dev, procfs on /proc and tmpfs on /tmp. The root (the disk's FAT
 * filesystem) stays unmounted until the first lookup that reaches it: that lookup loads the
 * fatfs module from the hypervisor, mounts it and goes on. */
void vfs_init(void);
/* Whether the device tree describes a disk (boot_info.has_disk); true unless told otherwise.
 * Without one the root is never probed: its lookups give -ENODEV. */
void vfs_set_disk_present(bool present);

/* fd tables: one per process, shared by CLONE_FILES, copied by fork. */
struct fdtable *fdtable_create(void);
/* Opens /dev/console as fds 0, 1 and 2. */
int fdtable_open_console(struct fdtable *t);
/* share: the same table with one more reference; otherwise a copy holding the same files. */
struct fdtable *fdtable_fork(struct fdtable *t, bool share);
void fdtable_close_on_exec(struct fdtable *t);
/* Drops a reference; the last one closes every descriptor. */
void fdtable_put(struct fdtable *t);

/* Kernel-side access for execve: path is resolved against cwd (an absolute path). */
int vfs_open_kernel(const char *cwd, const char *path, struct file **out);
int64_t vfs_pread_kernel(struct file *f, void *buf, uint64_t len, uint64_t off);
int vfs_fstat_kernel(struct file *f, struct kstat *st);
void file_put(struct file *f);

/* Writes every dirty filesystem back to its disk (at shutdown). */
void vfs_sync_all(void);

/* The console's foreground process group (TIOCGPGRP/TIOCSPGRP; 1 at boot): where a terminal
 * signal such as Ctrl-C would go. */
pid_t devfs_console_pgrp(void);

struct task;
/* A process's virtual size in bytes and resident pages, for /proc/<pid>/stat and status.
 * procfs has a weak default reporting 0; the memory manager may define the real one. */
/* /proc/<pid>/cmdline: its argument strings, each with its NUL; the length, or 0. */
size_t task_cmdline(const struct task *t, char *buf, size_t size);
void task_mem_usage(const struct task *t, uint64_t *vsize, uint64_t *rss_pages);

/* File syscalls beyond sys/syscalls.h, in sys/sys_fs.c, for the table to wire up:
 * faccessat2 (NR 439), ppoll (73: glibc's pause() is ppoll with no fds), pselect6 (72),
 * sendfile (71: busybox cat and cp try it first). */
long sys_faccessat2(const struct syscall_args *a);
long sys_ppoll(const struct syscall_args *a);
long sys_pselect6(const struct syscall_args *a);
long sys_sendfile(const struct syscall_args *a);

#endif /* STARRY_FS_VFS_H */
