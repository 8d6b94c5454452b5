/* In-guest tests of events: AND/OR/CLR, waking on writes, timeouts, bad masks, contexts. */
/* These waiters take two arguments: the obsolete entry form, which LiteOS keeps behind
 * LOSCFG_OBSOLETE_API and the kernel still runs. */
#define LOSCFG_OBSOLETE_API
#include "los_event.h"
#include "los_test.h"
#include "los_tick.h"

static EVENT_CB_S g_event;
static volatile UINT32 g_got;

static VOID *TestEventWaiter(UINTPTR arg1, UINTPTR arg2, UINTPTR arg3, UINTPTR arg4)
{
	(void)arg3;
	(void)arg4;
	g_got = LOS_EventRead(&g_event, (UINT32)arg1, (UINT32)arg2, LOS_WAIT_FOREVER);
	return NULL;
}

/* An AND waiter wakes only when every bit is there, and CLR takes them. */
static UINT32 TestEventAnd(VOID)
{
	UINT32 id;

	g_got = 0;
	TEST_EQ(LOS_EventInit(&g_event), LOS_OK);
	TSK_INIT_PARAM_S param = {.pfnTaskEntry = TestEventWaiter,
				  .usTaskPrio = TEST_PRIO - 1,
				  .auwArgs = {0x3, LOS_WAITMODE_AND | LOS_WAITMODE_CLR},
				  .pcName = "and"};
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_OK);
	TEST_EQ(LOS_EventWrite(&g_event, 0x1), LOS_OK);
	TEST_EQ(g_got, 0);
	TEST_EQ(LOS_EventWrite(&g_event, 0x6), LOS_OK);
	TEST_EQ(g_got, 0x3);
	TEST_EQ(g_event.uwEventID, 0x4); /* bit 2 was not asked for, so it stays */
	TEST_EQ(LOS_EventDestroy(&g_event), LOS_OK);
	return 0;
}

/* OR returns what is there; without CLR the bits stay; Clear keeps only what it is given. */
static UINT32 TestEventOrAndClear(VOID)
{
	UINT32 id;

	g_got = 0;
	TEST_EQ(LOS_EventInit(&g_event), LOS_OK);
	TSK_INIT_PARAM_S param = {.pfnTaskEntry = TestEventWaiter,
				  .usTaskPrio = TEST_PRIO - 1,
				  .auwArgs = {0x30, LOS_WAITMODE_OR},
				  .pcName = "or"};
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_OK);
	TEST_EQ(LOS_EventWrite(&g_event, 0x20), LOS_OK);
	TEST_EQ(g_got, 0x20);
	TEST_EQ(LOS_EventRead(&g_event, 0x20, LOS_WAITMODE_OR, LOS_NO_WAIT), 0x20);
	TEST_EQ(LOS_EventClear(&g_event, ~0x20U), LOS_OK);
	TEST_EQ(LOS_EventRead(&g_event, 0x20, LOS_WAITMODE_OR, LOS_NO_WAIT), 0);
	TEST_EQ(LOS_EventDestroy(&g_event), LOS_OK);
	return 0;
}

/* A read gives up after its timeout; an event group with a waiter cannot be destroyed. */
static UINT32 TestEventTimeoutAndDestroy(VOID)
{
	UINT32 id;
	UINT64 start;

	TEST_EQ(LOS_EventInit(&g_event), LOS_OK);
	start = TestTickSync();
	TEST_EQ(LOS_EventRead(&g_event, 0x1, LOS_WAITMODE_AND, 3), LOS_ERRNO_EVENT_READ_TIMEOUT);
	TEST_TICKS(LOS_TickCountGet() - start, 3);
	TSK_INIT_PARAM_S param = {.pfnTaskEntry = TestEventWaiter,
				  .usTaskPrio = TEST_PRIO - 1,
				  .auwArgs = {0x1, LOS_WAITMODE_OR},
				  .pcName = "waiter"};
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_OK);
	TEST_EQ(LOS_EventDestroy(&g_event), LOS_ERRNO_EVENT_SHOULD_NOT_DESTORY);
	TEST_EQ(LOS_EventWrite(&g_event, 0x1), LOS_OK);
	TEST_EQ(LOS_EventDestroy(&g_event), LOS_OK);
	return 0;
}

static UINT32 TestEventReadInIrq(VOID)
{
	return LOS_EventRead(&g_event, 0x1, LOS_WAITMODE_OR, 0);
}

static UINT32 TestEventWriteInIrq(VOID)
{
	return LOS_EventWrite(&g_event, 0x8);
}

/* Masks and modes are checked; interrupts may write but not read; no waiting when locked. */
static UINT32 TestEventBadInputAndContext(VOID)
{
	TEST_EQ(LOS_EventInit(&g_event), LOS_OK);
	TEST_EQ(LOS_EventRead(&g_event, 0, LOS_WAITMODE_OR, 0), LOS_ERRNO_EVENT_EVENTMASK_INVALID);
	TEST_EQ(LOS_EventRead(&g_event, 1U << 25, LOS_WAITMODE_OR, 0),
		LOS_ERRNO_EVENT_SETBIT_INVALID);
	TEST_EQ(LOS_EventRead(&g_event, 1, LOS_WAITMODE_OR | LOS_WAITMODE_AND, 0),
		LOS_ERRNO_EVENT_FLAGS_INVALID);
	TEST_EQ(LOS_EventRead(&g_event, 1, LOS_WAITMODE_CLR, 0), LOS_ERRNO_EVENT_FLAGS_INVALID);
	TEST_EQ(LOS_EventRead(NULL, 1, LOS_WAITMODE_OR, 0), LOS_ERRNO_EVENT_PTR_NULL);
	TEST_EQ(LOS_EventWrite(&g_event, 1U << 25), LOS_ERRNO_EVENT_SETBIT_INVALID);
	TEST_EQ(TestInInterrupt(TestEventReadInIrq), LOS_ERRNO_EVENT_READ_IN_INTERRUPT);
	TEST_EQ(TestInInterrupt(TestEventWriteInIrq), LOS_OK);
	TEST_EQ(g_event.uwEventID, 0x8);
	LOS_TaskLock();
	TEST_EQ(LOS_EventRead(&g_event, 0x1, LOS_WAITMODE_OR, 5), LOS_ERRNO_EVENT_READ_IN_LOCK);
	LOS_TaskUnlock();
	TEST_EQ(LOS_EventDestroy(&g_event), LOS_OK);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"event_and_clr", TestEventAnd},
    {"event_or_and_clear", TestEventOrAndClear},
    {"event_timeout_and_destroy", TestEventTimeoutAndDestroy},
    {"event_bad_input_and_context", TestEventBadInputAndContext},
};

const LosTestSuite g_testSuiteEvent = {g_cases, ARRAY_SIZE(g_cases)};
