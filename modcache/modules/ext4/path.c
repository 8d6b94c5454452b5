/* Path walking: every component but the last is looked up and must be a directory. */
#include <string.h>
#include "ext4.h"

int path_resolve_parent(struct mv_fs *fs, const char *path, struct path_res *res)
{
	uint32_t cur = E4_ROOT_INO;
	const char *p = path;

	if (mv_path_too_long(path, E4_PATH_MAX))
		return -MV_ENAMETOOLONG;
	memset(res, 0, sizeof(*res));
	while (*p == '/')
		p++;
	if (*p == '\0') {
		res->is_root = true;
		res->parent = cur;
		return 0;
	}
	for (;;) {
		const char *start = p;
		struct e4_dirent de;
		struct e4_node *dir;
		size_t clen;
		int ret;

		ret = mv_path_component(start, &clen, &p);
		if (ret != 0)
			return ret;
		if (clen > E4_NAME_MAX)
			return -MV_ENAMETOOLONG;
		memcpy(res->name, start, clen);
		res->name[clen] = '\0';
		res->len = (uint32_t)clen;
		if (*p == '\0') {
			res->parent = cur;
			res->trailing_slash = p != start + clen;
			return 0;
		}
		ret = node_get(fs, cur, &dir);
		if (ret != 0)
			return ret;
		if ((inode_mode(dir->raw) & E4_S_IFMT) != E4_S_IFDIR)
			ret = -MV_ENOTDIR;
		else
			ret = dir_lookup(fs, dir, res->name, res->len, &de);
		node_put(fs, dir);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -MV_ENOENT;
		cur = de.ino;
	}
}
