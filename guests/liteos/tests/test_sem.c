/* In-guest tests of semaphores: blocking and waking, timeouts, limits, wrong contexts. */
#include "los_sem.h"
#include "los_task_pri.h"
#include "los_test.h"
#include "los_tick.h"

static UINT32 g_sem;
static volatile UINT32 g_got;
static volatile UINT32 g_ret;

static volatile UINT32 g_order[2]; /* who got a unit, in the order they got it */

static VOID *TestPender(VOID *arg)
{
	g_ret = LOS_SemPend(g_sem, (UINT32)(UINTPTR)arg);
	if (g_got < ARRAY_SIZE(g_order))
		g_order[g_got] = LOS_CurTaskIDGet();
	g_got++;
	return NULL;
}

static BOOL TestPending(UINT32 taskID)
{
	return (OS_TCB_FROM_TID(taskID)->taskStatus & OS_TASK_STATUS_PEND) != 0;
}

/* A waiter wakes on a post, at once when it has the higher priority. */
static UINT32 TestSemBlockAndPost(VOID)
{
	UINT32 id;

	g_got = 0;
	TEST_EQ(LOS_SemCreate(0, &g_sem), LOS_OK);
	TEST_EQ(TestTaskCreate(&id, "pender", TestPender, TEST_PRIO - 1, LOS_WAIT_FOREVER), LOS_OK);
	TEST_EQ(g_got, 0);
	TEST_EQ(LOS_SemPost(g_sem), LOS_OK);
	TEST_EQ(g_got, 1);
	TEST_EQ(g_ret, LOS_OK);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	return 0;
}

/* Waiters are served in arrival order whatever their priority, as in LiteOS (H and M). */
static UINT32 TestSemFifoOrder(VOID)
{
	UINT32 low, high;

	g_got = 0;
	TEST_EQ(LOS_SemCreate(0, &g_sem), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestPender, TEST_PRIO + 2, LOS_WAIT_FOREVER), LOS_OK);
	TEST_WAIT(TestPending(low));
	TEST_EQ(TestTaskCreate(&high, "high", TestPender, TEST_PRIO + 1, LOS_WAIT_FOREVER), LOS_OK);
	/* Both wait now, low first. */
	TEST_WAIT(TestPending(low) && TestPending(high));
	TEST_EQ(LOS_SemPost(g_sem), LOS_OK);
	TEST_WAIT(g_got == 1);
	TEST_EQ(LOS_SemPost(g_sem), LOS_OK);
	TEST_WAIT(g_got == 2);
	TEST_EQ(g_got, 2);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	TEST_EQ(g_order[0], low);
	TEST_EQ(g_order[1], high);
	return 0;
}

/* A timed pend gives up after exactly its timeout; LOS_NO_WAIT does not wait at all. */
static UINT32 TestSemTimeout(VOID)
{
	UINT64 start;

	TEST_EQ(LOS_SemCreate(0, &g_sem), LOS_OK);
	start = TestTickSync();
	TEST_EQ(LOS_SemPend(g_sem, 3), LOS_ERRNO_SEM_TIMEOUT);
	TEST_TICKS(LOS_TickCountGet() - start, 3);
	start = LOS_TickCountGet();
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_ERRNO_SEM_UNAVAILABLE);
	TEST_EQ(LOS_TickCountGet(), start);
	TEST_EQ(LOS_SemPost(g_sem), LOS_OK);
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	return 0;
}

/* Counting up to the limit, binary up to one; posts past that overflow. */
static UINT32 TestSemCounts(VOID)
{
	UINT32 bin;

	TEST_EQ(LOS_SemCreate(2, &g_sem), LOS_OK);
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_ERRNO_SEM_UNAVAILABLE);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	TEST_EQ(LOS_BinarySemCreate(1, &bin), LOS_OK);
	TEST_EQ(LOS_SemPost(bin), LOS_ERRNO_SEM_OVERFLOW);
	TEST_EQ(LOS_SemPend(bin, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_SemPost(bin), LOS_OK);
	TEST_EQ(LOS_SemDelete(bin), LOS_OK);
	TEST_EQ(LOS_BinarySemCreate(2, &bin), LOS_ERRNO_SEM_OVERFLOW);
	TEST_EQ(LOS_SemCreate(OS_SEM_COUNT_MAX + 1, &bin), LOS_ERRNO_SEM_OVERFLOW);
	return 0;
}

/* A semaphore a task waits on cannot be deleted; a deleted handle is dead for good. */
static UINT32 TestSemDeletePended(VOID)
{
	UINT32 id;
	UINT32 old;

	g_got = 0;
	TEST_EQ(LOS_SemCreate(0, &g_sem), LOS_OK);
	TEST_EQ(TestTaskCreate(&id, "pender", TestPender, TEST_PRIO - 1, LOS_WAIT_FOREVER), LOS_OK);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_ERRNO_SEM_PENDED);
	TEST_EQ(LOS_SemPost(g_sem), LOS_OK);
	TEST_EQ(g_got, 1);
	old = g_sem;
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	TEST_EQ(LOS_SemDelete(old), LOS_ERRNO_SEM_INVALID);
	TEST_EQ(LOS_SemPost(old), LOS_ERRNO_SEM_INVALID);
	/* The slot is reused under a new handle; the old one still fails. */
	TEST_EQ(LOS_SemCreate(0, &g_sem), LOS_OK);
	TEST_EQ(LOS_SemPend(old, LOS_NO_WAIT), LOS_ERRNO_SEM_INVALID);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	return 0;
}

static UINT32 TestSemPendInIrq(VOID)
{
	return LOS_SemPend(g_sem, 10);
}

static UINT32 TestSemPostInIrq(VOID)
{
	return LOS_SemPost(g_sem);
}

/* No pending in an interrupt or with the scheduler locked; posting from an interrupt works. */
static UINT32 TestSemWrongContext(VOID)
{
	UINT32 id;

	g_got = 0;
	TEST_EQ(LOS_SemCreate(0, &g_sem), LOS_OK);
	TEST_EQ(TestInInterrupt(TestSemPendInIrq), LOS_ERRNO_SEM_PEND_INTERR);
	LOS_TaskLock();
	TEST_EQ(LOS_SemPend(g_sem, 5), LOS_ERRNO_SEM_PEND_IN_LOCK);
	/* Refused even with a unit free, as in LiteOS 5.0; the unit stays. */
	LOS_TaskUnlock();
	TEST_EQ(LOS_SemPost(g_sem), LOS_OK);
	LOS_TaskLock();
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_ERRNO_SEM_PEND_IN_LOCK);
	LOS_TaskUnlock();
	TEST_EQ(LOS_SemPend(g_sem, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(TestTaskCreate(&id, "pender", TestPender, TEST_PRIO + 1, LOS_WAIT_FOREVER), LOS_OK);
	TEST_WAIT(TestPending(id));
	TEST_EQ(TestInInterrupt(TestSemPostInIrq), LOS_OK);
	TEST_WAIT(g_got == 1);
	TEST_EQ(g_got, 1);
	TEST_EQ(LOS_SemDelete(g_sem), LOS_OK);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"sem_block_and_post", TestSemBlockAndPost},
    {"sem_waiters_fifo", TestSemFifoOrder},
    {"sem_timeout", TestSemTimeout},
    {"sem_counts_and_overflow", TestSemCounts},
    {"sem_delete_pended", TestSemDeletePended},
    {"sem_wrong_context", TestSemWrongContext},
};

const LosTestSuite g_testSuiteSem = {g_cases, ARRAY_SIZE(g_cases)};
