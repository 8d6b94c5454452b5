/* LiteOS error codes: the LOS_ERRNO_OS_* scheme, module IDs and each module's codes. */
#ifndef _LOS_ERRNO_H
#define _LOS_ERRNO_H

#include "los_typedef.h"

/* --- the scheme: bits 24-31 level, 16-23 OS flag, 8-15 module ID, 0-7 code ----------------- */
#define LOS_ERRNO_OS_ID (0x00U << 16)
#define LOS_ERRTYPE_NORMAL (0x00U << 24)
#define LOS_ERRTYPE_WARN (0x01U << 24)
#define LOS_ERRTYPE_ERROR (0x02U << 24)
#define LOS_ERRTYPE_FATAL (0x03U << 24)

#define LOS_ERRNO_OS_NORMAL(MID, ERRNO)                                                            \
	(LOS_ERRTYPE_NORMAL | LOS_ERRNO_OS_ID | ((UINT32)(MID) << 8) | ((UINT32)(ERRNO)))
#define LOS_ERRNO_OS_WARN(MID, ERRNO)                                                              \
	(LOS_ERRTYPE_WARN | LOS_ERRNO_OS_ID | ((UINT32)(MID) << 8) | ((UINT32)(ERRNO)))
#define LOS_ERRNO_OS_ERROR(MID, ERRNO)                                                             \
	(LOS_ERRTYPE_ERROR | LOS_ERRNO_OS_ID | ((UINT32)(MID) << 8) | ((UINT32)(ERRNO)))
#define LOS_ERRNO_OS_FATAL(MID, ERRNO)                                                             \
	(LOS_ERRTYPE_FATAL | LOS_ERRNO_OS_ID | ((UINT32)(MID) << 8) | ((UINT32)(ERRNO)))

/* Module IDs, with LiteOS's values (and its spelling of the enum's name). */
enum LOS_MOUDLE_ID {
	LOS_MOD_SYS = 0x0,
	LOS_MOD_MEM = 0x1,
	LOS_MOD_TSK = 0x2,
	LOS_MOD_SWTMR = 0x3,
	LOS_MOD_TICK = 0x4,
	LOS_MOD_MSG = 0x5,
	LOS_MOD_QUE = 0x6,
	LOS_MOD_SEM = 0x7,
	LOS_MOD_MBOX = 0x8,
	LOS_MOD_HWI = 0x9,
	LOS_MOD_HWWDG = 0xa,
	LOS_MOD_CACHE = 0xb,
	LOS_MOD_HWTMR = 0xc,
	LOS_MOD_MMU = 0xd,
	LOS_MOD_LOG = 0xe,
	LOS_MOD_ERR = 0xf,
	LOS_MOD_EXC = 0x10,
	LOS_MOD_CSTK = 0x11,
	LOS_MOD_MPU = 0x12,
	LOS_MOD_NMHWI = 0x13,
	LOS_MOD_TRACE = 0x14,
	LOS_MOD_KNLSTAT = 0x15,
	LOS_MOD_EVTTIME = 0x16,
	LOS_MOD_THRDCPUP = 0x17,
	LOS_MOD_IPC = 0x18,
	LOS_MOD_STKMON = 0x19,
	LOS_MOD_TIMER = 0x1a,
	LOS_MOD_RESLEAKMON = 0x1b,
	LOS_MOD_EVENT = 0x1c,
	LOS_MOD_MUX = 0x1d,
	LOS_MOD_CPUP = 0x1e,
	LOS_MOD_HOOK = 0x1f,
	LOS_MOD_PERF = 0x20,
	LOS_MOD_PM = 0x21,
	LOS_MOD_SHELL = 0x31,
	LOS_MOD_DRIVER = 0x41,
	LOS_MOD_BUTT
};

/* --- memory (LOS_MOD_MEM): dynamic pools, several pools, per-task statistics --------------- */
/* LiteOS's own codes, for LOS_MemNodeSizeCheck and LOS_MemCheckLevelSet. */
#define LOS_ERRNO_MEMCHECK_PARA_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x1)
#define LOS_ERRNO_MEMCHECK_OUTSIDE LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x2)
#define LOS_ERRNO_MEMCHECK_NO_HEAD LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x3)
#define LOS_ERRNO_MEMCHECK_WRONG_LEVEL LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x4)
#define LOS_ERRNO_MEMCHECK_DISABLED LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x5)
/*
 * Ours (from 0x10, clear of LiteOS's): why a memory call was refused. The calls return what
 * LiteOS returns (NULL, LOS_NOK, OS_ERROR); LOS_MemErrnoGet() gives the reason.
 */
/* The pool is NULL, misaligned, not initialised or de-initialised, or its header is broken. */
#define LOS_ERRNO_MEM_INVALID_POOL LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x10)
/* A size of 0, or larger than the pool, or a pool whose end wraps the address space. */
#define LOS_ERRNO_MEM_INVALID_SIZE LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x11)
/* LOS_MemAllocAlign: the boundary is not a power of two of at least 4. */
#define LOS_ERRNO_MEM_INVALID_ALIGN LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x12)
/* LOS_MemInit: the pool cannot hold its control header and one block. */
#define LOS_ERRNO_MEM_POOL_TOO_SMALL LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x13)
/* LOS_MemInit: the range overlaps a pool that is already initialised. */
#define LOS_ERRNO_MEM_POOL_OVERLAP LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x14)
/* LOS_MemDeInit: the pool is not on the pool list. */
#define LOS_ERRNO_MEM_POOL_NOT_FOUND LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x15)
/* No free block is large enough. */
#define LOS_ERRNO_MEM_NO_MEMORY LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x16)
/* A NULL block pointer (or NULL output pointer) where one is needed. */
#define LOS_ERRNO_MEM_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x17)
/* The pointer is not aligned as every block of the pool is. */
#define LOS_ERRNO_MEM_PTR_MISALIGNED LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x18)
/* The pointer is not inside this pool's block area (another pool, or no pool at all). */
#define LOS_ERRNO_MEM_PTR_OUTSIDE LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x19)
/* The pointer's block is free already: a double free. */
#define LOS_ERRNO_MEM_DOUBLE_FREE LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x1a)
/* No block header in front of the pointer: not from LOS_MemAlloc*, or stale. */
#define LOS_ERRNO_MEM_NO_HEAD LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x1b)
/* A header with a block magic whose checksum or size is wrong: it was overwritten. */
#define LOS_ERRNO_MEM_HEADER_CORRUPT LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x1c)
/* The block is sound but a neighbouring header or free-list link is not; nothing changed. */
#define LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x1d)
/* LOS_MemIntegrityCheck/LOS_MemInfoGet or an allocation found the pool damaged. */
#define LOS_ERRNO_MEM_POOL_CORRUPT LOS_ERRNO_OS_ERROR(LOS_MOD_MEM, 0x1e)

/* --- fixed-size block pools (LOS_MOD_MBOX) ------------------------------------------------ */
/* The box pool is NULL, misaligned, not initialised, or its header is broken. */
#define LOS_ERRNO_MEMBOX_INVALID_POOL LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x10)
/* LOS_MemboxInit: a block size of 0, or one that overflows with its header. */
#define LOS_ERRNO_MEMBOX_INVALID_SIZE LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x11)
/* LOS_MemboxInit: not even one block fits after the pool header. */
#define LOS_ERRNO_MEMBOX_POOL_TOO_SMALL LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x12)
/* LOS_MemboxAlloc: every block is in use. */
#define LOS_ERRNO_MEMBOX_NO_MEMORY LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x13)
/* A NULL block (or output) pointer. */
#define LOS_ERRNO_MEMBOX_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x14)
/* The pointer is not the start of one of this pool's blocks. */
#define LOS_ERRNO_MEMBOX_PTR_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x15)
/* The block is free already: a double free. */
#define LOS_ERRNO_MEMBOX_DOUBLE_FREE LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x16)
/* The block's magic word is neither "used" nor "free": the block before it overran. */
#define LOS_ERRNO_MEMBOX_HEADER_CORRUPT LOS_ERRNO_OS_ERROR(LOS_MOD_MBOX, 0x17)

/* --- tasks (LOS_MOD_TSK) and IPC (LOS_MOD_SEM, LOS_MOD_MUX, LOS_MOD_QUE, ...) follow ------- */

#endif /* _LOS_ERRNO_H */
