/* The in-guest test runner (bootargs "los-tests"): every case, a tally, then power off. */
#include "guest.h"
#include "los_app.h"
#include "los_memory.h"
#include "los_sys.h"
#include "los_task_pri.h"
#include "los_tick_pri.h"
#include "los_test.h"
#include "los_tick.h"
#include "los_vfs.h"

static const LosTestSuite *const g_suites[] = {
    &g_testSuiteTask,  &g_testSuiteSem, &g_testSuiteMux, &g_testSuiteQueue,  &g_testSuiteEvent,
    &g_testSuiteSwtmr, &g_testSuiteMem, &g_testSuiteBad, &g_testSuiteCompat, &g_testSuiteApi,
};

UINT64 TestTickSync(VOID)
{
	(void)LOS_TaskDelay(1);
	return LOS_TickCountGet();
}

UINT32 TestTaskCreate(UINT32 *taskID, const CHAR *name, TSK_ENTRY_FUNC entry, UINT16 prio,
		      UINTPTR arg)
{
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = entry,
	    .usTaskPrio = prio,
	    .pArgs = (VOID *)arg,
	    .uwStackSize = 0x2000,
	    .pcName = (CHAR *)name,
	};

	return LOS_TaskCreate(taskID, &param);
}

VOID TestTaskDelete(UINT32 taskID)
{
	(void)LOS_TaskDelete(taskID);
}

static UINT32 (*volatile g_irqFn)(VOID);
static volatile UINT32 g_irqResult;
static volatile BOOL g_irqDone;

static VOID TestTickHook(VOID)
{
	if (g_irqFn && !g_irqDone) {
		g_irqResult = g_irqFn();
		g_irqDone = TRUE;
	}
}

UINT32 TestInInterrupt(UINT32 (*fn)(VOID))
{
	g_irqDone = FALSE;
	g_irqFn = fn;
	g_tickTestHook = TestTickHook;
	while (!g_irqDone)
		(void)LOS_TaskDelay(1);
	g_tickTestHook = NULL;
	g_irqFn = NULL;
	return g_irqResult;
}

static UINT32 TestTasksInUse(VOID)
{
	UINT32 used = 0;

	for (UINT32 id = 0; id < g_taskMaxNum; id++)
		if (!(OS_TCB_FROM_TID(id)->taskStatus & OS_TASK_STATUS_UNUSED))
			used++;
	return used;
}

static VOID *TestRunner(VOID *arg)
{
	UINT32 passed = 0;
	UINT32 failed = 0;

	(void)arg;
	for (UINT32 s = 0; s < ARRAY_SIZE(g_suites); s++) {
		for (UINT32 c = 0; c < g_suites[s]->count; c++) {
			const LosTestCase *tc = &g_suites[s]->cases[c];
			UINT32 tasksBefore = TestTasksInUse();
			UINT32 line = tc->fn();

			/* Let the idle task free the stacks of helpers that finished. */
			(void)LOS_TaskDelay(2);
			if (line == 0 && TestTasksInUse() != tasksBefore) {
				dprintf("los-test: %s left %u tasks behind\n", tc->name,
					TestTasksInUse() - tasksBefore);
				line = 1;
			}
			dprintf("los-test %s: %s\n", tc->name, line == 0 ? "PASS" : "FAIL");
			if (line == 0)
				passed++;
			else
				failed++;
		}
	}
	dprintf("los-tests: %u passed, %u failed\n", passed, failed);
	/* What the tests wrote to the disk goes out before the VM stops. */
	sync();
	psci_system_off();
	return NULL;
}

UINT32 LOS_TestsStart(VOID)
{
	UINT32 taskID;
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = TestRunner,
	    .usTaskPrio = TEST_PRIO,
	    .uwStackSize = 0x4000,
	    .pcName = "TestRunner",
	};

	return LOS_TaskCreate(&taskID, &param);
}
