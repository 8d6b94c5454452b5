/* The root filesystem: the disk's FAT or ext4 volume through the fatfs or ext4 module (whichever
 * the disk holds), loaded and mounted by the first lookup that reaches "/". */
#include "fs.h"
#include "../kmod.h"
#include <string.h>

static struct gmod *fatmod;
static struct mv_fs *fatfs;
static struct mount *root_mnt; /* set by the first mount; an idle unload unmounts it */
static bool fat_failed;	       /* a failed load is not retried: every lookup would log it again */
static bool disk_present = true;
static bool is_ext; /* the root is ext4: its permission bits are real */

void vfs_set_disk_present(bool present)
{
	disk_present = present;
}

/* What an open FAT file keeps: the module's handle and where the handle's position is, so a
 * read at the file position needs no seek. */
struct fatfile {
	struct mv_file *h;
	uint64_t hpos;
	uint64_t dir_index; /* the next readdir entry's index */
};

/* Every call into the module goes through here: it counts as a use for the idle clock. */
static const struct mv_fs_ops *fops(void)
{
	modidle_touch(&fatmod->idle, ktime_ns());
	return fatmod->ops;
}

static int fat_ready(struct mount *m, const char *why)
{
	int ret;

	if (m->mounted)
		return 0;
	if (fat_failed)
		return -ENODEV;
	if (!disk_present) {
		kprintf(KTAG ": %s: no disk for the root filesystem\n", why);
		goto fail;
	}
	if (guest_disk_init() != 0) {
		kprintf(KTAG ": no disk for the root filesystem\n");
		goto fail;
	}
	is_ext = guest_disk_is_ext(); /* what the disk holds picks the module, not a flag */
	fatmod = kmod_get(is_ext ? "ext4" : "fatfs");
	if (!fatmod || kmod_load_on_miss(fatmod, why) != 0)
		goto fail;
	ret = fops()->mount(&fatfs);
	if (ret < 0) {
		kprintf(KTAG ": mounting the root filesystem failed (%d)\n", ret);
		goto fail;
	}
	m->priv = fatfs;
	m->source = fatmod->name;
	m->type = is_ext ? "ext4" : "vfat";
	m->mounted = true;
	if (fatmod->idle.reloads)
		kprintf(KTAG ": root filesystem mounted again (%s)\n", fatmod->name);
	else
		kprintf(KTAG ": root filesystem mounted (%s)\n", fatmod->name);
	root_mnt = m;
	return 0;
fail:
	fat_failed = true;
	return -ENODEV;
}

static void to_kstat(const struct mv_stat *ms, struct kstat *st)
{
	bool dir = (ms->mode & MV_S_IFDIR) != 0;

	/* FAT has no permissions: everything is executable, so programs on it can run. */
	st->mode = (dir ? S_IFDIR : S_IFREG) | (is_ext ? (ms->mode & 07777) : 0755);
	st->ino = ms->ino;
	st->nlink = ms->nlink ? ms->nlink : 1;
	st->size = ms->size;
	st->blocks = ms->blocks;
	st->blksize = ms->blksize ? ms->blksize : 512;
	st->mtime_s = ms->mtime;
}

static int64_t fat_seek_to(struct fatfile *ff, uint64_t pos)
{
	int64_t ret;

	if (ff->hpos == pos)
		return 0;
	ret = fops()->seek(fatfs, ff->h, (int64_t)pos, MV_SEEK_SET);
	if (ret < 0)
		return ret;
	ff->hpos = pos;
	return 0;
}

static int64_t fat_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	struct fatfile *ff = f->priv;
	int64_t ret = fat_seek_to(ff, *pos);

	if (ret < 0)
		return ret;
	ret = fops()->read(fatfs, ff->h, buf, len);
	if (ret > 0) {
		ff->hpos += (uint64_t)ret;
		*pos += (uint64_t)ret;
	}
	return ret;
}

static int64_t fat_write(struct file *f, const void *buf, uint64_t len, uint64_t *pos)
{
	struct fatfile *ff = f->priv;
	int64_t ret = 0, end;

	if (!(f->flags & O_APPEND))
		ret = fat_seek_to(ff, *pos);
	if (ret < 0)
		return ret;
	ret = fops()->write(fatfs, ff->h, buf, len);
	if (ret < 0)
		return ret;
	/* With O_APPEND the module wrote at the end: learn where the handle is now. */
	end = fops()->seek(fatfs, ff->h, 0, MV_SEEK_CUR);
	if (end >= 0) {
		ff->hpos = (uint64_t)end;
		*pos = (uint64_t)end;
	}
	return ret;
}

static int fat_getdents(struct file *f, uint64_t index, struct vfs_dirent *ent)
{
	struct fatfile *ff = f->priv;
	struct mv_dirent *de;
	int ret;

	de = kmalloc(sizeof(*de));
	if (!de)
		return -ENOMEM;
	/* A seek backwards (rewinddir, or a telldir position) replays from the start. */
	if (index < ff->dir_index) {
		int64_t s = fops()->seek(fatfs, ff->h, 0, MV_SEEK_SET);

		if (s < 0) {
			kfree(de);
			return (int)s;
		}
		ff->dir_index = 0;
	}
	do {
		ret = fops()->readdir(fatfs, ff->h, de);
		if (ret > 0)
			ff->dir_index++;
	} while (ret > 0 && ff->dir_index <= index);
	if (ret > 0) {
		ent->ino = de->ino;
		ent->type = (de->type & MV_S_IFDIR) ? DT_DIR : DT_REG;
		memcpy(ent->name, de->name, sizeof(ent->name));
		ent->name[NAME_MAX] = '\0';
	}
	kfree(de);
	return ret;
}

static int fat_fstat(struct file *f, struct kstat *st)
{
	struct fatfile *ff = f->priv;
	struct mv_stat ms;
	int ret = fops()->fstat(fatfs, ff->h, &ms);

	if (ret == 0)
		to_kstat(&ms, st);
	return ret;
}

static int fat_truncate(struct file *f, uint64_t len)
{
	struct fatfile *ff = f->priv;

	return fops()->truncate(fatfs, ff->h, len);
}

static int fat_fsync(struct file *f)
{
	(void)f;
	return fops()->sync(fatfs);
}

static void fat_release(struct file *f)
{
	struct fatfile *ff = f->priv;

	fops()->close(fatfs, ff->h);
	kfree(ff);
	(void)modidle_put(&fatmod->idle, ktime_ns());
}

static const struct file_ops fat_file_ops = {
    .read = fat_read,
    .write = fat_write,
    .fstat = fat_fstat,
    .truncate = fat_truncate,
    .sync = fat_fsync,
    .release = fat_release,
};

static const struct file_ops fat_dir_ops = {
    .getdents = fat_getdents,
    .fstat = fat_fstat,
    .sync = fat_fsync,
    .release = fat_release,
};

static int fat_open(struct mount *m, const char *path, unsigned flags, struct file *f)
{
	struct mv_stat ms;
	struct fatfile *ff;
	struct mv_file *h;
	unsigned acc = flags & O_ACCMODE;
	int mvflags = (int)acc, ret;

	(void)m;
	ret = fops()->stat(fatfs, path, &ms);
	if (ret < 0 && (ret != -ENOENT || !(flags & O_CREAT)))
		return ret;
	if (ret == 0 && (ms.mode & MV_S_IFDIR)) {
		if (acc != O_RDONLY || (flags & O_CREAT))
			return -EISDIR;
		mvflags = MV_O_RDONLY | MV_O_DIRECTORY;
	} else {
		if (ret == 0 && (flags & O_DIRECTORY))
			return -ENOTDIR;
		if (ret == 0 && (flags & O_CREAT) && (flags & O_EXCL))
			return -EEXIST;
		mvflags |= (flags & O_CREAT) ? MV_O_CREAT : 0;
		mvflags |= (flags & O_EXCL) ? MV_O_EXCL : 0;
		mvflags |= (flags & O_TRUNC) ? MV_O_TRUNC : 0;
		mvflags |= (flags & O_APPEND) ? MV_O_APPEND : 0;
	}
	ff = kmalloc(sizeof(*ff));
	if (!ff)
		return -ENOMEM;
	ret = fops()->open(fatfs, path, mvflags, &h);
	if (ret < 0) {
		kfree(ff);
		return ret;
	}
	modidle_get(&fatmod->idle, ktime_ns()); /* an open file pins the module */
	ff->h = h;
	ff->hpos = 0;
	ff->dir_index = 0;
	f->priv = ff;
	f->is_dir = (mvflags & MV_O_DIRECTORY) != 0;
	f->ops = f->is_dir ? &fat_dir_ops : &fat_file_ops;
	return 0;
}

static int fat_stat(struct mount *m, const char *path, struct kstat *st)
{
	struct mv_stat ms;
	int ret = fops()->stat(fatfs, path, &ms);

	(void)m;
	if (ret == 0)
		to_kstat(&ms, st);
	return ret;
}

static int fat_mkdir(struct mount *m, const char *path)
{
	(void)m;
	return fops()->mkdir(fatfs, path);
}

static int fat_rmdir(struct mount *m, const char *path)
{
	(void)m;
	return fops()->rmdir(fatfs, path);
}

static int fat_unlink(struct mount *m, const char *path)
{
	(void)m;
	return fops()->unlink(fatfs, path);
}

static int fat_rename(struct mount *m, const char *from, const char *to)
{
	(void)m;
	return fops()->rename(fatfs, from, to);
}

static int fat_sync(struct mount *m)
{
	(void)m;
	return fatfs ? fops()->sync(fatfs) : 0;
}

void fatroot_idle(uint64_t now)
{
	const struct mv_fs_ops *ops;
	int ret;

	if (!root_mnt || !root_mnt->mounted ||
	    !modidle_due(&fatmod->idle, fatmod->desc != NULL, now, gmod_idle_ns))
		return;
	ops = fatmod->ops;
	/* Nothing is open on it: write everything back and unmount cleanly, so the disk is
	 * consistent while no module serves it. The mount point stays; the next lookup that
	 * reaches it mounts again through fat_ready. */
	/* Straight through ops, not fops(): these calls are the unload's, not a use. */
	ret = ops->sync(fatfs);
	if (ret == 0)
		ret = ops->unmount(fatfs);
	if (ret < 0) {
		kprintf(KTAG ": root filesystem busy or failing (%d): %s stays loaded\n", ret,
			fatmod->name);
		modidle_touch(&fatmod->idle, now); /* not again before another idle period */
		return;
	}
	fatfs = NULL;
	root_mnt->priv = NULL;
	root_mnt->mounted = false;
	kprintf(KTAG ": root filesystem unmounted (%s idle)\n", fatmod->name);
	(void)gmod_unload_idle(fatmod, KTAG);
}

int fatroot_sync(void)
{
	return fatfs ? fops()->sync(fatfs) : 0;
}

const struct fs_ops fatroot_fs_ops = {
    .ready = fat_ready,
    .open = fat_open,
    .stat = fat_stat,
    .mkdir = fat_mkdir,
    .rmdir = fat_rmdir,
    .unlink = fat_unlink,
    .rename = fat_rename,
    .sync = fat_sync,
};
