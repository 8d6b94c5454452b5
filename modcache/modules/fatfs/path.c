/* Path walking: every component but the last is looked up and must be a directory. */
#include <string.h>
#include "fatfs.h"

/* strnlen() is POSIX, not C11: host test builds would not see its declaration. */
static bool path_too_long(const char *path)
{
	for (uint32_t i = 0; i < FAT_PATH_MAX; i++) {
		if (path[i] == '\0')
			return false;
	}
	return true;
}

int path_resolve_parent(struct mv_fs *fs, const char *path, struct path_res *res)
{
	uint32_t cur = dir_root_clus(fs);
	const char *p = path;

	if (path_too_long(path))
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
		const char *start = p, *q;
		struct fat_dirent de;
		size_t clen;
		int ret;

		while (*p && *p != '/')
			p++;
		clen = (size_t)(p - start);
		for (q = p; *q == '/'; q++)
			;
		if ((clen == 1 && start[0] == '.') ||
		    (clen == 2 && start[0] == '.' && start[1] == '.'))
			return -MV_EINVAL;
		ret = name_from_utf8(start, clen, res->name, &res->len);
		if (ret != 0)
			return ret;
		if (*q == '\0') {
			res->parent_clus = cur;
			res->trailing_slash = q != p;
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
		p = q;
	}
}
