/* Example: a task waiting for two events at once (AND) and clearing them. */
#include "apps.h"
#include "los_event.h"
#include "los_task.h"
#include <stdio.h>

#define EVT_SENSOR 0x1U
#define EVT_TIMER 0x2U

static EVENT_CB_S g_event;

static VOID *Reader(VOID *arg)
{
	UINT32 got;

	(void)arg;
	printf("event: reader waits for sensor AND timer\n");
	got = LOS_EventRead(&g_event, EVT_SENSOR | EVT_TIMER, LOS_WAITMODE_AND | LOS_WAITMODE_CLR,
			    LOS_WAIT_FOREVER);
	printf("event: reader got 0x%x\n", got);
	return NULL;
}

UINT32 Example_Event(VOID)
{
	TSK_INIT_PARAM_S param = {0};
	UINT32 id;

	if (LOS_EventInit(&g_event) != LOS_OK)
		return LOS_NOK;
	param.pfnTaskEntry = Reader;
	param.usTaskPrio = 5;
	param.uwStackSize = LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	param.pcName = "ExEvent";
	param.uwResved = LOS_TASK_ATTR_JOINABLE;
	if (LOS_TaskCreate(&id, &param) != LOS_OK)
		return LOS_NOK;
	printf("event: write sensor\n");
	(void)LOS_EventWrite(&g_event, EVT_SENSOR);
	printf("event: write timer\n");
	(void)LOS_EventWrite(&g_event, EVT_TIMER);
	(void)LOS_TaskJoin(id, NULL);
	printf("event: bits left 0x%x\n", g_event.uwEventID);
	return LOS_EventDestroy(&g_event) == LOS_OK ? LOS_OK : LOS_NOK;
}
