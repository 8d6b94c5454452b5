/* Hashed directory indexes: the name hashes, lookup through the index, dropping an index. */
#include <string.h>
#include "ext4.h"

#define DX_INFO 0x18 /* dx_root_info in the root block, after "." and ".." */
#define DX_ROOT_ENTRIES 0x20
#define DX_NODE_ENTRIES 0x8
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

/* The child of an index level for hash: the last entry whose hash is not above it. */
static int dx_step(const struct mv_fs *fs, const uint8_t *buf, uint32_t at, uint32_t hash,
		   uint32_t *child)
{
	uint32_t limit = get16(buf + at), count = get16(buf + at + 2), pick = 0;

	if (count == 0 || count > limit || at + (uint64_t)limit * 8 > fs->bs)
		return -MV_EUCLEAN;
	for (uint32_t i = 1; i < count; i++) {
		if (get32(buf + at + 8 * i) > hash)
			break;
		pick = i;
	}
	*child = get32(buf + at + 8 * pick + 4);
	return 0;
}

int htree_find_leaf(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len,
		    uint32_t *lblk)
{
	uint32_t levels, hash, blk = 0, nblk = (uint32_t)(inode_size(dir->raw) / fs->bs);
	uint8_t version, *buf;
	uint64_t pblk;
	int ret;

	if (!(get32(fs->sb + SB_COMPAT) & COMPAT_DIR_INDEX) ||
	    !(get32(dir->raw + I_FLAGS) & IF_INDEX))
		return 0;
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	ret = node_bmap(fs, dir, 0, &pblk);
	if (ret == 0)
		ret = pblk ? cache_read(fs, pblk, buf) : -MV_EUCLEAN;
	if (ret != 0)
		goto out;
	version = buf[DX_INFO + 4];
	levels = buf[DX_INFO + 6];
	if (buf[DX_INFO + 5] != 8 || levels > ((fs->incompat & INCOMPAT_LARGEDIR) ? 2U : 1U) ||
	    version > 5) {
		ret = -MV_EUCLEAN;
		goto out;
	}
	if (version < HASH_UNSIGNED_DELTA && (get32(fs->sb + SB_FLAGS) & E4_FLAG_UNSIGNED_HASH))
		version += HASH_UNSIGNED_DELTA;
	hash = htree_hash(fs, name, len, version);
	ret = dx_step(fs, buf, DX_ROOT_ENTRIES, hash, &blk);
	for (uint32_t l = 0; l < levels && ret == 0; l++) {
		if (blk == 0 || blk >= nblk) {
			ret = -MV_EUCLEAN;
			break;
		}
		ret = node_bmap(fs, dir, blk, &pblk);
		if (ret == 0)
			ret = pblk ? cache_read(fs, pblk, buf) : -MV_EUCLEAN;
		if (ret == 0)
			ret = dx_step(fs, buf, DX_NODE_ENTRIES, hash, &blk);
	}
	if (ret == 0 && (blk == 0 || blk >= nblk))
		ret = -MV_EUCLEAN;
	if (ret == 0) {
		*lblk = blk;
		ret = 1;
	}
out:
	e4_free_mem(fs, buf);
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
