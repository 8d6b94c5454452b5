/* LiteOS dynamic memory: TLSF pools with checked block headers, and the memory module's hooks. */
#ifndef _LOS_MEMORY_H
#define _LOS_MEMORY_H

#include "los_errno.h"

/*
 * Every block's payload is aligned to OS_MEM_ALIGN_SIZE (LiteOS promises sizeof(UINTPTR); we
 * give the AArch64 ABI's 16), and is preceded by a 16-byte header holding a magic word, the
 * block size, a back-pointer to the previous block and a checksum. The pool address must be
 * aligned to sizeof(UINTPTR). docs/liteos-memory.md has the design and every error case.
 */
#define OS_MEM_ALIGN_SIZE 16U

/* What LOS_MemInfoGet reports (LiteOS's fields; the water line is always kept). Sizes count
 * whole blocks, headers included, so used + free + the pool's fixed overhead = pool size. */
typedef struct {
	UINT32 uwTotalUsedSize;	  /* bytes in allocated blocks */
	UINT32 uwTotalFreeSize;	  /* bytes in free blocks */
	UINT32 uwMaxFreeNodeSize; /* the largest free block */
	UINT32 uwUsedNodeNum;	  /* allocated blocks */
	UINT32 uwFreeNodeNum;	  /* free blocks */
	UINT32 uwUsageWaterLine;  /* the most uwTotalUsedSize has been since LOS_MemInit */
} LOS_MEM_POOL_STATUS;

/* LOS_MemNodeSizeCheck levels (LiteOS): DISABLE makes it refuse, LOW finds the block, HIGH
 * also checks the whole pool first. */
#define LOS_MEM_CHECK_LEVEL_LOW 0
#define LOS_MEM_CHECK_LEVEL_HIGH 1
#define LOS_MEM_CHECK_LEVEL_DISABLE 0xff
#define LOS_MEM_CHECK_LEVEL_DEFAULT LOS_MEM_CHECK_LEVEL_DISABLE

/*
 * Makes [pool, pool + size) a pool and puts it on the pool list. LOS_NOK if pool is NULL or
 * not pointer-aligned, size is too small, pool + size wraps, or the range overlaps a pool
 * already on the list (initialise again only after LOS_MemDeInit).
 */
UINT32 LOS_MemInit(VOID *pool, UINT32 size);
/* A block of at least size bytes, OS_MEM_ALIGN_SIZE-aligned; NULL for size 0 or no memory. */
VOID *LOS_MemAlloc(VOID *pool, UINT32 size);
/* As LOS_MemAlloc, aligned to boundary, a power of two and a multiple of sizeof(VOID *) (as in
 * LiteOS 5.0); NULL for any other boundary. */
VOID *LOS_MemAllocAlign(VOID *pool, UINT32 size, UINT32 boundary);
/*
 * Resizes ptr's block, in place when it shrinks or the next block is free, else moves it
 * (contents kept up to the smaller size; a moved block is aligned as LOS_MemAlloc's). ptr
 * NULL: LOS_MemAlloc. size 0: LOS_MemFree, returns NULL. On failure returns NULL and ptr's
 * block is untouched.
 */
VOID *LOS_MemRealloc(VOID *pool, VOID *ptr, UINT32 size);
/* LOS_OK, or LOS_NOK (pool unchanged) for a pointer that is not a live block of this pool. */
UINT32 LOS_MemFree(VOID *pool, VOID *ptr);

/* LOS_OK and the figures, or LOS_NOK for a bad pool or status, or a damaged pool. */
UINT32 LOS_MemInfoGet(VOID *pool, LOS_MEM_POOL_STATUS *poolStatus);
/* LOS_OK if every header, link, list and counter agrees; LOS_NOK and a message otherwise. */
UINT32 LOS_MemIntegrityCheck(VOID *pool);
/* Bytes in allocated blocks (LOS_NOK for a bad pool, as in LiteOS). */
UINT32 LOS_MemTotalUsedGet(VOID *pool);
/* The size given to LOS_MemInit (LOS_NOK for a bad pool, as in LiteOS). */
UINT32 LOS_MemPoolSizeGet(const VOID *pool);
/* Free and allocated block counts (LOS_NOK for a bad pool, as in LiteOS). */
UINT32 LOS_MemFreeBlksGet(VOID *pool);
UINT32 LOS_MemUsedBlksGet(VOID *pool);
/* The task that allocated ptr's block (its statistics slot), or OS_INVALID. */
UINT32 LOS_MemTaskIdGet(VOID *ptr);
/*
 * For ptr anywhere inside an allocated block: totalSize = the block's usable bytes,
 * availSize = those from ptr to its end. LiteOS's LOS_ERRNO_MEMCHECK_* codes otherwise.
 */
UINT32 LOS_MemNodeSizeCheck(VOID *pool, VOID *ptr, UINT32 *totalSize, UINT32 *availSize);
UINT32 LOS_MemCheckLevelSet(UINT8 checkLevel);
UINT8 LOS_MemCheckLevelGet(VOID);

/* Prints each free (or allocated: address, size, task) block of the pool; LOS_NOK for a bad
 * pool. */
UINT32 LOS_MemFreeNodeShow(VOID *pool);
UINT32 LOS_MemUsedNodeShow(VOID *pool);
/* Frees every block the task allocated from the pool (LiteOS-M): LOS_OK, or LOS_NOK. */
UINT32 LOS_MemFreeByTaskID(VOID *pool, UINT32 taskID);

/* Extension: why the last memory or membox call failed (a LOS_ERRNO_MEM*), LOS_OK if not. */
UINT32 LOS_MemErrnoGet(VOID);

/*
 * Hooks the kernel sets (extension; each NULL restores the default). getTaskId names the
 * current task for the statistics (default: 0). print receives the module's messages and
 * listings (default: none); it must not call back into the memory module. lock/unlock bracket
 * every operation on pools, boxes and statistics, e.g. LOS_IntLock/LOS_IntRestore (default:
 * none); lock returns what unlock is given.
 */
VOID LOS_MemSetTaskIdHook(UINT32 (*getTaskId)(VOID));
VOID LOS_MemSetPrintHook(int (*print)(const char *fmt, ...));
VOID LOS_MemSetLockHooks(UINT32 (*lock)(VOID), VOID (*unlock)(UINT32 state));
/*
 * Free page reporting (extension): when a free leaves whole 4 KiB pages of a pool free, the
 * pool calls release(addr, pages) for them (at most 512 pages a call, at least
 * LOS_MEM_RELEASE_MIN_PAGES), with the pool locked; those pages hold no block header or list
 * link, so they may come back zeroed. release returns FALSE to be called no more (e.g. the
 * hypervisor backs RAM eagerly). Default: none.
 */
#define LOS_MEM_RELEASE_MIN_PAGES 2U
#define LOS_MEM_RELEASE_MAX_PAGES 512U
VOID LOS_MemSetReleaseHook(BOOL (*release)(UINTPTR addr, UINT32 pages));

/* As in LiteOS, los_memory.h also brings the box, multi-pool and statistics interfaces. */
#include "los_membox.h"
#include "los_multipool.h"
#include "los_memstat.h"

#endif /* _LOS_MEMORY_H */
