/* A small write-back sector cache for metadata and partial-sector data, with FAT mirroring. */
#include <string.h>
#include "fatfs.h"

int cache_init(struct mv_fs *fs)
{
	uint8_t *block = fat_alloc_mem(fs, FAT_CACHE_SLOTS * FAT_SECTOR);

	if (!block)
		return -MV_ENOMEM;
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		fs->cache[i].data = block + i * FAT_SECTOR;
		fs->cache[i].valid = false;
		fs->cache[i].dirty = false;
	}
	return 0;
}

void cache_destroy(struct mv_fs *fs)
{
	fat_free_mem(fs, fs->cache[0].data);
	fs->cache[0].data = NULL;
}

static bool in_active_fat(const struct mv_fs *fs, uint64_t sector)
{
	return sector >= fs->fat_start && sector - fs->fat_start < fs->fat_sectors;
}

/* A FAT sector goes to every copy, so the copies never disagree on disk. */
static int writeback(struct mv_fs *fs, struct fat_cache_slot *s)
{
	int ret = 0;

	if (!s->valid || !s->dirty)
		return 0;
	if (fs->fat_mirror && in_active_fat(fs, s->sector)) {
		uint64_t rel = s->sector - fs->fat_start;

		for (uint32_t i = 0; i < fs->nfats; i++) {
			uint64_t sec = fs->fat0_start + (uint64_t)i * fs->fat_sectors + rel;
			int r = fat_blk_write(fs, sec, s->data, 1);

			if (r != 0 && ret == 0)
				ret = r;
		}
	} else {
		ret = fat_blk_write(fs, s->sector, s->data, 1);
	}
	if (ret == 0)
		s->dirty = false;
	return ret;
}

static int get_slot(struct mv_fs *fs, uint64_t sector, bool fill, struct fat_cache_slot **out)
{
	struct fat_cache_slot *victim = NULL;
	int ret;

	if (sector >= fs->total_sectors)
		return -MV_EUCLEAN;
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		struct fat_cache_slot *s = &fs->cache[i];

		if (s->valid && s->sector == sector) {
			s->stamp = ++fs->stamp;
			*out = s;
			return 0;
		}
		if (!victim || !s->valid || (victim->valid && s->stamp < victim->stamp))
			victim = s;
	}
	ret = writeback(fs, victim);
	if (ret != 0)
		return ret;
	victim->valid = false;
	if (fill) {
		ret = fat_blk_read(fs, sector, victim->data, 1);
		if (ret != 0)
			return ret;
	} else {
		memset(victim->data, 0, FAT_SECTOR);
	}
	victim->valid = true;
	victim->dirty = false;
	victim->sector = sector;
	victim->stamp = ++fs->stamp;
	*out = victim;
	return 0;
}

int cache_read(struct mv_fs *fs, uint64_t sector, uint32_t off, void *buf, uint32_t len)
{
	struct fat_cache_slot *s;
	int ret;

	if (off > FAT_SECTOR || len > FAT_SECTOR - off)
		return -MV_EINVAL;
	ret = get_slot(fs, sector, true, &s);
	if (ret == 0)
		memcpy(buf, s->data + off, len);
	return ret;
}

int cache_write(struct mv_fs *fs, uint64_t sector, uint32_t off, const void *buf, uint32_t len,
		bool fresh)
{
	struct fat_cache_slot *s;
	int ret;

	if (off > FAT_SECTOR || len > FAT_SECTOR - off)
		return -MV_EINVAL;
	ret = get_slot(fs, sector, !fresh, &s);
	if (ret != 0)
		return ret;
	if (buf)
		memcpy(s->data + off, buf, len);
	else
		memset(s->data + off, 0, len);
	s->dirty = true;
	return 0;
}

int cache_flush(struct mv_fs *fs)
{
	int ret = 0;

	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		int r = writeback(fs, &fs->cache[i]);

		if (r != 0 && ret == 0)
			ret = r;
	}
	return ret;
}

/* Before reading sectors straight from the device, so that it holds what the cache holds. */
int cache_flush_range(struct mv_fs *fs, uint64_t start, uint32_t count)
{
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		struct fat_cache_slot *s = &fs->cache[i];

		if (s->valid && s->sector >= start && s->sector - start < count) {
			int ret = writeback(fs, s);

			if (ret != 0)
				return ret;
		}
	}
	return 0;
}

/* After writing sectors straight to the device: cached copies are stale, dirty or not. */
void cache_drop_range(struct mv_fs *fs, uint64_t start, uint32_t count)
{
	for (uint32_t i = 0; i < FAT_CACHE_SLOTS; i++) {
		struct fat_cache_slot *s = &fs->cache[i];

		if (s->valid && s->sector >= start && s->sector - start < count) {
			s->valid = false;
			s->dirty = false;
		}
	}
}
