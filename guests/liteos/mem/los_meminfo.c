/* Dynamic-pool figures and checks: LOS_MemInfoGet, LOS_MemIntegrityCheck and the small getters. */
#include "los_memory_pri.h"

static UINT8 g_memCheckLevel = LOS_MEM_CHECK_LEVEL_DEFAULT;

static UINT32 OsMemCheckFail(const LosMemPoolInfo *pool, UINT32 off, const CHAR *what)
{
	OS_MEM_PRINT("LOS_MemIntegrityCheck: pool %p: %s at %p\n", (const VOID *)pool, what,
		     (VOID *)((UINTPTR)pool + off));
	return LOS_ERRNO_MEM_POOL_CORRUPT;
}

/* Every block from first to end: sound, linked both ways, no two free ones side by side. */
static UINT32 OsMemWalkCheck(const LosMemPoolInfo *pool, LOS_MEM_POOL_STATUS *st)
{
	UINT32 off = pool->firstOff;
	UINT32 prev = 0;
	UINT16 prevMagic = 0;
	UINT16 magic = 0;

	while (off < pool->endOff) {
		const OsMemNode *node = OS_MEM_NODE_AT(pool, off);

		if ((OsMemNodeCheck(pool, off, &magic) != LOS_OK) || (magic == OS_MEM_NODE_END))
			return OsMemCheckFail(pool, off, "bad block header");
		if (node->prevOff != prev)
			return OsMemCheckFail(pool, off, "wrong back-pointer");
		if (magic == OS_MEM_NODE_FREE) {
			if (prevMagic == OS_MEM_NODE_FREE)
				return OsMemCheckFail(pool, off, "unmerged free blocks");
			st->uwFreeNodeNum++;
			st->uwTotalFreeSize += node->size;
			if (node->size > st->uwMaxFreeNodeSize)
				st->uwMaxFreeNodeSize = node->size;
		} else {
			st->uwUsedNodeNum++;
			st->uwTotalUsedSize += node->size;
		}
		prevMagic = magic;
		prev = off;
		off += node->size;
	}
	if ((off != pool->endOff) || (OsMemNodeCheck(pool, off, &magic) != LOS_OK) ||
	    (magic != OS_MEM_NODE_END) || (OS_MEM_NODE_AT(pool, off)->prevOff != prev))
		return OsMemCheckFail(pool, off, "bad end node");
	return LOS_OK;
}

/* Every list: bitmaps match, links agree both ways, each block in its class, none missing. */
static UINT32 OsMemListsCheck(const LosMemPoolInfo *pool, UINT32 freeNodes)
{
	UINT32 listed = 0;
	UINT32 fl;
	UINT32 sl;

	if ((pool->flBitmap >> OS_MEM_FL_NUM) != 0)
		return OsMemCheckFail(pool, 0, "bad class bitmap");
	for (UINT32 i = 0; i < OS_MEM_FL_NUM; i++) {
		if ((((pool->flBitmap >> i) & 1U) != 0) != (pool->slBitmap[i] != 0))
			return OsMemCheckFail(pool, 0, "bad class bitmap");
		for (UINT32 j = 0; j < OS_MEM_SL_NUM; j++) {
			UINT32 off = pool->freeHead[i][j];
			UINT32 expect = 0;
			UINT16 magic = 0;

			if ((((UINT32)pool->slBitmap[i] >> j) & 1U) != (off != 0))
				return OsMemCheckFail(pool, 0, "bad list bitmap");
			while (off != 0) {
				const OsMemNode *node = OS_MEM_NODE_AT(pool, off);

				if ((++listed > freeNodes) ||
				    (OsMemNodeCheck(pool, off, &magic) != LOS_OK) ||
				    (magic != OS_MEM_NODE_FREE))
					return OsMemCheckFail(pool, off, "bad free list");
				OsMemClass(node->size, &fl, &sl);
				if ((fl != i) || (sl != j) ||
				    (OS_MEM_LINKS(node)->prevFree != expect))
					return OsMemCheckFail(pool, off, "bad free list link");
				expect = off;
				off = OS_MEM_LINKS(node)->nextFree;
			}
		}
	}
	if (listed != freeNodes)
		return OsMemCheckFail(pool, 0, "free block missing from the lists");
	return LOS_OK;
}

UINT32 OsMemPoolCheck(const LosMemPoolInfo *pool, LOS_MEM_POOL_STATUS *status)
{
	LOS_MEM_POOL_STATUS st = {0};
	UINT32 ret = OsMemWalkCheck(pool, &st);

	if (ret != LOS_OK)
		return ret;
	if ((st.uwTotalUsedSize != pool->usedSize) || (st.uwUsedNodeNum != pool->usedNodes) ||
	    (st.uwFreeNodeNum != pool->freeNodes) || (pool->waterLine < pool->usedSize))
		return OsMemCheckFail(pool, 0, "counters disagree with the blocks");
	ret = OsMemListsCheck(pool, st.uwFreeNodeNum);
	if (ret != LOS_OK)
		return ret;
	st.uwUsageWaterLine = pool->waterLine;
	if (status != NULL)
		*status = st;
	return LOS_OK;
}

VOID OsMemInfoPrint(const LosMemPoolInfo *pool)
{
	LOS_MEM_POOL_STATUS st;

	if (OsMemPoolCheck(pool, &st) != LOS_OK) {
		OS_MEM_PRINT("pool %p is damaged\n", (const VOID *)pool);
		return;
	}
	OS_MEM_PRINT("pool addr          pool size    used size    free size    max free     "
		     "used nodes   free nodes   water line\n");
	OS_MEM_PRINT("%-16p   0x%-8x   0x%-8x   0x%-8x   0x%-8x   %-10u   %-10u   0x%-8x\n",
		     (const VOID *)pool, pool->poolSize, st.uwTotalUsedSize, st.uwTotalFreeSize,
		     st.uwMaxFreeNodeSize, st.uwUsedNodeNum, st.uwFreeNodeNum, st.uwUsageWaterLine);
}

UINT32 LOS_MemInfoGet(VOID *pool, LOS_MEM_POOL_STATUS *poolStatus)
{
	UINT32 state = OsMemLock();
	const LosMemPoolInfo *info = OsMemPoolGet(pool);
	UINT32 ret;

	if (info == NULL)
		ret = LOS_ERRNO_MEM_INVALID_POOL;
	else if (poolStatus == NULL)
		ret = LOS_ERRNO_MEM_PTR_NULL;
	else
		ret = OsMemPoolCheck(info, poolStatus);
	OsMemErrnoSet(ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

UINT32 LOS_MemIntegrityCheck(VOID *pool)
{
	UINT32 state = OsMemLock();
	const LosMemPoolInfo *info = OsMemPoolGet(pool);
	UINT32 ret = (info == NULL) ? LOS_ERRNO_MEM_INVALID_POOL : OsMemPoolCheck(info, NULL);

	OsMemErrnoSet(ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

/* The getters answer LOS_NOK for a bad pool because LiteOS documents that value. */
static UINT32 OsMemCounterGet(const VOID *pool, UINT32 which)
{
	UINT32 state = OsMemLock();
	const LosMemPoolInfo *info = OsMemPoolGet(pool);
	UINT32 value = LOS_NOK;

	if (info != NULL) {
		if (which == 0)
			value = info->usedSize;
		else if (which == 1)
			value = info->poolSize;
		else if (which == 2)
			value = info->freeNodes;
		else
			value = info->usedNodes;
	}
	OsMemErrnoSet((info == NULL) ? LOS_ERRNO_MEM_INVALID_POOL : LOS_OK);
	OsMemUnlock(state);
	return value;
}

UINT32 LOS_MemTotalUsedGet(VOID *pool)
{
	return OsMemCounterGet(pool, 0);
}

UINT32 LOS_MemPoolSizeGet(const VOID *pool)
{
	return OsMemCounterGet(pool, 1);
}

UINT32 LOS_MemFreeBlksGet(VOID *pool)
{
	return OsMemCounterGet(pool, 2);
}

UINT32 LOS_MemUsedBlksGet(VOID *pool)
{
	return OsMemCounterGet(pool, 3);
}

UINT32 LOS_MemTaskIdGet(VOID *ptr)
{
	UINT32 state = OsMemLock();
	const LosMemPoolInfo *pool = OsMemMulPoolFind((UINTPTR)ptr);
	OsMemNode *node = NULL;
	UINT32 taskId = OS_INVALID;

	if ((pool != NULL) && (OsTlsfUsedNodeGet(pool, ptr, &node) == LOS_OK))
		taskId = node->taskId;
	OsMemUnlock(state);
	return taskId;
}

/* The allocated block holding addr, found by walking the blocks; NULL if none. */
static const OsMemNode *OsMemNodeFind(const LosMemPoolInfo *pool, UINTPTR addr)
{
	UINT32 off = pool->firstOff;
	UINT16 magic = 0;

	while (off < pool->endOff) {
		const OsMemNode *node = OS_MEM_NODE_AT(pool, off);
		UINTPTR start = (UINTPTR)pool + off;

		if (OsMemNodeCheck(pool, off, &magic) != LOS_OK)
			return NULL;
		if (addr < start + node->size) {
			if ((magic != OS_MEM_NODE_USED) || (addr < start + OS_MEM_NODE_HEAD_SIZE))
				return NULL;
			return node;
		}
		off += node->size;
	}
	return NULL;
}

UINT32 LOS_MemNodeSizeCheck(VOID *pool, VOID *ptr, UINT32 *totalSize, UINT32 *availSize)
{
	UINT32 state;
	const LosMemPoolInfo *info;
	const OsMemNode *node = NULL;
	UINTPTR addr = (UINTPTR)ptr;
	UINT32 ret = LOS_OK;

	if ((pool == NULL) || (ptr == NULL) || (totalSize == NULL) || (availSize == NULL))
		return LOS_ERRNO_MEMCHECK_PARA_NULL;
	if (g_memCheckLevel == LOS_MEM_CHECK_LEVEL_DISABLE)
		return LOS_ERRNO_MEMCHECK_DISABLED;
	state = OsMemLock();
	info = OsMemPoolGet(pool);
	if (info == NULL)
		ret = LOS_ERRNO_MEMCHECK_PARA_NULL;
	else if ((addr < (UINTPTR)info + info->firstOff) || (addr >= (UINTPTR)info + info->endOff))
		ret = LOS_ERRNO_MEMCHECK_OUTSIDE;
	else if ((g_memCheckLevel == LOS_MEM_CHECK_LEVEL_HIGH) &&
		 (OsMemPoolCheck(info, NULL) != LOS_OK))
		ret = LOS_ERRNO_MEMCHECK_NO_HEAD;
	else if ((node = OsMemNodeFind(info, addr)) == NULL)
		ret = LOS_ERRNO_MEMCHECK_NO_HEAD;
	if (ret == LOS_OK) {
		*totalSize = node->size - OS_MEM_NODE_HEAD_SIZE;
		*availSize = (UINT32)((UINTPTR)node + node->size - addr);
	}
	OsMemUnlock(state);
	return ret;
}

UINT32 LOS_MemCheckLevelSet(UINT8 checkLevel)
{
	if ((checkLevel != LOS_MEM_CHECK_LEVEL_LOW) && (checkLevel != LOS_MEM_CHECK_LEVEL_HIGH) &&
	    (checkLevel != LOS_MEM_CHECK_LEVEL_DISABLE))
		return LOS_ERRNO_MEMCHECK_WRONG_LEVEL;
	g_memCheckLevel = checkLevel;
	return LOS_OK;
}

UINT8 LOS_MemCheckLevelGet(VOID)
{
	return g_memCheckLevel;
}
