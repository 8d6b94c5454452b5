/* The fuzz harness shared by the filesystem module targets: a fake device over the input,
 * a checking kernel-services table, a walk over the tree, and one run per input. */
#ifndef FUZZ_FS_HARNESS_H
#define FUZZ_FS_HARNESS_H

/* The including target defines FUZZ_NAME and FUZZ_VERBOSE_ENV first. */
#define _DEFAULT_SOURCE
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <modvisor/module.h>

extern struct mv_module_desc mv_module_desc;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* What each target defines: the changes it makes beyond the shared ones (modify()), and the
 * device size an image claims. */
static void modify_more(struct mv_fs *fs);
static uint64_t claimed_sectors(const uint8_t *b, size_t n);

#define SECTOR 512U
#define MAX_INPUT (2U << 20)	 /* longer inputs are cut */
#define MAX_DEVICE (64ULL << 20) /* a volume may claim up to this much zero-filled device */
#define OVERLAY_SLOTS 4096U	 /* sectors written beyond the input, 2 MiB */

/*
 * The device is the input padded with zeros up to what the volume claims (capped), so a small
 * seed can describe a larger volume. Writes land in an overlay; when it is full, writes fail
 * with an I/O error, which is one more error path to exercise.
 */
struct dev {
	uint8_t *base;
	uint64_t base_sectors, sectors;
	uint64_t *ov_sector;
	uint8_t *ov_data;
	uint32_t ov_used;
	long live_allocs;
	int lock_depth;
};

static struct dev D;

static void fail(const char *why)
{
	fprintf(stderr, "%s: %s\n", FUZZ_NAME, why);
	abort();
}

static void *k_alloc(void *ctx, size_t size, size_t align)
{
	(void)ctx;
	(void)align;
	D.live_allocs++;
	return malloc(size ? size : 1);
}

static void k_free(void *ctx, void *p)
{
	(void)ctx;
	if (p)
		D.live_allocs--;
	free(p);
}

static int64_t ov_find(uint64_t sector)
{
	for (uint32_t i = 0; i < D.ov_used; i++) {
		if (D.ov_sector[i] == sector)
			return i;
	}
	return -1;
}

static int k_read(void *ctx, uint64_t sector, void *buf, uint32_t count)
{
	(void)ctx;
	if (D.lock_depth != 1)
		fail("I/O outside the lock");
	if (sector >= D.sectors || count > D.sectors - sector)
		fail("read past the device");
	for (uint32_t i = 0; i < count; i++) {
		uint8_t *out = (uint8_t *)buf + (size_t)i * SECTOR;
		int64_t o = ov_find(sector + i);

		if (o >= 0)
			memcpy(out, D.ov_data + (size_t)o * SECTOR, SECTOR);
		else if (sector + i < D.base_sectors)
			memcpy(out, D.base + (sector + i) * SECTOR, SECTOR);
		else
			memset(out, 0, SECTOR);
	}
	return 0;
}

static int k_write(void *ctx, uint64_t sector, const void *buf, uint32_t count)
{
	(void)ctx;
	if (D.lock_depth != 1)
		fail("I/O outside the lock");
	if (sector >= D.sectors || count > D.sectors - sector)
		fail("write past the device");
	for (uint32_t i = 0; i < count; i++) {
		int64_t o = ov_find(sector + i);

		if (o < 0) {
			if (D.ov_used == OVERLAY_SLOTS)
				return -5;
			o = D.ov_used++;
			D.ov_sector[o] = sector + i;
		}
		memcpy(D.ov_data + (size_t)o * SECTOR, (const uint8_t *)buf + (size_t)i * SECTOR,
		       SECTOR);
	}
	return 0;
}

static int k_flush(void *ctx)
{
	(void)ctx;
	return 0;
}

static uint64_t k_sectors(void *ctx)
{
	(void)ctx;
	return D.sectors;
}

static void *k_lock_create(void *ctx)
{
	(void)ctx;
	return &D;
}

static void k_lock_destroy(void *ctx, void *lock)
{
	(void)ctx;
	(void)lock;
}

static void k_lock(void *ctx, void *lock)
{
	(void)ctx;
	(void)lock;
	if (D.lock_depth++ != 0)
		fail("lock taken twice");
}

static void k_unlock(void *ctx, void *lock)
{
	(void)ctx;
	(void)lock;
	if (--D.lock_depth != 0)
		fail("unlock without lock");
}

static uint64_t k_wall(void *ctx)
{
	(void)ctx;
	return 1700000000;
}

static const struct mv_kservices ks = {
    .version = MV_KSERVICES_VERSION,
    .size = sizeof(struct mv_kservices),
    .alloc = k_alloc,
    .free = k_free,
    .blk_read = k_read,
    .blk_write = k_write,
    .blk_flush = k_flush,
    .blk_sectors = k_sectors,
    .lock_create = k_lock_create,
    .lock_destroy = k_lock_destroy,
    .lock = k_lock,
    .unlock = k_unlock,
    .wall_time_s = k_wall,
};

static const struct mv_fs_ops *ops;
static int verbose; /* FUZZ_VERBOSE_ENV=1: say what each input did (corpus runs) */

static void walk(struct mv_fs *fs, const char *dir, int depth, int *budget)
{
	struct mv_file *d = NULL, *f;
	struct mv_dirent ent;
	struct mv_stat st;
	static uint8_t buf[8192];
	char path[1200];

	if (ops->open(fs, dir, MV_O_RDONLY | MV_O_DIRECTORY, &d) != 0)
		return;
	ops->fstat(fs, d, &st);
	while (*budget > 0 && ops->readdir(fs, d, &ent) == 1) {
		(*budget)--;
		if (strnlen(ent.name, sizeof(ent.name)) == sizeof(ent.name))
			fail("readdir name not terminated");
		if (verbose)
			printf("  %s/%s\n", strcmp(dir, "/") ? dir : "", ent.name);
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", ent.name);
		ops->stat(fs, path, &st);
		if (ent.type == MV_S_IFDIR) {
			if (depth < 3)
				walk(fs, path, depth + 1, budget);
			continue;
		}
		f = NULL;
		if (ops->open(fs, path, MV_O_RDONLY, &f) != 0)
			continue;
		for (int i = 0; i < 8 && ops->read(fs, f, buf, sizeof(buf)) > 0; i++)
			;
		ops->seek(fs, f, -100, MV_SEEK_END);
		ops->read(fs, f, buf, 300);
		ops->close(fs, f);
	}
	ops->close(fs, d);
}

/* Changes on whatever the image holds: every one may fail, none may crash. */
static void modify(struct mv_fs *fs)
{
	static uint8_t buf[6000];
	struct mv_file *f = NULL;

	memset(buf, 0x5A, sizeof(buf));
	if (ops->open(fs, "/fuzz file with a long name.txt", MV_O_CREAT | MV_O_RDWR, &f) == 0) {
		ops->write(fs, f, buf, sizeof(buf));
		ops->seek(fs, f, 20000, MV_SEEK_SET);
		ops->write(fs, f, buf, 10);
		ops->truncate(fs, f, 700);
		ops->close(fs, f);
	}
	ops->mkdir(fs, "/FZDIR");
	ops->rename(fs, "/fuzz file with a long name.txt", "/FZDIR/moved.txt");
	ops->rename(fs, "/FZDIR", "/fzdir2");
	modify_more(fs);
	f = NULL;
	if (ops->open(fs, "/hello.txt", MV_O_WRONLY | MV_O_APPEND, &f) == 0) {
		ops->write(fs, f, "appended", 8);
		ops->close(fs, f);
	}
	ops->unlink(fs, "/fzdir2/moved.txt");
	ops->rmdir(fs, "/fzdir2");
	ops->sync(fs);
}

/* Mounts the image, walks it, changes it, walks again, unmounts: one fuzz input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint64_t ov_sector[OVERLAY_SLOTS];
	struct mv_fs *fs = NULL;
	int budget = 300, ret;
	uint64_t want;

	if (!ops) {
		const void *o = NULL;

		verbose = getenv(FUZZ_VERBOSE_ENV) != NULL;
		if (mv_module_desc.init(&ks, &o) != 0)
			fail("init");
		ops = o;
	}
	if (size > MAX_INPUT)
		size = MAX_INPUT;
	memset(&D, 0, sizeof(D));
	D.base_sectors = (size + SECTOR - 1) / SECTOR;
	D.base = calloc(D.base_sectors ? D.base_sectors : 1, SECTOR);
	D.ov_data = malloc((size_t)OVERLAY_SLOTS * SECTOR);
	if (!D.base || !D.ov_data)
		fail("out of memory");
	memcpy(D.base, data, size);
	D.ov_sector = ov_sector;
	want = claimed_sectors(D.base, size);
	D.sectors = D.base_sectors;
	if (want > D.sectors && want <= MAX_DEVICE / SECTOR)
		D.sectors = want;

	/* The lock is only created by mount: pretend to hold one while it reads. */
	D.lock_depth = 1;
	ret = ops->mount(&fs);
	D.lock_depth = 0;
	if (verbose)
		printf("mount: %d (%llu sectors)\n", ret, (unsigned long long)D.sectors);
	if (ret == 0) {
		walk(fs, "/", 0, &budget);
		modify(fs);
		budget = 100;
		walk(fs, "/", 0, &budget);
		if (ops->unmount(fs) == -MV_EBUSY)
			fail("unmount busy: a handle leaked");
	}
	if (D.lock_depth != 0)
		fail("lock left held");
	if (D.live_allocs != 0)
		fail("memory leaked");
	free(D.base);
	free(D.ov_data);
	return 0;
}

#endif /* FUZZ_FS_HARNESS_H */
