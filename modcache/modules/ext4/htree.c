/* Hashed directory indexes: the name hashes, lookup through the index, dropping an index. */
#include <string.h>
#include "ext4.h"

#define DX_INFO 0x18 /* dx_root_info in the root block, after "." and ".." */
#define DX_ROOT_ENTRIES 0x20
#define DX_NODE_ENTRIES 0x8
#define DX_TAIL 8U
#define HASH_LEGACY 0
#define HASH_HALF_MD4 1
#define HASH_TEA 2
#define HASH_UNSIGNED_DELTA 3

static uint32_t rol32(uint32_t v, unsigned s)
{
	return (v << s) | (v >> (32 - s));
}

/* Packs name bytes into num words, padding with a pattern made from the length. */
static void pack(const char *msg, uint32_t len, uint32_t *out, int num, bool sign)
{
	uint32_t pad = len | (len << 8), val;

	pad |= pad << 16;
	val = pad;
	if (len > (uint32_t)num * 4)
		len = (uint32_t)num * 4;
	for (uint32_t i = 0; i < len; i++) {
		uint32_t c = sign ? (uint32_t)(int32_t)(signed char)msg[i] : (uint8_t)msg[i];

		val = c + (val << 8);
		if (i % 4 == 3) {
			*out++ = val;
			val = pad;
			num--;
		}
	}
	if (--num >= 0)
		*out++ = val;
	while (--num >= 0)
		*out++ = pad;
}

static uint32_t legacy(const char *name, uint32_t len, bool sign)
{
	uint32_t h0 = 0x12a3fe2dU, h1 = 0x37abe8f9U;

	for (uint32_t i = 0; i < len; i++) {
		uint32_t c = sign ? (uint32_t)(int32_t)(signed char)name[i] : (uint8_t)name[i];
		uint32_t h = h1 + (h0 ^ (c * 7152373U));

		if (h & 0x80000000U)
			h -= 0x7fffffffU;
		h1 = h0;
		h0 = h;
	}
	return h0 << 1;
}

#define MD4_F(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MD4_G(x, y, z) (((x) & (y)) + (((x) ^ (y)) & (z)))
#define MD4_H(x, y, z) ((x) ^ (y) ^ (z))
#define MD4_STEP(f, a, b, c, d, x, s) ((a) = rol32((a) + f((b), (c), (d)) + (x), (s)))

/* Three rounds of MD4 over eight words, as the ext2/3/4 directory index defines it. */
static void half_md4(uint32_t buf[4], const uint32_t in[8])
{
	static const uint8_t r1[8] = {0, 1, 2, 3, 4, 5, 6, 7}, s1[4] = {3, 7, 11, 19};
	static const uint8_t r2[8] = {1, 3, 5, 7, 0, 2, 4, 6}, s2[4] = {3, 5, 9, 13};
	static const uint8_t r3[8] = {3, 7, 2, 6, 1, 5, 0, 4}, s3[4] = {3, 9, 11, 15};
	uint32_t v[4] = {buf[0], buf[1], buf[2], buf[3]};

	/* Step i updates word (4 - i) % 4 from the three after it, like a, d, c, b in turn. */
	for (int i = 0; i < 8; i++) {
		uint32_t *a = &v[(4 - i % 4) % 4], b = v[(5 - i % 4) % 4], c = v[(6 - i % 4) % 4];
		uint32_t d = v[(7 - i % 4) % 4];

		MD4_STEP(MD4_F, *a, b, c, d, in[r1[i]], s1[i % 4]);
	}
	for (int i = 0; i < 8; i++) {
		uint32_t *a = &v[(4 - i % 4) % 4], b = v[(5 - i % 4) % 4], c = v[(6 - i % 4) % 4];
		uint32_t d = v[(7 - i % 4) % 4];

		MD4_STEP(MD4_G, *a, b, c, d, in[r2[i]] + 013240474631U, s2[i % 4]);
	}
	for (int i = 0; i < 8; i++) {
		uint32_t *a = &v[(4 - i % 4) % 4], b = v[(5 - i % 4) % 4], c = v[(6 - i % 4) % 4];
		uint32_t d = v[(7 - i % 4) % 4];

		MD4_STEP(MD4_H, *a, b, c, d, in[r3[i]] + 015666365641U, s3[i % 4]);
	}
	for (int i = 0; i < 4; i++)
		buf[i] += v[i];
}

static void tea(uint32_t buf[4], const uint32_t in[4])
{
	uint32_t sum = 0, b0 = buf[0], b1 = buf[1];

	for (int n = 0; n < 16; n++) {
		sum += 0x9E3779B9U;
		b0 += ((b1 << 4) + in[0]) ^ (b1 + sum) ^ ((b1 >> 5) + in[1]);
		b1 += ((b0 << 4) + in[2]) ^ (b0 + sum) ^ ((b0 >> 5) + in[3]);
	}
	buf[0] += b0;
	buf[1] += b1;
}

uint32_t htree_hash(const struct mv_fs *fs, const char *name, uint32_t len, uint8_t version)
{
	uint32_t buf[4] = {0x67452301U, 0xefcdab89U, 0x98badcfeU, 0x10325476U}, in[8], h;
	bool sign = version < HASH_UNSIGNED_DELTA;

	if (fs->hash_seed[0] | fs->hash_seed[1] | fs->hash_seed[2] | fs->hash_seed[3])
		memcpy(buf, fs->hash_seed, sizeof(buf));
	switch (version % HASH_UNSIGNED_DELTA) {
	case HASH_LEGACY:
		h = legacy(name, len, sign);
		break;
	case HASH_HALF_MD4:
		for (uint32_t off = 0; off < len || off == 0; off += 32) {
			pack(name + off, len - off, in, 8, sign);
			half_md4(buf, in);
			if (len - off <= 32)
				break;
		}
		h = buf[1];
		break;
	default:
		for (uint32_t off = 0; off < len || off == 0; off += 16) {
			pack(name + off, len - off, in, 4, sign);
			tea(buf, in);
			if (len - off <= 16)
				break;
		}
		h = buf[0];
		break;
	}
	h &= ~1U;
	if (h == 0xFFFFFFFEU)
		h = 0xFFFFFFFCU;
	return h;
}

/*
 * The dx_tail that ends an index block with metadata_csum sits right after the limit entries:
 * the crc32c of the block from its start through the entries in use, then of the tail with
 * its checksum field taken as zero.
 */
static uint32_t dx_csum(const struct mv_fs *fs, const struct e4_node *dir, const uint8_t *buf,
			uint32_t at)
{
	uint32_t limit = get16(buf + at), count = get16(buf + at + 2);
	uint32_t c = e4_crc32c(inode_csum_seed(fs, dir->ino, dir->raw), buf, at + count * 8U);

	c = e4_crc32c(c, buf + at + limit * 8U, 4);
	return e4_crc32c(c, fs->zero, 4);
}

/* An index block's count and limit (entries at offset at) fit the block, and its tail. */
static bool dx_fits(const struct mv_fs *fs, const uint8_t *buf, uint32_t at)
{
	uint32_t limit = get16(buf + at), count = get16(buf + at + 2);

	return count != 0 && count <= limit &&
	       at + (uint64_t)limit * 8 + (fs->csum ? DX_TAIL : 0) <= fs->bs;
}

static int dx_check(const struct mv_fs *fs, const struct e4_node *dir, const uint8_t *buf,
		    uint32_t at)
{
	if (!dx_fits(fs, buf, at))
		return -MV_EUCLEAN;
	if (fs->csum && get32(buf + at + get16(buf + at) * 8U + 4) != dx_csum(fs, dir, buf, at))
		return -MV_EUCLEAN;
	return 0;
}

/* The root's fixed header: its info, depth and hash within range, its entries consistent. */
int htree_root_check(const struct mv_fs *fs, const struct e4_node *dir, const uint8_t *buf)
{
	if (buf[DX_INFO + 5] != 8 ||
	    buf[DX_INFO + 6] > ((fs->incompat & INCOMPAT_LARGEDIR) ? 2U : 1U) ||
	    buf[DX_INFO + 4] > 5)
		return -MV_EUCLEAN;
	return dx_check(fs, dir, buf, DX_ROOT_ENTRIES);
}

int htree_root_seal(const struct mv_fs *fs, const struct e4_node *dir, uint8_t *buf)
{
	if (!dx_fits(fs, buf, DX_ROOT_ENTRIES))
		return -MV_EUCLEAN;
	put32(buf + DX_ROOT_ENTRIES + get16(buf + DX_ROOT_ENTRIES) * 8U + 4,
	      dx_csum(fs, dir, buf, DX_ROOT_ENTRIES));
	return 0;
}

/* Reads index block lblk (entries at offset at) and checks it. */
static int dx_read(struct mv_fs *fs, struct e4_node *dir, uint32_t lblk, uint8_t *buf, uint32_t at)
{
	uint64_t pblk;
	int ret = node_bmap(fs, dir, lblk, &pblk);

	if (ret == 0)
		ret = pblk ? cache_read(fs, pblk, buf) : -MV_EUCLEAN;
	if (ret != 0)
		return ret;
	return lblk == 0 ? htree_root_check(fs, dir, buf) : dx_check(fs, dir, buf, at);
}

/* The entry of an index block for hash: the last one whose hash is not above it. */
static uint32_t dx_pick(const uint8_t *buf, uint32_t at, uint32_t hash)
{
	uint32_t count = get16(buf + at + 2), pick = 0;

	for (uint32_t i = 1; i < count; i++) {
		if (get32(buf + at + 8 * i) > hash)
			break;
		pick = i;
	}
	return pick;
}

static uint32_t dx_child(const uint8_t *buf, uint32_t at, uint32_t i)
{
	return get32(buf + at + 8 * i + 4);
}

/* From child of level's picked entry down to a leaf: by hash, or by first entries. */
static int descend(struct mv_fs *fs, struct e4_node *dir, uint8_t *buf, struct dx_path *p,
		   uint32_t level, uint32_t child, bool first, uint32_t *lblk)
{
	uint32_t nblk = (uint32_t)(inode_size(dir->raw) / fs->bs);

	for (;; level++) {
		int ret;

		if (child == 0 || child >= nblk)
			return -MV_EUCLEAN;
		if (level == p->levels) {
			*lblk = child;
			return 1;
		}
		ret = dx_read(fs, dir, child, buf, DX_NODE_ENTRIES);
		if (ret != 0)
			return ret;
		p->blk[level + 1] = child;
		p->at[level + 1] = first ? 0 : dx_pick(buf, DX_NODE_ENTRIES, p->hash);
		child = dx_child(buf, DX_NODE_ENTRIES, p->at[level + 1]);
	}
}

int htree_find_leaf(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len,
		    struct dx_path *p, uint8_t *buf, uint32_t *lblk)
{
	int ret;

	if (!(get32(fs->sb + SB_COMPAT) & COMPAT_DIR_INDEX) ||
	    !(get32(dir->raw + I_FLAGS) & IF_INDEX))
		return 0;
	ret = dx_read(fs, dir, 0, buf, DX_ROOT_ENTRIES);
	if (ret == 0) {
		uint8_t version = buf[DX_INFO + 4];

		if (version < HASH_UNSIGNED_DELTA &&
		    (get32(fs->sb + SB_FLAGS) & E4_FLAG_UNSIGNED_HASH))
			version += HASH_UNSIGNED_DELTA;
		p->hash = htree_hash(fs, name, len, version);
		p->levels = buf[DX_INFO + 6];
		p->blk[0] = 0;
		p->at[0] = dx_pick(buf, DX_ROOT_ENTRIES, p->hash);
		ret = descend(fs, dir, buf, p, 0, dx_child(buf, DX_ROOT_ENTRIES, p->at[0]), false,
			      lblk);
	}
	return ret;
}

/*
 * Names of equal hash may run on from one leaf into the next; the index marks that by setting
 * bit 0 of the next leaf's hash. Only then is the next leaf worth reading: the next entry at the
 * deepest level that has one (walking up where a node is used up), then down its first entries.
 */
int htree_next_leaf(struct mv_fs *fs, struct e4_node *dir, struct dx_path *p, uint8_t *buf,
		    uint32_t *lblk)
{
	uint32_t level = p->levels + 1, at = 0;
	int ret = 0;

	while (level-- > 0) {
		at = level ? DX_NODE_ENTRIES : DX_ROOT_ENTRIES;
		ret = dx_read(fs, dir, p->blk[level], buf, at);
		if (ret != 0 || p->at[level] + 1U < get16(buf + at + 2))
			break;
	}
	if (ret == 0 && level <= p->levels) {
		uint32_t h = get32(buf + at + 8 * (p->at[level] + 1U));

		if ((h & ~1U) == p->hash && (h & 1U)) {
			p->at[level]++;
			ret = descend(fs, dir, buf, p, level, dx_child(buf, at, p->at[level]), true,
				      lblk);
		}
	}
	return ret;
}

/*
 * Before a name is added the index is dropped, and the directory becomes a plain linear one:
 * the root keeps "." and "..", each interior node becomes an empty leaf. Every name stays where
 * it was; lookups scan, as for any small directory (e2fsck -D indexes it again).
 */
int htree_drop(struct mv_fs *fs, struct e4_node *dir)
{
	uint32_t nblk = (uint32_t)(inode_size(dir->raw) / fs->bs);
	uint32_t tail = fs->csum ? E4_DIR_TAIL : 0;
	uint8_t *buf = e4_alloc_mem(fs, fs->bs);
	int ret = 0;

	if (!buf)
		return -MV_ENOMEM;
	for (uint32_t lblk = 0; lblk < nblk && ret == 0; lblk++) {
		uint64_t pblk;

		ret = node_bmap(fs, dir, lblk, &pblk);
		if (ret == 0)
			ret = pblk ? cache_read(fs, pblk, buf) : -MV_EUCLEAN;
		if (ret != 0)
			break;
		if (lblk == 0) {
			/* The root's "." and ".." stay: a root that fails its checks is not
			 * believed. */
			ret = htree_root_check(fs, dir, buf);
			if (dir_rec_len(fs, buf) != 12 || buf[12 + 6] != 2)
				ret = -MV_EUCLEAN;
			memset(buf + 24, 0, fs->bs - 24);
			dir_put_rec_len(fs, buf + 12, fs->bs - 12 - tail);
		} else if (get32(buf) == 0 && dir_rec_len(fs, buf) == fs->bs) {
			memset(buf, 0, fs->bs);
			dir_put_rec_len(fs, buf, fs->bs - tail);
		} else {
			continue;
		}
		put32(dir->raw + I_FLAGS, get32(dir->raw + I_FLAGS) & ~IF_INDEX);
		if (ret == 0)
			ret = dir_block_write(fs, dir, lblk, buf);
	}
	e4_free_mem(fs, buf);
	if (ret == 0) {
		put32(dir->raw + I_FLAGS, get32(dir->raw + I_FLAGS) & ~IF_INDEX);
		ret = node_write(fs, dir);
	}
	return ret;
}
