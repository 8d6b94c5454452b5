/* The ext4 module's side of the shared mv_fs_ops table (modcache/fs/fs_ops.c). */
#include <stddef.h>
#include "ext4.h"

int fsg_mount(struct mv_fs **out)
{
	return e4_mount(e4_kservices(), out);
}

int fsg_unmount(struct mv_fs *fs)
{
	return e4_unmount(fs);
}

void fsg_destroy(struct mv_fs *fs)
{
	e4_destroy(fs);
}

int fsg_sync(struct mv_fs *fs)
{
	return e4_sync(fs);
}

void fsg_enter(struct mv_fs *fs)
{
	mv_fs_lock(fs->ks, fs->lock);
}

/* The superblock's free counts go out with the operation that changed them, so the volume is
 * whole between any two operations; its error is the operation's if that one succeeded. */
int64_t fsg_leave(struct mv_fs *fs, int64_t ret)
{
	int sret = e4_write_super(fs);

	mv_fs_unlock(fs->ks, fs->lock);
	return ret >= 0 && sret ? sret : ret;
}

bool fsg_handle_ok(const struct mv_fs *fs, const struct mv_file *f)
{
	return fs && f && f->magic == E4_FILE_MAGIC && f->fs == fs;
}

int fsg_truncatable(const struct mv_file *f)
{
	if ((inode_mode(f->node->raw) & E4_S_IFMT) == E4_S_IFDIR)
		return -MV_EISDIR;
	if ((f->flags & MV_O_ACCMODE) == MV_O_RDONLY)
		return -MV_EBADF;
	return 0;
}

int fsg_truncate(struct mv_fs *fs, struct mv_file *f, uint64_t len)
{
	return file_truncate(fs, f->node, len);
}
