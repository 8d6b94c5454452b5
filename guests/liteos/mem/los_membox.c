/* Fixed-size block pools (membox): a LIFO free list and a magic word giving each block's state. */
#include <string.h>

#include "los_memory_pri.h"

#define OS_MEMBOX_POOL_MAGIC 0x4D424F58U
#define OS_MEMBOX_USED_MAGIC ((UINTPTR)0xa55a5aa5a55a5aa5ULL)
#define OS_MEMBOX_FREE_MAGIC ((UINTPTR)0x5aa55aa55aa55aa5ULL)
/* Mixed with the node's address so that a node's bytes copied elsewhere mean nothing there. */
#define OS_MEMBOX_MAGIC(node, kind) ((kind) ^ (UINTPTR)(node))
#define OS_MEMBOX_FIRST(info) ((LOS_MEMBOX_NODE *)(VOID *)((LOS_MEMBOX_INFO *)(info) + 1))

static UINT32 OsMemboxPoolMagic(const VOID *pool)
{
	UINT64 addr = (UINTPTR)pool;

	return OS_MEMBOX_POOL_MAGIC ^ (UINT32)addr ^ (UINT32)(addr >> 32);
}

static VOID OsMemboxRefused(const CHAR *call, const VOID *pool, const VOID *box, UINT32 err)
{
	OsMemErrnoSet(err);
	if (err != LOS_OK)
		OS_MEM_PRINT("%s: box %p, block %p: %s (0x%x)\n", call, pool, box, OsMemErrStr(err),
			     err);
}

/* The header if pool is an initialised box whose geometry still makes sense, else NULL. */
static LOS_MEMBOX_INFO *OsMemboxPoolGet(const VOID *pool)
{
	LOS_MEMBOX_INFO *info = (LOS_MEMBOX_INFO *)(UINTPTR)pool;

	if ((pool == NULL) || (((UINTPTR)pool & (sizeof(UINTPTR) - 1)) != 0))
		return NULL;
	if ((info->uwPoolMagic != OsMemboxPoolMagic(pool)) ||
	    (info->uwBlkSize <= OS_MEMBOX_NODE_HEAD_SIZE) ||
	    ((info->uwBlkSize & (sizeof(UINTPTR) - 1)) != 0) || (info->uwBlkNum == 0) ||
	    (info->uwBlkCnt > info->uwBlkNum))
		return NULL;
	return info;
}

/* LOS_OK if node is the start of one of the pool's blocks. Wide arithmetic: a foreign
 * pointer may be far away. */
static UINT32 OsMemboxNodeCheck(const LOS_MEMBOX_INFO *info, const LOS_MEMBOX_NODE *node)
{
	UINTPTR first = (UINTPTR)OS_MEMBOX_FIRST(info);
	UINTPTR addr = (UINTPTR)node;

	if ((addr < first) || (((addr - first) % info->uwBlkSize) != 0) ||
	    ((addr - first) / info->uwBlkSize >= info->uwBlkNum))
		return LOS_ERRNO_MEMBOX_PTR_INVALID;
	return LOS_OK;
}

UINT32 LOS_MemboxInit(VOID *pool, UINT32 poolSize, UINT32 blkSize)
{
	UINT32 state = OsMemLock();
	LOS_MEMBOX_INFO *info = (LOS_MEMBOX_INFO *)pool;
	UINT64 stride = ((UINT64)blkSize + OS_MEMBOX_NODE_HEAD_SIZE + sizeof(UINTPTR) - 1U) &
			~(UINT64)(sizeof(UINTPTR) - 1U);
	UINT32 ret = LOS_OK;
	UINT32 num = 0;

	if ((pool == NULL) || (((UINTPTR)pool & (sizeof(UINTPTR) - 1)) != 0))
		ret = LOS_ERRNO_MEMBOX_INVALID_POOL;
	else if ((blkSize == 0) || (stride > UINT32_MAX))
		ret = LOS_ERRNO_MEMBOX_INVALID_SIZE;
	else if ((UINTPTR)poolSize > UINTPTR_MAX - (UINTPTR)pool)
		ret = LOS_ERRNO_MEMBOX_INVALID_SIZE;
	else if ((poolSize < sizeof(LOS_MEMBOX_INFO)) ||
		 ((num = (UINT32)((poolSize - sizeof(LOS_MEMBOX_INFO)) / stride)) == 0))
		ret = LOS_ERRNO_MEMBOX_POOL_TOO_SMALL;
	if (ret == LOS_OK) {
		LOS_MEMBOX_NODE *node = OS_MEMBOX_FIRST(info);

		info->uwBlkSize = (UINT32)stride;
		info->uwBlkNum = num;
		info->uwBlkCnt = 0;
		info->stFreeList.pstNext = node;
		info->stFreeList.uwMagic = 0;
		for (UINT32 i = 0; i < num; i++) {
			node->pstNext = (i + 1U < num) ? OS_MEMBOX_NEXT(node, stride) : NULL;
			node->uwMagic = OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC);
			node = node->pstNext;
		}
		info->uwPoolMagic = OsMemboxPoolMagic(pool);
	}
	OsMemboxRefused("LOS_MemboxInit", pool, NULL, ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

VOID *LOS_MemboxAlloc(VOID *pool)
{
	UINT32 state = OsMemLock();
	LOS_MEMBOX_INFO *info = OsMemboxPoolGet(pool);
	LOS_MEMBOX_NODE *node = NULL;
	UINT32 ret = LOS_OK;

	if (info == NULL) {
		ret = LOS_ERRNO_MEMBOX_INVALID_POOL;
	} else if (info->stFreeList.pstNext == NULL) {
		ret = LOS_ERRNO_MEMBOX_NO_MEMORY;
	} else {
		node = info->stFreeList.pstNext;
		/* A use-after-free write may have changed the link; never follow a bad one. */
		if ((OsMemboxNodeCheck(info, node) != LOS_OK) ||
		    (node->uwMagic != OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC)) ||
		    ((node->pstNext != NULL) && (OsMemboxNodeCheck(info, node->pstNext) != LOS_OK)))
			ret = LOS_ERRNO_MEMBOX_HEADER_CORRUPT;
	}
	if (ret == LOS_OK) {
		info->stFreeList.pstNext = node->pstNext;
		node->pstNext = NULL;
		node->uwMagic = OS_MEMBOX_MAGIC(node, OS_MEMBOX_USED_MAGIC);
		info->uwBlkCnt++;
	}
	OsMemboxRefused("LOS_MemboxAlloc", pool, NULL, ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? (VOID *)(node + 1) : NULL;
}

/* The node of an allocated block box of info, or why not. */
static UINT32 OsMemboxUsedNodeGet(const LOS_MEMBOX_INFO *info, const VOID *box,
				  LOS_MEMBOX_NODE **result)
{
	LOS_MEMBOX_NODE *node;

	if (box == NULL)
		return LOS_ERRNO_MEMBOX_PTR_NULL;
	if ((UINTPTR)box < OS_MEMBOX_NODE_HEAD_SIZE)
		return LOS_ERRNO_MEMBOX_PTR_INVALID;
	node = (LOS_MEMBOX_NODE *)((UINTPTR)box - OS_MEMBOX_NODE_HEAD_SIZE);
	if (OsMemboxNodeCheck(info, node) != LOS_OK)
		return LOS_ERRNO_MEMBOX_PTR_INVALID;
	if (node->uwMagic == OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC))
		return LOS_ERRNO_MEMBOX_DOUBLE_FREE;
	if (node->uwMagic != OS_MEMBOX_MAGIC(node, OS_MEMBOX_USED_MAGIC))
		return LOS_ERRNO_MEMBOX_HEADER_CORRUPT;
	*result = node;
	return LOS_OK;
}

UINT32 LOS_MemboxFree(VOID *pool, VOID *box)
{
	UINT32 state = OsMemLock();
	LOS_MEMBOX_INFO *info = OsMemboxPoolGet(pool);
	LOS_MEMBOX_NODE *node = NULL;
	UINT32 ret =
	    (info == NULL) ? LOS_ERRNO_MEMBOX_INVALID_POOL : OsMemboxUsedNodeGet(info, box, &node);

	if (ret == LOS_OK) {
		node->pstNext = info->stFreeList.pstNext;
		node->uwMagic = OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC);
		info->stFreeList.pstNext = node;
		info->uwBlkCnt--;
	}
	OsMemboxRefused("LOS_MemboxFree", pool, box, ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

VOID LOS_MemboxClr(VOID *pool, VOID *box)
{
	UINT32 state = OsMemLock();
	const LOS_MEMBOX_INFO *info = OsMemboxPoolGet(pool);
	LOS_MEMBOX_NODE *node = NULL;
	UINT32 ret =
	    (info == NULL) ? LOS_ERRNO_MEMBOX_INVALID_POOL : OsMemboxUsedNodeGet(info, box, &node);

	if (ret == LOS_OK)
		(VOID) memset(node + 1, 0, info->uwBlkSize - OS_MEMBOX_NODE_HEAD_SIZE);
	OsMemboxRefused("LOS_MemboxClr", pool, box, ret);
	OsMemUnlock(state);
}

UINT32 LOS_MemboxStatisticsGet(const VOID *boxMem, UINT32 *maxBlk, UINT32 *blkCnt, UINT32 *blkSize)
{
	UINT32 state = OsMemLock();
	const LOS_MEMBOX_INFO *info = OsMemboxPoolGet(boxMem);
	UINT32 ret = LOS_OK;

	if (info == NULL) {
		ret = LOS_ERRNO_MEMBOX_INVALID_POOL;
	} else if ((maxBlk == NULL) || (blkCnt == NULL) || (blkSize == NULL)) {
		ret = LOS_ERRNO_MEMBOX_PTR_NULL;
	} else {
		*maxBlk = info->uwBlkNum;
		*blkCnt = info->uwBlkCnt;
		*blkSize = info->uwBlkSize;
	}
	OsMemErrnoSet(ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

static const CHAR *OsMemboxState(const LOS_MEMBOX_NODE *node)
{
	if (node->uwMagic == OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC))
		return "free";
	if (node->uwMagic == OS_MEMBOX_MAGIC(node, OS_MEMBOX_USED_MAGIC))
		return "used";
	return "CORRUPT";
}

VOID LOS_ShowBox(VOID *pool)
{
	UINT32 state = OsMemLock();
	const LOS_MEMBOX_INFO *info = OsMemboxPoolGet(pool);
	const LOS_MEMBOX_NODE *node;
	UINT32 i;

	if (info == NULL) {
		OS_MEM_PRINT("LOS_ShowBox: %p is not a box pool\n", pool);
		OsMemUnlock(state);
		return;
	}
	OS_MEM_PRINT("membox(%p,0x%x,0x%x): %u of %u blocks used\n", pool, info->uwBlkSize,
		     info->uwBlkNum, info->uwBlkCnt, info->uwBlkNum);
	OS_MEM_PRINT("free node list:\n");
	node = info->stFreeList.pstNext;
	for (i = 0; (node != NULL) && (i < info->uwBlkNum); i++) {
		if (OsMemboxNodeCheck(info, node) != LOS_OK) {
			OS_MEM_PRINT("(%u,%p) not a block: list broken\n", i, (const VOID *)node);
			break;
		}
		OS_MEM_PRINT("(%u,%p)\n", i, (const VOID *)node);
		node = node->pstNext;
	}
	OS_MEM_PRINT("all node list:\n");
	node = OS_MEMBOX_FIRST(info);
	for (i = 0; i < info->uwBlkNum; i++) {
		OS_MEM_PRINT("(%u,%p,%s)\n", i, (const VOID *)node, OsMemboxState(node));
		node = OS_MEMBOX_NEXT(node, info->uwBlkSize);
	}
	OsMemUnlock(state);
}

UINT32 LOS_MemboxIntegrityCheck(const VOID *pool)
{
	UINT32 state = OsMemLock();
	const LOS_MEMBOX_INFO *info = OsMemboxPoolGet(pool);
	const LOS_MEMBOX_NODE *node;
	UINT32 used = 0;
	UINT32 listed = 0;
	UINT32 ret = LOS_OK;

	if (info == NULL) {
		OsMemErrnoSet(LOS_ERRNO_MEMBOX_INVALID_POOL);
		OsMemUnlock(state);
		return LOS_NOK;
	}
	node = OS_MEMBOX_FIRST(info);
	for (UINT32 i = 0; (i < info->uwBlkNum) && (ret == LOS_OK); i++) {
		if (node->uwMagic == OS_MEMBOX_MAGIC(node, OS_MEMBOX_USED_MAGIC))
			used++;
		else if (node->uwMagic != OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC))
			ret = LOS_ERRNO_MEMBOX_HEADER_CORRUPT;
		node = OS_MEMBOX_NEXT(node, info->uwBlkSize);
	}
	node = info->stFreeList.pstNext;
	while ((node != NULL) && (ret == LOS_OK)) {
		/* Counted, so a loop in the list ends; checked before its link is followed. */
		if ((++listed > info->uwBlkNum - used) ||
		    (OsMemboxNodeCheck(info, node) != LOS_OK) ||
		    (node->uwMagic != OS_MEMBOX_MAGIC(node, OS_MEMBOX_FREE_MAGIC)))
			ret = LOS_ERRNO_MEMBOX_HEADER_CORRUPT;
		else
			node = node->pstNext;
	}
	if ((ret == LOS_OK) && ((used != info->uwBlkCnt) || (listed != info->uwBlkNum - used)))
		ret = LOS_ERRNO_MEMBOX_HEADER_CORRUPT;
	if (ret != LOS_OK)
		OS_MEM_PRINT("LOS_MemboxIntegrityCheck: box %p is damaged\n", pool);
	OsMemErrnoSet(ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}
