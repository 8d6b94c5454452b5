/* Group descriptors (32- and 64-byte layouts), their checksums, bitmap checksums, free counts. */
#include <string.h>
#include "ext4.h"

uint8_t *gd_get(const struct mv_fs *fs, uint32_t group)
{
	return fs->gdt + (size_t)group * fs->desc_size;
}

static uint64_t gd_block(const struct mv_fs *fs, uint32_t group, uint32_t off)
{
	const uint8_t *d = gd_get(fs, group);
	uint64_t v = get32(d + off);

	if (fs->desc_size >= 64)
		v |= (uint64_t)get32(d + off + GD_HI) << 32;
	return v;
}

uint64_t gd_block_bitmap(const struct mv_fs *fs, uint32_t group)
{
	return gd_block(fs, group, GD_BLOCK_BITMAP);
}

uint64_t gd_inode_bitmap(const struct mv_fs *fs, uint32_t group)
{
	return gd_block(fs, group, GD_INODE_BITMAP);
}

uint64_t gd_inode_table(const struct mv_fs *fs, uint32_t group)
{
	return gd_block(fs, group, GD_INODE_TABLE);
}

/* 16-bit counts with an optional high half in the 64-byte layout. */
uint32_t gd_get_count(const struct mv_fs *fs, uint32_t group, uint32_t lo_off, uint32_t hi_off)
{
	const uint8_t *d = gd_get(fs, group);
	uint32_t v = get16(d + lo_off);

	if (fs->desc_size >= 64)
		v |= (uint32_t)get16(d + hi_off) << 16;
	return v;
}

void gd_set_count(struct mv_fs *fs, uint32_t group, uint32_t lo_off, uint32_t hi_off, uint32_t v)
{
	uint8_t *d = gd_get(fs, group);

	put16(d + lo_off, v & 0xFFFFU);
	if (fs->desc_size >= 64)
		put16(d + hi_off, v >> 16);
}

static uint16_t gd_csum(const struct mv_fs *fs, uint32_t group)
{
	const uint8_t *d = gd_get(fs, group);
	uint8_t le_group[4];

	put32(le_group, group);
	if (fs->csum) {
		static const uint8_t zero[2];
		uint32_t c = e4_crc32c(fs->seed, le_group, 4);

		c = e4_crc32c(c, d, GD_CSUM);
		c = e4_crc32c(c, zero, 2);
		if (fs->desc_size > GD_CSUM + 2)
			c = e4_crc32c(c, d + GD_CSUM + 2, fs->desc_size - GD_CSUM - 2);
		return (uint16_t)(c & 0xFFFFU);
	}
	uint16_t c = e4_crc16(0xFFFFU, fs->sb + SB_UUID, 16);

	c = e4_crc16(c, le_group, 4);
	c = e4_crc16(c, d, GD_CSUM);
	if ((fs->incompat & INCOMPAT_64BIT) && fs->desc_size > GD_CSUM + 2)
		c = e4_crc16(c, d + GD_CSUM + 2, fs->desc_size - GD_CSUM - 2);
	return c;
}

bool gd_csum_ok(const struct mv_fs *fs, uint32_t group)
{
	if (!fs->csum && !fs->gdt_csum)
		return true;
	return get16(gd_get(fs, group) + GD_CSUM) == gd_csum(fs, group);
}

int gd_write(struct mv_fs *fs, uint32_t group)
{
	uint64_t byte = (uint64_t)group * fs->desc_size;
	uint64_t blk = fs->gdt_start + byte / fs->bs;

	if (fs->csum || fs->gdt_csum)
		put16(gd_get(fs, group) + GD_CSUM, gd_csum(fs, group));
	/* The descriptors of one block are contiguous in memory, in the order they are on disk. */
	return cache_write(fs, blk, fs->gdt + (byte / fs->bs) * fs->bs);
}

uint32_t bitmap_csum(const struct mv_fs *fs, const uint8_t *bitmap, uint32_t bits)
{
	return e4_crc32c(fs->seed, bitmap, bits / 8);
}

uint64_t sb_free_blocks(const struct mv_fs *fs)
{
	uint64_t v = get32(fs->sb + SB_FREE_BLOCKS_LO);

	if (fs->incompat & INCOMPAT_64BIT)
		v |= (uint64_t)get32(fs->sb + SB_FREE_BLOCKS_HI) << 32;
	return v;
}

void sb_set_free_blocks(struct mv_fs *fs, uint64_t v)
{
	put32(fs->sb + SB_FREE_BLOCKS_LO, (uint32_t)v);
	if (fs->incompat & INCOMPAT_64BIT)
		put32(fs->sb + SB_FREE_BLOCKS_HI, (uint32_t)(v >> 32));
	fs->sb_dirty = true;
}
