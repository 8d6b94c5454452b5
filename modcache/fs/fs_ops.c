/* The mv_fs_ops table every filesystem module shares: argument checks, then one call into the
 * module under its per-mount lock. Compiled into each module; fs_ops.h lists what it calls. */
#include <stddef.h>
#include "fs_ops.h"

static int op_mount(struct mv_fs **fs)
{
	if (!fs)
		return -MV_EINVAL;
	return fsg_mount(fs);
}

static int op_unmount(struct mv_fs *fs)
{
	int ret;

	if (!fs)
		return -MV_EINVAL;
	fsg_enter(fs);
	ret = fsg_unmount(fs);
	ret = fsg_leave(fs, ret);
	if (ret != -MV_EBUSY)
		fsg_destroy(fs);
	return ret;
}

static int op_open(struct mv_fs *fs, const char *path, int flags, struct mv_file **file)
{
	if (!fs || !path || !file)
		return -MV_EINVAL;
	fsg_enter(fs);
	return (int)fsg_leave(fs, namei_open(fs, path, flags, file));
}

static int op_close(struct mv_fs *fs, struct mv_file *file)
{
	if (!fsg_handle_ok(fs, file))
		return -MV_EBADF;
	fsg_enter(fs);
	return (int)fsg_leave(fs, file_close(fs, file));
}

static int64_t op_read(struct mv_fs *fs, struct mv_file *file, void *buf, uint64_t len)
{
	if (!fsg_handle_ok(fs, file))
		return -MV_EBADF;
	if (!buf && len)
		return -MV_EFAULT;
	fsg_enter(fs);
	return fsg_leave(fs, file_read(fs, file, buf, len));
}

static int64_t op_write(struct mv_fs *fs, struct mv_file *file, const void *buf, uint64_t len)
{
	if (!fsg_handle_ok(fs, file))
		return -MV_EBADF;
	if (!buf && len)
		return -MV_EFAULT;
	fsg_enter(fs);
	return fsg_leave(fs, file_write(fs, file, buf, len));
}

static int64_t op_seek(struct mv_fs *fs, struct mv_file *file, int64_t off, int whence)
{
	if (!fsg_handle_ok(fs, file))
		return -MV_EBADF;
	fsg_enter(fs);
	return fsg_leave(fs, file_seek(fs, file, off, whence));
}

static int op_fstat(struct mv_fs *fs, struct mv_file *file, struct mv_stat *st)
{
	if (!fsg_handle_ok(fs, file))
		return -MV_EBADF;
	if (!st)
		return -MV_EFAULT;
	fsg_enter(fs);
	return (int)fsg_leave(fs, namei_fstat(fs, file, st));
}

static int op_stat(struct mv_fs *fs, const char *path, struct mv_stat *st)
{
	if (!fs || !path)
		return -MV_EINVAL;
	if (!st)
		return -MV_EFAULT;
	fsg_enter(fs);
	return (int)fsg_leave(fs, namei_stat(fs, path, st));
}

static int op_readdir(struct mv_fs *fs, struct mv_file *dir, struct mv_dirent *ent)
{
	if (!fsg_handle_ok(fs, dir))
		return -MV_EBADF;
	if (!ent)
		return -MV_EFAULT;
	fsg_enter(fs);
	return (int)fsg_leave(fs, namei_readdir(fs, dir, ent));
}

/* mkdir, rmdir and unlink: check the arguments, run one namei call under the lock. */
static int locked_path_op(struct mv_fs *fs, const char *path,
			  int (*op)(struct mv_fs *fs, const char *path))
{
	if (!fs || !path)
		return -MV_EINVAL;
	fsg_enter(fs);
	return (int)fsg_leave(fs, op(fs, path));
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
	if (!fs || !from || !to)
		return -MV_EINVAL;
	fsg_enter(fs);
	return (int)fsg_leave(fs, namei_rename(fs, from, to));
}

static int op_truncate(struct mv_fs *fs, struct mv_file *file, uint64_t len)
{
	int ret;

	if (!fsg_handle_ok(fs, file))
		return -MV_EBADF;
	ret = fsg_truncatable(file);
	if (ret != 0)
		return ret;
	fsg_enter(fs);
	ret = fsg_truncate(fs, file, len);
	ret = fsg_leave(fs, ret);
	return ret;
}

static int op_sync(struct mv_fs *fs)
{
	if (!fs)
		return -MV_EINVAL;
	fsg_enter(fs);
	return (int)fsg_leave(fs, fsg_sync(fs));
}

const struct mv_fs_ops fsg_ops = {
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
