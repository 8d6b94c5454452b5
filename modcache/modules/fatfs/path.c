/* Path walking: every component but the last is looked up and must be a directory. */
#include <string.h>
#include "fatfs.h"

int path_resolve_parent(struct mv_fs *fs, const char *path, struct path_res *res)
{
	uint32_t cur = dir_root_clus(fs);
	const char *p = path;

	if (mv_path_too_long(path, FAT_PATH_MAX))
		return -MV_ENAMETOOLONG;
	memset(res, 0, offsetof(struct path_res, name));
	while (*p == '/')
		p++;
	if (*p == '\0') {
		res->is_root = true;
		res->parent_clus = cur;
		return 0;
	}
	for (;;) {
		const char *start = p;
		struct fat_dirent de;
		size_t clen;
		int ret;

		ret = mv_path_component(start, &clen, &p);
		if (ret != 0)
			return ret;
		ret = name_from_utf8(start, clen, res->name, &res->len);
		if (ret != 0)
			return ret;
		if (*p == '\0') {
			res->parent_clus = cur;
			res->trailing_slash = p != start + clen;
			return 0;
		}
		ret = dir_lookup(fs, cur, res->name, res->len, &de);
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -MV_ENOENT;
		if (!(de.attr & FAT_ATTR_DIR))
			return -MV_ENOTDIR;
		ret = dir_check_clus(fs, &de);
		if (ret != 0)
			return ret;
		cur = de.clus;
	}
}
