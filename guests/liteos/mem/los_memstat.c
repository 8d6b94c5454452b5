/* Per-task memory statistics: bytes each task holds now and at most, per pool and overall. */
#include "los_memory_pri.h"

/*
 * The overall records are kept apart from the per-pool ones because a task's overall peak
 * is the most it held in all pools at one moment, which the per-pool peaks cannot give.
 */
static TaskMemUsedInfo g_memTaskTotal[LOS_MEMSTAT_TASK_NUM];

static VOID OsMemstatAdd(TaskMemUsedInfo *rec, UINT32 size)
{
	rec->memUsed += size;
	if (rec->memUsed > rec->memPeak)
		rec->memPeak = rec->memUsed;
}

/* Never below zero: after OsMemTaskClear a task's old blocks may still be freed. */
static VOID OsMemstatSub(TaskMemUsedInfo *rec, UINT32 size)
{
	rec->memUsed = (rec->memUsed > size) ? rec->memUsed - size : 0;
}

VOID OsMemstatUsedInc(LosMemPoolInfo *pool, UINT32 size, UINT32 taskSlot)
{
	OsMemstatAdd(&pool->taskStat[taskSlot], size);
	OsMemstatAdd(&g_memTaskTotal[taskSlot], size);
}

VOID OsMemstatUsedDec(LosMemPoolInfo *pool, UINT32 size, UINT32 taskSlot)
{
	OsMemstatSub(&pool->taskStat[taskSlot], size);
	OsMemstatSub(&g_memTaskTotal[taskSlot], size);
}

VOID OsMemstatPoolRemove(const LosMemPoolInfo *pool)
{
	for (UINT32 i = 0; i < LOS_MEMSTAT_TASK_NUM; i++)
		OsMemstatSub(&g_memTaskTotal[i], pool->taskStat[i].memUsed);
}

static UINT32 OsMemTaskUsageLocked(UINT32 slot)
{
	const LosMemPoolInfo *pool = OsMemMulPoolHeadGet();
	UINT32 used = 0;

	for (; (pool != NULL) && (OsMemPoolGet(pool) != NULL); pool = pool->nextPool)
		used += pool->taskStat[slot].memUsed;
	return used;
}

UINT32 LOS_MemTaskStatGet(VOID *pool, UINT32 taskId, TaskMemUsedInfo *stat)
{
	UINT32 state = OsMemLock();
	UINT32 slot = OsMemTaskSlot(taskId);
	const LosMemPoolInfo *info = OsMemPoolGet(pool);
	UINT32 ret = LOS_OK;

	if (stat == NULL) {
		ret = LOS_ERRNO_MEM_PTR_NULL;
	} else if (pool == NULL) {
		stat->memUsed = OsMemTaskUsageLocked(slot);
		stat->memPeak = g_memTaskTotal[slot].memPeak;
	} else if (info == NULL) {
		ret = LOS_ERRNO_MEM_INVALID_POOL;
	} else {
		*stat = info->taskStat[slot];
	}
	OsMemErrnoSet(ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

UINT32 OsMemTaskUsage(UINT32 taskId)
{
	UINT32 state = OsMemLock();
	UINT32 used = OsMemTaskUsageLocked(OsMemTaskSlot(taskId));

	OsMemUnlock(state);
	return used;
}

UINT32 LOS_MemTaskUsage(UINT32 taskId)
{
	return OsMemTaskUsage(taskId);
}

VOID OsMemTaskClear(UINT32 taskId)
{
	UINT32 state = OsMemLock();
	UINT32 slot = OsMemTaskSlot(taskId);
	LosMemPoolInfo *pool = OsMemMulPoolHeadGet();

	for (; (pool != NULL) && (OsMemPoolGet(pool) != NULL); pool = pool->nextPool) {
		if (pool->taskStat[slot].memUsed != 0)
			OS_MEM_PRINT("task %u still holds %u bytes of pool %p\n", taskId,
				     pool->taskStat[slot].memUsed, (VOID *)pool);
		pool->taskStat[slot].memUsed = 0;
		pool->taskStat[slot].memPeak = 0;
	}
	g_memTaskTotal[slot].memUsed = 0;
	g_memTaskTotal[slot].memPeak = 0;
	OsMemUnlock(state);
}
