/* The mv_fs_ops table: argument checks and the per-mount lock around every operation. */
#include <stddef.h>
#include "ext4.h"

static void enter(const struct mv_fs *fs)
{
	mv_fs_lock(fs->ks, fs->lock);
}

/* The superblock's free counts go out with the operation that changed them, so the volume is
 * whole between any two operations; its error is the operation's if that one succeeded. */
static int64_t leave(struct mv_fs *fs, int64_t ret)
{
	int sret = e4_write_super(fs);

	mv_fs_unlock(fs->ks, fs->lock);
	return ret >= 0 && sret ? sret : ret;
}

/* A handle from another mount or one already closed is refused, not followed. */
static bool handle_ok(const struct mv_fs *fs, const struct mv_file *f)
{
	return fs && f && f->magic == E4_FILE_MAGIC && f->fs == fs;
}

static int op_mount(struct mv_fs **fs)
{
	if (!fs)
		return -MV_EINVAL;
	return e4_mount(e4_kservices(), fs);
}

static int op_unmount(struct mv_fs *fs)
{
	int ret;

	if (!fs)
		return -MV_EINVAL;
	enter(fs);
	ret = e4_unmount(fs);
	ret = leave(fs, ret);
	if (ret != -MV_EBUSY)
		e4_destroy(fs);
	return ret;
}

static int op_open(struct mv_fs *fs, const char *path, int flags, struct mv_file **file)
{
	int ret;

	if (!fs || !path || !file)
		return -MV_EINVAL;
	enter(fs);
	ret = namei_open(fs, path, flags, file);
	ret = leave(fs, ret);
	return ret;
}

static int op_close(struct mv_fs *fs, struct mv_file *file)
{
	int ret;

	if (!handle_ok(fs, file))
		return -MV_EBADF;
	enter(fs);
	ret = file_close(fs, file);
	ret = leave(fs, ret);
	return ret;
}

static int64_t op_read(struct mv_fs *fs, struct mv_file *file, void *buf, uint64_t len)
{
	int64_t ret;

	if (!handle_ok(fs, file))
		return -MV_EBADF;
	if (!buf && len)
		return -MV_EFAULT;
	enter(fs);
	ret = file_read(fs, file, buf, len);
	ret = leave(fs, ret);
	return ret;
}

static int64_t op_write(struct mv_fs *fs, struct mv_file *file, const void *buf, uint64_t len)
{
	int64_t ret;

	if (!handle_ok(fs, file))
		return -MV_EBADF;
	if (!buf && len)
		return -MV_EFAULT;
	enter(fs);
	ret = file_write(fs, file, buf, len);
	ret = leave(fs, ret);
	return ret;
}

static int64_t op_seek(struct mv_fs *fs, struct mv_file *file, int64_t off, int whence)
{
	int64_t ret;

	if (!handle_ok(fs, file))
		return -MV_EBADF;
	enter(fs);
	ret = file_seek(fs, file, off, whence);
	ret = leave(fs, ret);
	return ret;
}

static int op_fstat(struct mv_fs *fs, struct mv_file *file, struct mv_stat *st)
{
	int ret;

	if (!handle_ok(fs, file))
		return -MV_EBADF;
	if (!st)
		return -MV_EFAULT;
	enter(fs);
	ret = namei_fstat(fs, file, st);
	ret = leave(fs, ret);
	return ret;
}

static int op_stat(struct mv_fs *fs, const char *path, struct mv_stat *st)
{
	int ret;

	if (!fs || !path)
		return -MV_EINVAL;
	if (!st)
		return -MV_EFAULT;
	enter(fs);
	ret = namei_stat(fs, path, st);
	ret = leave(fs, ret);
	return ret;
}

static int op_readdir(struct mv_fs *fs, struct mv_file *dir, struct mv_dirent *ent)
{
	int ret;

	if (!handle_ok(fs, dir))
		return -MV_EBADF;
	if (!ent)
		return -MV_EFAULT;
	enter(fs);
	ret = namei_readdir(fs, dir, ent);
	ret = leave(fs, ret);
	return ret;
}

/* mkdir, rmdir and unlink: check the arguments, run one namei call under the lock. */
static int locked_path_op(struct mv_fs *fs, const char *path,
			  int (*op)(struct mv_fs *fs, const char *path))
{
	int ret;

	if (!fs || !path)
		return -MV_EINVAL;
	enter(fs);
	ret = op(fs, path);
	ret = leave(fs, ret);
	return ret;
}

static int op_mkdir(struct mv_fs *fs, const char *path)
{
	return locked_path_op(fs, path, namei_mkdir);
}

static int op_rmdir(struct mv_fs *fs, const char *path)
{
	return locked_path_op(fs, path, namei_rmdir);
}

static int op_unlink(struct mv_fs *fs, const char *path)
{
	return locked_path_op(fs, path, namei_unlink);
}

static int op_rename(struct mv_fs *fs, const char *from, const char *to)
{
	int ret;

	if (!fs || !from || !to)
		return -MV_EINVAL;
	enter(fs);
	ret = namei_rename(fs, from, to);
	ret = leave(fs, ret);
	return ret;
}

static int op_truncate(struct mv_fs *fs, struct mv_file *file, uint64_t len)
{
	int ret;

	if (!handle_ok(fs, file))
		return -MV_EBADF;
	if ((inode_mode(file->node->raw) & E4_S_IFMT) == E4_S_IFDIR)
		return -MV_EISDIR;
	if ((file->flags & MV_O_ACCMODE) == MV_O_RDONLY)
		return -MV_EBADF;
	enter(fs);
	ret = file_truncate(fs, file->node, len);
	ret = leave(fs, ret);
	return ret;
}

static int op_sync(struct mv_fs *fs)
{
	int ret;

	if (!fs)
		return -MV_EINVAL;
	enter(fs);
	ret = e4_sync(fs);
	ret = leave(fs, ret);
	return ret;
}

const struct mv_fs_ops e4_fs_ops = {
    .version = MV_FS_OPS_VERSION,
    .size = sizeof(struct mv_fs_ops),
    .mount = op_mount,
    .unmount = op_unmount,
    .open = op_open,
    .close = op_close,
    .read = op_read,
    .write = op_write,
    .seek = op_seek,
    .fstat = op_fstat,
    .stat = op_stat,
    .readdir = op_readdir,
    .mkdir = op_mkdir,
    .rmdir = op_rmdir,
    .unlink = op_unlink,
    .rename = op_rename,
    .truncate = op_truncate,
    .sync = op_sync,
};
