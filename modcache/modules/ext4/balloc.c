/* Block bitmaps: allocation of runs near a goal, freeing, uninitialised groups, checksums. */
#include <string.h>
#include "ext4.h"

static bool test_bit(const uint8_t *map, uint32_t bit)
{
	return map[bit / 8] & (1U << (bit % 8));
}

static void set_bit(uint8_t *map, uint32_t bit, bool on)
{
	if (on)
		map[bit / 8] |= (uint8_t)(1U << (bit % 8));
	else
		map[bit / 8] &= (uint8_t) ~(1U << (bit % 8));
}

static uint64_t group_first(const struct mv_fs *fs, uint32_t g)
{
	return fs->first_data_block + (uint64_t)g * fs->bpg;
}

static uint32_t group_blocks(const struct mv_fs *fs, uint32_t g)
{
	uint64_t left = fs->blocks_count - group_first(fs, g);

	return left < fs->bpg ? (uint32_t)left : fs->bpg;
}

/* sparse_super keeps backups in groups 0, 1 and the powers of 3, 5 and 7. */
static bool has_super(const struct mv_fs *fs, uint32_t g)
{
	if (!(fs->ro_compat & RO_SPARSE_SUPER) || g <= 1)
		return true;
	for (uint32_t b = 3; b <= 7; b += 2) {
		uint64_t p = b;

		while (p < g)
			p *= b;
		if (p == g)
			return true;
	}
	return false;
}

static void mark_range(const struct mv_fs *fs, uint8_t *map, uint32_t g, uint64_t blk, uint64_t n)
{
	uint64_t first = group_first(fs, g), end = first + group_blocks(fs, g);

	for (uint64_t b = blk; b < blk + n; b++) {
		if (b >= first && b < end)
			set_bit(map, (uint32_t)(b - first), true);
	}
}

/* What mke2fs would have written for a BLOCK_UNINIT group: only its metadata in use. */
static void init_block_bitmap(const struct mv_fs *fs, uint32_t g, uint8_t *map)
{
	uint64_t itable = ((uint64_t)fs->ipg * fs->inode_size + fs->bs - 1) / fs->bs;

	memset(map, 0, fs->bs);
	if (has_super(fs, g)) {
		uint64_t gdt = ((uint64_t)fs->ngroups * fs->desc_size + fs->bs - 1) / fs->bs;

		mark_range(fs, map, g, group_first(fs, g), 1 + gdt + get16(fs->sb + 0xCE));
	}
	for (uint32_t h = 0; h < fs->ngroups; h++) {
		mark_range(fs, map, g, gd_block_bitmap(fs, h), 1);
		mark_range(fs, map, g, gd_inode_bitmap(fs, h), 1);
		mark_range(fs, map, g, gd_inode_table(fs, h), itable);
	}
	for (uint32_t b = group_blocks(fs, g); b < fs->bs * 8; b++)
		set_bit(map, b, true);
}

static int load_bitmap(struct mv_fs *fs, uint32_t g, uint8_t *map)
{
	uint32_t want;
	int ret;

	if (get16(gd_get(fs, g) + GD_FLAGS) & BG_BLOCK_UNINIT) {
		init_block_bitmap(fs, g, map);
		return 0;
	}
	ret = cache_read(fs, gd_block_bitmap(fs, g), map);
	if (ret != 0 || !fs->csum)
		return ret;
	want = gd_get_count(fs, g, GD_BBITMAP_CSUM, GD_BBITMAP_CSUM_HI);
	if (fs->desc_size < 64)
		return (bitmap_csum(fs, map, fs->bpg) & 0xFFFFU) == want ? 0 : -MV_EUCLEAN;
	return bitmap_csum(fs, map, fs->bpg) == want ? 0 : -MV_EUCLEAN;
}

static int store_bitmap(struct mv_fs *fs, uint32_t g, const uint8_t *map, int32_t delta)
{
	uint8_t *d = gd_get(fs, g);
	uint32_t free = gd_get_count(fs, g, GD_FREE_BLOCKS, GD_FREE_BLOCKS_HI);
	int ret;

	ret = cache_write(fs, gd_block_bitmap(fs, g), map);
	if (ret != 0)
		return ret;
	if (fs->csum)
		gd_set_count(fs, g, GD_BBITMAP_CSUM, GD_BBITMAP_CSUM_HI,
			     bitmap_csum(fs, map, fs->bpg));
	put16(d + GD_FLAGS, get16(d + GD_FLAGS) & ~BG_BLOCK_UNINIT);
	gd_set_count(fs, g, GD_FREE_BLOCKS, GD_FREE_BLOCKS_HI, (uint32_t)((int64_t)free + delta));
	sb_set_free_blocks(fs, (uint64_t)((int64_t)sb_free_blocks(fs) + delta));
	return gd_write(fs, g);
}

/* The first run of free blocks at or after bit from (wrapping once), at most count long. */
static bool find_run(const uint8_t *map, uint32_t nbits, uint32_t from, uint32_t count,
		     uint32_t *start, uint32_t *len)
{
	for (uint32_t i = 0; i < nbits; i++) {
		uint32_t b = (from + i) % nbits, n = 0;

		if (test_bit(map, b))
			continue;
		while (b + n < nbits && n < count && !test_bit(map, b + n))
			n++;
		*start = b;
		*len = n;
		return true;
	}
	return false;
}

int balloc_alloc(struct mv_fs *fs, uint64_t goal, uint32_t count, uint64_t *start, uint32_t *got)
{
	uint8_t *map;
	uint32_t g0;
	int ret = -MV_ENOSPC;

	if (fs->rdonly)
		return -MV_EROFS;
	if (sb_free_blocks(fs) == 0 || count == 0)
		return -MV_ENOSPC;
	if (goal < fs->first_data_block || goal >= fs->blocks_count)
		goal = fs->first_data_block;
	map = e4_alloc_mem(fs, fs->bs);
	if (!map)
		return -MV_ENOMEM;
	g0 = (uint32_t)((goal - fs->first_data_block) / fs->bpg);
	for (uint32_t i = 0; i < fs->ngroups; i++) {
		uint32_t g = (g0 + i) % fs->ngroups, bit, len;
		uint32_t from = g == g0 && i == 0 ? (uint32_t)(goal - group_first(fs, g)) : 0;

		if (gd_get_count(fs, g, GD_FREE_BLOCKS, GD_FREE_BLOCKS_HI) == 0)
			continue;
		ret = load_bitmap(fs, g, map);
		if (ret != 0)
			break;
		ret = -MV_ENOSPC;
		if (!find_run(map, group_blocks(fs, g), from, count, &bit, &len))
			continue;
		for (uint32_t b = 0; b < len; b++)
			set_bit(map, bit + b, true);
		ret = store_bitmap(fs, g, map, -(int32_t)len);
		if (ret == 0) {
			*start = group_first(fs, g) + bit;
			*got = len;
			fs->last_goal = *start + len;
		}
		break;
	}
	e4_free_mem(fs, map);
	return ret;
}

int balloc_free(struct mv_fs *fs, uint64_t start, uint32_t count)
{
	uint8_t *map;
	int ret = 0;

	if (fs->rdonly)
		return -MV_EROFS;
	if (!e4_block_valid(fs, start, count) || start <= fs->first_data_block)
		return -MV_EUCLEAN;
	map = e4_alloc_mem(fs, fs->bs);
	if (!map)
		return -MV_ENOMEM;
	while (count > 0 && ret == 0) {
		uint32_t g = (uint32_t)((start - fs->first_data_block) / fs->bpg);
		uint32_t bit = (uint32_t)(start - group_first(fs, g));
		uint32_t n = group_blocks(fs, g) - bit;

		if (n > count)
			n = count;
		ret = load_bitmap(fs, g, map);
		for (uint32_t b = 0; b < n && ret == 0; b++) {
			/* Freeing a free block means two owners: the volume is corrupt. */
			if (!test_bit(map, bit + b))
				ret = -MV_EUCLEAN;
			set_bit(map, bit + b, false);
		}
		if (ret == 0)
			ret = store_bitmap(fs, g, map, (int32_t)n);
		start += n;
		count -= n;
	}
	e4_free_mem(fs, map);
	return ret;
}
