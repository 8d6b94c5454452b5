/* In-guest tests of software timers: one-shot, periodic, stop and restart, stale IDs. */
#include "los_swtmr.h"
#include "los_task_pri.h"
#include "los_test.h"
#include "los_tick.h"

static volatile UINT32 g_fires;
static volatile UINT32 g_ranIn;

static VOID TestTimerFn(UINTPTR arg)
{
	g_fires += (UINT32)arg;
	g_ranIn = LOS_CurTaskIDGet();
}

/* A one-shot timer fires once, in the timer task, then deletes itself. */
static UINT32 TestSwtmrOnce(VOID)
{
	UINT16 id;
	UINT32 left = 0;
	UINT64 start;

	g_fires = 0;
	TEST_EQ(LOS_SwtmrCreate(3, LOS_SWTMR_MODE_ONCE, TestTimerFn, &id, 1), LOS_OK);
	TEST_EQ(LOS_SwtmrTimeGet(id, &left), LOS_ERRNO_SWTMR_NOT_STARTED);
	start = TestTickSync();
	TEST_EQ(LOS_SwtmrStart(id), LOS_OK);
	TEST_EQ(LOS_SwtmrTimeGet(id, &left), LOS_OK);
	TEST_ASSERT(left == 3 || left == 2);
	TEST_EQ(g_fires, 0);
	TEST_WAIT(g_fires > 0);
	TEST_ASSERT(LOS_TickCountGet() - start >= 3);
	(void)LOS_TaskDelay(4);
	TEST_EQ(g_fires, 1);
	TEST_EQ(g_ranIn, g_swtmrTaskID);
	/* It deleted itself and its slot took a new ID: the old one is invalid (H, not M). */
	TEST_EQ(LOS_SwtmrStart(id), LOS_ERRNO_SWTMR_ID_INVALID);
	TEST_EQ(LOS_SwtmrDelete(id), LOS_ERRNO_SWTMR_ID_INVALID);
	return 0;
}

/* A periodic timer fires every interval until stopped; NO_SELFDELETE can be started again. */
static UINT32 TestSwtmrPeriodic(VOID)
{
	UINT16 id;
	UINT32 fires, expect;
	UINT64 start;

	g_fires = 0;
	TEST_EQ(LOS_SwtmrCreate(2, LOS_SWTMR_MODE_PERIOD, TestTimerFn, &id, 1), LOS_OK);
	start = TestTickSync();
	TEST_EQ(LOS_SwtmrStart(id), LOS_OK);
	(void)LOS_TaskDelay(10);
	/* Every second tick since the start, counted in the same ticks as the delay. */
	expect = (UINT32)(LOS_TickCountGet() - start) / 2;
	fires = g_fires;
	TEST_EQ(LOS_SwtmrStop(id), LOS_OK);
	TEST_EQ(LOS_SwtmrStop(id), LOS_ERRNO_SWTMR_NOT_STARTED);
	(void)LOS_TaskDelay(4);
	TEST_EQ(g_fires, fires);
	TEST_ASSERT(fires == expect || fires + 1 == expect);
	TEST_ASSERT(fires >= 5);
	TEST_EQ(LOS_SwtmrDelete(id), LOS_OK);
	TEST_EQ(LOS_SwtmrDelete(id), LOS_ERRNO_SWTMR_NOT_CREATED);

	g_fires = 0;
	TEST_EQ(LOS_SwtmrCreate(1, LOS_SWTMR_MODE_NO_SELFDELETE, TestTimerFn, &id, 10), LOS_OK);
	TEST_EQ(LOS_SwtmrStart(id), LOS_OK);
	TEST_WAIT(g_fires == 10);
	TEST_EQ(LOS_SwtmrStart(id), LOS_OK);
	TEST_WAIT(g_fires == 20);
	(void)LOS_TaskDelay(3);
	TEST_EQ(g_fires, 20);
	TEST_EQ(LOS_SwtmrDelete(id), LOS_OK);
	return 0;
}

/* Bad arguments are refused before anything is made. */
static UINT32 TestSwtmrBadInput(VOID)
{
	UINT16 id;

	TEST_EQ(LOS_SwtmrCreate(0, LOS_SWTMR_MODE_ONCE, TestTimerFn, &id, 0),
		LOS_ERRNO_SWTMR_INTERVAL_NOT_SUITED);
	TEST_EQ(LOS_SwtmrCreate(1, 9, TestTimerFn, &id, 0), LOS_ERRNO_SWTMR_MODE_INVALID);
	/* LiteOS 5.0 declares the OPP mode but does not accept it. */
	TEST_EQ(LOS_SwtmrCreate(1, LOS_SWTMR_MODE_OPP, TestTimerFn, &id, 0),
		LOS_ERRNO_SWTMR_MODE_INVALID);
	TEST_EQ(LOS_SwtmrCreate(1, LOS_SWTMR_MODE_ONCE, NULL, &id, 0), LOS_ERRNO_SWTMR_PTR_NULL);
	TEST_EQ(LOS_SwtmrCreate(1, LOS_SWTMR_MODE_ONCE, TestTimerFn, NULL, 0),
		LOS_ERRNO_SWTMR_RET_PTR_NULL);
	TEST_EQ(LOS_SwtmrStart(0xFFFF), LOS_ERRNO_SWTMR_ID_INVALID);
	TEST_EQ(LOS_SwtmrStop(LOSCFG_BASE_CORE_SWTMR_LIMIT - 1), LOS_ERRNO_SWTMR_NOT_CREATED);
	TEST_EQ(LOS_SwtmrTimeGet(0, NULL), LOS_ERRNO_SWTMR_TICK_PTR_NULL);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"swtmr_once", TestSwtmrOnce},
    {"swtmr_periodic_and_restart", TestSwtmrPeriodic},
    {"swtmr_bad_input", TestSwtmrBadInput},
};

const LosTestSuite g_testSuiteSwtmr = {g_cases, ARRAY_SIZE(g_cases)};
