/* File data: read, write (allocating runs of blocks), seek, truncate and close. */
#include <string.h>
#include "ext4.h"

/* Extents address 2^32 blocks; the last one is kept out so block counts never wrap. */
#define E4_MAX_BLOCKS 0xFFFFFFFFULL

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

static bool is_dir(const struct e4_node *node)
{
	return (inode_mode(node->raw) & E4_S_IFMT) == E4_S_IFDIR;
}

/* Whole blocks of one extent from lblk on, at most max of them. */
static uint32_t run_in_extent(const struct e4_extent *e, uint32_t lblk, uint32_t max)
{
	uint32_t n = e->len - (lblk - e->lblk);

	return n < max ? n : max;
}

int64_t file_read(struct mv_fs *fs, struct mv_file *f, void *buf, uint64_t len)
{
	struct e4_node *node = f->node;
	uint64_t size = inode_size(node->raw), done = 0;
	uint8_t *dst = buf, *tmp;
	int ret;

	if (!can_read(f))
		return -MV_EBADF;
	if (is_dir(node))
		return -MV_EISDIR;
	if (f->pos >= size || len == 0)
		return 0;
	if (len > size - f->pos)
		len = size - f->pos;
	ret = map_load(fs, node);
	if (ret != 0)
		return ret;
	tmp = e4_alloc_mem(fs, fs->bs);
	if (!tmp)
		return -MV_ENOMEM;
	while (done < len && ret == 0) {
		uint64_t p = f->pos + done;
		uint32_t lblk = (uint32_t)(p / fs->bs), off = (uint32_t)(p % fs->bs);
		uint64_t left = len - done, chunk;
		const struct e4_extent *e = map_find(node, lblk);

		if (off == 0 && left >= fs->bs && e && !e->uninit) {
			uint32_t n = run_in_extent(e, lblk, E4_IO_MAX_SECTORS / fs->spb);

			if ((uint64_t)n * fs->bs > left)
				n = (uint32_t)(left / fs->bs);
			ret = e4_dev_read(fs, e->pblk + (lblk - e->lblk), dst + done, n);
			chunk = (uint64_t)n * fs->bs;
		} else {
			chunk = fs->bs - off < left ? fs->bs - off : left;
			if (e && !e->uninit)
				ret = e4_dev_read(fs, e->pblk + (lblk - e->lblk), tmp, 1);
			else
				memset(tmp, 0, fs->bs);
			if (ret == 0)
				memcpy(dst + done, tmp + off, chunk);
		}
		if (ret == 0)
			done += chunk;
	}
	e4_free_mem(fs, tmp);
	f->pos += done;
	return done ? (int64_t)done : ret;
}

/* Unwritten extents become written ones by zeroing their blocks once. */
static int init_extent(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, bool *dirty)
{
	struct e4_extent *e = (struct e4_extent *)map_find(node, lblk);

	if (!e || !e->uninit)
		return 0;
	for (uint32_t i = 0; i < e->len; i++) {
		int ret;

		cache_forget(fs, e->pblk + i);
		ret = e4_dev_write(fs, e->pblk + i, fs->zero, 1);
		if (ret != 0)
			return ret;
	}
	e->uninit = false;
	*dirty = true;
	return 0;
}

/* Maps the hole at lblk with as many new blocks as the write needs there (one run at most). */
static int fill_hole(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, uint32_t want,
		     uint32_t *got_out)
{
	uint64_t goal, start;
	uint32_t got;
	int ret;

	for (uint32_t i = 1; i < want; i++) {
		if (map_find(node, lblk + i)) {
			want = i;
			break;
		}
	}
	if (want > E4_EXT_INIT_MAX)
		want = E4_EXT_INIT_MAX;
	goal = 0;
	if (lblk > 0) {
		const struct e4_extent *prev = map_find(node, lblk - 1);

		if (prev)
			goal = prev->pblk + (lblk - prev->lblk);
	}
	if (!goal)
		map_last_block(node, &goal);
	ret = balloc_alloc(fs, goal ? goal : fs->last_goal, want, &start, &got);
	if (ret != 0)
		return ret;
	ret = map_insert(fs, node, lblk, start, got);
	if (ret != 0) {
		balloc_free(fs, start, got);
		return ret;
	}
	inode_add_blocks(fs, node->raw, got);
	*got_out = got;
	return 0;
}

/* Writes one piece that lies inside a single mapped extent. */
static int put_data(struct mv_fs *fs, const struct e4_extent *e, uint64_t p, const uint8_t *src,
		    uint64_t left, bool fresh, uint8_t *tmp, uint64_t *chunk)
{
	uint32_t lblk = (uint32_t)(p / fs->bs), off = (uint32_t)(p % fs->bs);
	uint64_t pblk = e->pblk + (lblk - e->lblk);
	int ret = 0;

	if (off == 0 && left >= fs->bs) {
		uint32_t n = run_in_extent(e, lblk, E4_IO_MAX_SECTORS / fs->spb);

		if ((uint64_t)n * fs->bs > left)
			n = (uint32_t)(left / fs->bs);
		for (uint32_t i = 0; i < n; i++)
			cache_forget(fs, pblk + i);
		*chunk = (uint64_t)n * fs->bs;
		return e4_dev_write(fs, pblk, src, n);
	}
	*chunk = fs->bs - off < left ? fs->bs - off : left;
	/* A block just allocated holds nothing worth reading: its rest becomes zeros. */
	if (fresh)
		memset(tmp, 0, fs->bs);
	else
		ret = e4_dev_read(fs, pblk, tmp, 1);
	if (ret != 0)
		return ret;
	memcpy(tmp + off, src, *chunk);
	cache_forget(fs, pblk);
	return e4_dev_write(fs, pblk, tmp, 1);
}

int64_t file_write(struct mv_fs *fs, struct mv_file *f, const void *buf, uint64_t len)
{
	struct e4_node *node = f->node;
	uint64_t size = inode_size(node->raw), done = 0, pos;
	const uint8_t *src = buf;
	bool dirty = false;
	uint32_t fresh_lo = 0, fresh_n = 0;
	uint8_t *tmp;
	int ret;

	if (!can_write(f))
		return -MV_EBADF;
	if (fs->rdonly)
		return -MV_EROFS;
	if (f->flags & MV_O_APPEND)
		f->pos = size;
	pos = f->pos;
	if (len == 0)
		return 0;
	if (pos >= E4_MAX_BLOCKS * fs->bs)
		return -MV_EFBIG;
	if (len > E4_MAX_BLOCKS * fs->bs - pos)
		len = E4_MAX_BLOCKS * fs->bs - pos;
	ret = map_load(fs, node);
	if (ret != 0)
		return ret;
	if (get32(node->raw + I_FLAGS) & IF_HUGE_FILE)
		return -MV_EFBIG;
	tmp = e4_alloc_mem(fs, fs->bs);
	if (!tmp)
		return -MV_ENOMEM;
	while (done < len && ret == 0) {
		uint64_t p = pos + done, chunk = 0;
		uint32_t lblk = (uint32_t)(p / fs->bs);
		uint64_t nblk = (p + (len - done) + fs->bs - 1) / fs->bs - lblk;
		const struct e4_extent *e = map_find(node, lblk);

		if (!e) {
			ret = fill_hole(fs, node, lblk,
					nblk > E4_EXT_INIT_MAX ? E4_EXT_INIT_MAX : (uint32_t)nblk,
					&fresh_n);
			fresh_lo = lblk;
			dirty |= ret == 0;
			continue;
		}
		if (e->uninit) {
			ret = init_extent(fs, node, lblk, &dirty);
			continue;
		}
		ret = put_data(fs, e, p, src + done, len - done, lblk - fresh_lo < fresh_n, tmp,
			       &chunk);
		if (ret == 0)
			done += chunk;
	}
	e4_free_mem(fs, tmp);
	if (pos + done > size)
		inode_set_size(node->raw, pos + done);
	f->pos = pos + done;
	if (done || dirty) {
		int r2 = dirty ? map_store(fs, node) : 0;

		inode_touch(fs, node->raw, true);
		if (r2 == 0)
			r2 = node_write(fs, node);
		if (ret == 0)
			ret = r2;
	}
	if (done && (ret == 0 || ret == -MV_ENOSPC))
		return (int64_t)done;
	return ret;
}

int64_t file_seek(struct mv_fs *fs, struct mv_file *f, int64_t off, int whence)
{
	int64_t base;

	(void)fs;
	switch (whence) {
	case MV_SEEK_SET:
		base = 0;
		break;
	case MV_SEEK_CUR:
		base = (int64_t)f->pos;
		break;
	case MV_SEEK_END:
		if (is_dir(f->node))
			return -MV_EINVAL;
		base = (int64_t)inode_size(f->node->raw);
		break;
	default:
		return -MV_EINVAL;
	}
	if ((off < 0 && base + off < 0) || (off > 0 && base > INT64_MAX - off))
		return -MV_EINVAL;
	f->pos = (uint64_t)(base + off);
	return (int64_t)f->pos;
}

int file_truncate(struct mv_fs *fs, struct e4_node *node, uint64_t len)
{
	uint64_t size = inode_size(node->raw);
	int ret;

	if (fs->rdonly)
		return -MV_EROFS;
	if (len >= E4_MAX_BLOCKS * fs->bs)
		return -MV_EFBIG;
	ret = map_load(fs, node);
	if (ret != 0)
		return ret;
	if (len < size) {
		uint32_t keep = (uint32_t)((len + fs->bs - 1) / fs->bs);
		const struct e4_extent *e;

		ret = map_trim(fs, node, keep);
		if (ret == 0)
			ret = map_store(fs, node);
		/* The tail of the last block must read as zeros if the file grows again. */
		e = ret == 0 && len % fs->bs ? map_find(node, keep - 1) : NULL;
		if (e && !e->uninit) {
			uint8_t *tmp = e4_alloc_mem(fs, fs->bs);
			uint64_t pblk = e->pblk + (keep - 1 - e->lblk);

			ret = tmp ? e4_dev_read(fs, pblk, tmp, 1) : -MV_ENOMEM;
			if (ret == 0) {
				memset(tmp + len % fs->bs, 0, fs->bs - len % fs->bs);
				cache_forget(fs, pblk);
				ret = e4_dev_write(fs, pblk, tmp, 1);
			}
			e4_free_mem(fs, tmp);
		}
		if (ret != 0)
			return ret;
	}
	inode_set_size(node->raw, len);
	inode_touch(fs, node->raw, true);
	return node_write(fs, node);
}

int file_close(struct mv_fs *fs, struct mv_file *f)
{
	int ret = node_put(fs, f->node);

	f->magic = 0;
	e4_free_mem(fs, f);
	return ret;
}
