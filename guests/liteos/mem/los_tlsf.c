/* TLSF core of the dynamic pools: size classes, free lists, split and merge, header checks. */
#include <string.h>

#include "los_memory_pri.h"

#define OS_MEM_SUM_SEED 0x6C6F735F746C7366ULL
#define OS_MEM_ALIGN_MASK ((UINTPTR)OS_MEM_ALIGN_SIZE - 1)

/*
 * Every change to a header or a free block's links is followed by a new checksum; every
 * header is checked before anything is read or written through it. So a stray pointer, a
 * double free or an overrun shows up as a checksum that does not match, and the operation is
 * refused before it writes anything (all checks first, then all changes).
 */
static UINT64 OsMemMix(UINT64 h, UINT64 v)
{
	h ^= v;
	h *= 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

static UINT32 OsMemFold(UINT64 h)
{
	return (UINT32)(h >> 32) ^ (UINT32)h;
}

static UINT32 OsMemPoolSum(const LosMemPoolInfo *pool)
{
	UINT64 h = OsMemMix(OS_MEM_SUM_SEED, (UINTPTR)pool);

	h = OsMemMix(h, ((UINT64)pool->magic << 32) | pool->poolSize);
	h = OsMemMix(h, ((UINT64)pool->firstOff << 32) | pool->endOff);
	return OsMemFold(h);
}

/* The addresses of the pool and the node are mixed in, so a header copied elsewhere or a
 * block of another pool never checks out. */
UINT32 OsMemNodeSum(const LosMemPoolInfo *pool, const OsMemNode *node)
{
	UINT64 links = 0;
	UINT64 h;

	if (node->magic == OS_MEM_NODE_FREE) {
		const OsMemFreeLinks *l = (const OsMemFreeLinks *)(const VOID *)(node + 1);

		links = ((UINT64)l->nextFree << 32) | l->prevFree;
	}
	h = OsMemMix(OS_MEM_SUM_SEED + 1, (UINTPTR)pool);
	h = OsMemMix(h, (UINTPTR)node);
	h = OsMemMix(h, ((UINT64)node->magic << 48) | ((UINT64)node->taskId << 32) | node->size);
	h = OsMemMix(h, node->prevOff);
	h = OsMemMix(h, links);
	return OsMemFold(h);
}

static VOID OsMemSeal(const LosMemPoolInfo *pool, OsMemNode *node)
{
	node->check = OsMemNodeSum(pool, node);
}

/* A header swallowed by a merge is cleared, so a stale pointer to it finds no header. */
static VOID OsMemWipe(OsMemNode *node)
{
	(VOID) memset(node, 0, sizeof(*node));
}

LosMemPoolInfo *OsMemPoolGet(const VOID *pool)
{
	LosMemPoolInfo *info = (LosMemPoolInfo *)(UINTPTR)pool;

	if ((pool == NULL) || (((UINTPTR)pool & (sizeof(UINTPTR) - 1)) != 0))
		return NULL;
	if ((info->magic != OS_MEM_POOL_MAGIC) || (info->check != OsMemPoolSum(info)))
		return NULL;
	return info;
}

static UINT32 OsMemLog2(UINT64 v)
{
	return 63U - (UINT32)__builtin_clzll(v);
}

VOID OsMemClass(UINT32 size, UINT32 *fl, UINT32 *sl)
{
	UINT32 msb;

	if (size < OS_MEM_SMALL_SIZE) {
		*fl = 0;
		*sl = size >> OS_MEM_ALIGN_SHIFT;
		return;
	}
	msb = OsMemLog2(size);
	*fl = msb - OS_MEM_FL_SHIFT + 1U;
	*sl = (size >> (msb - OS_MEM_SL_LOG2)) & (OS_MEM_SL_NUM - 1U);
}

/* The first class all of whose blocks hold size bytes: size rounded up to the next step. */
static BOOL OsMemSearchClass(UINT64 size, UINT32 *fl, UINT32 *sl)
{
	if (size >= OS_MEM_SMALL_SIZE)
		size += (1ULL << (OsMemLog2(size) - OS_MEM_SL_LOG2)) - 1U;
	if (size > UINT32_MAX)
		return FALSE;
	OsMemClass((UINT32)size, fl, sl);
	return *fl < OS_MEM_FL_NUM;
}

/* The head of the first non-empty list at or above (fl, sl), or 0: two bitmap scans. */
static UINT32 OsMemFindHead(const LosMemPoolInfo *pool, UINT32 fl, UINT32 sl)
{
	UINT32 slMap = pool->slBitmap[fl] & (~0U << sl);

	if (slMap == 0) {
		UINT32 flMap = (fl + 1U < 32U) ? (pool->flBitmap & (~0U << (fl + 1U))) : 0;
		if (flMap == 0)
			return 0;
		fl = (UINT32)__builtin_ctz(flMap);
		if (fl >= OS_MEM_FL_NUM)
			return 0;
		slMap = pool->slBitmap[fl];
		if (slMap == 0)
			return 0;
	}
	sl = (UINT32)__builtin_ctz(slMap);
	return pool->freeHead[fl][sl];
}

UINT32 OsMemNodeCheck(const LosMemPoolInfo *pool, UINT32 off, UINT16 *magic)
{
	const OsMemNode *node;

	if ((off < pool->firstOff) || (off > pool->endOff) ||
	    ((((UINTPTR)pool + off) & OS_MEM_ALIGN_MASK) != 0))
		return LOS_ERRNO_MEM_PTR_OUTSIDE;
	node = OS_MEM_NODE_AT(pool, off);
	*magic = node->magic;
	switch (node->magic) {
	case OS_MEM_NODE_USED:
	case OS_MEM_NODE_FREE:
		/* Before the checksum: it reads a free block's links, which the size must hold. */
		if ((node->size < OS_MEM_MIN_NODE_SIZE) ||
		    ((node->size & OS_MEM_ALIGN_MASK) != 0) || (node->size > pool->endOff - off))
			return LOS_ERRNO_MEM_HEADER_CORRUPT;
		break;
	case OS_MEM_NODE_END:
		if ((off != pool->endOff) || (node->size != 0))
			return LOS_ERRNO_MEM_HEADER_CORRUPT;
		break;
	default:
		return LOS_ERRNO_MEM_NO_HEAD;
	}
	if (node->check != OsMemNodeSum(pool, node))
		return LOS_ERRNO_MEM_HEADER_CORRUPT;
	return LOS_OK;
}

/* Both physical neighbours are sound and agree that node lies between them. */
static UINT32 OsMemNeighboursCheck(const LosMemPoolInfo *pool, UINT32 off, const OsMemNode *node)
{
	UINT32 nextOff = off + node->size;
	const OsMemNode *other = OS_MEM_NODE_AT(pool, nextOff);
	UINT16 magic;

	if ((OsMemNodeCheck(pool, nextOff, &magic) != LOS_OK) || (other->prevOff != off))
		return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
	if ((node->magic == OS_MEM_NODE_FREE) && (magic == OS_MEM_NODE_FREE))
		return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
	if (node->prevOff == 0)
		return (off == pool->firstOff) ? LOS_OK : LOS_ERRNO_MEM_HEADER_CORRUPT;
	other = OS_MEM_NODE_AT(pool, node->prevOff);
	if ((node->prevOff >= off) || (OsMemNodeCheck(pool, node->prevOff, &magic) != LOS_OK) ||
	    (magic == OS_MEM_NODE_END) || (node->prevOff + other->size != off))
		return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
	if ((node->magic == OS_MEM_NODE_FREE) && (magic == OS_MEM_NODE_FREE))
		return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
	return LOS_OK;
}

/* The free block at off can be taken off its list without writing through a bad link. */
static UINT32 OsMemUnlinkCheck(const LosMemPoolInfo *pool, UINT32 off, const OsMemNode *node)
{
	const OsMemFreeLinks *links = OS_MEM_LINKS(node);
	UINT16 magic;
	UINT32 fl;
	UINT32 sl;

	if ((links->nextFree == off) || (links->prevFree == off))
		return LOS_ERRNO_MEM_POOL_CORRUPT;
	if ((links->nextFree != 0) &&
	    ((OsMemNodeCheck(pool, links->nextFree, &magic) != LOS_OK) ||
	     (magic != OS_MEM_NODE_FREE) ||
	     (OS_MEM_LINKS(OS_MEM_NODE_AT(pool, links->nextFree))->prevFree != off)))
		return LOS_ERRNO_MEM_POOL_CORRUPT;
	if (links->prevFree != 0) {
		if ((OsMemNodeCheck(pool, links->prevFree, &magic) != LOS_OK) ||
		    (magic != OS_MEM_NODE_FREE) ||
		    (OS_MEM_LINKS(OS_MEM_NODE_AT(pool, links->prevFree))->nextFree != off))
			return LOS_ERRNO_MEM_POOL_CORRUPT;
		return LOS_OK;
	}
	OsMemClass(node->size, &fl, &sl);
	return (pool->freeHead[fl][sl] == off) ? LOS_OK : LOS_ERRNO_MEM_POOL_CORRUPT;
}

/* A block of size can be pushed on its list: the head there (unless it is about to be
 * unlinked itself, skipA or skipB) is a sound free block. */
static UINT32 OsMemInsertCheck(const LosMemPoolInfo *pool, UINT32 size, UINT32 skipA, UINT32 skipB)
{
	UINT32 fl;
	UINT32 sl;
	UINT32 head;
	UINT16 magic;

	OsMemClass(size, &fl, &sl);
	head = pool->freeHead[fl][sl];
	if ((head == 0) || (head == skipA) || (head == skipB))
		return LOS_OK;
	if ((OsMemNodeCheck(pool, head, &magic) != LOS_OK) || (magic != OS_MEM_NODE_FREE) ||
	    (OS_MEM_LINKS(OS_MEM_NODE_AT(pool, head))->prevFree != 0))
		return LOS_ERRNO_MEM_POOL_CORRUPT;
	return LOS_OK;
}

/* The block after a free block being taken over is sound and points back at it. */
static UINT32 OsMemAfterCheck(const LosMemPoolInfo *pool, UINT32 off, UINT32 afterOff)
{
	UINT16 magic;

	if ((OsMemNodeCheck(pool, afterOff, &magic) != LOS_OK) || (magic == OS_MEM_NODE_FREE) ||
	    (OS_MEM_NODE_AT(pool, afterOff)->prevOff != off))
		return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
	return LOS_OK;
}

/* Pushes a block whose magic, size and prevOff are set onto its list, and seals it. */
static VOID OsMemListInsert(LosMemPoolInfo *pool, UINT32 off, OsMemNode *node)
{
	OsMemFreeLinks *links = OS_MEM_LINKS(node);
	UINT32 fl;
	UINT32 sl;
	UINT32 head;

	OsMemClass(node->size, &fl, &sl);
	head = pool->freeHead[fl][sl];
	node->magic = OS_MEM_NODE_FREE;
	node->taskId = 0;
	links->nextFree = head;
	links->prevFree = 0;
	if (head != 0) {
		OsMemNode *old = OS_MEM_NODE_AT(pool, head);

		OS_MEM_LINKS(old)->prevFree = off;
		OsMemSeal(pool, old);
	}
	pool->freeHead[fl][sl] = off;
	pool->flBitmap |= 1U << fl;
	pool->slBitmap[fl] = (UINT16)(pool->slBitmap[fl] | (1U << sl));
	pool->freeNodes++;
	OsMemSeal(pool, node);
}

static VOID OsMemListRemove(LosMemPoolInfo *pool, const OsMemNode *node)
{
	const OsMemFreeLinks *links = OS_MEM_LINKS(node);
	UINT32 fl;
	UINT32 sl;

	if (links->nextFree != 0) {
		OsMemNode *next = OS_MEM_NODE_AT(pool, links->nextFree);

		OS_MEM_LINKS(next)->prevFree = links->prevFree;
		OsMemSeal(pool, next);
	}
	if (links->prevFree != 0) {
		OsMemNode *prev = OS_MEM_NODE_AT(pool, links->prevFree);

		OS_MEM_LINKS(prev)->nextFree = links->nextFree;
		OsMemSeal(pool, prev);
	} else {
		OsMemClass(node->size, &fl, &sl);
		pool->freeHead[fl][sl] = links->nextFree;
		if (links->nextFree == 0) {
			pool->slBitmap[fl] = (UINT16)(pool->slBitmap[fl] & ~(1U << sl));
			if (pool->slBitmap[fl] == 0)
				pool->flBitmap &= ~(1U << fl);
		}
	}
	pool->freeNodes--;
}

UINT32 OsTlsfInitCheck(const VOID *pool, UINT32 size)
{
	UINTPTR base = (UINTPTR)pool;
	UINTPTR first;
	UINTPTR end;

	if ((pool == NULL) || ((base & (sizeof(UINTPTR) - 1)) != 0))
		return LOS_ERRNO_MEM_INVALID_POOL;
	if ((UINTPTR)size > UINTPTR_MAX - base)
		return LOS_ERRNO_MEM_INVALID_SIZE;
	if (size < sizeof(LosMemPoolInfo) + OS_MEM_ALIGN_SIZE + OS_MEM_NODE_HEAD_SIZE)
		return LOS_ERRNO_MEM_POOL_TOO_SMALL;
	first = (base + sizeof(LosMemPoolInfo) + OS_MEM_ALIGN_MASK) & ~OS_MEM_ALIGN_MASK;
	end = (base + size - OS_MEM_NODE_HEAD_SIZE) & ~OS_MEM_ALIGN_MASK;
	if ((end < first) || (end - first < OS_MEM_MIN_NODE_SIZE))
		return LOS_ERRNO_MEM_POOL_TOO_SMALL;
	return LOS_OK;
}

VOID OsTlsfInit(VOID *pool, UINT32 size)
{
	LosMemPoolInfo *info = (LosMemPoolInfo *)pool;
	UINTPTR base = (UINTPTR)pool;
	OsMemNode *node;

	(VOID) memset(info, 0, sizeof(*info));
	info->poolSize = size;
	info->firstOff =
	    (UINT32)(((base + sizeof(LosMemPoolInfo) + OS_MEM_ALIGN_MASK) & ~OS_MEM_ALIGN_MASK) -
		     base);
	info->endOff =
	    (UINT32)(((base + size - OS_MEM_NODE_HEAD_SIZE) & ~OS_MEM_ALIGN_MASK) - base);
	info->magic = OS_MEM_POOL_MAGIC;
	info->check = OsMemPoolSum(info);

	node = OS_MEM_NODE_AT(info, info->firstOff);
	node->size = info->endOff - info->firstOff;
	node->prevOff = 0;
	OsMemListInsert(info, info->firstOff, node);

	node = OS_MEM_NODE_AT(info, info->endOff);
	node->magic = OS_MEM_NODE_END;
	node->taskId = 0;
	node->size = 0;
	node->prevOff = info->firstOff;
	OsMemSeal(info, node);
}

/* Header plus payload rounded up to the alignment; wide, as size may be near 4 GiB. */
static UINT64 OsMemNeed(UINT32 size)
{
	UINT64 need = (((UINT64)size + OS_MEM_ALIGN_MASK) & ~(UINT64)OS_MEM_ALIGN_MASK) +
		      OS_MEM_NODE_HEAD_SIZE;

	return (need < OS_MEM_MIN_NODE_SIZE) ? OS_MEM_MIN_NODE_SIZE : need;
}

/* Bytes to split off the front of the block at off so that its payload meets boundary; a
 * gap must itself be a whole free block, hence one more boundary when it would be too small. */
static UINT64 OsMemGap(const LosMemPoolInfo *pool, UINT32 off, UINT32 boundary)
{
	UINTPTR payload = (UINTPTR)pool + off + OS_MEM_NODE_HEAD_SIZE;
	UINT64 gap;

	if (boundary <= OS_MEM_ALIGN_SIZE)
		return 0;
	gap = (UINT64)(((payload + boundary - 1U) & ~((UINTPTR)boundary - 1U)) - payload);
	if ((gap != 0) && (gap < OS_MEM_MIN_NODE_SIZE))
		gap += boundary;
	return gap;
}

/*
 * A free block that holds need bytes at the boundary. O(1): any block in the first class
 * above the request fits. Only if there is none is the request's own class scanned, as a
 * block there may still be large enough (so that, say, the whole pool can be allocated).
 */
static UINT32 OsMemFindFree(const LosMemPoolInfo *pool, UINT64 need, UINT32 boundary, UINT32 *found)
{
	UINT64 search = need;
	UINT32 fl;
	UINT32 sl;
	UINT32 off;
	UINT32 n;
	UINT16 magic;

	if (boundary > OS_MEM_ALIGN_SIZE)
		search += (UINT64)boundary + OS_MEM_MIN_NODE_SIZE;
	if (OsMemSearchClass(search, &fl, &sl)) {
		off = OsMemFindHead(pool, fl, sl);
		if (off != 0) {
			if ((OsMemNodeCheck(pool, off, &magic) != LOS_OK) ||
			    (magic != OS_MEM_NODE_FREE) ||
			    (OS_MEM_NODE_AT(pool, off)->size < search))
				return LOS_ERRNO_MEM_POOL_CORRUPT;
			*found = off;
			return LOS_OK;
		}
	}
	if (search > UINT32_MAX)
		return LOS_ERRNO_MEM_NO_MEMORY;
	OsMemClass((UINT32)search, &fl, &sl);
	if (fl >= OS_MEM_FL_NUM)
		return LOS_ERRNO_MEM_NO_MEMORY;
	off = pool->freeHead[fl][sl];
	for (n = 0; (off != 0) && (n <= pool->freeNodes); n++) {
		const OsMemNode *node = OS_MEM_NODE_AT(pool, off);

		if ((OsMemNodeCheck(pool, off, &magic) != LOS_OK) || (magic != OS_MEM_NODE_FREE))
			return LOS_ERRNO_MEM_POOL_CORRUPT;
		if (OsMemGap(pool, off, boundary) + need <= node->size) {
			*found = off;
			return LOS_OK;
		}
		off = OS_MEM_LINKS(node)->nextFree;
	}
	return (off == 0) ? LOS_ERRNO_MEM_NO_MEMORY : LOS_ERRNO_MEM_POOL_CORRUPT;
}

UINT32 OsTlsfAlloc(LosMemPoolInfo *pool, UINT32 size, UINT32 boundary, UINT32 taskSlot,
		   OsMemNode **result)
{
	UINT64 need = OsMemNeed(size);
	OsMemNode *node;
	OsMemNode *next;
	UINT32 off = 0;
	UINT32 nextOff;
	UINT32 prevOff;
	UINT32 gap;
	UINT32 total;
	UINT32 rest;
	UINT32 lastOff;
	UINT32 ret;

	if (need > pool->endOff - pool->firstOff)
		return LOS_ERRNO_MEM_NO_MEMORY;
	ret = OsMemFindFree(pool, need, boundary, &off);
	if (ret != LOS_OK)
		return ret;
	node = OS_MEM_NODE_AT(pool, off);
	gap = (UINT32)OsMemGap(pool, off, boundary);
	nextOff = off + node->size;
	rest = node->size - gap - (UINT32)need;
	if ((OsMemUnlinkCheck(pool, off, node) != LOS_OK) ||
	    (OsMemAfterCheck(pool, off, nextOff) != LOS_OK) ||
	    ((gap != 0) && (OsMemInsertCheck(pool, gap, off, 0) != LOS_OK)) ||
	    ((rest >= OS_MEM_MIN_NODE_SIZE) && (OsMemInsertCheck(pool, rest, off, 0) != LOS_OK)))
		return LOS_ERRNO_MEM_POOL_CORRUPT;

	OsMemListRemove(pool, node);
	prevOff = node->prevOff;
	total = node->size;
	if (gap != 0) {
		node->size = gap;
		OsMemListInsert(pool, off, node);
		prevOff = off;
		off += gap;
		total -= gap;
		node = OS_MEM_NODE_AT(pool, off);
	}
	lastOff = off;
	if (rest >= OS_MEM_MIN_NODE_SIZE) {
		OsMemNode *tail = OS_MEM_NODE_AT(pool, off + (UINT32)need);

		tail->size = rest;
		tail->prevOff = off;
		lastOff = off + (UINT32)need;
		OsMemListInsert(pool, lastOff, tail);
		total = (UINT32)need;
	}
	next = OS_MEM_NODE_AT(pool, nextOff);
	next->prevOff = lastOff;
	OsMemSeal(pool, next);

	node->magic = OS_MEM_NODE_USED;
	node->taskId = (UINT16)taskSlot;
	node->size = total;
	node->prevOff = prevOff;
	OsMemSeal(pool, node);
	pool->usedSize += total;
	pool->usedNodes++;
	if (pool->usedSize > pool->waterLine)
		pool->waterLine = pool->usedSize;
	*result = node;
	return LOS_OK;
}

UINT32 OsTlsfUsedNodeGet(const LosMemPoolInfo *pool, const VOID *ptr, OsMemNode **result)
{
	UINTPTR addr = (UINTPTR)ptr;
	UINTPTR base = (UINTPTR)pool;
	UINT32 off;
	UINT32 ret;
	UINT16 magic;

	if (ptr == NULL)
		return LOS_ERRNO_MEM_PTR_NULL;
	if ((addr & OS_MEM_ALIGN_MASK) != 0)
		return LOS_ERRNO_MEM_PTR_MISALIGNED;
	if ((addr < base + pool->firstOff + OS_MEM_NODE_HEAD_SIZE) ||
	    (addr - OS_MEM_NODE_HEAD_SIZE >= base + pool->endOff))
		return LOS_ERRNO_MEM_PTR_OUTSIDE;
	off = (UINT32)(addr - OS_MEM_NODE_HEAD_SIZE - base);
	ret = OsMemNodeCheck(pool, off, &magic);
	if (ret != LOS_OK)
		return ret;
	if (magic == OS_MEM_NODE_FREE)
		return LOS_ERRNO_MEM_DOUBLE_FREE;
	if (magic != OS_MEM_NODE_USED)
		return LOS_ERRNO_MEM_NO_HEAD;
	ret = OsMemNeighboursCheck(pool, off, OS_MEM_NODE_AT(pool, off));
	if (ret != LOS_OK)
		return ret;
	*result = OS_MEM_NODE_AT(pool, off);
	return LOS_OK;
}

/*
 * Free page reporting: the pages that this free left wholly free. They lie in the merged free
 * block past its header and list links, and touch what was freed: the block itself and, when
 * the next block was merged, that block's old header. Pages of merged neighbours that were
 * already wholly free were reported when those were freed.
 */
static VOID OsMemReleaseFreed(const LosMemPoolInfo *pool, UINT32 start, UINT32 merged,
			      UINT32 freedOff, UINT32 freedEnd)
{
	UINTPTR base = (UINTPTR)pool;
	UINTPTR inner = base + start + OS_MEM_NODE_HEAD_SIZE + sizeof(OsMemFreeLinks);
	UINTPTR innerEnd = base + start + merged;
	UINTPTR lo = (base + freedOff) & ~(UINTPTR)0xFFFU;
	UINTPTR hi = (base + freedEnd + OS_MEM_NODE_HEAD_SIZE + sizeof(OsMemFreeLinks) + 0xFFFU) &
		     ~(UINTPTR)0xFFFU;

	OsMemReleasePages((inner > lo) ? inner : lo, (innerEnd < hi) ? innerEnd : hi);
}

UINT32 OsTlsfFree(LosMemPoolInfo *pool, OsMemNode *node)
{
	UINT32 off = OS_MEM_OFF(pool, node);
	UINT32 size = node->size;
	UINT32 nextOff = off + size;
	UINT32 afterOff = nextOff;
	UINT32 start = off;
	UINT32 startPrev = node->prevOff;
	UINT32 merged = size;
	OsMemNode *next = OS_MEM_NODE_AT(pool, nextOff);
	OsMemNode *prev = NULL;
	BOOL mergeNext = (next->magic == OS_MEM_NODE_FREE);
	OsMemNode *head;

	if ((node->prevOff != 0) &&
	    (OS_MEM_NODE_AT(pool, node->prevOff)->magic == OS_MEM_NODE_FREE)) {
		prev = OS_MEM_NODE_AT(pool, node->prevOff);
		if (OsMemUnlinkCheck(pool, node->prevOff, prev) != LOS_OK)
			return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
		start = node->prevOff;
		startPrev = prev->prevOff;
		merged += prev->size;
	}
	if (mergeNext) {
		afterOff = nextOff + next->size;
		if ((OsMemUnlinkCheck(pool, nextOff, next) != LOS_OK) ||
		    (OsMemAfterCheck(pool, nextOff, afterOff) != LOS_OK))
			return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
		merged += next->size;
	}
	if (OsMemInsertCheck(pool, merged, (prev != NULL) ? start : 0, mergeNext ? nextOff : 0) !=
	    LOS_OK)
		return LOS_ERRNO_MEM_POOL_CORRUPT;

	pool->usedSize -= size;
	pool->usedNodes--;
	if (mergeNext) {
		OsMemListRemove(pool, next);
		OsMemWipe(next);
	}
	if (prev != NULL) {
		OsMemListRemove(pool, prev);
		OsMemWipe(node);
	}
	head = OS_MEM_NODE_AT(pool, start);
	head->size = merged;
	head->prevOff = startPrev;
	OsMemListInsert(pool, start, head);
	next = OS_MEM_NODE_AT(pool, afterOff);
	next->prevOff = start;
	OsMemSeal(pool, next);
	OsMemReleaseFreed(pool, start, merged, off, nextOff);
	return LOS_OK;
}

UINT32 OsTlsfResize(LosMemPoolInfo *pool, OsMemNode *node, UINT32 size)
{
	UINT64 need64 = OsMemNeed(size);
	UINT32 off = OS_MEM_OFF(pool, node);
	UINT32 nextOff = off + node->size;
	UINT32 afterOff = nextOff;
	OsMemNode *next = OS_MEM_NODE_AT(pool, nextOff);
	BOOL nextFree = (next->magic == OS_MEM_NODE_FREE);
	UINT32 total = node->size + (nextFree ? next->size : 0);
	UINT32 need;
	UINT32 rest;
	UINT32 lastOff = off;

	if (need64 > total)
		return LOS_NOK;
	need = (UINT32)need64;
	rest = total - need;
	if ((need == node->size) || (!nextFree && (rest < OS_MEM_MIN_NODE_SIZE)))
		return LOS_OK;
	if (nextFree) {
		afterOff = nextOff + next->size;
		if ((OsMemUnlinkCheck(pool, nextOff, next) != LOS_OK) ||
		    (OsMemAfterCheck(pool, nextOff, afterOff) != LOS_OK))
			return LOS_ERRNO_MEM_NEIGHBOUR_CORRUPT;
	}
	if ((rest >= OS_MEM_MIN_NODE_SIZE) &&
	    (OsMemInsertCheck(pool, rest, nextFree ? nextOff : 0, 0) != LOS_OK))
		return LOS_ERRNO_MEM_POOL_CORRUPT;

	if (nextFree) {
		OsMemListRemove(pool, next);
		OsMemWipe(next);
	}
	if (rest >= OS_MEM_MIN_NODE_SIZE) {
		OsMemNode *tail = OS_MEM_NODE_AT(pool, off + need);

		lastOff = off + need;
		tail->size = rest;
		tail->prevOff = off;
		OsMemListInsert(pool, lastOff, tail);
	} else {
		need = total;
	}
	next = OS_MEM_NODE_AT(pool, afterOff);
	next->prevOff = lastOff;
	OsMemSeal(pool, next);

	pool->usedSize = pool->usedSize - node->size + need;
	if (pool->usedSize > pool->waterLine)
		pool->waterLine = pool->usedSize;
	node->size = need;
	OsMemSeal(pool, node);
	return LOS_OK;
}
