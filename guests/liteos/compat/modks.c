/* The kernel-services table LiteOS gives modules: its pool, its mutexes, its task IDs. */
#include "guest.h"
#include "los_mem_pri.h"
#include "los_module.h"
#include "los_mux.h"
#include "los_printf.h"
#include "los_sched_pri.h"

/* The guest library's table, for what is the same in every kernel: the disk and the clock. */
static const struct mv_kservices *g_baseServices;

static void *OsKsAlloc(void *ctx, size_t size, size_t align)
{
	(void)ctx;
	if (size == 0 || size > 0xFFFFFFF0U)
		return NULL;
	/* Charged to the modules' own los_memstat slot, whichever task made the call. */
	return OsMemAllocFor(OS_MEMSTAT_ID_MODULES, (UINT32)size, (UINT32)align);
}

static void OsKsFree(void *ctx, void *ptr)
{
	(void)ctx;
	if (ptr)
		(void)LOS_MemFree(m_aucSysMem0, ptr);
}

static int OsKsBlkRead(void *ctx, uint64_t sector, void *buf, uint32_t count)
{
	(void)ctx;
	return g_baseServices->blk_read(g_baseServices->ctx, sector, buf, count);
}

static int OsKsBlkWrite(void *ctx, uint64_t sector, const void *buf, uint32_t count)
{
	(void)ctx;
	return g_baseServices->blk_write(g_baseServices->ctx, sector, buf, count);
}

static int OsKsBlkFlush(void *ctx)
{
	(void)ctx;
	return g_baseServices->blk_flush(g_baseServices->ctx);
}

static uint64_t OsKsBlkSectors(void *ctx)
{
	(void)ctx;
	return g_baseServices->blk_sectors(g_baseServices->ctx);
}

/* A module lock is a LiteOS mutex: a task that waits sleeps, and lends its priority. The
 * handle is offset by one so that a valid lock is never NULL. */
static void *OsKsLockCreate(void *ctx)
{
	UINT32 mux;

	(void)ctx;
	if (LOS_MuxCreate(&mux) != LOS_OK)
		return NULL;
	return (void *)((UINTPTR)mux + 1);
}

static void OsKsLockDestroy(void *ctx, void *lock)
{
	(void)ctx;
	(void)LOS_MuxDelete((UINT32)((UINTPTR)lock - 1));
}

static void OsKsLock(void *ctx, void *lock)
{
	(void)ctx;
	/* Before the first task runs there is no one to exclude. */
	if (!OsPreemptable())
		return;
	/* Signal handlers must not run inside module code that holds its lock. */
	g_runTask->sigDefer++;
	(void)LOS_MuxPend((UINT32)((UINTPTR)lock - 1), LOS_WAIT_FOREVER);
}

static void OsKsUnlock(void *ctx, void *lock)
{
	(void)ctx;
	if (!OsPreemptable())
		return;
	(void)LOS_MuxPost((UINT32)((UINTPTR)lock - 1));
	g_runTask->sigDefer--;
}

static void OsKsLog(void *ctx, enum mv_log_level level, const char *msg)
{
	static const char *const names[] = {"error", "warn", "info", "debug"};

	(void)ctx;
	if (level <= MV_LOG_INFO)
		dprintf("liteos: module %s: %s\n", names[level], msg);
}

static uint64_t OsKsTimeNs(void *ctx)
{
	(void)ctx;
	return g_baseServices->time_ns(g_baseServices->ctx);
}

static uint64_t OsKsWallTime(void *ctx)
{
	(void)ctx;
	return g_baseServices->wall_time_s(g_baseServices->ctx);
}

static uint32_t OsKsCurrentTask(void *ctx)
{
	(void)ctx;
	return LOS_CurTaskIDGet();
}

static const struct mv_kservices g_losServices = {
    .version = MV_KSERVICES_VERSION,
    .size = sizeof(struct mv_kservices),
    .ctx = NULL,
    .alloc = OsKsAlloc,
    .free = OsKsFree,
    .blk_read = OsKsBlkRead,
    .blk_write = OsKsBlkWrite,
    .blk_flush = OsKsBlkFlush,
    .blk_sectors = OsKsBlkSectors,
    .lock_create = OsKsLockCreate,
    .lock_destroy = OsKsLockDestroy,
    .lock = OsKsLock,
    .unlock = OsKsUnlock,
    .log = OsKsLog,
    .time_ns = OsKsTimeNs,
    .wall_time_s = OsKsWallTime,
    .current_task = OsKsCurrentTask,
};

const struct mv_kservices *LOS_ModuleServices(VOID)
{
	if (g_baseServices == NULL)
		g_baseServices = guest_kservices("liteos");
	return &g_losServices;
}
