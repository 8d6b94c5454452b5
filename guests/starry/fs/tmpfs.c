/* tmpfs on /tmp: directories and files in kernel memory, gone at power-off. */
#include "fs.h"
#include <string.h>

#define TMPFS_FILE_MAX (64UL << 20) /* one file may not eat all of the heap */

struct tnode {
	char name[NAME_MAX + 1];
	bool dir;
	bool gone; /* unlinked while open: freed by the last close */
	int opens;
	struct tnode *parent, *child, *next;
	char *data;
	uint64_t size, cap;
	uint64_t ino, mtime, atime;
	uint32_t perm; /* permission bits: chmod keeps them */
};

static uint64_t next_ino = 1;

static struct tnode *node_new(const char *name, size_t len, bool dir)
{
	struct tnode *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	memcpy(n->name, name, len);
	n->name[len] = '\0';
	n->dir = dir;
	n->ino = next_ino++;
	n->mtime = n->atime = wallclock_ns() / 1000000000ULL;
	n->perm = dir ? 01777 : 0644;
	return n;
}

static void node_free(struct tnode *n)
{
	kfree(n->data);
	kfree(n);
}

static void attach(struct tnode *parent, struct tnode *n)
{
	n->parent = parent;
	n->next = parent->child;
	parent->child = n;
}

static void detach(struct tnode *n)
{
	struct tnode **pp = &n->parent->child;

	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
	n->parent = NULL;
	n->next = NULL;
}

/* Detaches n; frees it now, or at its last close when it is open. */
static void node_remove(struct tnode *n)
{
	detach(n);
	if (n->opens > 0)
		n->gone = true;
	else
		node_free(n);
}

static struct tnode *child_find(const struct tnode *dir, const char *name, size_t len)
{
	for (struct tnode *c = dir->child; c; c = c->next)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

/* Walks to the parent of the last component: *name and *len give that component ("" for /). */
static int walk_parent(struct tnode *root, const char *path, struct tnode **parent,
		       const char **name, size_t *len)
{
	struct tnode *cur = root;
	const char *s = path + 1;

	for (;;) {
		const char *end = strchr(s, '/');

		if (!end) {
			*parent = cur;
			*name = s;
			*len = strlen(s);
			return *len > NAME_MAX ? -ENAMETOOLONG : 0;
		}
		cur = child_find(cur, s, (size_t)(end - s));
		if (!cur)
			return -ENOENT;
		if (!cur->dir)
			return -ENOTDIR;
		s = end + 1;
	}
}

static int walk(struct tnode *root, const char *path, struct tnode **out)
{
	struct tnode *parent, *n;
	const char *name;
	size_t len;
	int ret;

	if (strcmp(path, "/") == 0) {
		*out = root;
		return 0;
	}
	ret = walk_parent(root, path, &parent, &name, &len);
	if (ret < 0)
		return ret;
	n = child_find(parent, name, len);
	if (!n)
		return -ENOENT;
	*out = n;
	return 0;
}

static void fill_stat(const struct tnode *n, struct kstat *st)
{
	st->ino = n->ino;
	st->mode = (n->dir ? S_IFDIR : S_IFREG) | n->perm;
	st->nlink = n->dir ? 2 : 1;
	st->size = n->dir ? 4096 : n->size;
	st->blocks = (n->cap + 511) / 512;
	st->blksize = 4096;
	st->mtime_s = n->mtime;
	st->atime_s = n->atime;
}

static int resize(struct tnode *n, uint64_t size)
{
	if (size > TMPFS_FILE_MAX)
		return -EFBIG;
	if (size > n->cap) {
		uint64_t cap = n->cap ? n->cap * 2 : 256;
		char *data;

		if (cap < size)
			cap = size;
		if (cap > TMPFS_FILE_MAX)
			cap = TMPFS_FILE_MAX;
		data = kmalloc(cap);
		if (!data)
			return -ENOSPC;
		if (n->data)
			memcpy(data, n->data, n->size);
		kfree(n->data);
		n->data = data;
		n->cap = cap;
	}
	if (size > n->size)
		memset(n->data + n->size, 0, size - n->size);
	n->size = size;
	n->mtime = wallclock_ns() / 1000000000ULL;
	return 0;
}

static int64_t tmp_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	struct tnode *n = f->priv;
	uint64_t count;

	if (*pos >= n->size)
		return 0;
	count = n->size - *pos < len ? n->size - *pos : len;
	memcpy(buf, n->data + *pos, count);
	*pos += count;
	return (int64_t)count;
}

static int64_t tmp_write(struct file *f, const void *buf, uint64_t len, uint64_t *pos)
{
	struct tnode *n = f->priv;
	uint64_t at = (f->flags & O_APPEND) ? n->size : *pos;

	if (len == 0)
		return 0;
	if (at > TMPFS_FILE_MAX || len > TMPFS_FILE_MAX - at)
		return -EFBIG;
	if (at + len > n->size) {
		int ret = resize(n, at + len);

		if (ret < 0)
			return ret;
	}
	memcpy(n->data + at, buf, len);
	n->mtime = wallclock_ns() / 1000000000ULL;
	*pos = at + len;
	return (int64_t)len;
}

static int tmp_getdents(struct file *f, uint64_t index, struct vfs_dirent *ent)
{
	const struct tnode *c = ((struct tnode *)f->priv)->child;

	while (c && index--)
		c = c->next;
	if (!c)
		return 0;
	ent->ino = c->ino;
	ent->type = c->dir ? DT_DIR : DT_REG;
	memcpy(ent->name, c->name, strlen(c->name) + 1);
	return 1;
}

static int tmp_fstat(struct file *f, struct kstat *st)
{
	fill_stat(f->priv, st);
	return 0;
}

static int tmp_truncate(struct file *f, uint64_t len)
{
	return resize(f->priv, len);
}

static void tmp_release(struct file *f)
{
	struct tnode *n = f->priv;

	if (--n->opens == 0 && n->gone)
		node_free(n);
}

static const struct file_ops tmp_file_ops = {
    .read = tmp_read,
    .write = tmp_write,
    .fstat = tmp_fstat,
    .truncate = tmp_truncate,
    .release = tmp_release,
};
static const struct file_ops tmp_dir_ops = {
    .getdents = tmp_getdents,
    .fstat = tmp_fstat,
    .release = tmp_release,
};

static int tmp_open(struct mount *m, const char *path, unsigned flags, struct file *f)
{
	struct tnode *parent, *n = NULL;
	const char *name;
	size_t len;
	unsigned acc = flags & O_ACCMODE;
	int ret = walk_parent(m->priv, path, &parent, &name, &len);

	if (ret < 0)
		return ret;
	n = len ? child_find(parent, name, len) : m->priv;
	if (!n) {
		if (!(flags & O_CREAT))
			return -ENOENT;
		if (flags & O_DIRECTORY)
			return -EINVAL;
		n = node_new(name, len, false);
		if (!n)
			return -ENOMEM;
		attach(parent, n);
	} else if ((flags & O_CREAT) && (flags & O_EXCL)) {
		return -EEXIST;
	} else if (n->dir) {
		if (acc != O_RDONLY || (flags & O_CREAT))
			return -EISDIR;
	} else if (flags & O_DIRECTORY) {
		return -ENOTDIR;
	} else if ((flags & O_TRUNC) && acc != O_RDONLY) {
		resize(n, 0);
	}
	n->opens++;
	f->priv = n;
	f->is_dir = n->dir;
	f->ops = n->dir ? &tmp_dir_ops : &tmp_file_ops;
	return 0;
}

static int tmp_stat(struct mount *m, const char *path, struct kstat *st)
{
	struct tnode *n;
	int ret = walk(m->priv, path, &n);

	if (ret == 0)
		fill_stat(n, st);
	return ret;
}

static int tmp_setattr(struct mount *m, const char *path, const struct vfs_attr *a)
{
	struct tnode *n;
	int ret = walk(m->priv, path, &n);

	if (ret)
		return ret;
	if (a->set_mode)
		n->perm = a->mode & 07777;
	if (a->set_mtime)
		n->mtime = a->mtime_s;
	if (a->set_atime)
		n->atime = a->atime_s;
	return 0;
}

static int tmp_mkdir(struct mount *m, const char *path)
{
	struct tnode *parent, *n;
	const char *name;
	size_t len;
	int ret = walk_parent(m->priv, path, &parent, &name, &len);

	if (ret < 0)
		return ret;
	if (child_find(parent, name, len))
		return -EEXIST;
	n = node_new(name, len, true);
	if (!n)
		return -ENOMEM;
	attach(parent, n);
	return 0;
}

static int tmp_rmdir(struct mount *m, const char *path)
{
	struct tnode *n;
	int ret = walk(m->priv, path, &n);

	if (ret < 0)
		return ret;
	if (!n->dir)
		return -ENOTDIR;
	if (n == m->priv)
		return -EBUSY;
	if (n->child)
		return -ENOTEMPTY;
	node_remove(n);
	return 0;
}

static int tmp_unlink(struct mount *m, const char *path)
{
	struct tnode *n;
	int ret = walk(m->priv, path, &n);

	if (ret < 0)
		return ret;
	if (n->dir)
		return -EISDIR;
	node_remove(n);
	return 0;
}

static int tmp_rename(struct mount *m, const char *from, const char *to)
{
	struct tnode *src, *dst, *parent;
	const char *name;
	size_t len, flen = strlen(from);
	int ret = walk(m->priv, from, &src);

	if (ret < 0)
		return ret;
	if (strcmp(from, to) == 0)
		return 0;
	/* A directory cannot move into itself. */
	if (strncmp(from, to, flen) == 0 && to[flen] == '/')
		return -EINVAL;
	ret = walk_parent(m->priv, to, &parent, &name, &len);
	if (ret < 0)
		return ret;
	dst = child_find(parent, name, len);
	if (dst) {
		if (src->dir && !dst->dir)
			return -ENOTDIR;
		if (!src->dir && dst->dir)
			return -EISDIR;
		if (dst->child)
			return -ENOTEMPTY;
		node_remove(dst);
	}
	detach(src);
	memcpy(src->name, name, len);
	src->name[len] = '\0';
	attach(parent, src);
	return 0;
}

void tmpfs_init(struct mount *m)
{
	struct tnode *root = node_new("", 0, true);

	BUG_ON(!root);
	m->priv = root;
}

static void free_tree(struct tnode *n)
{
	while (n->child) {
		struct tnode *c = n->child;

		n->child = c->next;
		free_tree(c);
	}
	node_free(n);
}

void tmpfs_free(struct mount *m)
{
	free_tree(m->priv);
	m->priv = NULL;
}

const struct fs_ops tmpfs_ops = {
    .open = tmp_open,
    .stat = tmp_stat,
    .mkdir = tmp_mkdir,
    .rmdir = tmp_rmdir,
    .unlink = tmp_unlink,
    .rename = tmp_rename,
    .setattr = tmp_setattr,
};
