/* Example: two tasks of different priorities, a delay, suspend/resume and a joined result. */
#include "apps.h"
#include "los_task.h"
#include <stdio.h>

static VOID *HighTask(VOID *arg)
{
	(void)arg;
	printf("task: high runs first, then sleeps 2 ticks\n");
	(void)LOS_TaskDelay(2);
	printf("task: high woke up and suspends itself\n");
	(void)LOS_TaskSuspend(LOS_CurTaskIDGet());
	printf("task: high resumed, ends\n");
	return (VOID *)7;
}

static VOID *LowTask(VOID *arg)
{
	UINT32 highID = (UINT32)(UINTPTR)arg;

	printf("task: low runs while high sleeps\n");
	(void)LOS_TaskDelay(4);
	printf("task: low resumes high\n");
	(void)LOS_TaskResume(highID);
	return (VOID *)3;
}

UINT32 Example_Task(VOID)
{
	TSK_INIT_PARAM_S param = {0};
	UINT32 highID, lowID;
	UINTPTR highRet = 0, lowRet = 0;

	LOS_TaskLock(); /* both are created before either runs */
	param.pfnTaskEntry = HighTask;
	param.usTaskPrio = 4;
	param.pcName = "ExHigh";
	param.uwStackSize = LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	param.uwResved = LOS_TASK_ATTR_JOINABLE;
	if (LOS_TaskCreate(&highID, &param) != LOS_OK) {
		LOS_TaskUnlock();
		return LOS_NOK;
	}
	param.pfnTaskEntry = LowTask;
	param.usTaskPrio = 5;
	param.pcName = "ExLow";
	LOS_TASK_PARAM_INIT_ARG(param, highID);
	if (LOS_TaskCreate(&lowID, &param) != LOS_OK) {
		LOS_TaskUnlock();
		return LOS_NOK;
	}
	printf("task: created high (prio 4) and low (prio 5)\n");
	LOS_TaskUnlock();
	if (LOS_TaskJoin(highID, &highRet) != LOS_OK || LOS_TaskJoin(lowID, &lowRet) != LOS_OK)
		return LOS_NOK;
	printf("task: joined both, results %lu and %lu\n", (unsigned long)highRet,
	       (unsigned long)lowRet);
	return LOS_OK;
}
