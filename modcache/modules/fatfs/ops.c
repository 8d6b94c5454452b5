/* The fatfs module's side of the shared mv_fs_ops table (modcache/fs/fs_ops.c). */
#include <stddef.h>
#include "fatfs.h"

int fsg_mount(struct mv_fs **out)
{
	return fat_mount(fat_kservices(), out);
}

int fsg_unmount(struct mv_fs *fs)
{
	return fat_unmount(fs);
}

void fsg_destroy(struct mv_fs *fs)
{
	fat_destroy(fs);
}

int fsg_sync(struct mv_fs *fs)
{
	return fat_sync(fs);
}

void fsg_enter(struct mv_fs *fs)
{
	mv_fs_lock(fs->ks, fs->lock);
}

int64_t fsg_leave(struct mv_fs *fs, int64_t ret)
{
	mv_fs_unlock(fs->ks, fs->lock);
	return ret;
}

bool fsg_handle_ok(const struct mv_fs *fs, const struct mv_file *f)
{
	return fs && f && f->magic == FAT_FILE_MAGIC && f->fs == fs;
}

int fsg_truncatable(const struct mv_file *f)
{
	if (f->node->attr & FAT_ATTR_DIR)
		return -MV_EISDIR;
	if ((f->flags & MV_O_ACCMODE) == MV_O_RDONLY)
		return -MV_EBADF;
	return 0;
}

int fsg_truncate(struct mv_fs *fs, struct mv_file *f, uint64_t len)
{
	return file_truncate(fs, f->node, len);
}
