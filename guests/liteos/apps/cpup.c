/* Example: CPU usage of a busy task and of the whole system over the last second. */
#include "apps.h"
#include "los_cpup.h"
#include "los_task.h"
#include <stdio.h>

static volatile BOOL g_stop;

static VOID *Busy(VOID *arg)
{
	(void)arg;
	while (!g_stop)
		;
	return NULL;
}

UINT32 Example_Cpup(VOID)
{
	TSK_INIT_PARAM_S param = {0};
	UINT32 id, task, sys;

	g_stop = FALSE;
	param.pfnTaskEntry = Busy;
	param.usTaskPrio = 25; /* below the caller: it runs while the caller sleeps */
	param.uwStackSize = LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	param.pcName = "ExBusy";
	param.uwResved = LOS_TASK_ATTR_JOINABLE;
	if (LOS_TaskCreate(&id, &param) != LOS_OK)
		return LOS_NOK;
	LOS_Msleep(2000);
	task = LOS_HistoryTaskCpuUsage(id, CPUP_LAST_ONE_SECONDS);
	sys = LOS_HistorySysCpuUsage(CPUP_LAST_ONE_SECONDS);
	g_stop = TRUE;
	(void)LOS_TaskJoin(id, NULL);
	printf("cpup: busy task above 80%%: %s\n", task >= 800 ? "yes" : "no");
	printf("cpup: system above 80%%: %s\n", sys >= 800 ? "yes" : "no");
	LOS_Msleep(2000);
	printf("cpup: idle again, system below 50%%: %s\n",
	       LOS_HistorySysCpuUsage(CPUP_LAST_ONE_SECONDS) < 500 ? "yes" : "no");
	return LOS_OK;
}
