/* File data: read, write (growing and zero-filling), seek, truncate and close. */
#include <string.h>
#include "fatfs.h"

static bool can_read(const struct mv_file *f)
{
	int acc = f->flags & MV_O_ACCMODE;

	return acc == MV_O_RDONLY || acc == MV_O_RDWR;
}

static bool can_write(const struct mv_file *f)
{
	int acc = f->flags & MV_O_ACCMODE;

	return acc == MV_O_WRONLY || acc == MV_O_RDWR;
}

static uint32_t clusters_for(const struct mv_fs *fs, uint64_t bytes)
{
	return (uint32_t)((bytes + fs->clus_bytes - 1) / fs->clus_bytes);
}

/* Whole sectors from clus on, following the chain while it stays contiguous. */
static int run_sectors(struct mv_fs *fs, struct fat_node *node, uint32_t cidx, uint32_t clus,
		       uint32_t coff, uint32_t want)
{
	uint32_t n = (fs->clus_bytes - coff) / FAT_SECTOR;

	while (n < want && n < FAT_IO_MAX_SECTORS && cidx + 1 < node->nclus) {
		uint32_t next;
		int ret = node_clus_at(fs, node, cidx + 1, &next);

		if (ret != 0)
			return ret;
		if (next != clus + 1)
			break;
		clus = next;
		cidx++;
		n += fs->spc;
	}
	if (n > want)
		n = want;
	return (int)(n < FAT_IO_MAX_SECTORS ? n : FAT_IO_MAX_SECTORS);
}

/*
 * Moves n bytes at pos between buf and allocated clusters. Whole sectors go straight to the
 * device; partial ones through the cache. Writing with src NULL writes zeros.
 */
static int xfer(struct mv_fs *fs, struct fat_node *node, uint64_t pos, uint8_t *dst,
		const uint8_t *src, uint32_t n, bool write)
{
	uint32_t done = 0;

	while (done < n) {
		uint64_t p = pos + done;
		uint32_t coff = (uint32_t)(p % fs->clus_bytes), soff = coff % FAT_SECTOR;
		uint32_t left = n - done, clus, chunk;
		uint64_t sec;
		int ret = node_clus_at(fs, node, (uint32_t)(p / fs->clus_bytes), &clus);

		if (ret != 0)
			return ret;
		sec = fat_clus_sector(fs, clus) + coff / FAT_SECTOR;
		if (soff != 0 || left < FAT_SECTOR) {
			chunk = FAT_SECTOR - soff < left ? FAT_SECTOR - soff : left;
			if (write)
				/* A sector wholly past the old end holds nothing worth reading. */
				ret = cache_write(fs, sec, soff, src ? src + done : NULL, chunk,
						  p - soff >= node->size);
			else
				ret = cache_read(fs, sec, soff, dst + done, chunk);
		} else if (write && !src) {
			chunk = FAT_SECTOR;
			cache_drop_range(fs, sec, 1);
			ret = fat_blk_write(fs, sec, fs->zero, 1);
		} else {
			int ns = run_sectors(fs, node, (uint32_t)(p / fs->clus_bytes), clus, coff,
					     left / FAT_SECTOR);

			if (ns < 0)
				return ns;
			chunk = (uint32_t)ns * FAT_SECTOR;
			if (write) {
				cache_drop_range(fs, sec, (uint32_t)ns);
				ret = fat_blk_write(fs, sec, src + done, (uint32_t)ns);
			} else {
				ret = cache_flush_range(fs, sec, (uint32_t)ns);
				if (ret == 0)
					ret = fat_blk_read(fs, sec, dst + done, (uint32_t)ns);
			}
		}
		if (ret != 0)
			return ret;
		done += chunk;
	}
	return 0;
}

int64_t file_read(struct mv_fs *fs, struct mv_file *f, void *buf, uint64_t len)
{
	struct fat_node *node = f->node;
	uint64_t n;
	int ret;

	if (node->attr & FAT_ATTR_DIR)
		return -MV_EISDIR;
	if (!can_read(f))
		return -MV_EBADF;
	if (f->pos >= node->size || len == 0)
		return 0;
	n = node->size - f->pos;
	if (n > len)
		n = len;
	ret = xfer(fs, node, f->pos, buf, NULL, (uint32_t)n, false);
	if (ret != 0)
		return ret;
	f->pos += n;
	return (int64_t)n;
}

/* Writes [pos, pos + len) and zeros over any hole before pos; returns bytes written. */
static int64_t write_at(struct mv_fs *fs, struct fat_node *node, uint64_t pos, const uint8_t *buf,
			uint64_t len)
{
	uint32_t old_nclus = node->nclus;
	uint64_t end;
	int ret;

	if (pos >= FAT_MAX_FILE_SIZE)
		return -MV_EFBIG;
	if (len > FAT_MAX_FILE_SIZE - pos)
		len = FAT_MAX_FILE_SIZE - pos;
	end = pos + len;
	ret = node_grow(fs, node, clusters_for(fs, end));
	if (ret == -MV_ENOSPC && (uint64_t)node->nclus * fs->clus_bytes > pos) {
		/* Like any POSIX file system: write what fits, report the short count. */
		end = (uint64_t)node->nclus * fs->clus_bytes;
		ret = 0;
	}
	if (ret == 0 && pos > node->size)
		ret = xfer(fs, node, node->size, NULL, NULL, (uint32_t)(pos - node->size), true);
	if (ret == 0)
		ret = xfer(fs, node, pos, NULL, buf, (uint32_t)(end - pos), true);
	if (ret != 0) {
		/* Give back what this write allocated, so the chain matches the size again. */
		node_trim(fs, node, old_nclus);
		return ret;
	}
	if (end > node->size)
		node->size = (uint32_t)end;
	ret = node_write_dirent(fs, node, true);
	return ret ? ret : (int64_t)(end - pos);
}

int64_t file_write(struct mv_fs *fs, struct mv_file *f, const void *buf, uint64_t len)
{
	int64_t n;

	if (f->node->attr & FAT_ATTR_DIR)
		return -MV_EISDIR;
	if (!can_write(f))
		return -MV_EBADF;
	if (f->flags & MV_O_APPEND)
		f->pos = f->node->size;
	if (len == 0)
		return 0;
	n = write_at(fs, f->node, f->pos, buf, len);
	if (n > 0)
		f->pos += (uint64_t)n;
	return n;
}

int64_t file_seek(struct mv_fs *fs, struct mv_file *f, int64_t off, int whence)
{
	uint64_t base;
	bool dir = (f->node->attr & FAT_ATTR_DIR) != 0;

	(void)fs;
	if (whence == MV_SEEK_SET)
		base = 0;
	else if (whence == MV_SEEK_CUR)
		base = f->pos;
	else if (whence == MV_SEEK_END && !dir)
		base = f->node->size;
	else
		return -MV_EINVAL;
	if ((off < 0 && (uint64_t)(-(off + 1)) + 1 > base) ||
	    (off > 0 && (uint64_t)off > (uint64_t)INT64_MAX - base))
		return -MV_EINVAL;
	base = off < 0 ? base - ((uint64_t)(-(off + 1)) + 1) : base + (uint64_t)off;
	/* A directory's position is a slot index, as readdir left it. */
	if (dir && base > FAT_MAX_DIR_SLOTS)
		return -MV_EINVAL;
	f->pos = base;
	f->it_valid = false;
	return (int64_t)base;
}

int file_truncate(struct mv_fs *fs, struct fat_node *node, uint64_t len)
{
	uint32_t old_nclus = node->nclus;
	int ret;

	if (len > FAT_MAX_FILE_SIZE)
		return -MV_EFBIG;
	if (len == node->size)
		return 0;
	if (len < node->size) {
		node->size = (uint32_t)len;
		ret = node_trim(fs, node, clusters_for(fs, len));
	} else {
		ret = node_grow(fs, node, clusters_for(fs, len));
		if (ret == 0)
			ret = xfer(fs, node, node->size, NULL, NULL, (uint32_t)(len - node->size),
				   true);
		if (ret != 0) {
			node_trim(fs, node, old_nclus);
			return ret;
		}
		node->size = (uint32_t)len;
	}
	if (ret == 0)
		ret = node_write_dirent(fs, node, true);
	return ret;
}

int file_close(struct mv_fs *fs, struct mv_file *f)
{
	int ret = node_put(fs, f->node);
	int ret2 = cache_flush(fs);

	f->magic = 0;
	fat_free_mem(fs, f);
	return ret ? ret : ret2;
}
