/* rename: within and across directories, replacing a file or an empty directory (POSIX). */
#include <string.h>
#include "ext4.h"

#define E4_MAX_DEPTH_WALK 4096U

static bool is_dir_ino(struct mv_fs *fs, uint32_t ino, int *err)
{
	struct e4_node *n;
	bool dir;

	*err = node_get(fs, ino, &n);
	if (*err != 0)
		return false;
	dir = (inode_mode(n->raw) & E4_S_IFMT) == E4_S_IFDIR;
	node_put(fs, n);
	return dir;
}

/* The parent recorded in a directory's "..". */
static int parent_of(struct mv_fs *fs, uint32_t ino, uint32_t *parent)
{
	struct e4_node *n;
	struct e4_dirent de;
	int ret = node_get(fs, ino, &n);

	if (ret != 0)
		return ret;
	ret = dir_lookup(fs, n, "..", 2, &de);
	node_put(fs, n);
	if (ret == 0)
		ret = -MV_EUCLEAN;
	if (ret == 1) {
		*parent = de.ino;
		ret = 0;
	}
	return ret;
}

/* Whether dir lies inside (or is) the tree rooted at top, walking ".." up to the root. */
static int inside(struct mv_fs *fs, uint32_t dir, uint32_t top)
{
	for (uint32_t i = 0; i < E4_MAX_DEPTH_WALK; i++) {
		int ret;

		if (dir == top)
			return 1;
		if (dir == E4_ROOT_INO)
			return 0;
		ret = parent_of(fs, dir, &dir);
		if (ret != 0)
			return ret;
	}
	return -MV_EUCLEAN;
}

static int lookup_in(struct mv_fs *fs, uint32_t dir_ino, const struct path_res *res,
		     struct e4_dirent *de)
{
	struct e4_node *dir;
	int ret = node_get(fs, dir_ino, &dir);

	if (ret != 0)
		return ret;
	ret = dir_lookup(fs, dir, res->name, res->len, de);
	node_put(fs, dir);
	return ret;
}

static int relink_dir(struct mv_fs *fs, uint32_t ino, struct e4_node *from, struct e4_node *to)
{
	struct e4_node *n;
	int ret = node_get(fs, ino, &n);

	if (ret != 0)
		return ret;
	ret = dir_set_dotdot(fs, n, to->ino);
	node_put(fs, n);
	if (ret != 0)
		return ret;
	if (get16(from->raw + I_LINKS) > 2)
		put16(from->raw + I_LINKS, get16(from->raw + I_LINKS) - 1U);
	if (get16(to->raw + I_LINKS) != 1)
		put16(to->raw + I_LINKS, get16(to->raw + I_LINKS) + 1U);
	ret = node_write(fs, from);
	return ret ? ret : node_write(fs, to);
}

static int do_rename(struct mv_fs *fs, struct path_res *a, struct path_res *b)
{
	struct e4_dirent src, dst;
	struct e4_node *from, *to;
	bool src_dir, dst_dir = false, have_dst;
	int ret = lookup_in(fs, a->parent, a, &src), err;

	if (ret <= 0)
		return ret ? ret : -MV_ENOENT;
	src_dir = is_dir_ino(fs, src.ino, &err);
	if (err)
		return err;
	if (!src_dir && (a->trailing_slash || b->trailing_slash))
		return -MV_ENOTDIR;
	if (src_dir) {
		ret = inside(fs, b->parent, src.ino);
		if (ret != 0)
			return ret < 0 ? ret : -MV_EINVAL;
	}
	ret = lookup_in(fs, b->parent, b, &dst);
	if (ret < 0)
		return ret;
	if (fs->rdonly)
		return -MV_EROFS;
	have_dst = ret == 1;
	if (have_dst) {
		if (dst.ino == src.ino)
			return 0;
		dst_dir = is_dir_ino(fs, dst.ino, &err);
		if (err)
			return err;
		if (src_dir && !dst_dir)
			return -MV_ENOTDIR;
		if (!src_dir && dst_dir)
			return -MV_EISDIR;
	}
	ret = node_get(fs, a->parent, &from);
	if (ret != 0)
		return ret;
	ret = node_get(fs, b->parent, &to);
	if (ret != 0) {
		node_put(fs, from);
		return ret;
	}
	if (have_dst) {
		if (dst_dir) {
			struct e4_node *d;

			ret = node_get(fs, dst.ino, &d);
			if (ret == 0) {
				ret = dir_is_empty(fs, d);
				node_put(fs, d);
				ret = ret == 1 ? 0 : ret == 0 ? -MV_ENOTEMPTY : ret;
			}
		}
		if (ret == 0)
			ret = dir_remove(fs, to, b->name, b->len);
		if (ret == 0 && dst_dir && get16(to->raw + I_LINKS) > 2) {
			put16(to->raw + I_LINKS, get16(to->raw + I_LINKS) - 1U);
			ret = node_write(fs, to);
		}
		if (ret == 0)
			ret = namei_drop_link(fs, dst.ino, dst_dir);
	}
	if (ret == 0)
		ret = dir_add(fs, to, b->name, b->len, src.ino, src.type);
	if (ret == 0)
		ret = dir_remove(fs, from, a->name, a->len);
	if (ret == 0 && src_dir && from != to)
		ret = relink_dir(fs, src.ino, from, to);
	node_put(fs, to);
	node_put(fs, from);
	return ret;
}

int namei_rename(struct mv_fs *fs, const char *from, const char *to)
{
	struct path_res *a = e4_alloc_mem(fs, 2 * sizeof(*a)), *b;
	int ret;

	if (!a)
		return -MV_ENOMEM;
	b = a + 1;
	ret = path_resolve_parent(fs, from, a);
	if (ret == 0)
		ret = path_resolve_parent(fs, to, b);
	if (ret == 0 && (a->is_root || b->is_root))
		ret = -MV_EBUSY;
	if (ret == 0)
		ret = do_rename(fs, a, b);
	e4_free_mem(fs, a);
	return ret;
}
