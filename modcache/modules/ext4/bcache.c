/* Block I/O checked against the volume, and a small write-through cache of metadata blocks. */
#include <string.h>
#include "ext4.h"

bool e4_block_valid(const struct mv_fs *fs, uint64_t block, uint64_t count)
{
	return count > 0 && block < fs->blocks_count && count <= fs->blocks_count - block;
}

/* Every device access is checked against the volume, whatever asked for it. */
int e4_dev_read(const struct mv_fs *fs, uint64_t block, void *buf, uint32_t nblocks)
{
	if (!e4_block_valid(fs, block, nblocks))
		return -MV_EUCLEAN;
	return fs->ks->blk_read(fs->ks->ctx, block * fs->spb, buf, nblocks * fs->spb) ? -MV_EIO : 0;
}

int e4_dev_write(const struct mv_fs *fs, uint64_t block, const void *buf, uint32_t nblocks)
{
	/* Block 0 holds the boot area and, on 1 KiB volumes, nothing of ours: never written. */
	if (!e4_block_valid(fs, block, nblocks) || block == 0)
		return -MV_EUCLEAN;
	return fs->ks->blk_write(fs->ks->ctx, block * fs->spb, buf, nblocks * fs->spb) ? -MV_EIO
										       : 0;
}

int cache_init(struct mv_fs *fs)
{
	for (uint32_t i = 0; i < E4_CACHE_SLOTS; i++) {
		fs->cache[i].data = e4_alloc_mem(fs, fs->bs);
		if (!fs->cache[i].data)
			return -MV_ENOMEM;
		fs->cache[i].valid = false;
	}
	return 0;
}

void cache_destroy(struct mv_fs *fs)
{
	for (uint32_t i = 0; i < E4_CACHE_SLOTS; i++) {
		e4_free_mem(fs, fs->cache[i].data);
		fs->cache[i].data = NULL;
	}
}

static struct e4_cache_slot *lookup(struct mv_fs *fs, uint64_t block)
{
	for (uint32_t i = 0; i < E4_CACHE_SLOTS; i++) {
		if (fs->cache[i].valid && fs->cache[i].block == block)
			return &fs->cache[i];
	}
	return NULL;
}

static struct e4_cache_slot *victim(struct mv_fs *fs)
{
	struct e4_cache_slot *v = &fs->cache[0];

	for (uint32_t i = 0; i < E4_CACHE_SLOTS; i++) {
		if (!fs->cache[i].valid)
			return &fs->cache[i];
		if (fs->cache[i].stamp < v->stamp)
			v = &fs->cache[i];
	}
	return v;
}

int cache_read(struct mv_fs *fs, uint64_t block, void *buf)
{
	struct e4_cache_slot *s = lookup(fs, block);

	if (!s) {
		int ret;

		s = victim(fs);
		s->valid = false;
		ret = e4_dev_read(fs, block, s->data, 1);
		if (ret != 0)
			return ret;
		s->block = block;
		s->valid = true;
	}
	s->stamp = ++fs->stamp;
	memcpy(buf, s->data, fs->bs);
	return 0;
}

/* Write-through: the device always holds what the cache holds, so nothing is lost unflushed. */
int cache_write(struct mv_fs *fs, uint64_t block, const void *buf)
{
	struct e4_cache_slot *s;
	int ret;

	if (fs->rdonly)
		return -MV_EROFS;
	ret = e4_dev_write(fs, block, buf, 1);
	s = lookup(fs, block);
	if (ret != 0) {
		if (s)
			s->valid = false;
		return ret;
	}
	if (!s)
		s = victim(fs);
	memcpy(s->data, buf, fs->bs);
	s->block = block;
	s->valid = true;
	s->stamp = ++fs->stamp;
	return 0;
}

/* Data written around the cache must not leave an older copy of the block in it. */
void cache_forget(struct mv_fs *fs, uint64_t block)
{
	struct e4_cache_slot *s = lookup(fs, block);

	if (s)
		s->valid = false;
}
