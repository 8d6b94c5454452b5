/* The VFS core: mounts at boot, path-based operations routed to the right filesystem, and the
 * file operations every syscall shares (read/write positions, lseek, directory entries). */
#include "fs.h"
#include <string.h>

void vfs_init(void)
{
	struct mount *tmp;

	mount_add("/", &fatroot_fs_ops, "fatfs", "vfat", NULL, false);
	mount_add("/dev", &devfs_ops, "devfs", "devtmpfs", NULL, true);
	mount_add("/proc", &procfs_ops, "proc", "proc", NULL, true);
	mount_add("/sys", &sysfs_ops, "sysfs", "sysfs", NULL, true);
	tmp = mount_add("/tmp", &tmpfs_ops, "tmpfs", "tmpfs", NULL, true);
	BUG_ON(!tmp);
	tmpfs_init(tmp);
}

/* The mount serving path, made ready (the root mounts on its first lookup). */
static struct mount *resolve(const char *path, const char *what, const char **inner, int *err)
{
	struct mount *m = mount_find(path, inner);

	*err = 0;
	if (!m) {
		*err = -ENOENT;
		return NULL;
	}
	if (!m->mounted && m->fs->ready) {
		char why[PATH_MAX + 16];

		fmt_snprintf(why, sizeof(why), "%s %s", what, path);
		*err = m->fs->ready(m, why);
		if (*err < 0)
			return NULL;
	}
	return m;
}

int vfs_open_abs(const char *path, unsigned flags, struct file **out)
{
	const char *inner;
	int ret;
	struct mount *m = resolve(path, "open", &inner, &ret);
	struct file *f;
	unsigned acc = flags & O_ACCMODE;

	if (!m)
		return ret;
	if (acc == O_ACCMODE)
		return -EINVAL;
	f = file_alloc_named(NULL, NULL, flags & (O_ACCMODE | O_APPEND | O_NONBLOCK), path);
	if (!f)
		return -ENOMEM;
	f->mnt = m;
	f->seekable = true;
	/* On failure the filesystem leaves f->ops NULL, so file_put only frees the object. */
	ret = m->fs->open(m, inner, flags, f);
	if (ret == 0 && (flags & O_DIRECTORY) && !f->is_dir)
		ret = -ENOTDIR;
	if (ret == 0 && f->is_dir && (acc != O_RDONLY || (flags & O_CREAT)))
		ret = -EISDIR;
	if (ret < 0) {
		file_put(f);
		return ret;
	}
	*out = f;
	return 0;
}

int vfs_stat_abs(const char *path, struct kstat *st)
{
	const char *inner;
	int ret;
	struct mount *m = resolve(path, "stat", &inner, &ret);

	if (!m)
		return ret;
	memset(st, 0, sizeof(*st));
	ret = m->fs->stat(m, inner, st);
	st->dev = m->dev;
	return ret;
}

int vfs_setattr_abs(const char *path, const struct vfs_attr *a)
{
	const char *inner;
	int ret;
	struct mount *m = resolve(path, "setattr", &inner, &ret);
	struct kstat st;

	if (!m)
		return ret;
	if (m->fs->setattr)
		return m->fs->setattr(m, inner, a);
	return m->fs->stat(m, inner, &st); /* it must exist */
}

int vfs_mkdir_abs(const char *path)
{
	const char *inner;
	int ret;
	struct mount *m = resolve(path, "mkdir", &inner, &ret);

	if (!m)
		return ret;
	if (strcmp(inner, "/") == 0)
		return -EEXIST;
	return m->fs->mkdir ? m->fs->mkdir(m, inner) : -EPERM;
}

int vfs_rmdir_abs(const char *path)
{
	const char *inner;
	int ret;
	struct mount *m = resolve(path, "rmdir", &inner, &ret);

	if (!m)
		return ret;
	if (strcmp(inner, "/") == 0)
		return -EBUSY;
	return m->fs->rmdir ? m->fs->rmdir(m, inner) : -EPERM;
}

int vfs_unlink_abs(const char *path)
{
	const char *inner;
	int ret;
	struct mount *m = resolve(path, "unlink", &inner, &ret);

	if (!m)
		return ret;
	if (strcmp(inner, "/") == 0)
		return -EISDIR;
	return m->fs->unlink ? m->fs->unlink(m, inner) : -EPERM;
}

int vfs_rename_abs(const char *from, const char *to)
{
	const char *in_from, *in_to;
	int ret;
	struct mount *mf = resolve(from, "rename", &in_from, &ret);
	struct mount *mt;

	if (!mf)
		return ret;
	mt = resolve(to, "rename", &in_to, &ret);
	if (!mt)
		return ret;
	if (mf != mt)
		return -EXDEV;
	if (strcmp(in_from, "/") == 0 || strcmp(in_to, "/") == 0)
		return -EBUSY;
	return mf->fs->rename ? mf->fs->rename(mf, in_from, in_to) : -EPERM;
}

int64_t vfs_read_file(struct file *f, void *buf, uint64_t len, uint64_t *off)
{
	int64_t ret;

	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops->read)
		return f->is_dir ? -EISDIR : -EINVAL;
	if (off && !f->seekable)
		return -ESPIPE;
	ret = f->ops->read(f, buf, len, off ? off : &f->pos);
	epoll_note_io(f);
	return ret;
}

int64_t vfs_write_file(struct file *f, const void *buf, uint64_t len, uint64_t *off)
{
	int64_t ret;

	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops->write)
		return -EINVAL;
	if (off && !f->seekable)
		return -ESPIPE;
	ret = f->ops->write(f, buf, len, off ? off : &f->pos);
	epoll_note_io(f);
	return ret;
}

int vfs_whence_base(struct file *f, int whence, int64_t *base)
{
	struct kstat st;
	int ret;

	switch (whence) {
	case SEEK_SET:
		*base = 0;
		return 0;
	case SEEK_CUR:
		*base = (int64_t)f->pos;
		return 0;
	case SEEK_END:
		ret = vfs_fstat_kernel(f, &st);
		if (ret < 0)
			return ret;
		*base = (int64_t)st.size;
		return 0;
	default:
		return -EINVAL;
	}
}

int64_t vfs_lseek(struct file *f, int64_t off, int whence)
{
	int64_t base;
	int ret;

	if (!f->seekable)
		return -ESPIPE;
	if (whence == SEEK_END && f->is_dir)
		return -EINVAL;
	ret = vfs_whence_base(f, whence, &base);
	if (ret < 0)
		return ret;
	if ((off > 0 && base > INT64_MAX - off) || base + off < 0)
		return -EINVAL;
	f->pos = (uint64_t)(base + off);
	if (f->pos == 0)
		f->dir_end = 0; /* rewinddir: see entries made since */
	return (int64_t)f->pos;
}

int vfs_getdents(struct file *f, struct vfs_dirent *ent)
{
	const char *name;
	uint64_t idx;

	if (!f->is_dir || !f->ops->getdents)
		return -ENOTDIR;
	if (f->pos < 2) {
		ent->ino = 1;
		ent->type = DT_DIR;
		memcpy(ent->name, f->pos == 0 ? "." : "..", f->pos == 0 ? 2 : 3);
		f->pos++;
		return 1;
	}
	/* The filesystem's own entries first, less those a mount point hides; then the mount
	 * points in this directory. Positions stay plain indexes, so lseek can return to any. */
	for (idx = f->pos - 2; !f->dir_end || idx < f->dir_end - 1; idx = f->pos - 2) {
		int ret = f->ops->getdents(f, idx, ent);

		if (ret < 0)
			return ret;
		if (ret == 0) {
			f->dir_end = idx + 1;
			break;
		}
		f->pos++;
		if (!f->path[0] || !mount_shadows(f->path, ent->name))
			return 1;
	}
	name = f->path[0] ? mount_child(f->path, (unsigned)(idx - (f->dir_end - 1))) : NULL;
	if (!name)
		return 0;
	ent->ino = 2;
	ent->type = DT_DIR;
	memcpy(ent->name, name, strlen(name) + 1);
	f->pos++;
	return 1;
}

int fdtable_open_console(struct fdtable *t)
{
	struct file *f;
	int ret = devfs_open_console(&f);

	if (ret < 0)
		return ret;
	for (int fd = 0; fd < 3 && ret >= 0; fd++)
		ret = fd_install(t, f, fd, false);
	file_put(f);
	return ret < 0 ? ret : 0;
}

int vfs_open_kernel(const char *cwd, const char *path, struct file **out)
{
	char abs[PATH_MAX];
	int ret = path_normalise(cwd, path, abs);

	return ret < 0 ? ret : vfs_open_abs(abs, O_RDONLY, out);
}

int64_t vfs_pread_kernel(struct file *f, void *buf, uint64_t len, uint64_t off)
{
	return vfs_read_file(f, buf, len, &off);
}

int vfs_fstat_kernel(struct file *f, struct kstat *st)
{
	int ret;

	memset(st, 0, sizeof(*st));
	if (!f->ops->fstat)
		return -EINVAL;
	ret = f->ops->fstat(f, st);
	if (f->mnt)
		st->dev = f->mnt->dev;
	return ret;
}

void vfs_sync_all(void)
{
	for (unsigned i = 0; i < mount_count(); i++) {
		struct mount *m = mount_at(i);

		if (m->mounted && m->fs->sync)
			m->fs->sync(m);
	}
}
