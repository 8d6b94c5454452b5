/* Private to the LiteOS memory module: pool and block layouts, TLSF classes, internal calls. */
#ifndef _LOS_MEMORY_PRI_H
#define _LOS_MEMORY_PRI_H

#include "los_memory.h"

/*
 * Layout of a pool of poolSize bytes at address P (P aligned to sizeof(UINTPTR)):
 *   P                 LosMemPoolInfo: TLSF index, counters, statistics, list link
 *   P + firstOff      blocks, back to back, each a 16-byte OsMemNode then its payload
 *   P + endOff        the end node: a header-only "end" block, so merging stops there
 * Offsets, not pointers, link blocks: a pool is < 4 GiB, and an offset is range-checked
 * with one compare before anything is read through it.
 */
#define OS_MEM_NODE_HEAD_SIZE 16U
#define OS_MEM_ALIGN_SHIFT 4U
/* A free block keeps its list links in its payload, so no block is smaller than this. */
#define OS_MEM_MIN_NODE_SIZE 32U

/*
 * TLSF classes: a block of size s (header included) is in first-level class
 * fl = msb(s) - OS_MEM_FL_SHIFT + 1 and second-level class sl = the OS_MEM_SL_LOG2 bits below
 * the msb; blocks under OS_MEM_SMALL_SIZE are all in fl 0, one 16-byte step per sl. 16 lists
 * per power of two bound the waste of rounding a request up to a class at 1/16.
 */
#define OS_MEM_SL_LOG2 4U
#define OS_MEM_SL_NUM (1U << OS_MEM_SL_LOG2)
#define OS_MEM_FL_SHIFT (OS_MEM_SL_LOG2 + OS_MEM_ALIGN_SHIFT)
#define OS_MEM_SMALL_SIZE (1U << OS_MEM_FL_SHIFT)
#define OS_MEM_FL_NUM (32U - OS_MEM_FL_SHIFT + 1U)

/* Block magics; a header is believed only if its checksum matches too. */
#define OS_MEM_NODE_USED 0xA55AU
#define OS_MEM_NODE_FREE 0x5AA5U
#define OS_MEM_NODE_END 0xE4D5U
#define OS_MEM_POOL_MAGIC 0x4C4F534DU

typedef struct {
	UINT16 magic;	/* OS_MEM_NODE_USED, _FREE or _END */
	UINT16 taskId;	/* statistics slot of the task that allocated the block */
	UINT32 size;	/* whole block, header included; a multiple of 16 (0 for the end node) */
	UINT32 prevOff; /* offset of the block just before (0: this is the first block) */
	UINT32 check;	/* OsMemNodeSum: over the fields, the links if free, both addresses */
} OsMemNode;

/* In a free block's payload: the neighbours on its class list, as offsets (0: none). */
typedef struct {
	UINT32 nextFree;
	UINT32 prevFree;
} OsMemFreeLinks;

typedef struct LosMemPoolInfo {
	UINT32 magic; /* OS_MEM_POOL_MAGIC */
	UINT32 check; /* over magic, sizes, offsets and the pool's address */
	UINT32 poolSize;
	UINT32 firstOff;
	UINT32 endOff;
	UINT32 flBitmap;		/* bit fl: some list of class fl is non-empty */
	UINT16 slBitmap[OS_MEM_FL_NUM]; /* bit sl: list (fl, sl) is non-empty */
	UINT32 freeHead[OS_MEM_FL_NUM][OS_MEM_SL_NUM];
	UINT32 usedSize; /* bytes in allocated blocks */
	UINT32 usedNodes;
	UINT32 freeNodes;
	UINT32 waterLine;		 /* the most usedSize has been */
	struct LosMemPoolInfo *nextPool; /* the pool list (los_multipool.c) */
	TaskMemUsedInfo taskStat[LOS_MEMSTAT_TASK_NUM];
} LosMemPoolInfo;

/* The smallest pool LOS_MemInit accepts (at the worst alignment of P). */
#define OS_MEM_MIN_POOL_SIZE                                                                       \
	((UINT32)sizeof(LosMemPoolInfo) + OS_MEM_ALIGN_SIZE + OS_MEM_MIN_NODE_SIZE +               \
	 OS_MEM_NODE_HEAD_SIZE)

#define OS_MEM_NODE_AT(pool, off) ((OsMemNode *)(VOID *)((UINT8 *)(pool) + (off)))
#define OS_MEM_LINKS(node) ((OsMemFreeLinks *)(VOID *)((OsMemNode *)(node) + 1))
#define OS_MEM_OFF(pool, p) ((UINT32)((UINTPTR)(p) - (UINTPTR)(pool)))

/* --- hooks and errors (los_memhook.c) ---------------------------------------------------- */
extern int (*g_osMemPrint)(const char *fmt, ...);
#define OS_MEM_PRINT(...)                                                                          \
	do {                                                                                       \
		if (g_osMemPrint != NULL)                                                          \
			(VOID) g_osMemPrint(__VA_ARGS__);                                          \
	} while (0)
UINT32 OsMemLock(VOID);
VOID OsMemUnlock(UINT32 state);
/* The current task's statistics slot. */
UINT32 OsMemCurTaskSlot(VOID);
UINT32 OsMemTaskSlot(UINT32 taskId);
VOID OsMemErrnoSet(UINT32 err);
/* Reports the whole pages inside [start, end) through the release hook, if one is set. */
VOID OsMemReleasePages(UINTPTR start, UINTPTR end);
const CHAR *OsMemErrStr(UINT32 err);

/* --- TLSF core (los_tlsf.c); callers hold the lock ---------------------------------------- */
/* The pool's header if pool is an initialised pool, else NULL. */
LosMemPoolInfo *OsMemPoolGet(const VOID *pool);
/* LOS_OK, LOS_ERRNO_MEM_INVALID_POOL or _INVALID_SIZE or _POOL_TOO_SMALL; writes nothing. */
UINT32 OsTlsfInitCheck(const VOID *pool, UINT32 size);
VOID OsTlsfInit(VOID *pool, UINT32 size);
/* LOS_OK if a sound header lies at off (anywhere from firstOff to endOff); *magic is its kind. */
UINT32 OsMemNodeCheck(const LosMemPoolInfo *pool, UINT32 off, UINT16 *magic);
UINT32 OsMemNodeSum(const LosMemPoolInfo *pool, const OsMemNode *node);
/* The TLSF class of a block size. */
VOID OsMemClass(UINT32 size, UINT32 *fl, UINT32 *sl);
/* An allocated block of room for size bytes, aligned to boundary (0: OS_MEM_ALIGN_SIZE). */
UINT32 OsTlsfAlloc(LosMemPoolInfo *pool, UINT32 size, UINT32 boundary, UINT32 taskSlot,
		   OsMemNode **node);
/* ptr's block if it is a sound allocated block of pool with sound neighbours, else why not. */
UINT32 OsTlsfUsedNodeGet(const LosMemPoolInfo *pool, const VOID *ptr, OsMemNode **node);
/* Frees a block from OsTlsfUsedNodeGet, merging free neighbours. */
UINT32 OsTlsfFree(LosMemPoolInfo *pool, OsMemNode *node);
/* Resizes in place to hold size bytes: LOS_OK, LOS_NOK if it cannot grow in place, or why. */
UINT32 OsTlsfResize(LosMemPoolInfo *pool, OsMemNode *node, UINT32 size);

/* --- checks and figures (los_meminfo.c) --------------------------------------------------- */
/* Walks every block and list; LOS_OK and the figures, or the first fault (printed). */
UINT32 OsMemPoolCheck(const LosMemPoolInfo *pool, LOS_MEM_POOL_STATUS *status);
/* Prints one pool's figures through the print hook. */
VOID OsMemInfoPrint(const LosMemPoolInfo *pool);

/* --- the pool list (los_multipool.c) ------------------------------------------------------- */
/* LOS_OK, or LOS_ERRNO_MEM_POOL_OVERLAP if [pool, pool + size) meets a listed pool. */
UINT32 OsMemMulPoolCheck(const VOID *pool, UINT32 size);
VOID OsMemMulPoolAdd(LosMemPoolInfo *pool);
/* The listed pool whose blocks' range holds addr, or NULL. */
LosMemPoolInfo *OsMemMulPoolFind(UINTPTR addr);

/* --- per-task statistics (los_memstat.c) ------------------------------------------------- */
VOID OsMemstatUsedInc(LosMemPoolInfo *pool, UINT32 size, UINT32 taskSlot);
VOID OsMemstatUsedDec(LosMemPoolInfo *pool, UINT32 size, UINT32 taskSlot);
/* Takes a pool's per-task bytes out of the overall figures when it leaves the list. */
VOID OsMemstatPoolRemove(const LosMemPoolInfo *pool);

#endif /* _LOS_MEMORY_PRI_H */
