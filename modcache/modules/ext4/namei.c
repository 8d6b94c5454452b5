/* Names: open/create, stat, fstat, readdir, mkdir, rmdir, unlink, and new inodes. */
#include <string.h>
#include "ext4.h"

#define DIR_NLINK_MAX 65000U

static bool mode_is_dir(uint32_t mode)
{
	return (mode & E4_S_IFMT) == E4_S_IFDIR;
}

/* The parent directory of a path, held; the caller puts it. */
static int get_parent(struct mv_fs *fs, const struct path_res *res, struct e4_node **dir)
{
	int ret = node_get(fs, res->parent, dir);

	if (ret == 0 && !mode_is_dir(inode_mode((*dir)->raw))) {
		node_put(fs, *dir);
		ret = -MV_ENOTDIR;
	}
	return ret;
}

/* A fresh inode written to disk, then held as a node. */
static int new_inode(struct mv_fs *fs, uint32_t parent, uint32_t mode, struct e4_node **out)
{
	uint32_t ino, now = (uint32_t)e4_now(fs);
	struct e4_node tmp;
	int ret = inode_alloc(fs, parent, mode_is_dir(mode), &ino);

	if (ret != 0)
		return ret;
	memset(&tmp, 0, sizeof(tmp));
	tmp.raw = e4_alloc_mem(fs, fs->inode_size);
	if (!tmp.raw) {
		inode_free(fs, ino, mode_is_dir(mode));
		return -MV_ENOMEM;
	}
	memset(tmp.raw, 0, fs->inode_size);
	put16(tmp.raw + I_MODE, mode);
	put16(tmp.raw + I_LINKS, mode_is_dir(mode) ? 2 : 1);
	put32(tmp.raw + I_ATIME, now);
	put32(tmp.raw + I_CTIME, now);
	put32(tmp.raw + I_MTIME, now);
	put32(tmp.raw + I_GENERATION, fs->gen++);
	if (fs->inode_size > I_GOOD_OLD_SIZE) {
		uint32_t extra = get16(fs->sb + SB_WANT_EXTRA_ISIZE);

		if (extra < 32)
			extra = 32;
		if (extra > fs->inode_size - I_GOOD_OLD_SIZE)
			extra = fs->inode_size - I_GOOD_OLD_SIZE;
		put16(tmp.raw + I_EXTRA_ISIZE, extra);
		if (extra >= I_CRTIME + 4 - I_GOOD_OLD_SIZE)
			put32(tmp.raw + I_CRTIME, now);
	}
	map_init_empty(&tmp);
	ret = inode_write(fs, ino, tmp.raw);
	e4_free_mem(fs, tmp.raw);
	if (ret == 0)
		ret = node_get(fs, ino, out);
	if (ret != 0)
		inode_free(fs, ino, mode_is_dir(mode));
	return ret;
}

static int make_handle(struct mv_fs *fs, struct e4_node *node, int flags, struct mv_file **out)
{
	struct mv_file *f = e4_alloc_mem(fs, sizeof(*f));

	if (!f)
		return -MV_ENOMEM;
	memset(f, 0, sizeof(*f));
	f->magic = E4_FILE_MAGIC;
	f->flags = flags;
	f->fs = fs;
	f->node = node;
	*out = f;
	return 0;
}

static int create_file(struct mv_fs *fs, const struct path_res *res, struct e4_node **out)
{
	struct e4_node *dir, *node;
	int ret;

	if (fs->rdonly)
		return -MV_EROFS;
	ret = get_parent(fs, res, &dir);
	if (ret != 0)
		return ret;
	ret = new_inode(fs, res->parent, E4_S_IFREG | 0644, &node);
	if (ret == 0) {
		ret = dir_add(fs, dir, res->name, res->len, node->ino, E4_FT_REG);
		if (ret != 0) {
			node->unlinked = true;
			node_put(fs, node);
		} else {
			*out = node;
		}
	}
	node_put(fs, dir);
	return ret;
}

/* Looks a path up: 1 and its inode, 0 if the last component does not exist. */
static int lookup(struct mv_fs *fs, const struct path_res *res, uint32_t *ino)
{
	struct e4_dirent de;
	struct e4_node *dir;
	int ret;

	if (res->is_root) {
		*ino = E4_ROOT_INO;
		return 1;
	}
	ret = get_parent(fs, res, &dir);
	if (ret != 0)
		return ret;
	ret = dir_lookup(fs, dir, res->name, res->len, &de);
	node_put(fs, dir);
	if (ret == 1)
		*ino = de.ino;
	return ret;
}

int namei_open(struct mv_fs *fs, const char *path, int flags, struct mv_file **out)
{
	int acc = flags & MV_O_ACCMODE, ret;
	bool wr = acc != MV_O_RDONLY;
	struct path_res res;
	struct e4_node *node;
	uint32_t ino = 0, mode;

	if (acc == MV_O_ACCMODE || ((flags & MV_O_CREAT) && (flags & MV_O_DIRECTORY)))
		return -MV_EINVAL;
	ret = path_resolve_parent(fs, path, &res);
	if (ret == 0)
		ret = lookup(fs, &res, &ino);
	if (ret < 0)
		return ret;
	if (ret == 0) {
		if (!(flags & MV_O_CREAT))
			return -MV_ENOENT;
		if (res.trailing_slash)
			return -MV_EISDIR;
		ret = create_file(fs, &res, &node);
		if (ret != 0)
			return ret;
		ret = make_handle(fs, node, flags, out);
		if (ret != 0)
			node_put(fs, node);
		return ret;
	}
	if ((flags & MV_O_CREAT) && (flags & MV_O_EXCL))
		return -MV_EEXIST;
	ret = node_get(fs, ino, &node);
	if (ret != 0)
		return ret;
	mode = inode_mode(node->raw);
	if (mode_is_dir(mode) && (wr || (flags & MV_O_CREAT)))
		ret = -MV_EISDIR;
	else if (!mode_is_dir(mode) && ((flags & MV_O_DIRECTORY) || res.trailing_slash))
		ret = -MV_ENOTDIR;
	else if (!mode_is_dir(mode) && (mode & E4_S_IFMT) != E4_S_IFREG)
		ret = -MV_EINVAL; /* symlinks, devices, fifos: listed and removable, not opened */
	else if (wr && fs->rdonly)
		ret = -MV_EROFS;
	else if (wr && (flags & MV_O_TRUNC))
		ret = file_truncate(fs, node, 0);
	if (ret == 0)
		ret = make_handle(fs, node, flags, out);
	if (ret != 0)
		node_put(fs, node);
	return ret;
}

static void fill_stat(const struct mv_fs *fs, const struct e4_node *node, struct mv_stat *st)
{
	uint32_t mode = inode_mode(node->raw);

	memset(st, 0, sizeof(*st));
	st->size = inode_size(node->raw);
	st->mode = (mode_is_dir(mode) ? MV_S_IFDIR : MV_S_IFREG) | (mode & 07777);
	st->nlink = get16(node->raw + I_LINKS);
	st->ino = node->ino;
	st->mtime = get32(node->raw + I_MTIME);
	st->blocks = inode_blocks512(node->raw);
	if (get32(node->raw + I_FLAGS) & IF_HUGE_FILE)
		st->blocks *= fs->spb;
	st->blksize = fs->bs;
}

int namei_stat(struct mv_fs *fs, const char *path, struct mv_stat *st)
{
	struct path_res res;
	struct e4_node *node;
	uint32_t ino = 0;
	int ret = path_resolve_parent(fs, path, &res);

	if (ret == 0)
		ret = lookup(fs, &res, &ino);
	if (ret <= 0)
		return ret ? ret : -MV_ENOENT;
	ret = node_get(fs, ino, &node);
	if (ret != 0)
		return ret;
	if (res.trailing_slash && !mode_is_dir(inode_mode(node->raw)))
		ret = -MV_ENOTDIR;
	else
		fill_stat(fs, node, st);
	node_put(fs, node);
	return ret;
}

int namei_fstat(struct mv_fs *fs, const struct mv_file *f, struct mv_stat *st)
{
	fill_stat(fs, f->node, st);
	return 0;
}

int namei_readdir(struct mv_fs *fs, struct mv_file *f, struct mv_dirent *ent)
{
	struct e4_dirent de;
	int ret;

	if (!mode_is_dir(inode_mode(f->node->raw)))
		return -MV_ENOTDIR;
	while ((ret = dir_next(fs, f->node, &f->pos, &de)) == 1) {
		if (strcmp(de.name, ".") == 0 || strcmp(de.name, "..") == 0)
			continue;
		ent->ino = de.ino;
		if (fs->incompat & INCOMPAT_FILETYPE) {
			ent->type = de.type == E4_FT_DIR ? MV_S_IFDIR : MV_S_IFREG;
		} else {
			struct e4_node *n;

			ret = node_get(fs, de.ino, &n);
			if (ret != 0)
				return ret;
			ent->type = mode_is_dir(inode_mode(n->raw)) ? MV_S_IFDIR : MV_S_IFREG;
			node_put(fs, n);
		}
		memcpy(ent->name, de.name, (size_t)de.name_len + 1);
		return 1;
	}
	return ret;
}

static void add_link(uint8_t *raw, int delta)
{
	uint32_t links = get16(raw + I_LINKS);

	/* dir_nlink: a directory with too many subdirectories counts 1 and stays there. */
	if (links == 1 && delta != 0 && mode_is_dir(inode_mode(raw)))
		return;
	if (delta > 0 && links + 1 >= DIR_NLINK_MAX && mode_is_dir(inode_mode(raw)))
		put16(raw + I_LINKS, 1);
	else
		put16(raw + I_LINKS, (uint32_t)((int)links + delta));
}

static int check_new_name(const struct path_res *res)
{
	if (res->is_root)
		return -MV_EEXIST;
	if (memchr(res->name, '\0', res->len))
		return -MV_EINVAL;
	return 0;
}

int namei_mkdir(struct mv_fs *fs, const char *path)
{
	struct e4_node *dir, *node;
	struct path_res res;
	uint32_t ino = 0;
	int ret = path_resolve_parent(fs, path, &res);

	if (ret == 0)
		ret = check_new_name(&res);
	if (ret == 0)
		ret = lookup(fs, &res, &ino);
	if (ret != 0)
		return ret < 0 ? ret : -MV_EEXIST;
	if (fs->rdonly)
		return -MV_EROFS;
	ret = get_parent(fs, &res, &dir);
	if (ret != 0)
		return ret;
	ret = new_inode(fs, res.parent, E4_S_IFDIR | 0755, &node);
	if (ret == 0) {
		ret = dir_init(fs, node, dir->ino);
		if (ret == 0)
			ret = dir_add(fs, dir, res.name, res.len, node->ino, E4_FT_DIR);
		if (ret == 0) {
			add_link(dir->raw, 1);
			ret = node_write(fs, dir);
		} else {
			node->unlinked = true;
		}
		node_put(fs, node);
	}
	node_put(fs, dir);
	return ret;
}

int namei_drop_link(struct mv_fs *fs, uint32_t ino, bool dir)
{
	struct e4_node *node;
	int ret = node_get(fs, ino, &node);

	if (ret != 0)
		return ret;
	if (dir)
		put16(node->raw + I_LINKS, 0);
	else
		add_link(node->raw, -1);
	inode_touch(fs, node->raw, false);
	if (get16(node->raw + I_LINKS) == 0)
		node->unlinked = true;
	ret = node_write(fs, node);
	if (ret == 0)
		ret = node_put(fs, node);
	else
		node_put(fs, node);
	return ret;
}

/* unlink and rmdir: remove the name of a file (dir false) or an empty directory. */
static int remove_name(struct mv_fs *fs, const char *path, bool want_dir)
{
	struct e4_node *dir, *node;
	struct path_res res;
	uint32_t ino = 0;
	int ret = path_resolve_parent(fs, path, &res);

	if (ret == 0 && res.is_root)
		ret = want_dir ? -MV_EBUSY : -MV_EISDIR;
	if (ret == 0)
		ret = lookup(fs, &res, &ino);
	if (ret <= 0)
		return ret ? ret : -MV_ENOENT;
	if (fs->rdonly)
		return -MV_EROFS;
	ret = node_get(fs, ino, &node);
	if (ret != 0)
		return ret;
	if (want_dir && !mode_is_dir(inode_mode(node->raw)))
		ret = -MV_ENOTDIR;
	else if (!want_dir && mode_is_dir(inode_mode(node->raw)))
		ret = -MV_EISDIR;
	else if (!want_dir && res.trailing_slash)
		ret = -MV_ENOTDIR;
	else if (want_dir)
		ret = dir_is_empty(fs, node);
	if (want_dir && ret >= 0)
		ret = ret == 1 ? 0 : -MV_ENOTEMPTY;
	node_put(fs, node);
	if (ret == 0)
		ret = get_parent(fs, &res, &dir);
	if (ret != 0)
		return ret;
	ret = dir_remove(fs, dir, res.name, res.len);
	if (ret == 0 && want_dir) {
		add_link(dir->raw, -1);
		ret = node_write(fs, dir);
	}
	node_put(fs, dir);
	if (ret == 0)
		ret = namei_drop_link(fs, ino, want_dir);
	return ret;
}

int namei_rmdir(struct mv_fs *fs, const char *path)
{
	return remove_name(fs, path, true);
}

int namei_unlink(struct mv_fs *fs, const char *path)
{
	return remove_name(fs, path, false);
}
