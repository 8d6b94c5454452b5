/* rename(): within or across directories, replacing the target as POSIX does. */
#include <string.h>
#include "fatfs.h"

/* The ".." slot of a directory, which is always its second slot. */
static int dotdot_loc(const struct mv_fs *fs, uint32_t dir, uint64_t *sector, uint32_t *off)
{
	if (!fat_clus_valid(fs, dir))
		return -MV_EUCLEAN;
	*sector = fat_clus_sector(fs, dir);
	*off = FAT_SLOT;
	return 0;
}

static int read_dotdot(struct mv_fs *fs, uint32_t dir, uint8_t *raw, uint64_t *sector,
		       uint32_t *off)
{
	int ret = dotdot_loc(fs, dir, sector, off);

	if (ret == 0)
		ret = cache_read(fs, *sector, *off, raw, FAT_SLOT);
	if (ret == 0 && memcmp(raw, "..         ", 11) != 0)
		ret = -MV_EUCLEAN;
	return ret;
}

/* 1 if anc is dir or above it: moving anc under dir would cut a subtree off the tree. */
static int is_ancestor(struct mv_fs *fs, uint32_t anc, uint32_t dir)
{
	uint32_t root = dir_root_clus(fs);

	for (uint32_t n = 0; n <= fs->nclusters; n++) {
		uint8_t raw[FAT_SLOT];
		uint64_t sector;
		uint32_t off, up;
		int ret;

		if (dir == anc)
			return 1;
		if (dir == root)
			return 0;
		ret = read_dotdot(fs, dir, raw, &sector, &off);
		if (ret != 0)
			return ret;
		up = dir_entry_clus(fs, raw);
		if (up != 0 && !fat_clus_valid(fs, up))
			return -MV_EUCLEAN;
		dir = up ? up : root;
	}
	return -MV_EUCLEAN; /* ".." links that loop */
}

/* The name the entry has now, exactly, to tell a case-only rename from a no-op. */
static bool same_name(const struct mv_fs *fs, const struct fat_dirent *de, const uint16_t *name,
		      uint32_t len)
{
	uint16_t sname[13];
	const uint16_t *cur = fs->lfn;
	uint32_t clen = fs->lfn_len;

	if (!de->has_lfn) {
		clen = name_sfn_display(de->raw, sname);
		cur = sname;
	}
	return clen == len && memcmp(cur, name, len * sizeof(*name)) == 0;
}

static int check_target(struct mv_fs *fs, const struct fat_dirent *from,
			const struct fat_dirent *to)
{
	bool from_dir = (from->attr & FAT_ATTR_DIR) != 0, to_dir = (to->attr & FAT_ATTR_DIR) != 0;
	int ret;

	if (from_dir && !to_dir)
		return -MV_ENOTDIR;
	if (!from_dir && to_dir)
		return -MV_EISDIR;
	if (!to_dir)
		return 0;
	ret = dir_is_empty(fs, to->clus);
	return ret < 0 ? ret : ret == 0 ? -MV_ENOTEMPTY : 0;
}

static int rename_paths(struct mv_fs *fs, const char *from_path, const char *to_path,
			struct path_res *a, struct path_res *b)
{
	struct fat_dirent from, to, added;
	struct fat_node *src, *dst = NULL;
	bool replace = false, from_dir;
	int ret = path_resolve_parent(fs, from_path, a);

	if (ret != 0)
		return ret;
	if (a->is_root)
		return -MV_EBUSY;
	ret = dir_lookup(fs, a->parent_clus, a->name, a->len, &from);
	if (ret <= 0)
		return ret < 0 ? ret : -MV_ENOENT;
	from_dir = (from.attr & FAT_ATTR_DIR) != 0;
	if (a->trailing_slash && !from_dir)
		return -MV_ENOTDIR;
	if (dir_check_clus(fs, &from) != 0)
		return -MV_EUCLEAN;
	ret = path_resolve_parent(fs, to_path, b);
	if (ret != 0)
		return ret;
	if (b->is_root)
		return -MV_EBUSY;
	if (b->trailing_slash && !from_dir)
		return -MV_ENOTDIR;
	if (from_dir) {
		ret = is_ancestor(fs, from.clus, b->parent_clus);
		if (ret != 0)
			return ret < 0 ? ret : -MV_EINVAL;
	}
	/* The same path twice is the same file even on a case-insensitive volume: a no-op. */
	if (a->parent_clus == b->parent_clus && a->len == b->len &&
	    memcmp(a->name, b->name, a->len * sizeof(a->name[0])) == 0)
		return 0;
	ret = dir_lookup(fs, b->parent_clus, b->name, b->len, &to);
	if (ret < 0)
		return ret;
	if (ret == 1 && to.sector == from.sector && to.off == from.off) {
		/* Same entry: nothing to do, unless only the spelling (case) changes. */
		if (same_name(fs, &to, b->name, b->len))
			return 0;
	} else if (ret == 1) {
		if (dir_check_clus(fs, &to) != 0)
			return -MV_EUCLEAN;
		ret = check_target(fs, &from, &to);
		if (ret != 0)
			return ret;
		replace = true;
		dst = node_find(fs, to.sector, to.off);
	}
	src = node_find(fs, from.sector, from.off);
	/*
	 * Free the old slots first, so that the new name can reuse them and its alias does not
	 * collide with the names it replaces; if the new entry cannot be made, put them back.
	 */
	ret = dir_remove(fs, &from);
	if (ret == 0 && replace) {
		ret = dir_remove(fs, &to);
		if (ret != 0)
			dir_restore(fs, &from);
	}
	if (ret != 0)
		return ret;
	ret = dir_add(fs, b->parent_clus, b->name, b->len, from.raw, &added);
	if (ret != 0) {
		dir_restore(fs, &from);
		if (replace)
			dir_restore(fs, &to);
		return ret;
	}
	if (src) {
		src->ent_sector = added.sector;
		src->ent_off = added.off;
	}
	if (replace) {
		if (to.attr & FAT_ATTR_DIR)
			dix_forget(fs, to.clus);
		if (dst)
			dst->unlinked = true;
		else if (to.clus != 0)
			ret = fat_free_chain(fs, to.clus);
	}
	if (ret == 0 && from_dir && a->parent_clus != b->parent_clus) {
		uint8_t raw[FAT_SLOT];
		uint64_t sector;
		uint32_t off;

		ret = read_dotdot(fs, from.clus, raw, &sector, &off);
		if (ret == 0) {
			dir_set_clus(raw, dir_dotdot_value(fs, b->parent_clus));
			ret = dir_write_slot(fs, sector, off, raw);
		}
	}
	return ret;
}

int namei_rename(struct mv_fs *fs, const char *from, const char *to)
{
	struct path_res *res = fat_alloc_mem(fs, 2 * sizeof(*res));
	int ret;

	/* Two parsed paths are over 1 KiB: kept off the guest's kernel stack. */
	if (!res)
		return -MV_ENOMEM;
	ret = rename_paths(fs, from, to, &res[0], &res[1]);
	fat_free_mem(fs, res);
	return ret;
}
