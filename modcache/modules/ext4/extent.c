/* The block map: read from an extent tree or the old indirect map, kept as one sorted list of
 * runs in memory, and written back as an extent tree of depth 0, 1 or 2. */
#include <string.h>
#include "ext4.h"

#define EH_MAGIC 0
#define EH_ENTRIES 2
#define EH_MAX 4
#define EH_DEPTH 6
#define EH_SIZE 12U
#define EXT_SIZE 12U

static uint32_t per_block(const struct mv_fs *fs)
{
	return (fs->bs - EH_SIZE) / EXT_SIZE;
}

static int push_tree(struct mv_fs *fs, struct e4_node *node, uint64_t blk)
{
	if (node->ntree == node->tree_cap) {
		uint32_t cap = node->tree_cap ? node->tree_cap * 2 : 8;
		uint64_t *t;

		if (cap > E4_MAX_EXTENTS)
			return -MV_EFBIG;
		t = e4_alloc_mem(fs, cap * sizeof(*t));
		if (!t)
			return -MV_ENOMEM;
		if (node->ntree)
			memcpy(t, node->tree, node->ntree * sizeof(*t));
		e4_free_mem(fs, node->tree);
		node->tree = t;
		node->tree_cap = cap;
	}
	node->tree[node->ntree++] = blk;
	return 0;
}

static int reserve(struct mv_fs *fs, struct e4_node *node, uint32_t want)
{
	struct e4_extent *e;
	uint32_t cap;

	if (want <= node->ext_cap)
		return 0;
	if (want > E4_MAX_EXTENTS)
		return -MV_EFBIG;
	cap = node->ext_cap ? node->ext_cap : 8;
	while (cap < want)
		cap *= 2;
	e = e4_alloc_mem(fs, cap * sizeof(*e));
	if (!e)
		return -MV_ENOMEM;
	if (node->next_cnt)
		memcpy(e, node->ext, node->next_cnt * sizeof(*e));
	e4_free_mem(fs, node->ext);
	node->ext = e;
	node->ext_cap = cap;
	return 0;
}

/* Appends a run found while reading; runs must come in increasing, non-overlapping order. */
static int append(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, uint64_t pblk,
		  uint32_t len, bool uninit)
{
	struct e4_extent *last = node->next_cnt ? &node->ext[node->next_cnt - 1] : NULL;
	int ret;

	if (len == 0 || !e4_block_valid(fs, pblk, len) || pblk <= fs->first_data_block ||
	    (uint64_t)lblk + len > 0xFFFFFFFFULL)
		return -MV_EUCLEAN;
	if (last && (uint64_t)last->lblk + last->len > lblk)
		return -MV_EUCLEAN;
	if (last && !uninit && !last->uninit && last->lblk + last->len == lblk &&
	    last->pblk + last->len == pblk && (uint64_t)last->len + len <= E4_EXT_INIT_MAX) {
		last->len += len;
		return 0;
	}
	ret = reserve(fs, node, node->next_cnt + 1);
	if (ret != 0)
		return ret;
	node->ext[node->next_cnt++] = (struct e4_extent){lblk, len, pblk, uninit};
	return 0;
}

static bool header_ok(const uint8_t *h, uint32_t cap, uint32_t depth)
{
	return get16(h + EH_MAGIC) == E4_EXT_MAGIC && get16(h + EH_MAX) <= cap &&
	       get16(h + EH_ENTRIES) <= get16(h + EH_MAX) && get16(h + EH_DEPTH) == depth;
}

static uint32_t tail_off(const uint8_t *h)
{
	return EH_SIZE + EXT_SIZE * get16(h + EH_MAX);
}

static int load_level(struct mv_fs *fs, struct e4_node *node, const uint8_t *h, uint32_t depth)
{
	uint32_t n = get16(h + EH_ENTRIES);
	uint8_t *buf;
	int ret = 0;

	if (depth == 0) {
		for (uint32_t i = 0; i < n && ret == 0; i++) {
			const uint8_t *e = h + EH_SIZE + i * EXT_SIZE;
			uint32_t len = get16(e + 4);
			uint64_t p = get32(e + 8) | ((uint64_t)get16(e + 6) << 32);
			bool un = len > E4_EXT_INIT_MAX;

			ret = append(fs, node, get32(e), p, un ? len - E4_EXT_INIT_MAX : len, un);
		}
		return ret;
	}
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	for (uint32_t i = 0; i < n && ret == 0; i++) {
		const uint8_t *x = h + EH_SIZE + i * EXT_SIZE;
		uint64_t blk = get32(x + 4) | ((uint64_t)get16(x + 8) << 32);

		if (!e4_block_valid(fs, blk, 1) || blk <= fs->first_data_block) {
			ret = -MV_EUCLEAN;
			break;
		}
		ret = push_tree(fs, node, blk);
		if (ret == 0)
			ret = cache_read(fs, blk, buf);
		if (ret == 0 && !header_ok(buf, per_block(fs), depth - 1))
			ret = -MV_EUCLEAN;
		if (ret == 0 && fs->csum &&
		    get32(buf + tail_off(buf)) !=
			e4_crc32c(inode_csum_seed(fs, node->ino, node->raw), buf, tail_off(buf)))
			ret = -MV_EUCLEAN;
		if (ret == 0)
			ret = load_level(fs, node, buf, depth - 1);
	}
	e4_free_mem(fs, buf);
	return ret;
}

/* One level of the indirect map: entries of blk cover lblk .. lblk + span * entries. */
static int load_indirect(struct mv_fs *fs, struct e4_node *node, uint64_t blk, uint32_t level,
			 uint64_t lblk, uint64_t nblocks)
{
	uint32_t per = fs->bs / 4;
	uint64_t span = 1;
	uint8_t *buf;
	int ret;

	for (uint32_t i = 1; i < level; i++)
		span *= per;
	if (!e4_block_valid(fs, blk, 1) || blk <= fs->first_data_block)
		return -MV_EUCLEAN;
	ret = push_tree(fs, node, blk);
	if (ret != 0)
		return ret;
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	ret = cache_read(fs, blk, buf);
	for (uint32_t i = 0; i < per && ret == 0 && lblk + i * span < nblocks; i++) {
		uint32_t p = get32(buf + 4 * i);

		if (p == 0)
			continue;
		if (level == 1)
			ret = append(fs, node, (uint32_t)(lblk + i), p, 1, false);
		else
			ret = load_indirect(fs, node, p, level - 1, lblk + i * span, nblocks);
	}
	e4_free_mem(fs, buf);
	return ret;
}

static int load_blockmap(struct mv_fs *fs, struct e4_node *node)
{
	uint64_t nblocks = (inode_size(node->raw) + fs->bs - 1) / fs->bs;
	uint64_t per = fs->bs / 4, lblk = 12, span = per;
	int ret = 0;

	node->blockmap = true;
	/* A fast symlink keeps its target in i_block and owns no block. */
	if ((inode_mode(node->raw) & E4_S_IFMT) == E4_S_IFLNK && inode_blocks512(node->raw) == 0)
		return 0;
	for (uint32_t i = 0; i < 12 && i < nblocks && ret == 0; i++) {
		uint32_t p = get32(node->raw + I_BLOCK + 4 * i);

		if (p)
			ret = append(fs, node, i, p, 1, false);
	}
	for (uint32_t level = 1; level <= 3 && ret == 0 && lblk < nblocks; level++) {
		uint32_t p = get32(node->raw + I_BLOCK + 4 * (11 + level));

		if (p)
			ret = load_indirect(fs, node, p, level, lblk, nblocks);
		lblk += span;
		span *= per;
	}
	return ret;
}

void map_init_empty(struct e4_node *node)
{
	uint8_t *h = node->raw + I_BLOCK;

	memset(h, 0, I_BLOCK_LEN);
	put16(h + EH_MAGIC, E4_EXT_MAGIC);
	put16(h + EH_MAX, (I_BLOCK_LEN - EH_SIZE) / EXT_SIZE);
	put32(node->raw + I_FLAGS, get32(node->raw + I_FLAGS) | IF_EXTENTS);
	node->map_loaded = true;
	node->blockmap = false;
}

int map_load(struct mv_fs *fs, struct e4_node *node)
{
	uint32_t flags = get32(node->raw + I_FLAGS);
	const uint8_t *h = node->raw + I_BLOCK;
	int ret;

	if (node->map_loaded)
		return 0;
	if (flags & IF_INLINE_DATA)
		return -MV_EUCLEAN;
	node->next_cnt = 0;
	node->ntree = 0;
	if (!(flags & IF_EXTENTS))
		ret = load_blockmap(fs, node);
	else if (!header_ok(h, (I_BLOCK_LEN - EH_SIZE) / EXT_SIZE, get16(h + EH_DEPTH)) ||
		 get16(h + EH_DEPTH) > E4_MAX_DEPTH)
		ret = -MV_EUCLEAN;
	else
		ret = load_level(fs, node, h, get16(h + EH_DEPTH));
	if (ret == 0)
		node->map_loaded = true;
	return ret;
}

const struct e4_extent *map_find(const struct e4_node *node, uint32_t lblk)
{
	uint32_t lo = 0, hi = node->next_cnt;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		const struct e4_extent *e = &node->ext[mid];

		if (lblk < e->lblk)
			hi = mid;
		else if (lblk - e->lblk >= e->len)
			lo = mid + 1;
		else
			return e;
	}
	return NULL;
}

uint32_t map_last_block(const struct e4_node *node, uint64_t *pblk)
{
	if (node->next_cnt == 0) {
		*pblk = 0;
		return 0;
	}
	const struct e4_extent *e = &node->ext[node->next_cnt - 1];

	*pblk = e->pblk + e->len;
	return e->lblk + e->len;
}

static bool joins(const struct e4_extent *a, uint32_t lblk, uint64_t pblk, uint32_t len)
{
	return !a->uninit && a->lblk + a->len == lblk && a->pblk + a->len == pblk &&
	       a->len + len <= E4_EXT_INIT_MAX;
}

/* The range must be a hole: callers only map blocks they found unmapped. */
int map_insert(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, uint64_t pblk, uint32_t len)
{
	uint32_t pos = 0;
	int ret;

	while (pos < node->next_cnt && node->ext[pos].lblk < lblk)
		pos++;
	if (pos > 0 && joins(&node->ext[pos - 1], lblk, pblk, len)) {
		node->ext[pos - 1].len += len;
		return 0;
	}
	if (pos < node->next_cnt) {
		struct e4_extent *n = &node->ext[pos];

		if (!n->uninit && lblk + len == n->lblk && pblk + len == n->pblk &&
		    n->len + len <= E4_EXT_INIT_MAX) {
			n->lblk = lblk;
			n->pblk = pblk;
			n->len += len;
			return 0;
		}
	}
	ret = reserve(fs, node, node->next_cnt + 1);
	if (ret != 0)
		return ret;
	memmove(&node->ext[pos + 1], &node->ext[pos], (node->next_cnt - pos) * sizeof(*node->ext));
	node->ext[pos] = (struct e4_extent){lblk, len, pblk, false};
	node->next_cnt++;
	return 0;
}

/* Frees every block at or past logical block keep. */
int map_trim(struct mv_fs *fs, struct e4_node *node, uint32_t keep)
{
	while (node->next_cnt > 0) {
		struct e4_extent *e = &node->ext[node->next_cnt - 1];
		uint32_t from, n;
		int ret;

		if (e->lblk + e->len <= keep)
			break;
		from = e->lblk >= keep ? 0 : keep - e->lblk;
		n = e->len - from;
		ret = balloc_free(fs, e->pblk + from, n);
		if (ret != 0)
			return ret;
		inode_add_blocks(fs, node->raw, -(int64_t)n);
		if (from == 0)
			node->next_cnt--;
		else
			e->len = from;
	}
	return 0;
}

static void put_entry(uint8_t *p, const struct e4_extent *e)
{
	put32(p, e->lblk);
	put16(p + 4, e->uninit ? e->len + E4_EXT_INIT_MAX : e->len);
	put16(p + 6, (uint32_t)(e->pblk >> 32) & 0xFFFFU);
	put32(p + 8, (uint32_t)e->pblk);
}

static void put_index(uint8_t *p, uint32_t lblk, uint64_t blk)
{
	put32(p, lblk);
	put32(p + 4, (uint32_t)blk);
	put16(p + 8, (uint32_t)(blk >> 32) & 0xFFFFU);
	put16(p + 10, 0);
}

static void put_header(uint8_t *h, uint32_t entries, uint32_t max, uint32_t depth)
{
	put16(h + EH_MAGIC, E4_EXT_MAGIC);
	put16(h + EH_ENTRIES, entries);
	put16(h + EH_MAX, max);
	put16(h + EH_DEPTH, depth);
	put32(h + 8, 0);
}

static int write_node_block(struct mv_fs *fs, struct e4_node *node, uint64_t blk, uint8_t *buf)
{
	if (fs->csum)
		put32(buf + tail_off(buf),
		      e4_crc32c(inode_csum_seed(fs, node->ino, node->raw), buf, tail_off(buf)));
	return cache_write(fs, blk, buf);
}

/* Makes node->tree exactly need blocks long: reuses what is there, allocates or frees the rest. */
static int resize_tree(struct mv_fs *fs, struct e4_node *node, uint32_t need)
{
	int ret;

	while (node->ntree > need) {
		ret = balloc_free(fs, node->tree[node->ntree - 1], 1);
		if (ret != 0)
			return ret;
		inode_add_blocks(fs, node->raw, -1);
		node->ntree--;
	}
	while (node->ntree < need) {
		uint64_t goal = node->next_cnt ? node->ext[0].pblk : fs->last_goal, blk;
		uint32_t got;

		ret = balloc_alloc(fs, goal, 1, &blk, &got);
		if (ret == 0)
			ret = push_tree(fs, node, blk);
		if (ret != 0)
			return ret;
		inode_add_blocks(fs, node->raw, 1);
	}
	return 0;
}

int map_store(struct mv_fs *fs, struct e4_node *node)
{
	uint32_t per = per_block(fs), n = node->next_cnt, root_max = (I_BLOCK_LEN - EH_SIZE) / 12;
	uint32_t leaves = 0, idx = 0, depth = 0;
	uint8_t *root = node->raw + I_BLOCK, *buf;
	int ret;

	if (n > root_max) {
		leaves = (n + per - 1) / per;
		depth = 1;
		if (leaves > root_max) {
			idx = (leaves + per - 1) / per;
			depth = 2;
			if (idx > root_max)
				return -MV_EFBIG;
		}
	}
	ret = resize_tree(fs, node, leaves + idx);
	if (ret != 0)
		return ret;
	memset(root, 0, I_BLOCK_LEN);
	put32(node->raw + I_FLAGS, get32(node->raw + I_FLAGS) | IF_EXTENTS);
	node->blockmap = false;
	if (depth == 0) {
		put_header(root, n, root_max, 0);
		for (uint32_t i = 0; i < n; i++)
			put_entry(root + EH_SIZE + i * EXT_SIZE, &node->ext[i]);
		return 0;
	}
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	for (uint32_t l = 0; l < leaves && ret == 0; l++) {
		uint32_t first = l * per, cnt = n - first < per ? n - first : per;

		memset(buf, 0, fs->bs);
		put_header(buf, cnt, per, 0);
		for (uint32_t i = 0; i < cnt; i++)
			put_entry(buf + EH_SIZE + i * EXT_SIZE, &node->ext[first + i]);
		ret = write_node_block(fs, node, node->tree[l], buf);
	}
	for (uint32_t x = 0; x < idx && ret == 0; x++) {
		uint32_t first = x * per, cnt = leaves - first < per ? leaves - first : per;

		memset(buf, 0, fs->bs);
		put_header(buf, cnt, per, 1);
		for (uint32_t i = 0; i < cnt; i++)
			put_index(buf + EH_SIZE + i * EXT_SIZE, node->ext[(first + i) * per].lblk,
				  node->tree[first + i]);
		ret = write_node_block(fs, node, node->tree[leaves + x], buf);
	}
	e4_free_mem(fs, buf);
	if (ret != 0)
		return ret;
	if (depth == 1) {
		put_header(root, leaves, root_max, 1);
		for (uint32_t l = 0; l < leaves; l++)
			put_index(root + EH_SIZE + l * EXT_SIZE, node->ext[l * per].lblk,
				  node->tree[l]);
	} else {
		put_header(root, idx, root_max, 2);
		for (uint32_t x = 0; x < idx; x++)
			put_index(root + EH_SIZE + x * EXT_SIZE, node->ext[x * per * per].lblk,
				  node->tree[leaves + x]);
	}
	return 0;
}

void map_release(struct mv_fs *fs, struct e4_node *node)
{
	e4_free_mem(fs, node->ext);
	e4_free_mem(fs, node->tree);
	node->ext = NULL;
	node->tree = NULL;
	node->next_cnt = node->ext_cap = node->ntree = node->tree_cap = 0;
	node->map_loaded = false;
}
