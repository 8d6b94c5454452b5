/* In-guest tests of mutexes: ownership, recursion, priority inheritance, timeouts, contexts. */
#include "los_mux.h"
#include "los_sem.h"
#include "los_task_pri.h"
#include "los_test.h"
#include "los_tick.h"

static UINT32 g_mux;
static UINT32 g_mux2;
static UINT32 g_gate;
static volatile UINT32 g_step;
static volatile UINT32 g_ret;
static volatile UINT16 g_prioAfterPost;
static volatile UINT32 g_highGotItAt;

/* Takes the mutex, waits at the gate while holding it, then lets go. */
static VOID *TestHolder(VOID *arg)
{
	(void)LOS_MuxPend((UINT32)(UINTPTR)arg, LOS_WAIT_FOREVER);
	g_step = 1;
	(void)LOS_SemPend(g_gate, LOS_WAIT_FOREVER);
	(void)LOS_MuxPost((UINT32)(UINTPTR)arg);
	g_prioAfterPost = LOS_TaskPriGet(LOS_CurTaskIDGet());
	g_step = 3;
	return NULL;
}

static VOID *TestWanter(VOID *arg)
{
	g_ret = LOS_MuxPend(g_mux, (UINT32)(UINTPTR)arg);
	if (g_ret == LOS_OK) {
		g_highGotItAt = g_step;
		(void)LOS_MuxPost(g_mux);
	}
	return NULL;
}

/* The owner may take it again; only the owner may post, as often as it took it. */
static UINT32 TestMuxRecursiveOwner(VOID)
{
	TEST_EQ(LOS_MuxCreate(&g_mux), LOS_OK);
	TEST_EQ(LOS_MuxPend(g_mux, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_MuxPend(g_mux, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_ERRNO_MUX_PENDED);
	TEST_EQ(LOS_MuxPost(g_mux), LOS_OK);
	TEST_EQ(LOS_MuxPost(g_mux), LOS_OK);
	TEST_EQ(LOS_MuxPost(g_mux), LOS_ERRNO_MUX_INVALID);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_OK);
	return 0;
}

/* A low task holding the mutex runs at the priority of the high task waiting for it. */
static UINT32 TestMuxPriorityInheritance(VOID)
{
	UINT32 low, high;
	UINT16 lowWhileWanted;

	g_step = 0;
	g_highGotItAt = 0;
	TEST_EQ(LOS_MuxCreate(&g_mux), LOS_OK);
	TEST_EQ(LOS_SemCreate(0, &g_gate), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestHolder, TEST_PRIO + 10, g_mux), LOS_OK);
	TEST_WAIT(g_step == 1);
	TEST_EQ(g_step, 1);
	TEST_EQ(LOS_TaskPriGet(low), TEST_PRIO + 10);
	TEST_EQ(TestTaskCreate(&high, "high", TestWanter, TEST_PRIO - 2, LOS_WAIT_FOREVER), LOS_OK);
	/* high is blocked on the mutex now, and low has its priority. */
	lowWhileWanted = LOS_TaskPriGet(low);
	/* Opening the gate: low (at high's priority) runs first, posts, drops back, high runs. */
	TEST_EQ(LOS_SemPost(g_gate), LOS_OK);
	TEST_WAIT(g_step == 3);
	TEST_EQ(LOS_SemDelete(g_gate), LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_OK);
	TEST_EQ(lowWhileWanted, TEST_PRIO - 2);
	TEST_EQ(g_ret, LOS_OK);
	TEST_EQ(g_highGotItAt, 1); /* high took it before low went on after its post */
	TEST_EQ(g_prioAfterPost, TEST_PRIO + 10);
	TEST_EQ(g_step, 3);
	return 0;
}

/* Inheritance follows a chain: high waits on B held by mid, which waits on A held by low. */
static VOID *TestChainMid(VOID *arg)
{
	(void)arg;
	(void)LOS_MuxPend(g_mux2, LOS_WAIT_FOREVER);
	(void)LOS_MuxPend(g_mux, LOS_WAIT_FOREVER);
	(void)LOS_MuxPost(g_mux);
	(void)LOS_MuxPost(g_mux2);
	return NULL;
}

static VOID *TestChainHigh(VOID *arg)
{
	(void)arg;
	g_ret = LOS_MuxPend(g_mux2, LOS_WAIT_FOREVER);
	(void)LOS_MuxPost(g_mux2);
	return NULL;
}

static UINT32 TestMuxInheritanceChain(VOID)
{
	UINT32 low, mid, high;
	UINT16 lowPrio, midPrio;

	g_step = 0;
	g_ret = OS_INVALID;
	TEST_EQ(LOS_MuxCreate(&g_mux), LOS_OK);
	TEST_EQ(LOS_MuxCreate(&g_mux2), LOS_OK);
	TEST_EQ(LOS_SemCreate(0, &g_gate), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestHolder, TEST_PRIO + 10, g_mux), LOS_OK);
	TEST_WAIT(g_step == 1);
	TEST_EQ(TestTaskCreate(&mid, "mid", TestChainMid, TEST_PRIO + 5, 0), LOS_OK);
	TEST_WAIT(OS_TCB_FROM_TID(mid)->taskStatus & OS_TASK_STATUS_PEND);
	TEST_EQ(TestTaskCreate(&high, "high", TestChainHigh, TEST_PRIO - 3, 0), LOS_OK);
	lowPrio = LOS_TaskPriGet(low);
	midPrio = LOS_TaskPriGet(mid);
	TEST_EQ(LOS_SemPost(g_gate), LOS_OK);
	TEST_WAIT(g_step == 3);
	TEST_EQ(LOS_SemDelete(g_gate), LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux2), LOS_OK);
	TEST_EQ(midPrio, TEST_PRIO - 3);
	TEST_EQ(lowPrio, TEST_PRIO - 3);
	TEST_EQ(g_ret, LOS_OK);
	TEST_EQ(g_prioAfterPost, TEST_PRIO + 10);
	return 0;
}

/* A waiter that times out stops lending its priority. */
static UINT32 TestMuxTimeout(VOID)
{
	UINT32 low, high;
	UINT16 during, after;
	UINT64 start;

	g_step = 0;
	TEST_EQ(LOS_MuxCreate(&g_mux), LOS_OK);
	TEST_EQ(LOS_SemCreate(0, &g_gate), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestHolder, TEST_PRIO + 10, g_mux), LOS_OK);
	TEST_WAIT(g_step == 1);
	start = LOS_TickCountGet();
	TEST_EQ(TestTaskCreate(&high, "high", TestWanter, TEST_PRIO - 2, 3), LOS_OK);
	during = LOS_TaskPriGet(low);
	TEST_WAIT(g_ret == LOS_ERRNO_MUX_TIMEOUT);
	after = LOS_TaskPriGet(low);
	TEST_EQ(LOS_MuxPend(g_mux, LOS_NO_WAIT), LOS_ERRNO_MUX_UNAVAILABLE);
	TEST_EQ(LOS_MuxPend(g_mux, 2), LOS_ERRNO_MUX_TIMEOUT);
	TEST_EQ(LOS_SemPost(g_gate), LOS_OK);
	TEST_WAIT(g_step == 3);
	TEST_EQ(LOS_SemDelete(g_gate), LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_OK);
	TEST_EQ(during, TEST_PRIO - 2);
	TEST_EQ(after, TEST_PRIO + 10);
	TEST_EQ(g_ret, LOS_ERRNO_MUX_TIMEOUT);
	TEST_ASSERT(LOS_TickCountGet() - start >= 3);
	return 0;
}

/* Deleting the owner hands the mutex to its waiter; a held or awaited mutex stays. */
static UINT32 TestMuxOwnerDeleted(VOID)
{
	UINT32 low, high;

	g_step = 0;
	g_ret = OS_INVALID;
	TEST_EQ(LOS_MuxCreate(&g_mux), LOS_OK);
	TEST_EQ(LOS_SemCreate(0, &g_gate), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestHolder, TEST_PRIO + 10, g_mux), LOS_OK);
	TEST_WAIT(g_step == 1);
	TEST_EQ(TestTaskCreate(&high, "high", TestWanter, TEST_PRIO + 1, LOS_WAIT_FOREVER), LOS_OK);
	TEST_WAIT(OS_TCB_FROM_TID(high)->taskStatus & OS_TASK_STATUS_PEND);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_ERRNO_MUX_PENDED);
	TEST_EQ(LOS_TaskDelete(low), LOS_OK);
	TEST_WAIT(g_ret == LOS_OK);
	TEST_EQ(g_ret, LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_OK);
	TEST_EQ(LOS_SemDelete(g_gate), LOS_OK);
	return 0;
}

static UINT32 TestMuxPendInIrq(VOID)
{
	return LOS_MuxPend(g_mux, LOS_NO_WAIT);
}

static VOID *TestMuxPoster(VOID *arg)
{
	(void)arg;
	g_ret = LOS_MuxPost(g_mux);
	return NULL;
}

/* No mutexes in interrupts, no waiting with the scheduler locked, no posting by others. */
static UINT32 TestMuxWrongContext(VOID)
{
	UINT32 low, id;

	g_step = 0;
	TEST_EQ(LOS_MuxCreate(&g_mux), LOS_OK);
	TEST_EQ(TestInInterrupt(TestMuxPendInIrq), LOS_ERRNO_MUX_PEND_INTERR);
	TEST_EQ(LOS_SemCreate(0, &g_gate), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestHolder, TEST_PRIO + 10, g_mux), LOS_OK);
	TEST_WAIT(g_step == 1);
	LOS_TaskLock();
	TEST_EQ(LOS_MuxPend(g_mux, 5), LOS_ERRNO_MUX_PEND_IN_LOCK);
	LOS_TaskUnlock();
	TEST_EQ(TestTaskCreate(&id, "poster", TestMuxPoster, TEST_PRIO - 1, 0), LOS_OK);
	TEST_EQ(g_ret, LOS_ERRNO_MUX_INVALID);
	TEST_EQ(LOS_SemPost(g_gate), LOS_OK);
	TEST_WAIT(g_step == 3);
	TEST_EQ(LOS_SemDelete(g_gate), LOS_OK);
	TEST_EQ(LOS_MuxDelete(g_mux), LOS_OK);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"mux_recursive_owner", TestMuxRecursiveOwner},
    {"mux_priority_inheritance", TestMuxPriorityInheritance},
    {"mux_inheritance_chain", TestMuxInheritanceChain},
    {"mux_timeout_gives_back_priority", TestMuxTimeout},
    {"mux_owner_deleted", TestMuxOwnerDeleted},
    {"mux_wrong_context", TestMuxWrongContext},
};

const LosTestSuite g_testSuiteMux = {g_cases, ARRAY_SIZE(g_cases)};
