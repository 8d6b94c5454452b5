/* Mounting: BPB and FSInfo validation, volume geometry, unmount and sync. */
#include <string.h>
#include <fmt.h>
#include "fatfs.h"

#define FAT12_MAX_CLUSTERS 4084U
#define FAT16_MAX_CLUSTERS 65524U
#define FAT32_MAX_CLUSTERS 0x0FFFFFF5U
#define FSINFO_LEAD 0x41615252U
#define FSINFO_STRUCT 0x61417272U
#define FSINFO_TRAIL 0xAA550000U
#define FSINFO_UNKNOWN 0xFFFFFFFFU

void *fat_alloc_mem(const struct mv_fs *fs, size_t size)
{
	return fs->ks->alloc(fs->ks->ctx, size, 16);
}

void fat_free_mem(const struct mv_fs *fs, void *p)
{
	if (p)
		fs->ks->free(fs->ks->ctx, p);
}

/* Every device access is checked against the volume, whatever asked for it. */
static bool io_in_volume(const struct mv_fs *fs, uint64_t sector, uint32_t count)
{
	return count > 0 && sector < fs->total_sectors && count <= fs->total_sectors - sector;
}

int fat_blk_read(const struct mv_fs *fs, uint64_t sector, void *buf, uint32_t count)
{
	if (!io_in_volume(fs, sector, count))
		return -MV_EUCLEAN;
	return fs->ks->blk_read(fs->ks->ctx, sector, buf, count) ? -MV_EIO : 0;
}

int fat_blk_write(const struct mv_fs *fs, uint64_t sector, const void *buf, uint32_t count)
{
	if (!io_in_volume(fs, sector, count))
		return -MV_EUCLEAN;
	return fs->ks->blk_write(fs->ks->ctx, sector, buf, count) ? -MV_EIO : 0;
}

static int refuse(const struct mv_kservices *ks, int err, const char *why)
{
	if (ks->log) {
		char msg[96];

		fmt_snprintf(msg, sizeof(msg), "fatfs: mount refused: %s", why);
		ks->log(ks->ctx, MV_LOG_WARN, msg);
	}
	return err;
}

static uint32_t fat_bytes_needed(enum fat_type type, uint32_t nclusters)
{
	uint64_t entries = (uint64_t)nclusters + 2;
	uint64_t bytes;

	if (type == FAT12)
		bytes = (entries * 3 + 1) / 2;
	else if (type == FAT16)
		bytes = entries * 2;
	else
		bytes = entries * 4;
	return (uint32_t)((bytes + FAT_SECTOR - 1) / FAT_SECTOR);
}

/* The checks follow the spec's order of derivation: each value is checked before it is used. */
static int parse_bpb(struct mv_fs *fs, const uint8_t *b, uint64_t dev_sectors)
{
	const struct mv_kservices *ks = fs->ks;
	uint32_t bps, spc, rsvd, nfats, root_ent, tot, fatsz, root_secs, count;
	uint64_t meta;
	bool bpb32;

	if (b[510] != 0x55 || b[511] != 0xAA)
		return refuse(ks, -MV_EUCLEAN, "no boot signature");
	bps = get16(b + 11);
	if (bps != FAT_SECTOR) {
		if (bps == 1024 || bps == 2048 || bps == 4096)
			return refuse(ks, -MV_EINVAL, "sector size other than 512");
		return refuse(ks, -MV_EUCLEAN, "bad bytes per sector");
	}
	spc = b[13];
	if (spc == 0 || (spc & (spc - 1)) != 0)
		return refuse(ks, -MV_EUCLEAN, "bad sectors per cluster");
	rsvd = get16(b + 14);
	if (rsvd == 0)
		return refuse(ks, -MV_EUCLEAN, "no reserved sectors");
	nfats = b[16];
	if (nfats == 0)
		return refuse(ks, -MV_EUCLEAN, "no FAT");
	root_ent = get16(b + 17);
	tot = get16(b + 19) ? get16(b + 19) : get32(b + 32);
	bpb32 = get16(b + 22) == 0;
	fatsz = bpb32 ? get32(b + 36) : get16(b + 22);
	if (tot == 0 || fatsz == 0)
		return refuse(ks, -MV_EUCLEAN, "zero total sectors or FAT size");
	root_secs = (root_ent * FAT_SLOT + FAT_SECTOR - 1) / FAT_SECTOR;
	meta = rsvd + (uint64_t)nfats * fatsz + root_secs;
	if (meta >= tot)
		return refuse(ks, -MV_EUCLEAN, "no room for data clusters");
	count = (uint32_t)((tot - meta) / spc);
	if (count == 0)
		return refuse(ks, -MV_EUCLEAN, "no data clusters");
	if (count <= FAT12_MAX_CLUSTERS)
		fs->type = FAT12;
	else if (count <= FAT16_MAX_CLUSTERS)
		fs->type = FAT16;
	else
		fs->type = FAT32;
	/* Small volumes made by mkfs.vfat -F 32: by the spec's count rule they are not FAT32. */
	if (bpb32 && fs->type != FAT32)
		return refuse(ks, -MV_EUCLEAN, "FAT32 BPB with fewer than 65525 clusters");
	if (fs->type == FAT32) {
		if (!bpb32 || root_ent != 0 || count > FAT32_MAX_CLUSTERS)
			return refuse(ks, -MV_EUCLEAN, "inconsistent FAT32 BPB");
		if (get16(b + 42) != 0)
			return refuse(ks, -MV_EINVAL, "unknown FAT32 version");
		fs->root_clus = get32(b + 44);
		if (fs->root_clus < 2 || fs->root_clus - 2 >= count)
			return refuse(ks, -MV_EUCLEAN, "root cluster out of range");
		fs->fsinfo_sector = get16(b + 48);
		/* ExtFlags bit 7: only the FAT named in bits 0-3 is live, no mirroring. */
		fs->fat_mirror = (get16(b + 40) & 0x80) == 0;
		if (!fs->fat_mirror && (get16(b + 40) & 0xF) >= nfats)
			return refuse(ks, -MV_EUCLEAN, "active FAT out of range");
		fs->fat_start = rsvd + (fs->fat_mirror ? 0 : (get16(b + 40) & 0xF) * fatsz);
	} else {
		if (bpb32 || root_ent == 0)
			return refuse(ks, -MV_EUCLEAN, "inconsistent FAT12/16 BPB");
		fs->fat_mirror = true;
		fs->fat_start = rsvd;
	}
	if (fatsz < fat_bytes_needed(fs->type, count))
		return refuse(ks, -MV_EUCLEAN, "FAT too short for the cluster count");
	if (tot > dev_sectors)
		return refuse(ks, -MV_EUCLEAN, "volume larger than the device");
	fs->spc = spc;
	fs->clus_bytes = spc * FAT_SECTOR;
	fs->slots_per_clus = fs->clus_bytes / FAT_SLOT;
	fs->nfats = nfats;
	fs->fat_sectors = fatsz;
	fs->fat0_start = rsvd;
	fs->root_start = (uint32_t)(rsvd + (uint64_t)nfats * fatsz);
	fs->root_slots = root_ent;
	fs->data_start = (uint32_t)meta;
	fs->nclusters = count;
	fs->total_sectors = tot;
	return 0;
}

/* FSInfo is only a hint: a bad one is ignored, never a reason to refuse the volume. */
static void read_fsinfo(struct mv_fs *fs, uint8_t *buf)
{
	uint32_t free_count, next;

	fs->free_count = FSINFO_UNKNOWN;
	fs->next_free = 2;
	if (fs->type != FAT32 || fs->fsinfo_sector == 0 || fs->fsinfo_sector >= fs->fat0_start ||
	    fat_blk_read(fs, fs->fsinfo_sector, buf, 1) != 0 || get32(buf) != FSINFO_LEAD ||
	    get32(buf + 484) != FSINFO_STRUCT || get32(buf + 508) != FSINFO_TRAIL) {
		fs->fsinfo_sector = 0;
		return;
	}
	free_count = get32(buf + 488);
	next = get32(buf + 492);
	if (free_count <= fs->nclusters)
		fs->free_count = free_count;
	if (fat_clus_valid(fs, next))
		fs->next_free = next;
}

int fat_write_fsinfo(struct mv_fs *fs)
{
	uint8_t v[8];
	int ret;

	if (!fs->fsinfo_dirty || fs->fsinfo_sector == 0)
		return 0;
	put32(v, fs->free_count);
	put32(v + 4, fs->next_free);
	ret = cache_write(fs, fs->fsinfo_sector, 488, v, sizeof(v), false);
	if (ret == 0)
		fs->fsinfo_dirty = false;
	return ret;
}

void fat_destroy(struct mv_fs *fs)
{
	if (fs->lock && fs->ks->lock_destroy)
		fs->ks->lock_destroy(fs->ks->ctx, fs->lock);
	dix_destroy_all(fs);
	cache_destroy(fs);
	fat_free_mem(fs, fs->zero);
	fs->ks->free(fs->ks->ctx, fs);
}

int fat_mount(const struct mv_kservices *ks, struct mv_fs **out)
{
	struct mv_fs *fs;
	uint8_t *buf;
	uint64_t dev;
	int ret;

	if (!ks)
		return -MV_EINVAL;
	fs = ks->alloc(ks->ctx, sizeof(*fs), 16);
	if (!fs)
		return -MV_ENOMEM;
	memset(fs, 0, sizeof(*fs));
	fs->ks = ks;
	fs->dix_budget = FAT_DIX_BUDGET;
	fs->zero = fat_alloc_mem(fs, FAT_SECTOR);
	if (!fs->zero) {
		fat_destroy(fs);
		return -MV_ENOMEM;
	}
	memset(fs->zero, 0, FAT_SECTOR);
	buf = fat_alloc_mem(fs, FAT_SECTOR);
	if (!buf) {
		fat_destroy(fs);
		return -MV_ENOMEM;
	}
	dev = ks->blk_sectors(ks->ctx);
	fs->total_sectors = dev > 0xFFFFFFFFU ? 0xFFFFFFFFU : (uint32_t)dev;
	ret = fat_blk_read(fs, 0, buf, 1);
	if (ret == -MV_EUCLEAN)
		ret = refuse(ks, -MV_EUCLEAN, "empty device");
	if (ret == 0)
		ret = parse_bpb(fs, buf, dev);
	if (ret == 0)
		read_fsinfo(fs, buf);
	fat_free_mem(fs, buf);
	if (ret == 0)
		ret = cache_init(fs);
	if (ret == 0 && ks->lock_create) {
		fs->lock = ks->lock_create(ks->ctx);
		if (!fs->lock)
			ret = -MV_ENOMEM;
	}
	if (ret != 0) {
		fat_destroy(fs);
		return ret;
	}
	*out = fs;
	return 0;
}

int fat_sync(struct mv_fs *fs)
{
	int ret = fat_write_fsinfo(fs);
	int ret2 = cache_flush(fs);

	if (ret == 0)
		ret = ret2;
	if (fs->ks->blk_flush && fs->ks->blk_flush(fs->ks->ctx) != 0 && ret == 0)
		ret = -MV_EIO;
	return ret;
}

/* The caller destroys the fs after dropping its lock, unless this says -MV_EBUSY. */
int fat_unmount(struct mv_fs *fs)
{
	if (fs->nodes)
		return -MV_EBUSY;
	return fat_sync(fs);
}
