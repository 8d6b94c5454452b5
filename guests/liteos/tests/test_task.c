/* In-guest tests of tasks and scheduling: priority order, preemption, slices, delays, states. */
#include "los_sched_pri.h"
#include "los_test.h"
#include "los_tick.h"

static CHAR g_order[8];
static volatile UINT32 g_orderLen;
static volatile UINT32 g_flag;
static volatile UINT64 g_spins[2];

static VOID *TestRecord(VOID *arg)
{
	g_order[g_orderLen++] = (CHAR)(UINTPTR)arg;
	return NULL;
}

static VOID *TestSetFlag(VOID *arg)
{
	g_flag = (UINT32)(UINTPTR)arg;
	return NULL;
}

static VOID *TestSpin(VOID *arg)
{
	for (;;) {
		g_spins[(UINTPTR)arg]++;
	}
	return NULL;
}

static VOID *TestSleepForever(VOID *arg)
{
	(void)arg;
	for (;;)
		(void)LOS_TaskDelay(1000);
	return NULL;
}

/* Ready tasks run strictly by priority, whatever order they were made in. */
static UINT32 TestPriorityOrder(VOID)
{
	UINT32 a, b, c;

	g_orderLen = 0;
	LOS_TaskLock();
	TEST_EQ(TestTaskCreate(&a, "prio13", TestRecord, 13, 'A'), LOS_OK);
	TEST_EQ(TestTaskCreate(&b, "prio11", TestRecord, 11, 'B'), LOS_OK);
	TEST_EQ(TestTaskCreate(&c, "prio12", TestRecord, 12, 'C'), LOS_OK);
	LOS_TaskUnlock();
	TEST_EQ(g_orderLen, 0); /* all below the runner: none ran yet */
	TEST_WAIT(g_orderLen == 3);
	TEST_EQ(g_orderLen, 3);
	TEST_ASSERT(g_order[0] == 'B' && g_order[1] == 'C' && g_order[2] == 'A');
	return 0;
}

/* A higher-priority task runs before LOS_TaskCreate even returns. */
static UINT32 TestPreempt(VOID)
{
	UINT32 id;

	g_flag = 0;
	TEST_EQ(TestTaskCreate(&id, "high", TestSetFlag, TEST_PRIO - 2, 7), LOS_OK);
	TEST_EQ(g_flag, 7);
	return 0;
}

/* LOS_TaskLock holds preemption back until the matching unlock. */
static UINT32 TestLockHoldsPreemption(VOID)
{
	UINT32 id;

	g_flag = 0;
	LOS_TaskLock();
	TEST_EQ(TestTaskCreate(&id, "high", TestSetFlag, TEST_PRIO - 2, 9), LOS_OK);
	LOS_TaskLock();
	LOS_TaskUnlock();
	TEST_EQ(g_flag, 0);
	LOS_TaskUnlock();
	TEST_EQ(g_flag, 9);
	return 0;
}

/* Equal priorities share the CPU in time slices; the runner, higher, preempts them on a tick. */
static UINT32 TestRoundRobin(VOID)
{
	UINT32 a, b;
	UINT64 spinsA, spinsB;

	g_spins[0] = g_spins[1] = 0;
	TEST_EQ(TestTaskCreate(&a, "spinA", TestSpin, TEST_PRIO + 2, 0), LOS_OK);
	TEST_EQ(TestTaskCreate(&b, "spinB", TestSpin, TEST_PRIO + 2, 1), LOS_OK);
	(void)LOS_TaskDelay(LOSCFG_BASE_CORE_TIMESLICE_TIMEOUT * 6);
	spinsA = g_spins[0];
	spinsB = g_spins[1];
	TestTaskDelete(a);
	TestTaskDelete(b);
	TEST_ASSERT(spinsA > 0 && spinsB > 0);
	return 0;
}

/* A delay of n ticks wakes the task on exactly the n-th tick. */
static UINT32 TestDelayTicks(VOID)
{
	for (UINT32 n = 1; n <= 5; n += 2) {
		UINT64 start = TestTickSync();

		TEST_EQ(LOS_TaskDelay(n), LOS_OK);
		TEST_TICKS(LOS_TickCountGet() - start, n);
	}
	return 0;
}

/* Yielding lets a task of the same priority run first. */
static UINT32 TestYield(VOID)
{
	UINT32 id;

	g_flag = 0;
	TEST_EQ(TestTaskCreate(&id, "peer", TestSetFlag, TEST_PRIO, 3), LOS_OK);
	TEST_EQ(g_flag, 0);
	TEST_EQ(LOS_TaskYield(), LOS_OK);
	TEST_EQ(g_flag, 3);
	/* Nobody else at this priority now: LiteOS 5.0 says so (LiteOS-M would say LOS_OK). */
	TEST_EQ(LOS_TaskYield(), LOS_ERRNO_TSK_YIELD_NOT_ENOUGH_TASK);
	TEST_EQ(LOS_TaskDelay(0), LOS_ERRNO_TSK_YIELD_NOT_ENOUGH_TASK);
	return 0;
}

/* Created suspended, a task runs only when resumed; suspending stops it again. */
static UINT32 TestSuspendResume(VOID)
{
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = TestSetFlag,
	    .usTaskPrio = TEST_PRIO - 1,
	    .pArgs = (VOID *)5,
	    .pcName = "suspended",
	};
	UINT32 id, sleeper;
	TSK_INFO_S info;

	g_flag = 0;
	TEST_EQ(LOS_TaskCreateOnly(&id, &param), LOS_OK);
	(void)LOS_TaskDelay(1);
	TEST_EQ(g_flag, 0);
	TEST_EQ(LOS_TaskInfoGet(id, &info), LOS_OK);
	TEST_ASSERT(info.usTaskStatus & OS_TASK_STATUS_SUSPEND);
	TEST_EQ(LOS_TaskResume(id), LOS_OK);
	TEST_EQ(g_flag, 5);
	/* A delayed task suspended stays suspended after its delay ends. */
	TEST_EQ(TestTaskCreate(&sleeper, "sleeper", TestSleepForever, TEST_PRIO - 1, 0), LOS_OK);
	TEST_EQ(LOS_TaskSuspend(sleeper), LOS_OK);
	TEST_EQ(LOS_TaskSuspend(sleeper), LOS_ERRNO_TSK_ALREADY_SUSPENDED);
	TEST_EQ(LOS_TaskInfoGet(sleeper, &info), LOS_OK);
	TEST_ASSERT((info.usTaskStatus & OS_TASK_STATUS_SUSPEND) &&
		    (info.usTaskStatus & OS_TASK_STATUS_DELAY));
	TEST_EQ(LOS_TaskResume(sleeper), LOS_OK);
	TEST_EQ(LOS_TaskResume(sleeper), LOS_ERRNO_TSK_NOT_SUSPENDED);
	TEST_EQ(LOS_TaskDelete(sleeper), LOS_OK);
	TEST_EQ(LOS_TaskDelete(sleeper), LOS_ERRNO_TSK_NOT_CREATED);
	return 0;
}

/* Priorities can be changed and read back; info reports the task's stack and state. */
static UINT32 TestPriorityAndInfo(VOID)
{
	UINT32 id;
	TSK_INFO_S info;

	TEST_EQ(TestTaskCreate(&id, "sleeper", TestSleepForever, TEST_PRIO + 5, 0), LOS_OK);
	TEST_WAIT(OS_TCB_FROM_TID(id)->taskStatus & OS_TASK_STATUS_DELAY);
	TEST_EQ(LOS_TaskPriGet(id), TEST_PRIO + 5);
	TEST_EQ(LOS_TaskPriSet(id, TEST_PRIO + 6), LOS_OK);
	TEST_EQ(LOS_TaskPriGet(id), TEST_PRIO + 6);
	TEST_EQ(LOS_TaskInfoGet(id, &info), LOS_OK);
	TestTaskDelete(id);
	TEST_EQ(info.uwTaskID, id);
	TEST_EQ(info.usTaskPrio, TEST_PRIO + 6);
	TEST_ASSERT(info.usTaskStatus & OS_TASK_STATUS_DELAY);
	TEST_EQ(info.uwStackSize, 0x2000);
	TEST_ASSERT(info.uwPeakUsed > 0 && info.uwPeakUsed < info.uwStackSize);
	TEST_ASSERT(info.uwSP > info.uwTopOfStack && info.uwSP < info.uwBottomOfStack);
	TEST_ASSERT(!info.bOvf);
	TEST_ASSERT(info.acName[0] == 's');
	TEST_EQ(LOS_CurTaskPriSet(TEST_PRIO), LOS_OK);
	return 0;
}

/* A task deleted while it waits leaves no trace; the idle task frees self-deleted stacks. */
static UINT32 TestDeleteSelfAndOthers(VOID)
{
	UINT32 id;

	g_flag = 0;
	TEST_EQ(TestTaskCreate(&id, "returns", TestSetFlag, TEST_PRIO - 1, 1), LOS_OK);
	TEST_EQ(g_flag, 1);
	/* It returned, so it deleted itself. */
	TEST_EQ(LOS_TaskDelete(id), LOS_ERRNO_TSK_NOT_CREATED);
	TEST_EQ(TestTaskCreate(&id, "victim", TestSleepForever, TEST_PRIO - 1, 0), LOS_OK);
	TEST_EQ(LOS_TaskDelete(id), LOS_OK);
	TEST_EQ(LOS_TaskInfoGet(id, &(TSK_INFO_S){0}), LOS_ERRNO_TSK_NOT_CREATED);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"task_priority_order", TestPriorityOrder},
    {"task_preempt_on_create", TestPreempt},
    {"task_lock_holds_preemption", TestLockHoldsPreemption},
    {"task_round_robin_slices", TestRoundRobin},
    {"task_delay_ticks", TestDelayTicks},
    {"task_yield", TestYield},
    {"task_suspend_resume", TestSuspendResume},
    {"task_priority_and_info", TestPriorityAndInfo},
    {"task_delete", TestDeleteSelfAndOthers},
};

const LosTestSuite g_testSuiteTask = {g_cases, ARRAY_SIZE(g_cases)};
