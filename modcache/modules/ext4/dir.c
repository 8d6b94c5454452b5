/* Directory blocks: entries, checksum tails, iteration, lookup, adding and removing names. */
#include <string.h>
#include "ext4.h"

#define DE_INODE 0
#define DE_REC_LEN 4
#define DE_NAME_LEN 6
#define DE_TYPE 7
#define DE_NAME 8

static uint32_t need_len(uint32_t name_len)
{
	return (8 + name_len + 3) & ~3U;
}

uint32_t dir_rec_len(const struct mv_fs *fs, const uint8_t *p)
{
	uint32_t v = get16(p + DE_REC_LEN);

	if (fs->bs < 65536)
		return v;
	if (v == 65535 || v == 0)
		return 65536;
	return (v & 65532) | ((v & 3) << 16);
}

void dir_put_rec_len(const struct mv_fs *fs, uint8_t *p, uint32_t len)
{
	if (fs->bs >= 65536 && len == 65536)
		put16(p + DE_REC_LEN, 65535);
	else
		put16(p + DE_REC_LEN, (len & 65532) | ((len >> 16) & 3));
}

static uint32_t tail_size(const struct mv_fs *fs)
{
	return fs->csum ? E4_DIR_TAIL : 0;
}

static uint32_t leaf_csum(const struct mv_fs *fs, const struct e4_node *dir, const uint8_t *buf)
{
	return e4_crc32c(inode_csum_seed(fs, dir->ino, dir->raw), buf, fs->bs - E4_DIR_TAIL);
}

void dir_set_tail(const struct mv_fs *fs, uint8_t *buf)
{
	uint8_t *t = buf + fs->bs - E4_DIR_TAIL;

	memset(t, 0, E4_DIR_TAIL);
	put16(t + DE_REC_LEN, E4_DIR_TAIL);
	t[DE_TYPE] = E4_DIR_TAIL_FT;
}

static bool is_dx_block(const struct mv_fs *fs, const struct e4_node *dir, uint32_t lblk,
			const uint8_t *buf)
{
	if (!(get32(dir->raw + I_FLAGS) & IF_INDEX))
		return false;
	return lblk == 0 || (get32(buf + DE_INODE) == 0 && dir_rec_len(fs, buf) == fs->bs);
}

/* The entries must chain exactly to the tail (or the block's end), each one well-formed. */
static bool leaf_ok(const struct mv_fs *fs, const uint8_t *buf)
{
	uint32_t end = fs->bs - tail_size(fs), off = 0;
	uint32_t inodes = get32(fs->sb + SB_INODES_COUNT);

	while (off < end) {
		uint32_t rl = dir_rec_len(fs, buf + off);

		if (end - off < 8 || rl < 12 || rl % 4 || rl > end - off ||
		    need_len(buf[off + DE_NAME_LEN]) > rl || get32(buf + off) > inodes)
			return false;
		off += rl;
	}
	return true;
}

int dir_block_read(struct mv_fs *fs, struct e4_node *dir, uint32_t lblk, uint8_t *buf,
		   bool *is_leaf)
{
	uint64_t pblk;
	int ret = node_bmap(fs, dir, lblk, &pblk);

	if (ret == 0 && pblk == 0)
		ret = -MV_EUCLEAN;
	if (ret == 0)
		ret = cache_read(fs, pblk, buf);
	if (ret != 0)
		return ret;
	*is_leaf = !is_dx_block(fs, dir, lblk, buf);
	/* Only the root is surely an index block: without checksums an emptied leaf looks like an
	 * interior node, which the index walk checks when it reaches one (htree.c). */
	if (!*is_leaf)
		return lblk == 0 ? htree_root_check(fs, dir, buf) : 0;
	if (fs->csum) {
		const uint8_t *t = buf + fs->bs - E4_DIR_TAIL;

		if (get32(t) != 0 || get16(t + DE_REC_LEN) != E4_DIR_TAIL || t[DE_NAME_LEN] ||
		    t[DE_TYPE] != E4_DIR_TAIL_FT || get32(t + 8) != leaf_csum(fs, dir, buf))
			return -MV_EUCLEAN;
	}
	return leaf_ok(fs, buf) ? 0 : -MV_EUCLEAN;
}

int dir_block_write(struct mv_fs *fs, struct e4_node *dir, uint32_t lblk, uint8_t *buf)
{
	uint64_t pblk;
	int ret = node_bmap(fs, dir, lblk, &pblk);

	if (ret == 0 && pblk == 0)
		ret = -MV_EUCLEAN;
	if (ret != 0)
		return ret;
	/* The only index block ever written is a root whose ".." changed. */
	if (fs->csum && lblk == 0 && is_dx_block(fs, dir, 0, buf)) {
		ret = htree_root_seal(fs, dir, buf);
	} else if (fs->csum) {
		dir_set_tail(fs, buf);
		put32(buf + fs->bs - E4_DIR_TAIL + 8, leaf_csum(fs, dir, buf));
	}
	return ret ? ret : cache_write(fs, pblk, buf);
}

static uint32_t dir_blocks(const struct mv_fs *fs, const struct e4_node *dir)
{
	uint64_t n = inode_size(dir->raw) / fs->bs;

	return n > E4_MAX_DIR_BLOCKS ? E4_MAX_DIR_BLOCKS : (uint32_t)n;
}

/* The entry at p, found at byte pos of its directory (one copy for its three callers: the
 * module's text pages count). */
static __attribute__((noinline)) void take_entry(struct e4_dirent *de, const uint8_t *p,
						 uint64_t pos)
{
	de->ino = get32(p + DE_INODE);
	de->name_len = p[DE_NAME_LEN];
	de->type = p[DE_TYPE];
	memcpy(de->name, p + DE_NAME, de->name_len);
	de->name[de->name_len] = '\0';
	de->pos = pos;
}

int dir_next(struct mv_fs *fs, struct e4_node *dir, uint64_t *pos, struct e4_dirent *de)
{
	uint8_t *buf = e4_alloc_mem(fs, fs->bs);
	int ret = 0;

	if (!buf)
		return -MV_ENOMEM;
	while (ret == 0) {
		uint32_t lblk = (uint32_t)(*pos / fs->bs), want = (uint32_t)(*pos % fs->bs);
		uint32_t off = 0, end = fs->bs - tail_size(fs);
		bool leaf;

		if (*pos / fs->bs >= dir_blocks(fs, dir))
			break;
		ret = dir_block_read(fs, dir, lblk, buf, &leaf);
		if (ret != 0)
			break;
		for (; leaf && off < end; off += dir_rec_len(fs, buf + off)) {
			const uint8_t *p = buf + off;

			if (off < want || get32(p + DE_INODE) == 0)
				continue;
			take_entry(de, p, (uint64_t)lblk * fs->bs + off);
			*pos = de->pos + dir_rec_len(fs, p);
			ret = 1;
			break;
		}
		if (ret == 0)
			*pos = ((uint64_t)lblk + 1) * fs->bs;
	}
	e4_free_mem(fs, buf);
	return ret;
}

/* Looks name up in one block read once: 1 and the entry, 0 if it is not there. */
static int lookup_block(struct mv_fs *fs, struct e4_node *dir, uint32_t lblk, uint8_t *buf,
			const char *name, uint32_t len, struct e4_dirent *de)
{
	uint32_t end = fs->bs - tail_size(fs);
	bool leaf;
	int ret = dir_block_read(fs, dir, lblk, buf, &leaf);

	if (ret != 0 || !leaf)
		return ret;
	for (uint32_t off = 0; off < end; off += dir_rec_len(fs, buf + off)) {
		const uint8_t *p = buf + off;

		if (get32(p + DE_INODE) == 0 || p[DE_NAME_LEN] != len ||
		    memcmp(p + DE_NAME, name, len) != 0)
			continue;
		take_entry(de, p, (uint64_t)lblk * fs->bs + off);
		return 1;
	}
	return 0;
}

/*
 * "." and ".." are the first two entries of block 0, where the format fixes them: in an indexed
 * directory that block is the index root, which no leaf scan or hashed lookup reads. 0 and the
 * offset of "..", after checking both entries.
 */
static int dot_entries(const struct mv_fs *fs, const uint8_t *buf, uint32_t *dotdot)
{
	uint32_t off = dir_rec_len(fs, buf);

	if (buf[DE_NAME_LEN] != 1 || buf[DE_NAME] != '.' || off < 12 || off > fs->bs - 12 ||
	    buf[off + DE_NAME_LEN] != 2 || memcmp(buf + off + DE_NAME, "..", 2) != 0)
		return -MV_EUCLEAN;
	*dotdot = off;
	return 0;
}

/* Block 0 read and checked, and the offset of its "..". */
static int read_dots(struct mv_fs *fs, struct e4_node *dir, uint8_t *buf, uint32_t *dotdot)
{
	bool leaf;
	int ret = dir_block_read(fs, dir, 0, buf, &leaf);

	return ret ? ret : dot_entries(fs, buf, dotdot);
}

static int lookup_dots(struct mv_fs *fs, struct e4_node *dir, uint8_t *buf, uint32_t len,
		       struct e4_dirent *de)
{
	uint32_t off = 0;
	int ret = read_dots(fs, dir, buf, &off);

	if (ret != 0)
		return ret;
	take_entry(de, buf + (len == 1 ? 0 : off), len == 1 ? 0 : off);
	return 1;
}

int dir_lookup(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len,
	       struct e4_dirent *de)
{
	uint8_t *buf = e4_alloc_mem(fs, fs->bs);
	struct dx_path path;
	uint32_t lblk = 0;
	int ret, found = 0;
	bool hashed;

	if (!buf)
		return -MV_ENOMEM;
	if ((len == 1 || len == 2) && memcmp(name, "..", len) == 0) {
		ret = lookup_dots(fs, dir, buf, len, de);
		e4_free_mem(fs, buf);
		return ret;
	}
	/* A hashed miss is final unless the run of the name's hash continues into the next leaf;
	 * a run over more leaves than the directory has blocks is an index gone wrong. */
	ret = htree_find_leaf(fs, dir, name, len, &path, buf, &lblk);
	hashed = ret == 1;
	for (uint32_t left = dir_blocks(fs, dir); ret == 1 && found == 0; left--) {
		if (left == 0) {
			ret = -MV_EUCLEAN;
			break;
		}
		found = lookup_block(fs, dir, lblk, buf, name, len, de);
		if (found == 0)
			ret = htree_next_leaf(fs, dir, &path, buf, &lblk);
	}
	if (ret == 0 && !hashed) {
		for (uint32_t n = dir_blocks(fs, dir); lblk < n && found == 0; lblk++)
			found = lookup_block(fs, dir, lblk, buf, name, len, de);
	}
	e4_free_mem(fs, buf);
	return found != 0 ? found : ret < 0 ? ret : 0;
}

static void put_entry(uint8_t *p, uint32_t ino, const char *name, uint32_t len, uint8_t type)
{
	put32(p + DE_INODE, ino);
	p[DE_NAME_LEN] = (uint8_t)len;
	p[DE_TYPE] = type;
	memcpy(p + DE_NAME, name, len);
}

/* Room for need bytes in one block: 1 and the entry's offset, with the block rewritten. */
static int add_in_block(struct mv_fs *fs, uint8_t *buf, uint32_t need, const char *name,
			uint32_t len, uint32_t ino, uint8_t type)
{
	uint32_t end = fs->bs - tail_size(fs);

	for (uint32_t off = 0; off < end; off += dir_rec_len(fs, buf + off)) {
		uint8_t *p = buf + off;
		uint32_t rl = dir_rec_len(fs, p);
		uint32_t used = get32(p + DE_INODE) ? need_len(p[DE_NAME_LEN]) : 0;

		if (rl - used < need)
			continue;
		if (used) {
			dir_put_rec_len(fs, p, used);
			p += used;
			dir_put_rec_len(fs, p, rl - used);
		}
		put_entry(p, ino, name, len, type);
		return 1;
	}
	return 0;
}

static int touch_dir(struct mv_fs *fs, struct e4_node *dir)
{
	inode_touch(fs, dir->raw, true);
	return node_write(fs, dir);
}

/* Before a directory changes shape its index goes (see htree_drop); then a block buffer. */
static int unindexed(struct mv_fs *fs, struct e4_node *dir, uint8_t **buf)
{
	int ret = 0;

	if (get32(dir->raw + I_FLAGS) & IF_INDEX)
		ret = htree_drop(fs, dir);
	if (ret != 0)
		return ret;
	*buf = e4_alloc_mem(fs, fs->bs);
	return *buf ? 0 : -MV_ENOMEM;
}

int dir_add(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len, uint32_t ino,
	    uint8_t type)
{
	uint32_t nblk, need = need_len(len);
	uint64_t pblk;
	uint8_t *buf;
	int ret = unindexed(fs, dir, &buf);

	if (ret != 0)
		return ret;
	nblk = dir_blocks(fs, dir);
	for (uint32_t lblk = 0; lblk < nblk; lblk++) {
		bool leaf;

		ret = dir_block_read(fs, dir, lblk, buf, &leaf);
		if (ret == 0 && leaf && add_in_block(fs, buf, need, name, len, ino, type)) {
			ret = dir_block_write(fs, dir, lblk, buf);
			if (ret == 0)
				ret = 1;
		}
		if (ret != 0)
			break;
	}
	if (ret == 0 && nblk >= E4_MAX_DIR_BLOCKS)
		ret = -MV_ENOSPC;
	if (ret == 0)
		ret = node_alloc_block(fs, dir, nblk, false, &pblk);
	if (ret == 0) {
		memset(buf, 0, fs->bs);
		dir_put_rec_len(fs, buf, fs->bs - tail_size(fs));
		put_entry(buf, ino, name, len, type);
		inode_set_size(dir->raw, ((uint64_t)nblk + 1) * fs->bs);
		ret = dir_block_write(fs, dir, nblk, buf);
	}
	e4_free_mem(fs, buf);
	if (ret < 0)
		return ret;
	return touch_dir(fs, dir);
}

int dir_remove(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len)
{
	struct e4_dirent de;
	uint32_t lblk, end = fs->bs - tail_size(fs), prev = 0;
	uint8_t *buf;
	bool leaf;
	int ret = dir_lookup(fs, dir, name, len, &de);

	if (ret <= 0)
		return ret ? ret : -MV_ENOENT;
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	lblk = (uint32_t)(de.pos / fs->bs);
	ret = dir_block_read(fs, dir, lblk, buf, &leaf);
	for (uint32_t off = 0; ret == 0 && off < end; off += dir_rec_len(fs, buf + off)) {
		if (off != de.pos % fs->bs) {
			prev = off;
			continue;
		}
		/* Merged into the entry before it, or emptied when it is the block's first. */
		if (off > 0)
			dir_put_rec_len(fs, buf + prev,
					dir_rec_len(fs, buf + prev) + dir_rec_len(fs, buf + off));
		else
			put32(buf + off, 0);
		ret = dir_block_write(fs, dir, lblk, buf);
		if (ret == 0)
			ret = 1;
		break;
	}
	e4_free_mem(fs, buf);
	if (ret == 0)
		ret = -MV_EUCLEAN;
	return ret < 0 ? ret : touch_dir(fs, dir);
}

/* A moved directory's ".." is rewritten in place: an index root keeps its index. */
int dir_set_dotdot(struct mv_fs *fs, struct e4_node *dir, uint32_t parent)
{
	uint8_t *buf = e4_alloc_mem(fs, fs->bs);
	uint32_t off = 0;
	int ret;

	if (!buf)
		return -MV_ENOMEM;
	ret = read_dots(fs, dir, buf, &off);
	if (ret == 0) {
		put32(buf + off, parent);
		ret = dir_block_write(fs, dir, 0, buf);
	}
	e4_free_mem(fs, buf);
	return ret;
}

int dir_is_empty(struct mv_fs *fs, struct e4_node *dir)
{
	struct e4_dirent de;
	uint64_t pos = 0;
	int ret;

	while ((ret = dir_next(fs, dir, &pos, &de)) == 1) {
		if (strcmp(de.name, ".") != 0 && strcmp(de.name, "..") != 0)
			return 0;
	}
	return ret < 0 ? ret : 1;
}

int dir_init(struct mv_fs *fs, struct e4_node *dir, uint32_t parent)
{
	uint8_t *buf;
	uint64_t pblk;
	int ret = node_alloc_block(fs, dir, 0, false, &pblk);

	if (ret != 0)
		return ret;
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	memset(buf, 0, fs->bs);
	dir_put_rec_len(fs, buf, 12);
	put_entry(buf, dir->ino, ".", 1, E4_FT_DIR);
	dir_put_rec_len(fs, buf + 12, fs->bs - 12 - tail_size(fs));
	put_entry(buf + 12, parent, "..", 2, E4_FT_DIR);
	inode_set_size(dir->raw, fs->bs);
	ret = dir_block_write(fs, dir, 0, buf);
	e4_free_mem(fs, buf);
	return ret ? ret : node_write(fs, dir);
}
