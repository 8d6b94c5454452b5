/* Example: a fixed-size block pool: take every block, run out, give one back. */
#include "apps.h"
#include "los_membox.h"
#include <stdio.h>

#define BLK_SIZE 32U
#define BLK_NUM 4U

static UINT8 g_box[LOS_MEMBOX_SIZE(BLK_SIZE, BLK_NUM)] __attribute__((aligned(16)));

UINT32 Example_Membox(VOID)
{
	VOID *blk[BLK_NUM];
	UINT32 maxBlk = 0, used = 0, size = 0;

	if (LOS_MemboxInit(g_box, sizeof(g_box), BLK_SIZE) != LOS_OK)
		return LOS_NOK;
	for (UINT32 i = 0; i < BLK_NUM; i++)
		blk[i] = LOS_MemboxAlloc(g_box);
	(void)LOS_MemboxStatisticsGet(g_box, &maxBlk, &used, &size);
	printf("membox: %u of %u blocks taken\n", used, maxBlk);
	printf("membox: one more: %s\n", LOS_MemboxAlloc(g_box) == NULL ? "none left" : "got one");
	LOS_MemboxClr(g_box, blk[1]);
	(void)LOS_MemboxFree(g_box, blk[1]);
	printf("membox: freed one, next alloc reuses it: %s\n",
	       LOS_MemboxAlloc(g_box) == blk[1] ? "yes" : "no");
	for (UINT32 i = 0; i < BLK_NUM; i++)
		(void)LOS_MemboxFree(g_box, blk[i]);
	(void)LOS_MemboxStatisticsGet(g_box, &maxBlk, &used, &size);
	printf("membox: %u blocks taken at the end\n", used);
	return LOS_OK;
}
