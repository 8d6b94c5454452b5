/* LiteOS per-task memory statistics: bytes a task holds now and at most, per pool and overall. */
#ifndef _LOS_MEMSTAT_H
#define _LOS_MEMSTAT_H

#include "los_errno.h"

/*
 * Records per pool (and overall). Task IDs at or above LOS_MEMSTAT_TASK_NUM - 1 share the
 * last record, as LiteOS clamps to TASK_NUM - 1. Bytes count whole blocks, headers included.
 */
#define LOS_MEMSTAT_TASK_NUM 64U

typedef struct {
	UINT32 memUsed; /* bytes held now */
	UINT32 memPeak; /* the most held at once */
} TaskMemUsedInfo;

/*
 * One task's figures in one pool, or with pool NULL over all pools: memUsed summed over the
 * pools, memPeak the most the task held in all of them together at one time. LOS_NOK for a bad
 * pool or a NULL stat.
 */
UINT32 LOS_MemTaskStatGet(VOID *pool, UINT32 taskId, TaskMemUsedInfo *stat);
/* Bytes the task holds now, summed over all pools (LiteOS's OsMemTaskUsage). */
UINT32 LOS_MemTaskUsage(UINT32 taskId);
UINT32 OsMemTaskUsage(UINT32 taskId);
/* Forgets the task's figures in every pool, for when the task is deleted (LiteOS's name). */
VOID OsMemTaskClear(UINT32 taskId);

#endif /* _LOS_MEMSTAT_H */
