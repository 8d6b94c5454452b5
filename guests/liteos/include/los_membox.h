/* LiteOS fixed-size block pools (membox): O(1) alloc and free, a magic word on every block. */
#ifndef _LOS_MEMBOX_H
#define _LOS_MEMBOX_H

#include "los_errno.h"

/*
 * Every block starts with this node. While the block is free, pstNext links the free list;
 * uwMagic always says whether the block is free or in use (each value mixed with the block's
 * address), so a double free, a foreign pointer or an overrun from the block before is
 * refused. The caller's data follows the node.
 */
typedef struct tagMEMBOX_NODE {
	struct tagMEMBOX_NODE *pstNext;
	UINTPTR uwMagic;
} LOS_MEMBOX_NODE;

/* The pool header, at the pool's start; LiteOS's fields first, then ours. */
typedef struct {
	UINT32 uwBlkSize;	    /* bytes per block, node included (what LiteOS reports) */
	UINT32 uwBlkNum;	    /* blocks in the pool */
	UINT32 uwBlkCnt;	    /* blocks allocated */
	UINT32 uwPoolMagic;	    /* marks an initialised pool, mixed with its address */
	LOS_MEMBOX_NODE stFreeList; /* stFreeList.pstNext: the first free block */
} LOS_MEMBOX_INFO;

typedef LOS_MEMBOX_INFO OS_MEMBOX_S;

#define OS_MEMBOX_NODE_HEAD_SIZE sizeof(LOS_MEMBOX_NODE)
#define OS_MEMBOX_NEXT(addr, blkSize) (LOS_MEMBOX_NODE *)(VOID *)((UINT8 *)(addr) + (blkSize))
#define LOS_MEMBOX_ALLIGNED(memAddr)                                                               \
	(((UINTPTR)(memAddr) + sizeof(UINTPTR) - 1) & (~(sizeof(UINTPTR) - 1)))
/* The pool size that holds blkNum blocks of blkSize bytes, as in LiteOS. */
#define LOS_MEMBOX_SIZE(blkSize, blkNum)                                                           \
	(sizeof(LOS_MEMBOX_INFO) +                                                                 \
	 (LOS_MEMBOX_ALLIGNED((blkSize) + OS_MEMBOX_NODE_HEAD_SIZE) * (blkNum)))

/*
 * Cuts [pool, pool + poolSize) into blocks of blkSize bytes (rounded up to sizeof(UINTPTR)),
 * all free. LOS_NOK if pool is NULL or not pointer-aligned, blkSize is 0, or no block fits.
 */
UINT32 LOS_MemboxInit(VOID *pool, UINT32 poolSize, UINT32 blkSize);
/* A free block (pointer-aligned), or NULL when none is left or the pool is bad. */
VOID *LOS_MemboxAlloc(VOID *pool);
/* LOS_OK, or LOS_NOK (pool unchanged) unless box is an allocated block of this pool. */
UINT32 LOS_MemboxFree(VOID *pool, VOID *box);
/* Zeroes an allocated block; does nothing for anything else. */
VOID LOS_MemboxClr(VOID *pool, VOID *box);
/* Prints the pool, its free list and every block through the print hook. */
VOID LOS_ShowBox(VOID *pool);
/* Blocks in the pool, blocks allocated, bytes per block (node included); LOS_NOK if bad. */
UINT32 LOS_MemboxStatisticsGet(const VOID *boxMem, UINT32 *maxBlk, UINT32 *blkCnt, UINT32 *blkSize);
/* Extension: LOS_OK if every block's magic, the free list and the count agree, else LOS_NOK. */
UINT32 LOS_MemboxIntegrityCheck(const VOID *pool);

#endif /* _LOS_MEMBOX_H */
