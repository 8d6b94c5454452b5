/* Example: a mutex protecting a counter, and priority inheritance lifting its low owner. */
#include "apps.h"
#include "los_mux.h"
#include "los_task.h"
#include <stdio.h>

static UINT32 g_mux;
static UINT32 g_counter;
static UINT32 g_lowID;

static VOID *Low(VOID *arg)
{
	(void)arg;
	(void)LOS_MuxPend(g_mux, LOS_WAIT_FOREVER);
	printf("mux: low holds the mutex at prio %u\n", LOS_TaskPriGet(LOS_CurTaskIDGet()));
	(void)LOS_TaskDelay(3); /* high comes and waits meanwhile */
	printf("mux: low now runs at prio %u\n", LOS_TaskPriGet(LOS_CurTaskIDGet()));
	g_counter++;
	(void)LOS_MuxPost(g_mux);
	return NULL;
}

static VOID *High(VOID *arg)
{
	(void)arg;
	(void)LOS_TaskDelay(1);
	printf("mux: high waits for the mutex\n");
	(void)LOS_MuxPend(g_mux, LOS_WAIT_FOREVER);
	g_counter++;
	printf("mux: high got it, counter %u\n", g_counter);
	(void)LOS_MuxPost(g_mux);
	return NULL;
}

UINT32 Example_Mux(VOID)
{
	TSK_INIT_PARAM_S param = {0};
	UINT32 highID;

	g_counter = 0;
	if (LOS_MuxCreate(&g_mux) != LOS_OK)
		return LOS_NOK;
	param.uwStackSize = LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	param.uwResved = LOS_TASK_ATTR_JOINABLE;
	param.pfnTaskEntry = Low;
	param.usTaskPrio = 7;
	param.pcName = "ExMuxLow";
	if (LOS_TaskCreate(&g_lowID, &param) != LOS_OK)
		return LOS_NOK;
	param.pfnTaskEntry = High;
	param.usTaskPrio = 3;
	param.pcName = "ExMuxHigh";
	if (LOS_TaskCreate(&highID, &param) != LOS_OK)
		return LOS_NOK;
	(void)LOS_TaskJoin(highID, NULL);
	(void)LOS_TaskJoin(g_lowID, NULL);
	printf("mux: done, counter %u\n", g_counter);
	return LOS_MuxDelete(g_mux) == LOS_OK ? LOS_OK : LOS_NOK;
}
