/* The fake guest kernel of the filesystem unit tests: an in-memory block device, a counting
 * allocator, one checked lock; tests steer and inspect it through F. */
#ifndef TESTS_UNIT_FAKE_KS_H
#define TESTS_UNIT_FAKE_KS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <modvisor/module.h>

/* The environment variable that makes the module's log lines go to stderr. */
#ifndef FAKE_KS_LOG_ENV
#define FAKE_KS_LOG_ENV "FS_TEST_LOG"
#endif

struct fake {
	uint8_t *img;
	size_t img_bytes;
	uint64_t dev_sectors;
	long reads, writes, flushes, oob;
	long read_fail_in, write_fail_in, alloc_fail_in; /* n > 0: the n-th call from now fails */
	long live_allocs, bad_align;
	size_t live_bytes, peak_bytes;
	int lock_depth, locks_live;
	long lock_errors, unlocked_io;
	bool check_lock;
	uint64_t now;
	char last_log[256];
};

static struct fake F;

static void *k_alloc(void *ctx, size_t size, size_t align)
{
	uint8_t *p;

	(void)ctx;
	if (align > 16 || (align & (align - 1)))
		F.bad_align++;
	if (F.alloc_fail_in && --F.alloc_fail_in == 0)
		return NULL;
	p = malloc(size + 16);
	if (!p)
		return NULL;
	memcpy(p, &size, sizeof(size));
	F.live_allocs++;
	F.live_bytes += size;
	if (F.live_bytes > F.peak_bytes)
		F.peak_bytes = F.live_bytes;
	return p + 16;
}

static void k_free(void *ctx, void *ptr)
{
	uint8_t *p;
	size_t size;

	(void)ctx;
	if (!ptr)
		return;
	p = (uint8_t *)ptr - 16;
	memcpy(&size, p, sizeof(size));
	F.live_allocs--;
	F.live_bytes -= size;
	free(p);
}

static void io_lock_check(void)
{
	if (F.check_lock && F.lock_depth != 1)
		F.unlocked_io++;
}

static int k_blk_read(void *ctx, uint64_t sector, void *buf, uint32_t count)
{
	(void)ctx;
	io_lock_check();
	if (F.read_fail_in && --F.read_fail_in == 0)
		return -5;
	if (sector >= F.dev_sectors || count > F.dev_sectors - sector) {
		F.oob++;
		return -1;
	}
	memcpy(buf, F.img + sector * 512, (size_t)count * 512);
	F.reads++;
	return 0;
}

static int k_blk_write(void *ctx, uint64_t sector, const void *buf, uint32_t count)
{
	(void)ctx;
	io_lock_check();
	if (F.write_fail_in && --F.write_fail_in == 0)
		return -5;
	if (sector >= F.dev_sectors || count > F.dev_sectors - sector) {
		F.oob++;
		return -1;
	}
	memcpy(F.img + sector * 512, buf, (size_t)count * 512);
	F.writes++;
	return 0;
}

static int k_blk_flush(void *ctx)
{
	(void)ctx;
	F.flushes++;
	return 0;
}

static uint64_t k_blk_sectors(void *ctx)
{
	(void)ctx;
	return F.dev_sectors;
}

static void *k_lock_create(void *ctx)
{
	(void)ctx;
	F.locks_live++;
	return malloc(1);
}

static void k_lock_destroy(void *ctx, void *lock)
{
	(void)ctx;
	F.locks_live--;
	free(lock);
}

static void k_lock(void *ctx, void *lock)
{
	(void)ctx;
	(void)lock;
	if (F.lock_depth++ != 0)
		F.lock_errors++;
}

static void k_unlock(void *ctx, void *lock)
{
	(void)ctx;
	(void)lock;
	if (--F.lock_depth != 0)
		F.lock_errors++;
}

static void k_log(void *ctx, enum mv_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	snprintf(F.last_log, sizeof(F.last_log), "%s", msg);
	if (getenv(FAKE_KS_LOG_ENV))
		fprintf(stderr, "[log] %s\n", msg);
}

static uint64_t k_time_ns(void *ctx)
{
	(void)ctx;
	return 0;
}

static uint64_t k_wall(void *ctx)
{
	(void)ctx;
	return F.now;
}

static uint32_t k_task(void *ctx)
{
	(void)ctx;
	return 1;
}

static const struct mv_kservices ks = {
    .version = MV_KSERVICES_VERSION,
    .size = sizeof(struct mv_kservices),
    .ctx = &F,
    .alloc = k_alloc,
    .free = k_free,
    .blk_read = k_blk_read,
    .blk_write = k_blk_write,
    .blk_flush = k_blk_flush,
    .blk_sectors = k_blk_sectors,
    .lock_create = k_lock_create,
    .lock_destroy = k_lock_destroy,
    .lock = k_lock,
    .unlock = k_unlock,
    .log = k_log,
    .time_ns = k_time_ns,
    .wall_time_s = k_wall,
    .current_task = k_task,
};

#endif
