/* Inodes: location, checksums, the fields used here, and the inode bitmaps (allocate, free). */
#include <string.h>
#include "ext4.h"

static int locate(const struct mv_fs *fs, uint32_t ino, uint64_t *blk, uint32_t *off)
{
	uint32_t g, idx;
	uint64_t byte;

	if (ino == 0 || ino > get32(fs->sb + SB_INODES_COUNT))
		return -MV_EUCLEAN;
	g = (ino - 1) / fs->ipg;
	idx = (ino - 1) % fs->ipg;
	byte = (uint64_t)idx * fs->inode_size;
	*blk = gd_inode_table(fs, g) + byte / fs->bs;
	*off = (uint32_t)(byte % fs->bs);
	return 0;
}

static bool has_csum_hi(const struct mv_fs *fs, const uint8_t *raw)
{
	return fs->inode_size > I_GOOD_OLD_SIZE && get16(raw + I_EXTRA_ISIZE) >= 4;
}

uint32_t inode_csum_seed(const struct mv_fs *fs, uint32_t ino, const uint8_t *raw)
{
	uint8_t le[4];
	uint32_t c;

	put32(le, ino);
	c = e4_crc32c(fs->seed, le, 4);
	return e4_crc32c(c, raw + I_GENERATION, 4);
}

static uint32_t inode_csum(const struct mv_fs *fs, uint32_t ino, const uint8_t *raw)
{
	static const uint8_t zero[2];
	uint32_t c = inode_csum_seed(fs, ino, raw);
	uint32_t off;

	c = e4_crc32c(c, raw, I_CSUM_LO);
	c = e4_crc32c(c, zero, 2);
	c = e4_crc32c(c, raw + I_CSUM_LO + 2, I_GOOD_OLD_SIZE - I_CSUM_LO - 2);
	if (fs->inode_size <= I_GOOD_OLD_SIZE)
		return c;
	c = e4_crc32c(c, raw + I_GOOD_OLD_SIZE, I_CSUM_HI - I_GOOD_OLD_SIZE);
	off = I_CSUM_HI;
	if (has_csum_hi(fs, raw)) {
		c = e4_crc32c(c, zero, 2);
		off += 2;
	}
	return e4_crc32c(c, raw + off, fs->inode_size - off);
}

/* The inode table block that holds ino, read into a new buffer the caller frees. */
static int inode_block(struct mv_fs *fs, uint32_t ino, uint64_t *blk, uint32_t *off, uint8_t **buf)
{
	int ret = locate(fs, ino, blk, off);

	if (ret != 0)
		return ret;
	*buf = e4_alloc_mem(fs, fs->bs);
	if (!*buf)
		return -MV_ENOMEM;
	ret = cache_read(fs, *blk, *buf);
	if (ret != 0)
		e4_free_mem(fs, *buf);
	return ret;
}

int inode_read(struct mv_fs *fs, uint32_t ino, uint8_t *raw)
{
	uint8_t *buf;
	uint64_t blk;
	uint32_t off;
	int ret = inode_block(fs, ino, &blk, &off, &buf);

	if (ret != 0)
		return ret;
	memcpy(raw, buf + off, fs->inode_size);
	e4_free_mem(fs, buf);
	if (fs->inode_size > I_GOOD_OLD_SIZE &&
	    get16(raw + I_EXTRA_ISIZE) > fs->inode_size - I_GOOD_OLD_SIZE)
		return -MV_EUCLEAN;
	if (fs->csum) {
		uint32_t c = inode_csum(fs, ino, raw);
		uint32_t want = get16(raw + I_CSUM_LO);

		if (has_csum_hi(fs, raw))
			want |= (uint32_t)get16(raw + I_CSUM_HI) << 16;
		else
			c &= 0xFFFFU;
		if (c != want)
			return -MV_EUCLEAN;
	}
	return 0;
}

int inode_write(struct mv_fs *fs, uint32_t ino, uint8_t *raw)
{
	uint8_t *buf;
	uint64_t blk;
	uint32_t off;
	int ret;

	if (fs->csum) {
		uint32_t c = inode_csum(fs, ino, raw);

		put16(raw + I_CSUM_LO, c & 0xFFFFU);
		if (has_csum_hi(fs, raw))
			put16(raw + I_CSUM_HI, c >> 16);
	}
	ret = inode_block(fs, ino, &blk, &off, &buf);
	if (ret != 0)
		return ret;
	memcpy(buf + off, raw, fs->inode_size);
	ret = cache_write(fs, blk, buf);
	e4_free_mem(fs, buf);
	return ret;
}

uint64_t inode_size(const uint8_t *raw)
{
	return get32(raw + I_SIZE_LO) | ((uint64_t)get32(raw + I_SIZE_HI) << 32);
}

void inode_set_size(uint8_t *raw, uint64_t size)
{
	put32(raw + I_SIZE_LO, (uint32_t)size);
	put32(raw + I_SIZE_HI, (uint32_t)(size >> 32));
}

uint32_t inode_mode(const uint8_t *raw)
{
	return get16(raw + I_MODE);
}

uint64_t inode_file_acl(const struct mv_fs *fs, const uint8_t *raw)
{
	uint64_t v = get32(raw + I_FILE_ACL_LO);

	if (fs->incompat & INCOMPAT_64BIT)
		v |= (uint64_t)get16(raw + I_FILE_ACL_HI) << 32;
	return v;
}

uint64_t inode_blocks512(const uint8_t *raw)
{
	return get32(raw + I_BLOCKS_LO) | ((uint64_t)get16(raw + I_BLOCKS_HI) << 32);
}

/* i_blocks counts 512-byte units (the huge_file per-inode unit is refused for writing). */
void inode_add_blocks(struct mv_fs *fs, uint8_t *raw, int64_t nblocks)
{
	uint64_t v = inode_blocks512(raw) + (uint64_t)(nblocks * (int64_t)fs->spb);

	put32(raw + I_BLOCKS_LO, (uint32_t)v);
	put16(raw + I_BLOCKS_HI, (uint32_t)(v >> 32) & 0xFFFFU);
}

void inode_touch(struct mv_fs *fs, uint8_t *raw, bool mtime)
{
	uint32_t now = (uint32_t)e4_now(fs);

	put32(raw + I_CTIME, now);
	if (mtime)
		put32(raw + I_MTIME, now);
}

static uint32_t ibitmap_csum(const struct mv_fs *fs, const uint8_t *map)
{
	return bitmap_csum(fs, map, fs->ipg);
}

static int load_ibitmap(struct mv_fs *fs, uint32_t g, uint8_t *map)
{
	uint32_t want;
	int ret;

	if (get16(gd_get(fs, g) + GD_FLAGS) & BG_INODE_UNINIT) {
		memset(map, 0, fs->bs);
		for (uint32_t b = fs->ipg; b < fs->bs * 8; b++)
			map[b / 8] |= (uint8_t)(1U << (b % 8));
		return 0;
	}
	ret = cache_read(fs, gd_inode_bitmap(fs, g), map);
	if (ret != 0 || !fs->csum)
		return ret;
	want = gd_get_count(fs, g, GD_IBITMAP_CSUM, GD_IBITMAP_CSUM_HI);
	if (fs->desc_size < 64)
		return (ibitmap_csum(fs, map) & 0xFFFFU) == want ? 0 : -MV_EUCLEAN;
	return ibitmap_csum(fs, map) == want ? 0 : -MV_EUCLEAN;
}

static int store_ibitmap(struct mv_fs *fs, uint32_t g, const uint8_t *map, int32_t delta,
			 int32_t dirs)
{
	uint8_t *d = gd_get(fs, g);
	uint32_t free = gd_get_count(fs, g, GD_FREE_INODES, GD_FREE_INODES_HI);
	uint32_t used = gd_get_count(fs, g, GD_USED_DIRS, GD_USED_DIRS_HI);
	int ret = cache_write(fs, gd_inode_bitmap(fs, g), map);

	if (ret != 0)
		return ret;
	if (fs->csum)
		gd_set_count(fs, g, GD_IBITMAP_CSUM, GD_IBITMAP_CSUM_HI, ibitmap_csum(fs, map));
	put16(d + GD_FLAGS, get16(d + GD_FLAGS) & ~BG_INODE_UNINIT);
	gd_set_count(fs, g, GD_FREE_INODES, GD_FREE_INODES_HI, (uint32_t)((int64_t)free + delta));
	gd_set_count(fs, g, GD_USED_DIRS, GD_USED_DIRS_HI, (uint32_t)((int64_t)used + dirs));
	put32(fs->sb + SB_FREE_INODES, (uint32_t)((int64_t)get32(fs->sb + SB_FREE_INODES) + delta));
	fs->sb_dirty = true;
	return gd_write(fs, g);
}

int inode_alloc(struct mv_fs *fs, uint32_t parent, bool dir, uint32_t *ino)
{
	uint32_t g0 = (parent - 1) / fs->ipg;
	uint8_t *map;
	int ret = -MV_ENOSPC;

	if (fs->rdonly)
		return -MV_EROFS;
	map = e4_alloc_mem(fs, fs->bs);
	if (!map)
		return -MV_ENOMEM;
	for (uint32_t i = 0; i < fs->ngroups && ret == -MV_ENOSPC; i++) {
		uint32_t g = (g0 + i) % fs->ngroups;

		if (gd_get_count(fs, g, GD_FREE_INODES, GD_FREE_INODES_HI) == 0)
			continue;
		ret = load_ibitmap(fs, g, map);
		if (ret != 0)
			break;
		ret = -MV_ENOSPC;
		for (uint32_t b = 0; b < fs->ipg; b++) {
			uint32_t n = g * fs->ipg + b + 1;

			if (n < fs->first_ino || (map[b / 8] & (1U << (b % 8))))
				continue;
			map[b / 8] |= (uint8_t)(1U << (b % 8));
			/* uninit_bg and metadata_csum: fsck reads the table only up to "unused". */
			if (fs->csum || fs->gdt_csum) {
				uint32_t unused =
				    gd_get_count(fs, g, GD_ITABLE_UNUSED, GD_ITABLE_UNUSED_HI);

				if (b + 1 > fs->ipg - unused)
					gd_set_count(fs, g, GD_ITABLE_UNUSED, GD_ITABLE_UNUSED_HI,
						     fs->ipg - b - 1);
			}
			ret = store_ibitmap(fs, g, map, -1, dir ? 1 : 0);
			*ino = n;
			break;
		}
	}
	e4_free_mem(fs, map);
	return ret;
}

int inode_free(struct mv_fs *fs, uint32_t ino, bool dir)
{
	uint32_t g = (ino - 1) / fs->ipg, b = (ino - 1) % fs->ipg;
	uint8_t *map;
	int ret;

	if (ino < fs->first_ino || ino > get32(fs->sb + SB_INODES_COUNT))
		return -MV_EUCLEAN;
	map = e4_alloc_mem(fs, fs->bs);
	if (!map)
		return -MV_ENOMEM;
	ret = load_ibitmap(fs, g, map);
	if (ret == 0 && !(map[b / 8] & (1U << (b % 8))))
		ret = -MV_EUCLEAN;
	if (ret == 0) {
		map[b / 8] &= (uint8_t) ~(1U << (b % 8));
		ret = store_ibitmap(fs, g, map, 1, dir ? -1 : 0);
	}
	e4_free_mem(fs, map);
	return ret;
}
