/* In-guest tests of the memory APIs as the kernel uses them: pools, stacks, statistics. */
#include "los_memory.h"
#include "los_sys.h"
#include "los_task_pri.h"
#include "los_test.h"
#include <string.h>

static VOID *volatile g_block;
/* Pools may not overlap (los_multipool), so a private pool cannot come from the system one. */
static UINT8 g_privatePool[0x4000] __attribute__((aligned(16)));

static VOID *TestAllocator(VOID *arg)
{
	g_block = LOS_MemAlloc(m_aucSysMem0, (UINT32)(UINTPTR)arg);
	for (;;)
		(void)LOS_TaskDelay(1000);
	return NULL;
}

/* Alloc, aligned alloc, realloc and free on the system pool, with the figures following. */
static UINT32 TestMemSystemPool(VOID)
{
	LOS_MEM_POOL_STATUS before, during, after;
	UINT8 *a, *b, *c;

	TEST_EQ(LOS_MemInfoGet(m_aucSysMem0, &before), LOS_OK);
	a = LOS_MemAlloc(m_aucSysMem0, 1000);
	b = LOS_MemAllocAlign(m_aucSysMem0, 256, 256);
	TEST_ASSERT(a != NULL && b != NULL);
	TEST_EQ((UINTPTR)a % OS_MEM_ALIGN_SIZE, 0);
	TEST_EQ((UINTPTR)b % 256, 0);
	memset(a, 0x5a, 1000);
	c = LOS_MemRealloc(m_aucSysMem0, a, 3000);
	TEST_ASSERT(c != NULL && c[0] == 0x5a && c[999] == 0x5a);
	TEST_EQ(LOS_MemInfoGet(m_aucSysMem0, &during), LOS_OK);
	TEST_ASSERT(during.uwTotalUsedSize >= before.uwTotalUsedSize + 3000 + 256);
	TEST_EQ(LOS_MemFree(m_aucSysMem0, b), LOS_OK);
	TEST_EQ(LOS_MemFree(m_aucSysMem0, c), LOS_OK);
	TEST_EQ(LOS_MemFree(m_aucSysMem0, c), LOS_NOK); /* a double free is refused */
	TEST_EQ(LOS_MemInfoGet(m_aucSysMem0, &after), LOS_OK);
	TEST_EQ(after.uwTotalUsedSize, before.uwTotalUsedSize);
	TEST_EQ(LOS_MemIntegrityCheck(m_aucSysMem0), LOS_OK);
	TEST_EQ(LOS_MemAlloc(m_aucSysMem0, 0), NULL);
	TEST_EQ(LOS_MemAlloc(m_aucSysMem0, LOS_MemPoolSizeGet(m_aucSysMem0)), NULL);
	/* LiteOS 5.0: the boundary must be a power of two and a multiple of a pointer. */
	TEST_EQ(LOS_MemAllocAlign(m_aucSysMem0, 64, 4), NULL);
	b = LOS_MemAllocAlign(m_aucSysMem0, 64, sizeof(VOID *));
	TEST_ASSERT(b != NULL);
	TEST_EQ(LOS_MemFree(m_aucSysMem0, b), LOS_OK);
	/* Refused pool calls answer the header's LOS_NOK (1), not OS_ERROR. */
	TEST_EQ(LOS_MemInit(NULL, 0x1000), LOS_NOK);
	TEST_EQ(LOS_MemInit(m_aucSysMem0, 0x1000), LOS_NOK); /* overlaps the system pool */
	TEST_EQ(LOS_MemDeInit(g_privatePool), LOS_NOK);	     /* not a pool */
	return 0;
}

/* A task's stack comes from the pool, is charged to it, and goes back when it is deleted. */
static UINT32 TestMemTaskStacksAndStats(VOID)
{
	LOS_MEM_POOL_STATUS before, during, after;
	UINT32 id;
	UINT32 usage;

	(void)LOS_TaskDelay(1);
	TEST_EQ(LOS_MemInfoGet(m_aucSysMem0, &before), LOS_OK);
	g_block = NULL;
	TEST_EQ(TestTaskCreate(&id, "allocator", TestAllocator, TEST_PRIO - 1, 5000), LOS_OK);
	TEST_ASSERT(g_block != NULL);
	TEST_EQ(LOS_MemTaskIdGet(g_block), id);
	usage = LOS_MemTaskUsage(id);
	TEST_EQ(LOS_MemInfoGet(m_aucSysMem0, &during), LOS_OK);
	TEST_EQ(LOS_MemFree(m_aucSysMem0, g_block), LOS_OK);
	TestTaskDelete(id);
	TEST_EQ(LOS_MemInfoGet(m_aucSysMem0, &after), LOS_OK);
	/* Its stack (0x2000) and its block (5000) were both its own. */
	TEST_ASSERT(usage >= 0x2000 + 5000);
	TEST_ASSERT(during.uwTotalUsedSize >= before.uwTotalUsedSize + 0x2000 + 5000);
	TEST_EQ(after.uwTotalUsedSize, before.uwTotalUsedSize);
	TEST_EQ(LOS_MemTaskUsage(id), 0);
	return 0;
}

/* A private pool, then a box pool in the same memory, work apart from the system pool. */
static UINT32 TestMemPrivatePools(VOID)
{
	UINT8 *area = g_privatePool;
	UINT8 *box;
	VOID *blk[3];
	UINT32 maxBlk = 0, blkCnt = 0, blkSize = 0;
	VOID *p;

	TEST_EQ(LOS_MemInit(area, sizeof(g_privatePool)), LOS_OK);
	TEST_EQ(LOS_MemInit(area, sizeof(g_privatePool)), LOS_NOK); /* already a pool */
	p = LOS_MemAlloc(area, 100);
	TEST_ASSERT(p != NULL && (UINT8 *)p > area && (UINT8 *)p < area + 0x4000);
	TEST_EQ(LOS_MemFree(m_aucSysMem0, p), LOS_NOK); /* not the system pool's block */
	TEST_EQ(LOS_MemFree(area, p), LOS_OK);
	TEST_EQ(LOS_MemDeInit(area), LOS_OK);
	box = area;
	TEST_EQ(LOS_MemboxInit(box, LOS_MEMBOX_SIZE(64, 2), 64), LOS_OK);
	blk[0] = LOS_MemboxAlloc(box);
	blk[1] = LOS_MemboxAlloc(box);
	blk[2] = LOS_MemboxAlloc(box);
	TEST_ASSERT(blk[0] && blk[1] && blk[2] == NULL);
	TEST_EQ(LOS_MemboxStatisticsGet(box, &maxBlk, &blkCnt, &blkSize), LOS_OK);
	TEST_ASSERT(maxBlk == 2 && blkCnt == 2);
	TEST_EQ(LOS_MemboxFree(box, blk[0]), LOS_OK);
	TEST_EQ(LOS_MemboxFree(box, blk[0]), LOS_NOK);
	TEST_EQ(LOS_MemboxFree(box, blk[1]), LOS_OK);
	TEST_EQ(LOS_MemboxIntegrityCheck(box), LOS_OK);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"mem_system_pool", TestMemSystemPool},
    {"mem_task_stacks_and_stats", TestMemTaskStacksAndStats},
    {"mem_private_pools", TestMemPrivatePools},
};

const LosTestSuite g_testSuiteMem = {g_cases, ARRAY_SIZE(g_cases)};
