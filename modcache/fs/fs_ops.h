/* The interface between the shared mv_fs_ops table (fs_ops.c) and the filesystem module it is
 * compiled into: each module defines these with its own struct mv_fs and struct mv_file. */
#ifndef MODCACHE_FS_OPS_H
#define MODCACHE_FS_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include <modvisor/module.h>

/* Module-internal: hidden symbols are reached PC-relatively, never by GOT. */
#pragma GCC visibility push(hidden)

/* fs_ops.c: the table the module's init hands out. */
extern const struct mv_fs_ops fsg_ops;

/* The module's side of mount and unmount: mount with this guest's services; unmount (-MV_EBUSY
 * while files are open), after which the caller frees the mount with fsg_destroy. */
int fsg_mount(struct mv_fs **out);
int fsg_unmount(struct mv_fs *fs);
void fsg_destroy(struct mv_fs *fs);
int fsg_sync(struct mv_fs *fs);

/* Around every operation: take the mount's lock; finish the operation (the module may write back
 * state there) and drop the lock, returning the operation's result or the write-back's error. */
void fsg_enter(struct mv_fs *fs);
int64_t fsg_leave(struct mv_fs *fs, int64_t ret);

/* A handle from another mount or one already closed is refused, not followed. */
bool fsg_handle_ok(const struct mv_fs *fs, const struct mv_file *f);
/* 0 if the handle may be truncated, else -MV_EISDIR or -MV_EBADF; checked before the lock. */
int fsg_truncatable(const struct mv_file *f);
int fsg_truncate(struct mv_fs *fs, struct mv_file *f, uint64_t len);

/* Operations both modules implement under these names. */
int namei_open(struct mv_fs *fs, const char *path, int flags, struct mv_file **out);
int namei_stat(struct mv_fs *fs, const char *path, struct mv_stat *st);
int namei_fstat(struct mv_fs *fs, const struct mv_file *f, struct mv_stat *st);
int namei_readdir(struct mv_fs *fs, struct mv_file *f, struct mv_dirent *ent);
int namei_mkdir(struct mv_fs *fs, const char *path);
int namei_rmdir(struct mv_fs *fs, const char *path);
int namei_unlink(struct mv_fs *fs, const char *path);
int namei_rename(struct mv_fs *fs, const char *from, const char *to);
int64_t file_read(struct mv_fs *fs, struct mv_file *f, void *buf, uint64_t len);
int64_t file_write(struct mv_fs *fs, struct mv_file *f, const void *buf, uint64_t len);
int64_t file_seek(struct mv_fs *fs, struct mv_file *f, int64_t off, int whence);
int file_close(struct mv_fs *fs, struct mv_file *f);

#pragma GCC visibility pop

#endif
