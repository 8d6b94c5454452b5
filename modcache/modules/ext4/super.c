/* Mounting: superblock validation, features, geometry, group descriptors; unmount and sync. */
#include <string.h>
#include <fmt.h>
#include "ext4.h"

/* What this module understands; anything else incompatible is refused. */
#define INCOMPAT_KNOWN                                                                             \
	(INCOMPAT_FILETYPE | INCOMPAT_RECOVER | INCOMPAT_EXTENTS | INCOMPAT_64BIT |                \
	 INCOMPAT_FLEX_BG | INCOMPAT_EA_INODE | INCOMPAT_CSUM_SEED | INCOMPAT_LARGEDIR)
/* Read-only compatible features it keeps consistent when writing; others mean read-only. */
#define RO_COMPAT_WRITABLE                                                                         \
	(RO_SPARSE_SUPER | RO_LARGE_FILE | RO_BTREE_DIR | RO_HUGE_FILE | RO_GDT_CSUM |             \
	 RO_DIR_NLINK | RO_EXTRA_ISIZE | RO_METADATA_CSUM | RO_ORPHAN_PRESENT)

void *e4_alloc_mem(const struct mv_fs *fs, size_t size)
{
	return fs->ks->alloc(fs->ks->ctx, size, 16);
}

void e4_free_mem(const struct mv_fs *fs, void *p)
{
	if (p)
		fs->ks->free(fs->ks->ctx, p);
}

uint64_t e4_now(const struct mv_fs *fs)
{
	return fs->ks->wall_time_s ? fs->ks->wall_time_s(fs->ks->ctx) : 0;
}

static int refuse(const struct mv_kservices *ks, int err, const char *why)
{
	if (ks->log) {
		char msg[96];

		fmt_snprintf(msg, sizeof(msg), "ext4: mount refused: %s", why);
		ks->log(ks->ctx, MV_LOG_WARN, msg);
	}
	return err;
}

static uint32_t sb_csum(const uint8_t *sb)
{
	return e4_crc32c(0xFFFFFFFFU, sb, SB_CSUM);
}

static bool pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Features first: they decide how the rest of the superblock is read. */
static int parse_features(struct mv_fs *fs)
{
	const uint8_t *sb = fs->sb;
	const struct mv_kservices *ks = fs->ks;

	fs->incompat = get32(sb + SB_INCOMPAT);
	fs->ro_compat = get32(sb + SB_RO_COMPAT);
	if (fs->incompat & INCOMPAT_INLINE_DATA)
		return refuse(ks, -MV_EINVAL, "inline_data is not supported");
	if (fs->incompat & ~INCOMPAT_KNOWN)
		return refuse(ks, -MV_EINVAL, "unsupported incompatible features");
	fs->csum = fs->ro_compat & RO_METADATA_CSUM;
	fs->gdt_csum = !fs->csum && (fs->ro_compat & RO_GDT_CSUM);
	if (fs->csum && sb[SB_CSUM_TYPE] != 1)
		return refuse(ks, -MV_EUCLEAN, "unknown checksum type");
	if (fs->csum && get32(sb + SB_CSUM) != sb_csum(sb))
		return refuse(ks, -MV_EUCLEAN, "superblock checksum mismatch");
	if (fs->ro_compat & ~RO_COMPAT_WRITABLE) {
		fs->rdonly = true;
		e4_log(fs, MV_LOG_WARN, "ext4: read-only: unsupported read-only features");
	}
	if ((fs->incompat & (INCOMPAT_EXTENTS | INCOMPAT_FILETYPE)) !=
	    (INCOMPAT_EXTENTS | INCOMPAT_FILETYPE)) {
		fs->rdonly = true;
		e4_log(fs, MV_LOG_WARN, "ext4: read-only: no extents or no file types (ext2/3)");
	}
	if (fs->incompat & INCOMPAT_RECOVER) {
		fs->rdonly = true;
		e4_log(fs, MV_LOG_WARN,
		       "ext4: read-only: the journal needs recovery (run e2fsck), not replayed");
	}
	if (get16(sb + SB_STATE) & E4_STATE_ERROR) {
		fs->rdonly = true;
		e4_log(fs, MV_LOG_WARN, "ext4: read-only: the volume is marked with errors");
	}
	if (fs->incompat & INCOMPAT_CSUM_SEED)
		fs->seed = get32(sb + SB_CSUM_SEED);
	else
		fs->seed = e4_crc32c(0xFFFFFFFFU, sb + SB_UUID, 16);
	return 0;
}

static int parse_geometry(struct mv_fs *fs, uint64_t dev_sectors)
{
	const uint8_t *sb = fs->sb;
	const struct mv_kservices *ks = fs->ks;
	uint32_t log = get32(sb + SB_LOG_BLOCK_SIZE);
	uint64_t groups, gdt_bytes;

	if (log > 6)
		return refuse(ks, -MV_EUCLEAN, "block size");
	fs->bs = 1024U << log;
	fs->spb = fs->bs / 512U;
	if (get32(sb + SB_LOG_CLUSTER_SIZE) != log)
		return refuse(ks, -MV_EINVAL, "bigalloc is not supported");
	fs->blocks_count = get32(sb + SB_BLOCKS_LO);
	if (fs->incompat & INCOMPAT_64BIT)
		fs->blocks_count |= (uint64_t)get32(sb + SB_BLOCKS_HI) << 32;
	fs->first_data_block = get32(sb + SB_FIRST_DATA_BLOCK);
	fs->bpg = get32(sb + SB_BLOCKS_PER_GROUP);
	fs->ipg = get32(sb + SB_INODES_PER_GROUP);
	if (fs->first_data_block != (fs->bs == 1024 ? 1U : 0U))
		return refuse(ks, -MV_EUCLEAN, "first data block");
	if (fs->bpg == 0 || fs->bpg > fs->bs * 8 || fs->bpg % 8 ||
	    get32(sb + SB_CLUSTERS_PER_GROUP) != fs->bpg)
		return refuse(ks, -MV_EUCLEAN, "blocks per group");
	if (fs->blocks_count <= fs->first_data_block + 1ULL ||
	    fs->blocks_count > dev_sectors / fs->spb)
		return refuse(ks, -MV_EUCLEAN, "block count larger than the device");
	groups = (fs->blocks_count - fs->first_data_block + fs->bpg - 1) / fs->bpg;
	if (groups > (1U << 20))
		return refuse(ks, -MV_EUCLEAN, "too many groups");
	fs->ngroups = (uint32_t)groups;
	if (get32(sb + SB_REV_LEVEL) == 0) {
		fs->inode_size = I_GOOD_OLD_SIZE;
		fs->first_ino = 11;
	} else {
		fs->inode_size = get16(sb + SB_INODE_SIZE);
		fs->first_ino = get32(sb + SB_FIRST_INO);
	}
	if (!pow2(fs->inode_size) || fs->inode_size < I_GOOD_OLD_SIZE || fs->inode_size > fs->bs)
		return refuse(ks, -MV_EUCLEAN, "inode size");
	if (fs->ipg == 0 || fs->ipg > fs->bs * 8 || fs->ipg % 8 ||
	    (uint64_t)fs->ipg * fs->ngroups != get32(sb + SB_INODES_COUNT))
		return refuse(ks, -MV_EUCLEAN, "inodes per group");
	if (fs->first_ino <= E4_ROOT_INO || fs->first_ino >= get32(sb + SB_INODES_COUNT))
		return refuse(ks, -MV_EUCLEAN, "first inode");
	fs->desc_size = 32;
	if (fs->incompat & INCOMPAT_64BIT) {
		fs->desc_size = get16(sb + SB_DESC_SIZE);
		if (fs->desc_size < 64 || fs->desc_size > 1024 || !pow2(fs->desc_size))
			return refuse(ks, -MV_EUCLEAN, "descriptor size");
	}
	fs->gdt_start = fs->first_data_block + 1ULL;
	gdt_bytes = groups * fs->desc_size;
	if (gdt_bytes > fs->blocks_count * fs->bs / 2)
		return refuse(ks, -MV_EUCLEAN, "group descriptors larger than the volume");
	return 0;
}

static bool range_ok(const struct mv_fs *fs, uint64_t blk, uint64_t n)
{
	return blk > fs->first_data_block && e4_block_valid(fs, blk, n);
}

static int load_gdt(struct mv_fs *fs)
{
	uint32_t nblk = (uint32_t)(((uint64_t)fs->ngroups * fs->desc_size + fs->bs - 1) / fs->bs);
	uint64_t itable_blocks = ((uint64_t)fs->ipg * fs->inode_size + fs->bs - 1) / fs->bs;
	int ret;

	if (!range_ok(fs, fs->gdt_start, nblk))
		return refuse(fs->ks, -MV_EUCLEAN, "group descriptors past the end");
	fs->gdt = e4_alloc_mem(fs, (size_t)nblk * fs->bs);
	if (!fs->gdt)
		return -MV_ENOMEM;
	ret = e4_dev_read(fs, fs->gdt_start, fs->gdt, nblk);
	if (ret != 0)
		return ret;
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		if (!gd_csum_ok(fs, g))
			return refuse(fs->ks, -MV_EUCLEAN, "group descriptor checksum mismatch");
		if (!range_ok(fs, gd_block_bitmap(fs, g), 1) ||
		    !range_ok(fs, gd_inode_bitmap(fs, g), 1) ||
		    !range_ok(fs, gd_inode_table(fs, g), itable_blocks))
			return refuse(fs->ks, -MV_EUCLEAN, "group metadata past the end");
		if (gd_get_count(fs, g, GD_FREE_INODES, GD_FREE_INODES_HI) > fs->ipg ||
		    gd_get_count(fs, g, GD_FREE_BLOCKS, GD_FREE_BLOCKS_HI) > fs->bpg)
			return refuse(fs->ks, -MV_EUCLEAN, "group free counts");
	}
	return 0;
}

void e4_destroy(struct mv_fs *fs)
{
	if (!fs)
		return;
	cache_destroy(fs);
	e4_free_mem(fs, fs->gdt);
	e4_free_mem(fs, fs->zero);
	if (fs->lock && fs->ks->lock_destroy)
		fs->ks->lock_destroy(fs->ks->ctx, fs->lock);
	fs->ks->free(fs->ks->ctx, fs);
}

int e4_mount(const struct mv_kservices *ks, struct mv_fs **out)
{
	struct mv_fs *fs;
	uint8_t *raw;
	int ret;

	if (!ks)
		return -MV_ENODEV;
	fs = ks->alloc(ks->ctx, sizeof(*fs), 16);
	if (!fs)
		return -MV_ENOMEM;
	memset(fs, 0, sizeof(*fs));
	fs->ks = ks;
	raw = e4_alloc_mem(fs, E4_SB_SIZE);
	if (!raw) {
		e4_destroy(fs);
		return -MV_ENOMEM;
	}
	if (ks->blk_sectors(ks->ctx) < (E4_SB_OFFSET + E4_SB_SIZE) / 512)
		ret = refuse(ks, -MV_EINVAL, "device too small");
	else
		ret =
		    ks->blk_read(ks->ctx, E4_SB_OFFSET / 512, raw, E4_SB_SIZE / 512) ? -MV_EIO : 0;
	if (ret == 0) {
		memcpy(fs->sb, raw, E4_SB_SIZE);
		if (get16(fs->sb + SB_MAGIC) != E4_MAGIC)
			ret = refuse(ks, -MV_EINVAL, "no ext2/3/4 superblock");
	}
	e4_free_mem(fs, raw);
	if (ret == 0)
		ret = parse_features(fs);
	if (ret == 0)
		ret = parse_geometry(fs, ks->blk_sectors(ks->ctx));
	if (ret == 0) {
		for (uint32_t i = 0; i < 4; i++)
			fs->hash_seed[i] = get32(fs->sb + SB_HASH_SEED + 4 * i);
		fs->hash_version = fs->sb[SB_DEF_HASH];
		fs->zero = e4_alloc_mem(fs, fs->bs);
		ret = fs->zero ? cache_init(fs) : -MV_ENOMEM;
	}
	if (ret == 0) {
		memset(fs->zero, 0, fs->bs);
		ret = load_gdt(fs);
	}
	if (ret == 0 && ks->lock_create) {
		fs->lock = ks->lock_create(ks->ctx);
		if (!fs->lock)
			ret = -MV_ENOMEM;
	}
	if (ret != 0) {
		e4_destroy(fs);
		return ret;
	}
	fs->gen = (uint32_t)e4_now(fs);
	*out = fs;
	return 0;
}

int e4_write_super(struct mv_fs *fs)
{
	uint8_t *buf;
	int ret;

	if (!fs->sb_dirty || fs->rdonly)
		return 0;
	put32(fs->sb + SB_WTIME, (uint32_t)e4_now(fs));
	if (fs->csum)
		put32(fs->sb + SB_CSUM, sb_csum(fs->sb));
	/* The superblock shares block 0 with the boot area on 4 KiB volumes: write its sectors. */
	buf = fs->sb;
	ret =
	    fs->ks->blk_write(fs->ks->ctx, E4_SB_OFFSET / 512, buf, E4_SB_SIZE / 512) ? -MV_EIO : 0;
	if (ret == 0) {
		fs->sb_dirty = false;
		for (uint32_t i = 0; i < E4_CACHE_SLOTS; i++) {
			if (fs->cache[i].valid && fs->cache[i].block * fs->bs < 2 * E4_SB_OFFSET)
				fs->cache[i].valid = false;
		}
	}
	return ret;
}

int e4_sync(struct mv_fs *fs)
{
	int ret = e4_write_super(fs);

	if (ret == 0 && !fs->rdonly && fs->ks->blk_flush)
		ret = fs->ks->blk_flush(fs->ks->ctx) ? -MV_EIO : 0;
	return ret;
}

int e4_unmount(struct mv_fs *fs)
{
	if (fs->nodes)
		return -MV_EBUSY;
	return e4_sync(fs);
}
