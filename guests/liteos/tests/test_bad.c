/* In-guest tests of bad input: NULLs, out-of-range values, stale and made-up handles. */
#include "los_event.h"
#include "los_mux.h"
#include "los_queue.h"
#include "los_sem.h"
#include "los_task_pri.h"
#include "los_test.h"

static VOID *TestNothing(VOID *arg)
{
	(void)arg;
	return NULL;
}

static UINT32 TestBadTaskArgs(VOID)
{
	TSK_INIT_PARAM_S param = {.pfnTaskEntry = TestNothing, .usTaskPrio = 20, .pcName = "bad"};
	UINT32 id;

	TEST_EQ(LOS_TaskCreate(NULL, &param), LOS_ERRNO_TSK_ID_INVALID);
	TEST_EQ(LOS_TaskCreate(&id, NULL), LOS_ERRNO_TSK_PTR_NULL);
	param.pcName = NULL;
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_ERRNO_TSK_NAME_EMPTY);
	param.pcName = "bad";
	param.pfnTaskEntry = NULL;
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_ERRNO_TSK_ENTRY_NULL);
	param.pfnTaskEntry = TestNothing;
	param.usTaskPrio = OS_TASK_PRIORITY_LOWEST + 1;
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_ERRNO_TSK_PRIOR_ERROR);
	param.usTaskPrio = 20;
	param.uwStackSize = 0x100;
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_ERRNO_TSK_STKSZ_TOO_SMALL);
	param.uwStackSize = 0x7FFFFFFF;
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_ERRNO_TSK_STKSZ_TOO_LARGE);
	TEST_EQ(LOS_TaskDelete(g_taskMaxNum), LOS_ERRNO_TSK_ID_INVALID);
	TEST_EQ(LOS_TaskDelete(g_taskMaxNum - 1), LOS_ERRNO_TSK_NOT_CREATED);
	TEST_EQ(LOS_TaskResume(g_taskMaxNum + 5), LOS_ERRNO_TSK_ID_INVALID);
	TEST_EQ(LOS_TaskSuspend(g_idleTaskID), LOS_ERRNO_TSK_OPERATE_IDLE);
	TEST_EQ(LOS_TaskDelete(g_idleTaskID), LOS_ERRNO_TSK_OPERATE_IDLE);
	TEST_EQ(LOS_TaskSuspend(g_swtmrTaskID), LOS_ERRNO_TSK_SUSPEND_SWTMR_NOT_ALLOWED);
	TEST_EQ(LOS_TaskPriSet(LOS_CurTaskIDGet(), 32), LOS_ERRNO_TSK_PRIOR_ERROR);
	TEST_EQ(LOS_TaskInfoGet(LOS_CurTaskIDGet(), NULL), LOS_ERRNO_TSK_PTR_NULL);
	TEST_EQ(LOS_TaskPriGet(g_taskMaxNum), (UINT16)OS_INVALID);
	return 0;
}

static UINT32 TestBadIpcHandles(VOID)
{
	UINT32 handle;
	UINT32 size = 4;
	UINT32 value = 0;

	TEST_EQ(LOS_SemCreate(0, NULL), LOS_ERRNO_SEM_PTR_NULL);
	TEST_EQ(LOS_SemPend(0xFFFF, LOS_NO_WAIT), LOS_ERRNO_SEM_INVALID);
	TEST_EQ(LOS_SemPost(LOSCFG_BASE_IPC_SEM_LIMIT), LOS_ERRNO_SEM_INVALID);
	TEST_EQ(LOS_SemDelete(0x12340000), LOS_ERRNO_SEM_INVALID);
	TEST_EQ(LOS_MuxCreate(NULL), LOS_ERRNO_MUX_PTR_NULL);
	TEST_EQ(LOS_MuxPend(0xFFFF, LOS_NO_WAIT), LOS_ERRNO_MUX_INVALID);
	TEST_EQ(LOS_MuxPost(LOSCFG_BASE_IPC_MUX_LIMIT - 1), LOS_ERRNO_MUX_INVALID);
	TEST_EQ(LOS_MuxDelete(0x00010000), LOS_ERRNO_MUX_INVALID);
	TEST_EQ(LOS_QueueCreate("q", 0, &handle, 0, 4), LOS_ERRNO_QUEUE_PARA_ISZERO);
	TEST_EQ(LOS_QueueCreate("q", 1, &handle, 0, 0), LOS_ERRNO_QUEUE_PARA_ISZERO);
	TEST_EQ(LOS_QueueCreate("q", 1, NULL, 0, 4), LOS_ERRNO_QUEUE_CREAT_PTR_NULL);
	TEST_EQ(LOS_QueueCreate("q", 1, &handle, 0, 0xFFFF), LOS_ERRNO_QUEUE_SIZE_TOO_BIG);
	TEST_EQ(LOS_QueueReadCopy(0xFFFF, &value, &size, 0), LOS_ERRNO_QUEUE_INVALID);
	TEST_EQ(LOS_QueueWriteCopy(LOSCFG_BASE_IPC_QUEUE_LIMIT - 1, &value, 4, 0),
		LOS_ERRNO_QUEUE_NOT_CREATE);
	TEST_EQ(LOS_QueueCreate("q", 1, &handle, 0, 4), LOS_OK);
	TEST_EQ(LOS_QueueReadCopy(handle, NULL, &size, 0), LOS_ERRNO_QUEUE_READ_PTR_NULL);
	size = 0;
	TEST_EQ(LOS_QueueReadCopy(handle, &value, &size, 0), LOS_ERRNO_QUEUE_READSIZE_IS_INVALID);
	TEST_EQ(LOS_QueueWriteCopy(handle, NULL, 4, 0), LOS_ERRNO_QUEUE_WRITE_PTR_NULL);
	TEST_EQ(LOS_QueueWriteCopy(handle, &value, 0, 0), LOS_ERRNO_QUEUE_WRITESIZE_ISZERO);
	TEST_EQ(LOS_QueueInfoGet(handle, NULL), LOS_ERRNO_QUEUE_PTR_NULL);
	TEST_EQ(LOS_QueueDelete(handle), LOS_OK);
	TEST_EQ(LOS_EventInit(NULL), LOS_ERRNO_EVENT_PTR_NULL);
	TEST_EQ(LOS_EventWrite(NULL, 1), LOS_ERRNO_EVENT_PTR_NULL);
	return 0;
}

/* Every table has a limit, and running into it is an error, not a crash. */
static UINT32 TestTablesFull(VOID)
{
	UINT32 sems[LOSCFG_BASE_IPC_SEM_LIMIT];
	UINT32 made = 0;
	UINT32 ret;

	while ((ret = LOS_SemCreate(0, &sems[made])) == LOS_OK)
		made++;
	for (UINT32 i = 0; i < made; i++)
		(void)LOS_SemDelete(sems[i]);
	TEST_EQ(ret, LOS_ERRNO_SEM_ALL_BUSY);
	TEST_ASSERT(made > 0 && made <= LOSCFG_BASE_IPC_SEM_LIMIT);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"bad_task_arguments", TestBadTaskArgs},
    {"bad_ipc_handles", TestBadIpcHandles},
    {"bad_tables_full", TestTablesFull},
};

const LosTestSuite g_testSuiteBad = {g_cases, ARRAY_SIZE(g_cases)};
