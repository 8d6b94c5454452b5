/* sysfs on /sys: the CPU topology files glibc reads to count CPUs (one CPU: the kernel's). */
#include "fs.h"
#include <string.h>

/* A fixed tree: each node names its parent, files hold a constant text. */
struct snode {
	const char *path; /* within the mount */
	int parent;	  /* index of the directory; -1 for the root */
	const char *text; /* NULL for a directory */
};

static const struct snode nodes[] = {
    {"/", -1, NULL},
    {"/devices", 0, NULL},
    {"/devices/system", 1, NULL},
    {"/devices/system/cpu", 2, NULL},
    {"/devices/system/cpu/cpu0", 3, NULL},
    {"/devices/system/cpu/online", 3, "0\n"},
    {"/devices/system/cpu/possible", 3, "0\n"},
    {"/devices/system/cpu/present", 3, "0\n"},
};
#define NNODES (sizeof(nodes) / sizeof(nodes[0]))

static int lookup(const char *path)
{
	for (unsigned i = 0; i < NNODES; i++)
		if (strcmp(path, nodes[i].path) == 0)
			return (int)i;
	return -ENOENT;
}

static void fill_stat(int n, struct kstat *st)
{
	bool dir = !nodes[n].text;

	st->ino = (uint64_t)n + 1;
	st->mode = dir ? S_IFDIR | 0755 : S_IFREG | 0444;
	st->nlink = dir ? 2 : 1;
	st->size = dir ? 0 : 4096; /* Linux reports a page for attributes */
	st->blksize = 4096;
}

static int sys_fstat(struct file *f, struct kstat *st)
{
	fill_stat((int)(uintptr_t)f->priv, st);
	return 0;
}

static int64_t sys_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	const char *text = nodes[(uintptr_t)f->priv].text;
	uint64_t size = strlen(text);

	if (*pos >= size)
		return 0;
	if (len > size - *pos)
		len = size - *pos;
	memcpy(buf, text + *pos, len);
	*pos += len;
	return (int64_t)len;
}

static int sys_getdents(struct file *f, uint64_t index, struct vfs_dirent *ent)
{
	int dir = (int)(uintptr_t)f->priv;

	for (unsigned i = 1; i < NNODES; i++) {
		const char *name = strrchr(nodes[i].path, '/') + 1;

		if (nodes[i].parent != dir || index-- != 0)
			continue;
		ent->ino = i + 1;
		ent->type = nodes[i].text ? DT_REG : DT_DIR;
		memcpy(ent->name, name, strlen(name) + 1);
		return 1;
	}
	return 0;
}

static const struct file_ops sys_file_ops = {.read = sys_read, .fstat = sys_fstat};
static const struct file_ops sys_dir_ops = {.getdents = sys_getdents, .fstat = sys_fstat};

static int sysfs_open(struct mount *m, const char *path, unsigned flags, struct file *f)
{
	int n = lookup(path);

	(void)m;
	if (n < 0)
		return (flags & O_CREAT) ? -EACCES : n;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if ((flags & O_ACCMODE) != O_RDONLY)
		return nodes[n].text ? -EACCES : -EISDIR;
	f->priv = (void *)(uintptr_t)n;
	f->is_dir = !nodes[n].text;
	f->seekable = true;
	f->ops = f->is_dir ? &sys_dir_ops : &sys_file_ops;
	return 0;
}

static int sysfs_stat(struct mount *m, const char *path, struct kstat *st)
{
	int n = lookup(path);

	(void)m;
	if (n < 0)
		return n;
	fill_stat(n, st);
	return 0;
}

static int sysfs_readonly(struct mount *m, const char *path)
{
	(void)m;
	(void)path;
	return -EPERM;
}

static int sysfs_rename(struct mount *m, const char *from, const char *to)
{
	(void)m;
	(void)from;
	(void)to;
	return -EPERM;
}

const struct fs_ops sysfs_ops = {
    .open = sysfs_open,
    .stat = sysfs_stat,
    .mkdir = sysfs_readonly,
    .rmdir = sysfs_readonly,
    .unlink = sysfs_readonly,
    .rename = sysfs_rename,
};
