/* The file allocation table: entry access for FAT12/16/32, chain walks, allocation and freeing. */
#include <string.h>
#include "fatfs.h"

#define FSINFO_UNKNOWN 0xFFFFFFFFU

bool fat_clus_valid(const struct mv_fs *fs, uint32_t clus)
{
	return clus >= 2 && clus - 2 < fs->nclusters;
}

uint64_t fat_clus_sector(const struct mv_fs *fs, uint32_t clus)
{
	return fs->data_start + (uint64_t)(clus - 2) * fs->spc;
}

static uint32_t eoc_min(const struct mv_fs *fs)
{
	return fs->type == FAT12 ? 0xFF8U : fs->type == FAT16 ? 0xFFF8U : 0x0FFFFFF8U;
}

static uint32_t eoc_mark(const struct mv_fs *fs)
{
	return fs->type == FAT12 ? 0xFFFU : fs->type == FAT16 ? 0xFFFFU : 0x0FFFFFFFU;
}

/* FAT12 entries straddle bytes and sometimes sectors, so they are read a byte at a time. */
static int fat12_byte(struct mv_fs *fs, uint32_t byte, uint8_t *v)
{
	return cache_read(fs, fs->fat_start + byte / FAT_SECTOR, byte % FAT_SECTOR, v, 1);
}

static int fat12_put_byte(struct mv_fs *fs, uint32_t byte, uint8_t v)
{
	return cache_write(fs, fs->fat_start + byte / FAT_SECTOR, byte % FAT_SECTOR, &v, 1, false);
}

int fat_get(struct mv_fs *fs, uint32_t clus, uint32_t *val)
{
	uint8_t b[4];
	uint32_t off;
	int ret;

	if (!fat_clus_valid(fs, clus))
		return -MV_EUCLEAN;
	switch (fs->type) {
	case FAT12:
		off = clus + clus / 2;
		ret = fat12_byte(fs, off, &b[0]);
		if (ret == 0)
			ret = fat12_byte(fs, off + 1, &b[1]);
		if (ret != 0)
			return ret;
		*val = (clus & 1) ? (uint32_t)get16(b) >> 4 : get16(b) & 0xFFFU;
		return 0;
	case FAT16:
		off = clus * 2;
		ret = cache_read(fs, fs->fat_start + off / FAT_SECTOR, off % FAT_SECTOR, b, 2);
		if (ret == 0)
			*val = get16(b);
		return ret;
	default:
		off = clus * 4;
		ret = cache_read(fs, fs->fat_start + off / FAT_SECTOR, off % FAT_SECTOR, b, 4);
		if (ret == 0)
			*val = get32(b) & 0x0FFFFFFFU;
		return ret;
	}
}

int fat_set(struct mv_fs *fs, uint32_t clus, uint32_t val)
{
	uint8_t b[4];
	uint32_t off, sec;
	int ret;

	if (!fat_clus_valid(fs, clus))
		return -MV_EUCLEAN;
	switch (fs->type) {
	case FAT12:
		off = clus + clus / 2;
		ret = fat12_byte(fs, off, &b[0]);
		if (ret == 0)
			ret = fat12_byte(fs, off + 1, &b[1]);
		if (ret != 0)
			return ret;
		if (clus & 1) {
			b[0] = (uint8_t)((b[0] & 0x0F) | ((val & 0xF) << 4));
			b[1] = (uint8_t)(val >> 4);
		} else {
			b[0] = (uint8_t)val;
			b[1] = (uint8_t)((b[1] & 0xF0) | ((val >> 8) & 0xF));
		}
		ret = fat12_put_byte(fs, off, b[0]);
		if (ret == 0)
			ret = fat12_put_byte(fs, off + 1, b[1]);
		return ret;
	case FAT16:
		off = clus * 2;
		put16(b, val);
		return cache_write(fs, fs->fat_start + off / FAT_SECTOR, off % FAT_SECTOR, b, 2,
				   false);
	default:
		/* The top four bits are reserved and must survive our writes. */
		off = clus * 4;
		sec = fs->fat_start + off / FAT_SECTOR;
		ret = cache_read(fs, sec, off % FAT_SECTOR, b, 4);
		if (ret != 0)
			return ret;
		put32(b, (get32(b) & 0xF0000000U) | (val & 0x0FFFFFFFU));
		return cache_write(fs, sec, off % FAT_SECTOR, b, 4, false);
	}
}

int fat_next(struct mv_fs *fs, uint32_t clus, uint32_t *next)
{
	uint32_t v;
	int ret = fat_get(fs, clus, &v);

	if (ret != 0)
		return ret;
	if (v >= eoc_min(fs)) {
		*next = 0;
		return 0;
	}
	/* Free, reserved, bad or out of range: the chain is broken. */
	if (!fat_clus_valid(fs, v))
		return -MV_EUCLEAN;
	*next = v;
	return 0;
}

int fat_alloc(struct mv_fs *fs, uint32_t prev, uint32_t *out)
{
	uint32_t start = fat_clus_valid(fs, fs->next_free) ? fs->next_free : 2;

	if (fs->free_count == 0)
		return -MV_ENOSPC;
	for (uint32_t i = 0; i < fs->nclusters; i++) {
		uint32_t c = 2 + (start - 2 + i) % fs->nclusters;
		uint32_t v;
		int ret = fat_get(fs, c, &v);

		if (ret != 0)
			return ret;
		if (v != 0)
			continue;
		ret = fat_set(fs, c, eoc_mark(fs));
		if (ret == 0 && prev != 0) {
			ret = fat_set(fs, prev, c);
			if (ret != 0)
				fat_set(fs, c, 0);
		}
		if (ret != 0)
			return ret;
		if (fs->free_count != FSINFO_UNKNOWN)
			fs->free_count--;
		fs->next_free = c + 1 - 2 < fs->nclusters ? c + 1 : 2;
		fs->fsinfo_dirty = true;
		*out = c;
		return 0;
	}
	return -MV_ENOSPC;
}

int fat_end_chain(struct mv_fs *fs, uint32_t clus)
{
	return fat_set(fs, clus, eoc_mark(fs));
}

int fat_free_chain(struct mv_fs *fs, uint32_t start)
{
	uint32_t c = start;

	/* A loop or a cross-link ends at an entry this walk already freed. */
	for (uint32_t n = 0; c != 0; n++) {
		uint32_t v;
		int ret;

		if (!fat_clus_valid(fs, c) || n >= fs->nclusters)
			return -MV_EUCLEAN;
		ret = fat_get(fs, c, &v);
		if (ret != 0)
			return ret;
		if (v == 0)
			return -MV_EUCLEAN;
		ret = fat_set(fs, c, 0);
		if (ret != 0)
			return ret;
		if (fs->free_count != FSINFO_UNKNOWN && fs->free_count < fs->nclusters)
			fs->free_count++;
		fs->fsinfo_dirty = true;
		if (v >= eoc_min(fs))
			break;
		if (!fat_clus_valid(fs, v))
			return -MV_EUCLEAN;
		c = v;
	}
	return 0;
}

int fat_chain_len(struct mv_fs *fs, uint32_t start, uint32_t limit, uint32_t *len, uint32_t *last)
{
	uint32_t c = start, n = 0;

	*last = 0;
	while (c != 0) {
		int ret;

		if (!fat_clus_valid(fs, c) || n >= limit || n >= fs->nclusters)
			return -MV_EUCLEAN;
		n++;
		*last = c;
		ret = fat_next(fs, c, &c);
		if (ret != 0)
			return ret;
	}
	*len = n;
	return 0;
}

/* A zeroed buffer of *chunk sectors (at most a cluster and one device call), or NULL and
 * *chunk 1 if the heap has none to spare: then the zero sector is written over and over. */
static uint8_t *zero_chunk(const struct mv_fs *fs, uint32_t *chunk)
{
	uint32_t n = fs->spc;
	uint8_t *p;

	if (n > FAT_IO_MAX_SECTORS)
		n = FAT_IO_MAX_SECTORS;
	*chunk = 1;
	if (n == 1)
		return NULL;
	p = fat_alloc_mem(fs, (size_t)n * FAT_SECTOR);
	if (p) {
		memset(p, 0, (size_t)n * FAT_SECTOR);
		*chunk = n;
	}
	return p;
}

/* A device call per sector costs a guest a trap and a host request each time, and a
 * directory grows by one such cluster every few dozen names: one call per cluster. */
int fat_zero_clus(struct mv_fs *fs, uint32_t clus)
{
	uint64_t sec = fat_clus_sector(fs, clus);
	uint32_t chunk;
	uint8_t *zeros = zero_chunk(fs, &chunk);
	int ret = 0;

	cache_drop_range(fs, sec, fs->spc);
	for (uint32_t i = 0; i < fs->spc && ret == 0; i += chunk)
		ret = fat_blk_write(fs, sec + i, zeros ? zeros : fs->zero, chunk);
	fat_free_mem(fs, zeros);
	return ret;
}
