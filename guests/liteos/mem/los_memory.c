/* The dynamic-pool API: argument checks, locking, statistics and messages around the TLSF core. */
#include <string.h>

#include "los_memory_pri.h"

/* Every refusal is reported once, here, so that a bad pointer is never silently ignored. */
static VOID OsMemRefused(const CHAR *call, const VOID *pool, const VOID *ptr, UINT32 err)
{
	OsMemErrnoSet(err);
	if (err != LOS_OK)
		OS_MEM_PRINT("%s: pool %p, ptr %p: %s (0x%x)\n", call, pool, ptr, OsMemErrStr(err),
			     err);
}

UINT32 LOS_MemInit(VOID *pool, UINT32 size)
{
	UINT32 state = OsMemLock();
	UINT32 ret = OsTlsfInitCheck(pool, size);

	if (ret == LOS_OK)
		ret = OsMemMulPoolCheck(pool, size);
	if (ret == LOS_OK) {
		OsTlsfInit(pool, size);
		OsMemMulPoolAdd((LosMemPoolInfo *)pool);
	}
	OsMemRefused("LOS_MemInit", pool, NULL, ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

/* Allocation with the lock held; boundary 0 means the default alignment. */
static VOID *OsMemAllocLocked(const CHAR *call, VOID *pool, UINT32 size, UINT32 boundary)
{
	LosMemPoolInfo *info = OsMemPoolGet(pool);
	OsMemNode *node = NULL;
	UINT32 slot = OsMemCurTaskSlot();
	UINT32 ret;

	if (info == NULL)
		ret = LOS_ERRNO_MEM_INVALID_POOL;
	else if ((size == 0) || (size > info->poolSize))
		ret = LOS_ERRNO_MEM_INVALID_SIZE;
	else
		ret = OsTlsfAlloc(info, size, boundary, slot, &node);
	OsMemRefused(call, pool, NULL, ret);
	if (ret != LOS_OK)
		return NULL;
	OsMemstatUsedInc(info, node->size, slot);
	return node + 1;
}

/* A free with the lock held. */
static UINT32 OsMemFreeLocked(LosMemPoolInfo *info, const VOID *ptr)
{
	OsMemNode *node = NULL;
	UINT32 size;
	UINT32 slot;
	UINT32 ret = OsTlsfUsedNodeGet(info, ptr, &node);

	if (ret != LOS_OK)
		return ret;
	size = node->size;
	slot = node->taskId;
	ret = OsTlsfFree(info, node);
	if (ret == LOS_OK)
		OsMemstatUsedDec(info, size, slot);
	return ret;
}

VOID *LOS_MemAlloc(VOID *pool, UINT32 size)
{
	UINT32 state = OsMemLock();
	VOID *ptr = OsMemAllocLocked("LOS_MemAlloc", pool, size, 0);

	OsMemUnlock(state);
	return ptr;
}

VOID *LOS_MemAllocAlign(VOID *pool, UINT32 size, UINT32 boundary)
{
	UINT32 state = OsMemLock();
	VOID *ptr = NULL;

	/* LiteOS 5.0: a power of two and a multiple of the pointer size. */
	if ((boundary < sizeof(VOID *)) || ((boundary & (boundary - 1U)) != 0))
		OsMemRefused("LOS_MemAllocAlign", pool, NULL, LOS_ERRNO_MEM_INVALID_ALIGN);
	else
		ptr = OsMemAllocLocked("LOS_MemAllocAlign", pool, size, boundary);
	OsMemUnlock(state);
	return ptr;
}

UINT32 LOS_MemFree(VOID *pool, VOID *ptr)
{
	UINT32 state = OsMemLock();
	LosMemPoolInfo *info = OsMemPoolGet(pool);
	UINT32 ret = (info == NULL) ? LOS_ERRNO_MEM_INVALID_POOL : OsMemFreeLocked(info, ptr);

	OsMemRefused("LOS_MemFree", pool, ptr, ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

/* Realloc that cannot stay in place: a new block, the contents, then the old block freed. */
static VOID *OsMemReallocMove(LosMemPoolInfo *info, VOID *ptr, UINT32 oldSize, UINT32 size)
{
	UINT32 slot = OsMemCurTaskSlot();
	UINT32 keep = oldSize - OS_MEM_NODE_HEAD_SIZE;
	OsMemNode *node = NULL;
	UINT32 ret = OsTlsfAlloc(info, size, 0, slot, &node);

	if (ret != LOS_OK) {
		OsMemRefused("LOS_MemRealloc", info, ptr, ret);
		return NULL;
	}
	OsMemstatUsedInc(info, node->size, slot);
	(VOID) memcpy(node + 1, ptr, (keep < size) ? keep : size);
	/* The old block was checked before the allocation; it is checked again as it is freed. */
	ret = OsMemFreeLocked(info, ptr);
	OsMemRefused("LOS_MemRealloc", info, ptr, ret);
	return node + 1;
}

VOID *LOS_MemRealloc(VOID *pool, VOID *ptr, UINT32 size)
{
	UINT32 state = OsMemLock();
	LosMemPoolInfo *info = OsMemPoolGet(pool);
	OsMemNode *node = NULL;
	VOID *result = NULL;
	UINT32 oldSize;
	UINT32 ret;

	if (ptr == NULL) {
		result = OsMemAllocLocked("LOS_MemRealloc", pool, size, 0);
		OsMemUnlock(state);
		return result;
	}
	if (info == NULL) {
		ret = LOS_ERRNO_MEM_INVALID_POOL;
	} else if (size == 0) {
		ret = OsMemFreeLocked(info, ptr);
	} else if (size > info->poolSize) {
		ret = LOS_ERRNO_MEM_INVALID_SIZE;
	} else {
		ret = OsTlsfUsedNodeGet(info, ptr, &node);
		if (ret == LOS_OK) {
			oldSize = node->size;
			ret = OsTlsfResize(info, node, size);
			if (ret == LOS_OK) {
				if (node->size > oldSize)
					OsMemstatUsedInc(info, node->size - oldSize, node->taskId);
				else
					OsMemstatUsedDec(info, oldSize - node->size, node->taskId);
				result = ptr;
			} else if (ret == LOS_NOK) {
				result = OsMemReallocMove(info, ptr, oldSize, size);
				OsMemUnlock(state);
				return result;
			}
		}
	}
	OsMemRefused("LOS_MemRealloc", pool, ptr, ret);
	OsMemUnlock(state);
	return result;
}

/* The first allocated block of the task's slot at or after off, or 0; the lock is held. */
static UINT32 OsMemNextOfTask(const LosMemPoolInfo *info, UINT32 off, UINT32 slot)
{
	UINT16 magic = 0;

	while (off < info->endOff && OsMemNodeCheck(info, off, &magic) == LOS_OK &&
	       magic != OS_MEM_NODE_END) {
		const OsMemNode *node = OS_MEM_NODE_AT(info, off);

		if (magic == OS_MEM_NODE_USED && node->taskId == slot)
			return off;
		off += node->size;
	}
	return 0;
}

UINT32 LOS_MemFreeByTaskID(VOID *pool, UINT32 taskID)
{
	UINT32 state = OsMemLock();
	LosMemPoolInfo *info = OsMemPoolGet(pool);
	UINT32 ret = (info == NULL) ? LOS_ERRNO_MEM_INVALID_POOL : LOS_OK;
	UINT32 slot = OsMemTaskSlot(taskID);
	UINT32 off = (info == NULL) ? 0 : OsMemNextOfTask(info, info->firstOff, slot);

	/* A free may merge with the block before, so each search starts again at the front. */
	while (ret == LOS_OK && off != 0) {
		ret = OsMemFreeLocked(info, OS_MEM_NODE_AT(info, off) + 1);
		off = OsMemNextOfTask(info, info->firstOff, slot);
	}
	OsMemRefused("LOS_MemFreeByTaskID", pool, NULL, ret);
	OsMemUnlock(state);
	return (ret == LOS_OK) ? LOS_OK : LOS_NOK;
}

/* Prints the blocks of one kind (used or free), one line each: LOS_OK, or LOS_NOK for a bad
 * pool. */
static UINT32 OsMemNodeShow(const CHAR *call, VOID *pool, UINT16 kind)
{
	UINT32 state = OsMemLock();
	const LosMemPoolInfo *info = OsMemPoolGet(pool);
	const CHAR *what = (kind == OS_MEM_NODE_USED) ? "used" : "free";
	UINT32 off;
	UINT32 count = 0;
	UINT16 magic = 0;

	if (info == NULL) {
		OsMemRefused(call, pool, NULL, LOS_ERRNO_MEM_INVALID_POOL);
		OsMemUnlock(state);
		return LOS_NOK;
	}
	OS_MEM_PRINT("%s blocks of pool %p:\n  address            size  task\n", what, pool);
	for (off = info->firstOff;
	     off < info->endOff && OsMemNodeCheck(info, off, &magic) == LOS_OK &&
	     magic != OS_MEM_NODE_END;
	     off += OS_MEM_NODE_AT(info, off)->size) {
		const OsMemNode *node = OS_MEM_NODE_AT(info, off);

		if (magic != kind)
			continue;
		OS_MEM_PRINT("  %p %10u  %u\n", (const VOID *)(node + 1), node->size,
			     kind == OS_MEM_NODE_USED ? (UINT32)node->taskId : 0U);
		count++;
	}
	OS_MEM_PRINT("%u %s blocks\n", count, what);
	OsMemUnlock(state);
	return LOS_OK;
}

UINT32 LOS_MemFreeNodeShow(VOID *pool)
{
	return OsMemNodeShow("LOS_MemFreeNodeShow", pool, OS_MEM_NODE_FREE);
}

UINT32 LOS_MemUsedNodeShow(VOID *pool)
{
	return OsMemNodeShow("LOS_MemUsedNodeShow", pool, OS_MEM_NODE_USED);
}
