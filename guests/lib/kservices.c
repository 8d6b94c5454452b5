/* The kernel-services table a guest hands to modules: its heap, its disk, locks, log, time. */
#include "guest.h"
#include "virtio_blk.h"

static struct gvblk disk;
static bool disk_ready;
static const char *log_tag = "kernel";

static void disk_irq(unsigned intid)
{
	(void)intid;
	gvblk_irq(&disk);
}

int guest_disk_init(void)
{
	int ret;

	if (disk_ready)
		return 0;
	ret = gvblk_init(&disk, GVBLK_BASE);
	if (ret == 0) {
		gic_enable_irq(GVBLK_INTID, disk_irq);
		disk_ready = true;
	}
	return ret;
}

struct gvblk *guest_disk(void)
{
	return disk_ready ? &disk : NULL;
}

static void *ks_alloc(void *ctx, size_t size, size_t align)
{
	(void)ctx;
	return kmalloc_aligned(size, align < 16 ? 16 : align);
}

static void ks_free(void *ctx, void *ptr)
{
	(void)ctx;
	kfree(ptr);
}

static int ks_blk_read(void *ctx, uint64_t sector, void *buf, uint32_t count)
{
	(void)ctx;
	if (!disk_ready)
		return -MV_ENODEV;
	return gvblk_read(&disk, sector, buf, count) == 0 ? 0 : -MV_EIO;
}

static int ks_blk_write(void *ctx, uint64_t sector, const void *buf, uint32_t count)
{
	(void)ctx;
	if (!disk_ready)
		return -MV_ENODEV;
	return gvblk_write(&disk, sector, buf, count) == 0 ? 0 : -MV_EIO;
}

static int ks_blk_flush(void *ctx)
{
	(void)ctx;
	if (!disk_ready)
		return -MV_ENODEV;
	return gvblk_flush(&disk) == 0 ? 0 : -MV_EIO;
}

static uint64_t ks_blk_sectors(void *ctx)
{
	(void)ctx;
	return disk_ready ? gvblk_capacity(&disk) : 0;
}

/* A lock is one word; the guests here run their module calls on one CPU at a time. */
static void *ks_lock_create(void *ctx)
{
	uint32_t *lock = kmalloc(sizeof(uint32_t));

	(void)ctx;
	if (lock)
		*lock = 0; /* heap memory is not zeroed: a new lock must start free */
	return lock;
}

static void ks_lock_destroy(void *ctx, void *lock)
{
	(void)ctx;
	kfree(lock);
}

static void ks_lock(void *ctx, void *lock)
{
	(void)ctx;
	while (__atomic_exchange_n((uint32_t *)lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void ks_unlock(void *ctx, void *lock)
{
	(void)ctx;
	__atomic_store_n((uint32_t *)lock, 0, __ATOMIC_RELEASE);
}

static void ks_log(void *ctx, enum mv_log_level level, const char *msg)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};

	(void)ctx;
	if (level <= MV_LOG_INFO)
		kprintf("%s: module %s: %s\n", log_tag, names[level], msg);
}

static uint64_t ks_time_ns(void *ctx)
{
	(void)ctx;
	return guest_time_ns();
}

static uint64_t ks_wall_time_s(void *ctx)
{
	(void)ctx;
	return wallclock_ns() / 1000000000ULL;
}

static uint32_t ks_current_task(void *ctx)
{
	(void)ctx;
	return 1;
}

static const struct mv_kservices services = {
    .version = MV_KSERVICES_VERSION,
    .size = sizeof(struct mv_kservices),
    .ctx = NULL,
    .alloc = ks_alloc,
    .free = ks_free,
    .blk_read = ks_blk_read,
    .blk_write = ks_blk_write,
    .blk_flush = ks_blk_flush,
    .blk_sectors = ks_blk_sectors,
    .lock_create = ks_lock_create,
    .lock_destroy = ks_lock_destroy,
    .lock = ks_lock,
    .unlock = ks_unlock,
    .log = ks_log,
    .time_ns = ks_time_ns,
    .wall_time_s = ks_wall_time_s,
    .current_task = ks_current_task,
};

const struct mv_kservices *guest_kservices(const char *tag)
{
	log_tag = tag;
	return &services;
}
