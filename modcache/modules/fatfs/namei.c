/* Namespace operations: open/create, stat, readdir, mkdir, rmdir, unlink. */
#include <string.h>
#include "fatfs.h"

static void new_slot(const struct mv_fs *fs, uint8_t *raw, uint8_t attr, uint32_t clus)
{
	uint16_t date, time;
	uint8_t tenth;

	memset(raw, 0, FAT_SLOT);
	memset(raw, ' ', 11);
	fat_time_now(fs, &date, &time, &tenth);
	raw[DE_ATTR] = attr;
	raw[DE_CTIME_TENTH] = tenth;
	put16(raw + DE_CTIME, time);
	put16(raw + DE_CDATE, date);
	put16(raw + DE_ADATE, date);
	put16(raw + DE_WTIME, time);
	put16(raw + DE_WDATE, date);
	dir_set_clus(raw, clus);
}

static int new_handle(struct mv_fs *fs, struct fat_node *node, int flags, struct mv_file **out)
{
	struct mv_file *f = fat_alloc_mem(fs, sizeof(*f));

	if (!f) {
		node_put(fs, node);
		return -MV_ENOMEM;
	}
	memset(f, 0, sizeof(*f));
	f->magic = FAT_FILE_MAGIC;
	f->flags = flags;
	f->fs = fs;
	f->node = node;
	*out = f;
	return 0;
}

/* Looks up the last component; 1 found, 0 not found (res and de filled), or an error. */
static int lookup_path(struct mv_fs *fs, const char *path, struct path_res *res,
		       struct fat_dirent *de)
{
	int ret = path_resolve_parent(fs, path, res);

	if (ret != 0)
		return ret;
	if (res->is_root)
		return 1;
	ret = dir_lookup(fs, res->parent_clus, res->name, res->len, de);
	if (ret == 1 && res->trailing_slash && !(de->attr & FAT_ATTR_DIR))
		return -MV_ENOTDIR;
	if (ret == 1)
		ret = dir_check_clus(fs, de) ? -MV_EUCLEAN : 1;
	return ret;
}

int namei_open(struct mv_fs *fs, const char *path, int flags, struct mv_file **out)
{
	struct path_res res;
	struct fat_dirent de;
	struct fat_node *node;
	int acc = flags & MV_O_ACCMODE, ret;

	if (acc == MV_O_ACCMODE || ((flags & MV_O_CREAT) && (flags & MV_O_DIRECTORY)))
		return -MV_EINVAL;
	ret = lookup_path(fs, path, &res, &de);
	if (ret < 0)
		return ret;
	if (ret == 1 && (flags & MV_O_CREAT) && (flags & MV_O_EXCL))
		return -MV_EEXIST;
	if (res.is_root) {
		if (acc != MV_O_RDONLY)
			return -MV_EISDIR;
		ret = node_get_root(fs, &node);
		return ret ? ret : new_handle(fs, node, flags, out);
	}
	if (ret == 0) {
		uint8_t tmpl[FAT_SLOT];

		if (!(flags & MV_O_CREAT))
			return -MV_ENOENT;
		if (res.trailing_slash)
			return -MV_EISDIR;
		new_slot(fs, tmpl, FAT_ATTR_ARCHIVE, 0);
		ret = dir_add(fs, res.parent_clus, res.name, res.len, tmpl, &de);
		if (ret != 0)
			return ret;
	} else if (de.attr & FAT_ATTR_DIR) {
		/* As Linux: O_CREAT never opens a directory, even read-only. */
		if (acc != MV_O_RDONLY || (flags & MV_O_CREAT))
			return -MV_EISDIR;
	} else {
		if (flags & MV_O_DIRECTORY)
			return -MV_ENOTDIR;
		if (acc != MV_O_RDONLY && (de.attr & FAT_ATTR_RO))
			return -MV_EPERM;
	}
	ret = node_get(fs, &de, &node);
	if (ret != 0)
		return ret;
	if (!(node->attr & FAT_ATTR_DIR) && (flags & MV_O_TRUNC) && acc != MV_O_RDONLY) {
		ret = file_truncate(fs, node, 0);
		if (ret != 0) {
			node_put(fs, node);
			return ret;
		}
	}
	return new_handle(fs, node, flags, out);
}

static int dir_size(struct mv_fs *fs, uint32_t clus, uint64_t *bytes, uint64_t *blocks)
{
	uint32_t len, last, limit = FAT_MAX_DIR_SLOTS / fs->slots_per_clus;
	int ret;

	if (clus == 0) {
		*bytes = (uint64_t)fs->root_slots * FAT_SLOT;
		*blocks = (*bytes + FAT_SECTOR - 1) / FAT_SECTOR;
		return 0;
	}
	ret = fat_chain_len(fs, clus, limit ? limit : 1, &len, &last);
	if (ret == 0) {
		*bytes = (uint64_t)len * fs->clus_bytes;
		*blocks = (uint64_t)len * fs->spc;
	}
	return ret;
}

static int fill_stat(struct mv_fs *fs, uint8_t attr, uint32_t clus, uint32_t size, uint64_t ino,
		     uint64_t mtime, struct mv_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->ino = ino;
	st->mtime = mtime;
	st->blksize = fs->clus_bytes;
	if (attr & FAT_ATTR_DIR) {
		st->mode = MV_S_IFDIR | 0755;
		st->nlink = 2;
		return dir_size(fs, clus, &st->size, &st->blocks);
	}
	/* The read-only attribute is the one permission FAT has. */
	st->mode = MV_S_IFREG | ((attr & FAT_ATTR_RO) ? 0444 : 0644);
	st->nlink = 1;
	st->size = size;
	st->blocks = (uint64_t)((size + (uint64_t)fs->clus_bytes - 1) / fs->clus_bytes) * fs->spc;
	return 0;
}

static uint64_t root_ino(const struct mv_fs *fs)
{
	return fs->type == FAT32 ? fs->root_clus : 1;
}

int namei_stat(struct mv_fs *fs, const char *path, struct mv_stat *st)
{
	struct path_res res;
	struct fat_dirent de;
	int ret = lookup_path(fs, path, &res, &de);

	if (ret < 0)
		return ret;
	if (ret == 0)
		return -MV_ENOENT;
	if (res.is_root)
		return fill_stat(fs, FAT_ATTR_DIR, dir_root_clus(fs), 0, root_ino(fs), 0, st);
	return fill_stat(fs, de.attr, de.clus, de.size, node_ino(fs, de.sector, de.off),
			 fat_time_to_unix(get16(de.raw + DE_WDATE), get16(de.raw + DE_WTIME)), st);
}

int namei_fstat(struct mv_fs *fs, const struct mv_file *f, struct mv_stat *st)
{
	const struct fat_node *n = f->node;

	if (n->is_root)
		return fill_stat(fs, FAT_ATTR_DIR, n->first_clus, 0, root_ino(fs), 0, st);
	return fill_stat(fs, n->attr, n->first_clus, n->size,
			 node_ino(fs, n->ent_sector, n->ent_off),
			 fat_time_to_unix(n->wdate, n->wtime), st);
}

int namei_readdir(struct mv_fs *fs, struct mv_file *f, struct mv_dirent *ent)
{
	struct fat_node *node = f->node;
	uint32_t dir_clus = node->is_root ? dir_root_clus(fs) : node->first_clus;
	struct fat_dirent de;
	int ret;

	if (!(node->attr & FAT_ATTR_DIR))
		return -MV_ENOTDIR;
	if (node->unlinked)
		return 0;
	/* Re-walk after a seek, or when the cursor fell off a chain that may have grown since. */
	if (!f->it_valid || f->it.idx != f->pos || (dir_clus != 0 && f->it.clus == 0)) {
		ret = dir_iter_seek(fs, &f->it, dir_clus, (uint32_t)f->pos);
		if (ret != 0)
			return ret;
		f->it_valid = true;
	}
	for (;;) {
		ret = dir_next(fs, &f->it, &de);
		f->pos = f->it.idx;
		if (ret <= 0)
			return ret;
		if (de.raw[0] == '.' || (de.attr & FAT_ATTR_VOLUME))
			continue;
		ent->ino = node_ino(fs, de.sector, de.off);
		ent->type = (de.attr & FAT_ATTR_DIR) ? MV_S_IFDIR : MV_S_IFREG;
		/* A long name too long for the caller's buffer in UTF-8 falls back to the alias. */
		if (!de.has_lfn || !name_displayable(fs->lfn, fs->lfn_len) ||
		    name_to_utf8(fs->lfn, fs->lfn_len, ent->name, sizeof(ent->name)) != 0) {
			uint16_t sname[13];
			uint32_t slen = name_sfn_display(de.raw, sname);

			ret = name_to_utf8(sname, slen, ent->name, sizeof(ent->name));
			if (ret != 0)
				return ret;
		}
		return 1;
	}
}

int namei_mkdir(struct mv_fs *fs, const char *path)
{
	struct path_res res;
	struct fat_dirent de;
	uint8_t raw[FAT_SLOT];
	uint32_t c;
	uint64_t sec;
	int ret = lookup_path(fs, path, &res, &de);

	if (ret < 0)
		return ret;
	if (ret == 1)
		return -MV_EEXIST;
	if (!name_valid_long(res.name, res.len))
		return -MV_EINVAL;
	ret = fat_alloc(fs, 0, &c);
	if (ret != 0)
		return ret;
	dix_forget(fs, c); /* only a damaged volume frees a directory's cluster behind our back */
	ret = fat_zero_clus(fs, c);
	sec = fat_clus_sector(fs, c);
	new_slot(fs, raw, FAT_ATTR_DIR, c);
	raw[0] = '.';
	if (ret == 0)
		ret = dir_write_slot(fs, sec, 0, raw);
	raw[1] = '.';
	dir_set_clus(raw, dir_dotdot_value(fs, res.parent_clus));
	if (ret == 0)
		ret = dir_write_slot(fs, sec, FAT_SLOT, raw);
	new_slot(fs, raw, FAT_ATTR_DIR, c);
	if (ret == 0)
		ret = dir_add(fs, res.parent_clus, res.name, res.len, raw, &de);
	if (ret != 0)
		fat_free_chain(fs, c);
	return ret;
}

/* The entry goes now; its clusters go now too, or at the last close if it is open. */
static int remove_entry(struct mv_fs *fs, const struct fat_dirent *de)
{
	struct fat_node *node = node_find(fs, de->sector, de->off);
	int ret = dir_remove(fs, de);

	if (ret != 0)
		return ret;
	if (de->attr & FAT_ATTR_DIR)
		dix_forget(fs, de->clus); /* its clusters may come back as another directory */
	if (node) {
		node->unlinked = true;
		return 0;
	}
	return de->clus ? fat_free_chain(fs, de->clus) : 0;
}

int namei_rmdir(struct mv_fs *fs, const char *path)
{
	struct path_res res;
	struct fat_dirent de;
	int ret = lookup_path(fs, path, &res, &de);

	if (ret < 0)
		return ret;
	if (ret == 0)
		return -MV_ENOENT;
	if (res.is_root)
		return -MV_EBUSY;
	if (!(de.attr & FAT_ATTR_DIR))
		return -MV_ENOTDIR;
	ret = dir_is_empty(fs, de.clus);
	if (ret < 0)
		return ret;
	if (ret == 0)
		return -MV_ENOTEMPTY;
	return remove_entry(fs, &de);
}

int namei_unlink(struct mv_fs *fs, const char *path)
{
	struct path_res res;
	struct fat_dirent de;
	int ret = lookup_path(fs, path, &res, &de);

	if (ret < 0)
		return ret;
	if (ret == 0)
		return -MV_ENOENT;
	if (res.is_root || (de.attr & FAT_ATTR_DIR))
		return -MV_EISDIR;
	return remove_entry(fs, &de);
}
