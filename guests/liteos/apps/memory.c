/* Example: a private dynamic pool: allocate, align, grow, free, and look at the figures. */
#include "apps.h"
#include "los_memory.h"
#include <stdio.h>
#include <string.h>

static UINT8 g_pool[0x4000] __attribute__((aligned(16)));

UINT32 Example_Memory(VOID)
{
	LOS_MEM_POOL_STATUS st;
	UINT8 *a, *b;

	if (LOS_MemInit(g_pool, sizeof(g_pool)) != LOS_OK)
		return LOS_NOK;
	a = LOS_MemAlloc(g_pool, 100);
	b = LOS_MemAllocAlign(g_pool, 64, 256);
	if (a == NULL || b == NULL)
		return LOS_NOK;
	memset(a, 'x', 100);
	printf("memory: 100 bytes and 64 bytes aligned to 256: %s\n",
	       ((UINTPTR)b % 256) == 0 ? "aligned" : "NOT aligned");
	a = LOS_MemRealloc(g_pool, a, 1000);
	printf("memory: grew to 1000 bytes, contents kept: %s\n",
	       (a != NULL && a[0] == 'x' && a[99] == 'x') ? "yes" : "no");
	(void)LOS_MemInfoGet(g_pool, &st);
	printf("memory: %u used blocks\n", st.uwUsedNodeNum);
	(void)LOS_MemFree(g_pool, a);
	(void)LOS_MemFree(g_pool, b);
	printf("memory: freed, %u bytes in use, double free refused: %s\n",
	       LOS_MemTotalUsedGet(g_pool), LOS_MemFree(g_pool, b) == LOS_NOK ? "yes" : "no");
	return LOS_MemDeInit(g_pool) == LOS_OK ? LOS_OK : LOS_NOK;
}
