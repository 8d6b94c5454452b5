/* Example: a producer and a consumer passing messages through a queue, one urgent. */
#include "apps.h"
#include "los_queue.h"
#include "los_task.h"
#include <stdio.h>
#include <string.h>

static UINT32 g_queue;

static VOID *Consumer(VOID *arg)
{
	CHAR msg[16];

	(void)arg;
	for (UINT32 i = 0; i < 4; i++) {
		UINT32 size = sizeof(msg);

		if (LOS_QueueReadCopy(g_queue, msg, &size, LOS_WAIT_FOREVER) != LOS_OK)
			break;
		printf("queue: consumer read \"%s\" (%u bytes)\n", msg, size);
	}
	return NULL;
}

UINT32 Example_Queue(VOID)
{
	static const CHAR *const msgs[] = {"first", "second", "third"};
	TSK_INIT_PARAM_S param = {0};
	UINT32 id;

	if (LOS_QueueCreate("ExQueue", 4, &g_queue, 0, 16) != LOS_OK)
		return LOS_NOK;
	for (UINT32 i = 0; i < 3; i++)
		(void)LOS_QueueWriteCopy(g_queue, (VOID *)msgs[i], (UINT32)strlen(msgs[i]) + 1,
					 LOS_NO_WAIT);
	(void)LOS_QueueWriteHeadCopy(g_queue, "urgent", 7, LOS_NO_WAIT);
	printf("queue: wrote three messages and one urgent at the head\n");
	param.pfnTaskEntry = Consumer;
	param.usTaskPrio = 5;
	param.uwStackSize = LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	param.pcName = "ExConsumer";
	param.uwResved = LOS_TASK_ATTR_JOINABLE;
	if (LOS_TaskCreate(&id, &param) != LOS_OK)
		return LOS_NOK;
	(void)LOS_TaskJoin(id, NULL);
	return LOS_QueueDelete(g_queue) == LOS_OK ? LOS_OK : LOS_NOK;
}
