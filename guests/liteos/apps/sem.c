/* Example: a counting semaphore as a resource count, and waiters served in arrival order. */
#include "apps.h"
#include "los_sem.h"
#include "los_task.h"
#include <stdio.h>

static UINT32 g_sem;
static UINT32 g_done;

static VOID *Waiter(VOID *arg)
{
	UINT32 n = (UINT32)(UINTPTR)arg;

	if (LOS_SemPend(g_sem, LOS_WAIT_FOREVER) == LOS_OK)
		printf("sem: waiter %u got a unit\n", n);
	(void)LOS_SemPost(g_done);
	return NULL;
}

UINT32 Example_Sem(VOID)
{
	TSK_INIT_PARAM_S param = {0};
	UINT32 ids[3];
	INT32 value = 0;

	if (LOS_SemCreate(0, &g_sem) != LOS_OK || LOS_SemCreate(0, &g_done) != LOS_OK)
		return LOS_NOK;
	param.pfnTaskEntry = Waiter;
	param.uwStackSize = LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	param.pcName = "ExSemWait";
	/* Arrival order 1, 2, 3 with rising priority: LiteOS still serves them 1, 2, 3. */
	for (UINT32 i = 0; i < 3; i++) {
		param.usTaskPrio = (UINT16)(6 - i);
		LOS_TASK_PARAM_INIT_ARG(param, i + 1);
		if (LOS_TaskCreate(&ids[i], &param) != LOS_OK)
			return LOS_NOK;
	}
	printf("sem: three waiters blocked\n");
	for (UINT32 i = 0; i < 3; i++) {
		(void)LOS_SemPost(g_sem);
		(void)LOS_SemPend(g_done, LOS_WAIT_FOREVER);
	}
	(void)LOS_SemPost(g_sem);
	(void)LOS_SemPost(g_sem);
	(void)LOS_SemGetValue(g_sem, &value);
	printf("sem: %d units left\n", (int)value);
	if (LOS_SemPend(g_sem, 5) != LOS_OK || LOS_SemPend(g_sem, 5) != LOS_OK)
		return LOS_NOK;
	if (LOS_SemPend(g_sem, 2) == LOS_ERRNO_SEM_TIMEOUT)
		printf("sem: a third pend timed out\n");
	(void)LOS_SemDelete(g_sem);
	(void)LOS_SemDelete(g_done);
	return LOS_OK;
}
