/* The memory module's links to the kernel: task-ID, print, lock and release hooks, last error. */
#include "los_memory_pri.h"

static UINT32 OsMemNoTask(VOID)
{
	return 0;
}

static UINT32 OsMemNoLock(VOID)
{
	return 0;
}

static VOID OsMemNoUnlock(UINT32 state)
{
	(VOID) state;
}

static UINT32 (*g_memGetTaskId)(VOID) = OsMemNoTask;
static UINT32 (*g_memLock)(VOID) = OsMemNoLock;
static VOID (*g_memUnlock)(UINT32 state) = OsMemNoUnlock;
static UINT32 g_memErrno = LOS_OK;
int (*g_osMemPrint)(const char *fmt, ...) = NULL;

VOID LOS_MemSetTaskIdHook(UINT32 (*getTaskId)(VOID))
{
	g_memGetTaskId = (getTaskId != NULL) ? getTaskId : OsMemNoTask;
}

VOID LOS_MemSetPrintHook(int (*print)(const char *fmt, ...))
{
	g_osMemPrint = print;
}

/* Both or neither: a lock without its unlock would never be released. */
VOID LOS_MemSetLockHooks(UINT32 (*lock)(VOID), VOID (*unlock)(UINT32 state))
{
	if ((lock == NULL) || (unlock == NULL)) {
		g_memLock = OsMemNoLock;
		g_memUnlock = OsMemNoUnlock;
		return;
	}
	g_memLock = lock;
	g_memUnlock = unlock;
}

static BOOL (*g_memRelease)(UINTPTR addr, UINT32 pages) = NULL;

VOID LOS_MemSetReleaseHook(BOOL (*release)(UINTPTR addr, UINT32 pages))
{
	g_memRelease = release;
}

#define OS_MEM_PAGE 4096U

VOID OsMemReleasePages(UINTPTR start, UINTPTR end)
{
	UINTPTR first = (start + OS_MEM_PAGE - 1U) & ~(UINTPTR)(OS_MEM_PAGE - 1U);
	UINTPTR last = end & ~(UINTPTR)(OS_MEM_PAGE - 1U);

	if ((g_memRelease == NULL) || (last <= first) ||
	    ((last - first) / OS_MEM_PAGE < LOS_MEM_RELEASE_MIN_PAGES))
		return;
	while (first < last) {
		UINTPTR pages = (last - first) / OS_MEM_PAGE;

		if (pages > LOS_MEM_RELEASE_MAX_PAGES)
			pages = LOS_MEM_RELEASE_MAX_PAGES;

		if (!g_memRelease(first, (UINT32)pages)) {
			g_memRelease = NULL;
			return;
		}
		first += pages * OS_MEM_PAGE;
	}
}

UINT32 OsMemLock(VOID)
{
	return g_memLock();
}

VOID OsMemUnlock(UINT32 state)
{
	g_memUnlock(state);
}

UINT32 OsMemTaskSlot(UINT32 taskId)
{
	return (taskId < LOS_MEMSTAT_TASK_NUM) ? taskId : LOS_MEMSTAT_TASK_NUM - 1U;
}

UINT32 OsMemCurTaskSlot(VOID)
{
	return OsMemTaskSlot(g_memGetTaskId());
}

VOID OsMemErrnoSet(UINT32 err)
{
	g_memErrno = err;
}

UINT32 LOS_MemErrnoGet(VOID)
{
	return g_memErrno;
}

const CHAR *OsMemErrStr(UINT32 err)
{
	switch (err) {
	case LOS_OK:
		return "ok";
	case LOS_ERRNO_MEM_INVALID_POOL:
	case LOS_ERRNO_MEMBOX_INVALID_POOL:
		return "not an initialised pool";
	case LOS_ERRNO_MEM_INVALID_SIZE:
	case LOS_ERRNO_MEMBOX_INVALID_SIZE:
		return "invalid size";
	case LOS_ERRNO_MEM_INVALID_ALIGN:
		return "boundary not a power of two and a multiple of a pointer";
	case LOS_ERRNO_MEM_POOL_TOO_SMALL:
	case LOS_ERRNO_MEMBOX_POOL_TOO_SMALL:
		return "pool too small";
	case LOS_ERRNO_MEM_POOL_OVERLAP:
		return "overlaps another pool";
	case LOS_ERRNO_MEM_POOL_NOT_FOUND:
		return "pool not on the list";
	case LOS_ERRNO_MEM_NO_MEMORY:
	case LOS_ERRNO_MEMBOX_NO_MEMORY:
		return "out of memory";
	case LOS_ERRNO_MEM_PTR_NULL:
	case LOS_ERRNO_MEMBOX_PTR_NULL:
		return "NULL pointer";
	case LOS_ERRNO_MEM_PTR_MISALIGNED:
		return "misaligned pointer";
	case LOS_ERRNO_MEM_PTR_OUTSIDE:
		return "pointer outside the pool";
	case LOS_ERRNO_MEMBOX_PTR_INVALID:
		return "not a block of the pool";
	case LOS_ERRNO_MEM_DOUBLE_FREE:
	case LOS_ERRNO_MEMBOX_DOUBLE_FREE:
		return "block already free";
	case LOS_ERRNO_MEM_NO_HEAD:
		return "no block header there";
	case LOS_ERRNO_MEM_HEADER_CORRUPT:
	case LOS_ERRNO_MEMBOX_HEADER_CORRUPT:
		return "block header overwritten";
	case LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT:
		return "neighbouring block header overwritten";
	case LOS_ERRNO_MEM_POOL_CORRUPT:
		return "pool damaged";
	default:
		return "error";
	}
}
