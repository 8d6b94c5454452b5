/* Directories: slot walks, long-name assembly, lookup, adding (alias, LFN, growth), removal. */
#include <string.h>
#include "fatfs.h"

#define TAIL_MAX 999999U
#define TAIL_WINDOW 1024U

/* Where the 13 UCS-2 characters of an LFN slot are. */
static const uint8_t lfn_offs[FAT_LFN_CHARS] = {1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30};

uint32_t dir_root_clus(const struct mv_fs *fs)
{
	return fs->type == FAT32 ? fs->root_clus : 0;
}

uint32_t dir_dotdot_value(const struct mv_fs *fs, uint32_t dir_clus)
{
	return dir_clus == dir_root_clus(fs) ? 0 : dir_clus;
}

uint32_t dir_entry_clus(const struct mv_fs *fs, const uint8_t *raw)
{
	uint32_t lo = get16(raw + DE_CLUS_LO);

	/* FAT12/16 reuse the high word for other things (OS/2 EA handles). */
	return fs->type == FAT32 ? lo | ((uint32_t)get16(raw + DE_CLUS_HI) << 16) : lo;
}

void dir_set_clus(uint8_t *raw, uint32_t clus)
{
	put16(raw + DE_CLUS_HI, clus >> 16);
	put16(raw + DE_CLUS_LO, clus & 0xFFFF);
}

int dir_check_clus(const struct mv_fs *fs, const struct fat_dirent *de)
{
	if (de->attr & FAT_ATTR_DIR)
		return fat_clus_valid(fs, de->clus) ? 0 : -MV_EUCLEAN;
	return (de->clus == 0 || fat_clus_valid(fs, de->clus)) ? 0 : -MV_EUCLEAN;
}

int dir_iter_init(struct mv_fs *fs, struct dir_iter *it, uint32_t dir_clus)
{
	memset(it, 0, sizeof(*it));
	it->dir_clus = dir_clus;
	it->clus = dir_clus;
	if (dir_clus == 0)
		return fs->type == FAT32 ? -MV_EUCLEAN : 0;
	return fat_clus_valid(fs, dir_clus) ? 0 : -MV_EUCLEAN;
}

/* 1 and where slot it->idx is, or 0 past the last slot the directory has. */
static int slot_loc(const struct mv_fs *fs, const struct dir_iter *it, uint64_t *sector,
		    uint32_t *off)
{
	uint32_t in;

	if (it->dir_clus == 0) {
		if (it->idx >= fs->root_slots)
			return 0;
		*sector = fs->root_start + it->idx / FAT_SLOTS_PER_SECTOR;
		*off = (it->idx % FAT_SLOTS_PER_SECTOR) * FAT_SLOT;
		return 1;
	}
	if (it->clus == 0 || it->idx >= FAT_MAX_DIR_SLOTS)
		return 0;
	in = it->idx % fs->slots_per_clus;
	*sector = fat_clus_sector(fs, it->clus) + in / FAT_SLOTS_PER_SECTOR;
	*off = (in % FAT_SLOTS_PER_SECTOR) * FAT_SLOT;
	return 1;
}

static int iter_step(struct mv_fs *fs, struct dir_iter *it)
{
	uint32_t next;
	int ret;

	it->idx++;
	if (it->dir_clus == 0 || it->clus == 0 || it->idx % fs->slots_per_clus != 0)
		return 0;
	ret = fat_next(fs, it->clus, &next);
	if (ret != 0)
		return ret;
	/* A chain longer than the largest legal directory is a loop or garbage. */
	if (next != 0 && it->idx >= FAT_MAX_DIR_SLOTS)
		return -MV_EUCLEAN;
	it->clus = next;
	return 0;
}

int dir_iter_seek(struct mv_fs *fs, struct dir_iter *it, uint32_t dir_clus, uint32_t idx)
{
	int ret = dir_iter_init(fs, it, dir_clus);
	struct fat_dix *x;

	if (dir_clus == 0) {
		it->idx = idx;
		return ret;
	}
	/* The index knows the chain: no walk from the first cluster. */
	x = ret == 0 ? dix_find(fs, dir_clus) : NULL;
	if (x && dix_slot_clus(x, idx, &it->clus)) {
		it->idx = idx;
		return 0;
	}
	while (ret == 0 && it->idx < idx && it->clus != 0)
		ret = iter_step(fs, it);
	if (ret == 0 && it->idx < idx)
		it->idx = idx; /* past the end: every later lookup says so */
	return ret;
}

void dir_lfn_take(struct mv_fs *fs, struct dir_iter *it, const uint8_t *raw)
{
	uint8_t ord = raw[0] & 0x3F;
	uint32_t pos;

	if (raw[0] & FAT_LFN_LAST) {
		if (ord == 0 || ord > FAT_LFN_SLOTS_MAX) {
			it->lfn_count = 0;
			return;
		}
		it->lfn_count = ord;
		it->lfn_next = ord;
		it->lfn_sum = raw[13];
		it->lfn_first = it->idx;
		fs->lfn_len = ord * FAT_LFN_CHARS;
	} else if (it->lfn_count == 0 || ord != it->lfn_next || raw[13] != it->lfn_sum ||
		   ord == 0) {
		it->lfn_count = 0;
		return;
	}
	pos = (uint32_t)(ord - 1) * FAT_LFN_CHARS;
	for (uint32_t k = 0; k < FAT_LFN_CHARS; k++) {
		uint16_t c = get16(raw + lfn_offs[k]);

		fs->lfn[pos + k] = c;
		if (c == 0 && (raw[0] & FAT_LFN_LAST) && fs->lfn_len > pos + k)
			fs->lfn_len = pos + k;
	}
	it->lfn_next--;
}

void dir_decode(const struct mv_fs *fs, const struct dir_iter *it, const uint8_t *raw,
		struct fat_dirent *de)
{
	memcpy(de->raw, raw, FAT_SLOT);
	de->attr = raw[DE_ATTR];
	de->clus = dir_entry_clus(fs, raw);
	de->size = get32(raw + DE_SIZE);
	de->dir_clus = it->dir_clus;
	de->sfn_idx = it->idx;
	de->has_lfn = it->lfn_count != 0 && it->lfn_next == 0 && it->lfn_sum == name_lfn_sum(raw) &&
		      fs->lfn_len >= 1 && fs->lfn_len <= FAT_LFN_MAX;
	de->first_idx = de->has_lfn ? it->lfn_first : it->idx;
}

int dir_next(struct mv_fs *fs, struct dir_iter *it, struct fat_dirent *de)
{
	for (;;) {
		uint8_t raw[FAT_SLOT];
		uint64_t sector;
		uint32_t off;
		int ret = slot_loc(fs, it, &sector, &off);

		if (ret <= 0)
			return ret;
		ret = cache_read(fs, sector, off, raw, FAT_SLOT);
		if (ret != 0)
			return ret;
		if (raw[0] == FAT_SLOT_END)
			return 0;
		if (raw[0] == FAT_SLOT_FREE) {
			it->lfn_count = 0;
		} else if ((raw[DE_ATTR] & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN) {
			dir_lfn_take(fs, it, raw);
		} else {
			dir_decode(fs, it, raw, de);
			de->sector = sector;
			de->off = off;
			it->lfn_count = 0;
			ret = iter_step(fs, it);
			return ret ? ret : 1;
		}
		ret = iter_step(fs, it);
		if (ret != 0)
			return ret;
	}
}

int dir_lookup(struct mv_fs *fs, uint32_t dir_clus, const uint16_t *name, uint32_t len,
	       struct fat_dirent *de)
{
	struct fat_dix *x = dix_get(fs, dir_clus);

	if (x) {
		int ret = dix_lookup(fs, x, name, len, de);

		if (ret != DIX_STALE)
			return ret;
		dix_forget(fs, dir_clus);
	}
	return dir_lookup_scan(fs, dir_clus, name, len, de);
}

int dir_lookup_scan(struct mv_fs *fs, uint32_t dir_clus, const uint16_t *name, uint32_t len,
		    struct fat_dirent *de)
{
	struct dir_iter it;
	int ret = dir_iter_init(fs, &it, dir_clus);

	while (ret == 0 && (ret = dir_next(fs, &it, de)) > 0) {
		uint16_t sname[13];
		uint32_t slen;

		if ((de->attr & FAT_ATTR_VOLUME) || de->raw[0] == '.') {
			ret = 0;
			continue;
		}
		/* Like FAT itself, a name matches the long name or the 8.3 alias. */
		if (de->has_lfn && name_eq(fs->lfn, fs->lfn_len, name, len))
			return 1;
		slen = name_sfn_display(de->raw, sname);
		if (name_eq(sname, slen, name, len))
			return 1;
		ret = 0;
	}
	return ret;
}

int dir_is_empty(struct mv_fs *fs, uint32_t dir_clus)
{
	struct dir_iter it;
	struct fat_dirent de;
	int ret = dir_iter_init(fs, &it, dir_clus);

	while (ret == 0 && (ret = dir_next(fs, &it, &de)) > 0) {
		if (de.raw[0] != '.')
			return 0;
		ret = 0;
	}
	return ret < 0 ? ret : 1;
}

int dir_write_slot(struct mv_fs *fs, uint64_t sector, uint32_t off, const uint8_t *raw)
{
	return cache_write(fs, sector, off, raw, FAT_SLOT, false);
}

static int sfn_exists(struct mv_fs *fs, uint32_t dir_clus, const uint8_t *sfn)
{
	struct dir_iter it;
	struct fat_dirent de;
	int ret = dir_iter_init(fs, &it, dir_clus);

	while (ret == 0 && (ret = dir_next(fs, &it, &de)) > 0) {
		if (memcmp(de.raw, sfn, 11) == 0)
			return 1;
		ret = 0;
	}
	return ret;
}

/* One scan per window of tail numbers: the smallest ~N the directory does not use yet. */
static int pick_tail(struct mv_fs *fs, uint32_t dir_clus, const uint8_t *basis, uint8_t *sfn)
{
	for (uint32_t lo = 1; lo <= TAIL_MAX; lo += TAIL_WINDOW) {
		uint8_t used[TAIL_WINDOW / 8];
		struct dir_iter it;
		struct fat_dirent de;
		int ret = dir_iter_init(fs, &it, dir_clus);

		memset(used, 0, sizeof(used));
		while (ret == 0 && (ret = dir_next(fs, &it, &de)) > 0) {
			uint32_t n = name_tail_number(basis, de.raw);

			if (n >= lo && n - lo < TAIL_WINDOW)
				used[(n - lo) / 8] |= (uint8_t)(1U << ((n - lo) % 8));
			ret = 0;
		}
		if (ret < 0)
			return ret;
		for (uint32_t i = 0; i < TAIL_WINDOW && lo + i <= TAIL_MAX; i++) {
			if (!(used[i / 8] & (1U << (i % 8)))) {
				name_apply_tail(basis, lo + i, sfn);
				return 0;
			}
		}
	}
	return -MV_ENOSPC;
}

/* Appends zeroed clusters: a zero first byte marks every new slot as free and as the end. */
static int grow_dir(struct mv_fs *fs, struct fat_dix *x, uint32_t dir_clus, uint32_t last,
		    uint32_t count)
{
	for (uint32_t k = 0; k < count; k++) {
		uint32_t c;
		int ret = fat_alloc(fs, 0, &c);

		if (ret != 0)
			return ret;
		ret = fat_zero_clus(fs, c);
		if (ret == 0)
			ret = fat_set(fs, last, c);
		if (ret != 0) {
			fat_free_chain(fs, c);
			return ret;
		}
		if (x && !dix_grown(x, &c, 1)) {
			dix_forget(fs, dir_clus);
			x = NULL;
		}
		last = c;
	}
	return 0;
}

/* Grows a directory of slots slots by enough clusters for a run of n from slot first on. */
static int grow_for(struct mv_fs *fs, struct fat_dix *x, uint32_t dir_clus, uint32_t last,
		    uint32_t slots, uint32_t first, uint32_t n)
{
	uint32_t need = n - (slots - first);
	uint32_t clusters = (need + fs->slots_per_clus - 1) / fs->slots_per_clus;

	if (dir_clus == 0 || last == 0)
		return -MV_ENOSPC; /* the FAT12/16 root cannot grow */
	if (slots + (uint64_t)clusters * fs->slots_per_clus > FAT_MAX_DIR_SLOTS)
		return -MV_ENOSPC;
	return grow_dir(fs, x, dir_clus, last, clusters);
}

/* A run of n free slots, growing the directory if it has none; *past_end if the run reaches
 * beyond the end marker, so the caller must keep the marker after it. */
static int find_free(struct mv_fs *fs, uint32_t dir_clus, uint32_t n, uint32_t *first,
		     bool *past_end)
{
	struct dir_iter it;
	uint32_t run = 0, run_start = 0, last = 0;
	bool seen_end = false;
	int ret = dir_iter_init(fs, &it, dir_clus);

	while (ret == 0) {
		uint64_t sector;
		uint32_t off;
		uint8_t b = 0;

		ret = slot_loc(fs, &it, &sector, &off);
		if (ret <= 0)
			break;
		if (!seen_end) {
			ret = cache_read(fs, sector, off, &b, 1);
			if (ret != 0)
				return ret;
			seen_end = b == FAT_SLOT_END;
		}
		if (seen_end || b == FAT_SLOT_FREE) {
			if (run++ == 0)
				run_start = it.idx;
			if (run == n) {
				*first = run_start;
				*past_end = seen_end;
				return 0;
			}
		} else {
			run = 0;
		}
		last = it.clus;
		ret = iter_step(fs, &it);
	}
	if (ret < 0)
		return ret;
	*first = run ? run_start : it.idx;
	*past_end = false;
	return grow_for(fs, NULL, dir_clus, last, it.idx, *first, n);
}

/* The same from the index; 1 if the slots it names are not free on disk after all. */
static int find_free_indexed(struct mv_fs *fs, struct fat_dix *x, uint32_t dir_clus, uint32_t n,
			     uint32_t *first, bool *past_end)
{
	struct dir_iter it;
	int ret;

	if (dix_find_free(x, n, first, past_end) == 0) {
		*past_end = false;
		return grow_for(fs, x, dir_clus, dix_last_clus(x), dix_slots(x), *first, n);
	}
	/* Deleted slots are about to be overwritten: check they are deleted. */
	ret = dir_iter_seek(fs, &it, dir_clus, *first);
	for (uint32_t i = 0; ret == 0 && i < n; i++) {
		uint64_t sector;
		uint32_t off;
		uint8_t b;

		if (slot_loc(fs, &it, &sector, &off) != 1)
			return 1;
		ret = cache_read(fs, sector, off, &b, 1);
		if (ret != 0 || b == FAT_SLOT_END)
			break; /* from the marker on, the index has nothing to check */
		if (b != FAT_SLOT_FREE)
			return 1;
		ret = iter_step(fs, &it);
	}
	return ret;
}
static void make_lfn_slot(uint8_t *raw, const uint16_t *name, uint32_t len, uint32_t ord, bool last,
			  uint8_t sum)
{
	uint32_t pos = (ord - 1) * FAT_LFN_CHARS;

	memset(raw, 0, FAT_SLOT);
	raw[0] = (uint8_t)(ord | (last ? FAT_LFN_LAST : 0));
	raw[DE_ATTR] = FAT_ATTR_LFN;
	raw[13] = sum;
	for (uint32_t k = 0; k < FAT_LFN_CHARS; k++) {
		uint32_t i = pos + k;
		uint16_t c = i < len ? name[i] : i == len ? 0 : 0xFFFF;

		put16(raw + lfn_offs[k], c);
	}
}

static int choose_sfn(struct mv_fs *fs, struct fat_dix *x, uint32_t dir_clus, const uint16_t *name,
		      uint32_t len, uint8_t *sfn, uint8_t *ntres, bool *need_lfn)
{
	uint8_t basis[11];
	bool need_tail;

	name_make_basis(name, len, basis, ntres, need_lfn, &need_tail);
	memcpy(sfn, basis, 11);
	if (!need_tail) {
		int ret = x ? dix_sfn_exists(x, basis) : sfn_exists(fs, dir_clus, basis);

		if (ret <= 0)
			return ret;
		/* Taken already: an 8.3-only name cannot take a tail, a mixed-case one can. */
		if (!*need_lfn)
			return -MV_EEXIST;
	}
	return x ? dix_pick_tail(x, basis, sfn) : pick_tail(fs, dir_clus, basis, sfn);
}

int dir_add(struct mv_fs *fs, uint32_t dir_clus, const uint16_t *name, uint32_t len,
	    const uint8_t *tmpl, struct fat_dirent *de)
{
	uint8_t sfn[11], ntres, raw[FAT_SLOT], sum;
	uint32_t nslots, first;
	bool need_lfn, past_end;
	struct dir_iter it;
	struct fat_dix *x;
	int ret;

	if (!name_valid_long(name, len))
		return -MV_EINVAL;
	x = dix_get(fs, dir_clus);
	ret = choose_sfn(fs, x, dir_clus, name, len, sfn, &ntres, &need_lfn);
	if (ret != 0)
		return ret;
	nslots = need_lfn ? (len + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS + 1 : 1;
	ret = x ? find_free_indexed(fs, x, dir_clus, nslots, &first, &past_end) : 1;
	if (ret == 1) {
		/* No index, or one the disk contradicts: scan, and rebuild it on the next use. */
		if (x)
			dix_forget(fs, dir_clus);
		x = NULL;
		ret = find_free(fs, dir_clus, nslots, &first, &past_end);
	}
	x = dix_find(fs, dir_clus); /* growing may have dropped it */
	if (ret == 0)
		ret = dir_iter_seek(fs, &it, dir_clus, first);
	if (ret != 0) {
		dix_forget(fs, dir_clus);
		return ret;
	}
	sum = name_lfn_sum(sfn);
	for (uint32_t i = 0; i < nslots; i++) {
		uint64_t sector;
		uint32_t off;

		if (slot_loc(fs, &it, &sector, &off) != 1) {
			dix_forget(fs, dir_clus);
			return -MV_EUCLEAN;
		}
		if (i + 1 < nslots) {
			make_lfn_slot(raw, name, len, nslots - 1 - i, i == 0, sum);
		} else {
			memcpy(raw, tmpl, FAT_SLOT);
			memcpy(raw, sfn, 11);
			raw[DE_NTRES] = ntres;
			dir_decode(fs, &it, raw, de);
			de->has_lfn = need_lfn;
			de->first_idx = first;
			de->sector = sector;
			de->off = off;
		}
		ret = dir_write_slot(fs, sector, off, raw);
		if (ret == 0 && (i + 1 < nslots || past_end))
			ret = iter_step(fs, &it);
		if (ret != 0) {
			dix_forget(fs, dir_clus);
			return ret;
		}
	}
	if (past_end) {
		uint64_t sector;
		uint32_t off;
		uint8_t b;

		/* Slots after the old end marker were never meant to be read: keep one there. */
		ret = slot_loc(fs, &it, &sector, &off);
		if (ret == 1) {
			ret = cache_read(fs, sector, off, &b, 1);
			if (ret == 0 && b != FAT_SLOT_END)
				ret = cache_write(fs, sector, off, NULL, 1, false);
		}
		if (ret < 0) {
			dix_forget(fs, dir_clus);
			return ret;
		}
	}
	if (!x)
		dix_added_unindexed(fs, dir_clus);
	else if (!dix_added(fs, x, de, need_lfn ? name : NULL, len, past_end))
		dix_forget(fs, dir_clus);
	return 0;
}

int dir_remove(struct mv_fs *fs, const struct fat_dirent *de)
{
	struct dir_iter it;
	static const uint8_t freed = FAT_SLOT_FREE;
	int ret = dir_iter_seek(fs, &it, de->dir_clus, de->first_idx);

	while (ret == 0) {
		uint64_t sector;
		uint32_t off;

		if (slot_loc(fs, &it, &sector, &off) != 1) {
			ret = -MV_EUCLEAN;
			break;
		}
		ret = cache_write(fs, sector, off, &freed, 1, false);
		if (ret != 0 || it.idx >= de->sfn_idx)
			break;
		ret = iter_step(fs, &it);
	}
	if (ret != 0 || !dix_removed(fs, dix_find(fs, de->dir_clus), de))
		dix_forget(fs, de->dir_clus);
	return ret;
}

/* Undoes dir_remove() on slots nothing has reused: the first bytes are all it changed. */
int dir_restore(struct mv_fs *fs, const struct fat_dirent *de)
{
	struct dir_iter it;
	uint32_t nlfn = de->sfn_idx - de->first_idx;
	int ret;

	/* Rare (a rename that failed half way): the index is rebuilt rather than patched. */
	dix_forget(fs, de->dir_clus);
	ret = dir_iter_seek(fs, &it, de->dir_clus, de->first_idx);

	for (uint32_t k = 0; ret == 0; k++) {
		uint64_t sector;
		uint32_t off;
		uint8_t b =
		    k < nlfn ? (uint8_t)((nlfn - k) | (k == 0 ? FAT_LFN_LAST : 0)) : de->raw[0];

		if (slot_loc(fs, &it, &sector, &off) != 1)
			return -MV_EUCLEAN;
		ret = cache_write(fs, sector, off, &b, 1, false);
		if (ret != 0 || k >= nlfn)
			break;
		ret = iter_step(fs, &it);
	}
	return ret;
}
