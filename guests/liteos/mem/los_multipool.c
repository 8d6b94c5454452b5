/* The list of dynamic pools: overlap checks for LOS_MemInit, LOS_MemDeInit, LOS_MemPoolList. */
#include "los_memory_pri.h"

static LosMemPoolInfo *g_poolHead = NULL;

/* Walking stops at a pool whose header no longer checks out rather than follow its link. */
#define OS_MEM_FOR_EACH_POOL(p)                                                                    \
	for ((p) = g_poolHead; ((p) != NULL) && (OsMemPoolGet(p) != NULL); (p) = (p)->nextPool)

UINT32 OsMemMulPoolCheck(const VOID *pool, UINT32 size)
{
	UINTPTR start = (UINTPTR)pool;
	UINTPTR end = start + size;
	const LosMemPoolInfo *p;

	OS_MEM_FOR_EACH_POOL(p)
	{
		UINTPTR pStart = (UINTPTR)p;
		UINTPTR pEnd = pStart + p->poolSize;

		if ((start < pEnd) && (pStart < end)) {
			OS_MEM_PRINT("pool [%p, %p) conflicts with pool [%p, %p)\n", pool,
				     (VOID *)end, (const VOID *)p, (VOID *)pEnd);
			return LOS_ERRNO_MEM_POOL_OVERLAP;
		}
	}
	return LOS_OK;
}

/* At the tail, as LiteOS does, so LOS_MemPoolList shows pools in the order they were made. */
VOID OsMemMulPoolAdd(LosMemPoolInfo *pool)
{
	LosMemPoolInfo **link = &g_poolHead;

	while (*link != NULL)
		link = &(*link)->nextPool;
	pool->nextPool = NULL;
	*link = pool;
}

LosMemPoolInfo *OsMemMulPoolFind(UINTPTR addr)
{
	LosMemPoolInfo *p;

	OS_MEM_FOR_EACH_POOL(p)
	{
		if ((addr >= (UINTPTR)p + p->firstOff) && (addr < (UINTPTR)p + p->endOff))
			return p;
	}
	return NULL;
}

VOID *OsMemMulPoolHeadGet(VOID)
{
	return g_poolHead;
}

UINT32 LOS_MemDeInit(VOID *pool)
{
	UINT32 state = OsMemLock();
	LosMemPoolInfo **link = &g_poolHead;
	LosMemPoolInfo *info;
	UINT32 ret = LOS_OK;

	while ((*link != NULL) && (*link != pool))
		link = &(*link)->nextPool;
	if (pool == NULL) {
		ret = LOS_ERRNO_MEM_INVALID_POOL;
	} else if (*link == NULL) {
		ret = LOS_ERRNO_MEM_POOL_NOT_FOUND;
	} else {
		info = *link;
		*link = info->nextPool;
		OsMemstatPoolRemove(info);
		/* So that every later call on it is refused, and its memory can be reused. */
		info->magic = 0;
		info->check = 0;
		info->nextPool = NULL;
	}
	OsMemErrnoSet(ret);
	if (ret != LOS_OK)
		OS_MEM_PRINT("LOS_MemDeInit: pool %p: %s (0x%x)\n", pool, OsMemErrStr(ret), ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

UINT32 LOS_MemPoolList(VOID)
{
	UINT32 state = OsMemLock();
	const LosMemPoolInfo *p;
	UINT32 index = 0;

	OS_MEM_FOR_EACH_POOL(p)
	{
		OS_MEM_PRINT("pool%u :\n", index);
		OsMemInfoPrint(p);
		index++;
	}
	OsMemUnlock(state);
	return index;
}
