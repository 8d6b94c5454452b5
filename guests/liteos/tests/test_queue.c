/* In-guest tests of queues: copies and pointers, order, blocking both ways, timeouts, limits. */
#include "los_queue.h"
#include "los_test.h"
#include "los_tick.h"
#include <string.h>

static UINT32 g_queue;
static volatile UINT32 g_ret;
static volatile UINT32 g_value;

/* Reads into 8 bytes, room enough for every queue here. */
static VOID *TestReader(VOID *arg)
{
	UINT64 value = 0;
	UINT32 size = sizeof(value);

	g_ret = LOS_QueueReadCopy(g_queue, &value, &size, (UINT32)(UINTPTR)arg);
	g_value = (UINT32)value;
	return NULL;
}

static volatile UINT32 g_readers[2]; /* reader task IDs in the order they were served */
static volatile UINT32 g_served;

static VOID *TestOrderedReader(VOID *arg)
{
	UINT32 value = 0;
	UINT32 size = sizeof(value);

	(void)arg;
	if (LOS_QueueReadCopy(g_queue, &value, &size, LOS_WAIT_FOREVER) == LOS_OK &&
	    g_served < ARRAY_SIZE(g_readers))
		g_readers[g_served++] = LOS_CurTaskIDGet();
	return NULL;
}

static VOID *TestWriter(VOID *arg)
{
	UINT32 value = (UINT32)(UINTPTR)arg;

	g_ret = LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_WAIT_FOREVER);
	return NULL;
}

/* Messages come out in order, with their lengths; WriteHead jumps the line. */
static UINT32 TestQueueCopyOrder(VOID)
{
	CHAR buf[16];
	UINT32 size;

	TEST_EQ(LOS_QueueCreate("q", 4, &g_queue, 0, sizeof(buf)), LOS_OK);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, "one", 4, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, "two", 4, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_QueueWriteHeadCopy(g_queue, "zero!", 6, LOS_NO_WAIT), LOS_OK);
	size = sizeof(buf);
	TEST_EQ(LOS_QueueReadCopy(g_queue, buf, &size, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(size, 6);
	TEST_ASSERT(strcmp(buf, "zero!") == 0);
	size = sizeof(buf);
	TEST_EQ(LOS_QueueReadCopy(g_queue, buf, &size, LOS_NO_WAIT), LOS_OK);
	TEST_ASSERT(size == 4 && strcmp(buf, "one") == 0);
	size = sizeof(buf);
	TEST_EQ(LOS_QueueReadCopy(g_queue, buf, &size, LOS_NO_WAIT), LOS_OK);
	TEST_ASSERT(size == 4 && strcmp(buf, "two") == 0);
	size = sizeof(buf);
	TEST_EQ(LOS_QueueReadCopy(g_queue, buf, &size, LOS_NO_WAIT), LOS_ERRNO_QUEUE_ISEMPTY);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	return 0;
}

/* LOS_QueueWrite/Read carry pointer values, not the bytes behind them. */
static UINT32 TestQueuePointers(VOID)
{
	static UINT32 payload = 42;
	UINTPTR got = 0;

	TEST_EQ(LOS_QueueCreate("q", 2, &g_queue, 0, sizeof(UINTPTR)), LOS_OK);
	TEST_EQ(LOS_QueueWrite(g_queue, &payload, sizeof(UINTPTR), LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_QueueRead(g_queue, &got, sizeof(got), LOS_NO_WAIT), LOS_OK);
	TEST_EQ(got, (UINTPTR)&payload);
	TEST_EQ(*(UINT32 *)got, 42);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	return 0;
}

/* A reader sleeping on an empty queue gets the next message; a writer on a full one, room. */
static UINT32 TestQueueBlocking(VOID)
{
	UINT32 id, value, size;
	QUEUE_INFO_S info;

	g_ret = OS_INVALID;
	TEST_EQ(LOS_QueueCreate("q", 1, &g_queue, 0, sizeof(UINT32)), LOS_OK);
	TEST_EQ(TestTaskCreate(&id, "reader", TestReader, TEST_PRIO - 1, LOS_WAIT_FOREVER), LOS_OK);
	TEST_EQ(g_ret, OS_INVALID);
	TEST_EQ(LOS_QueueInfoGet(g_queue, &info), LOS_OK);
	TEST_EQ(info.uwWaitReadTask, 1ULL << id);
	value = 77;
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_NO_WAIT), LOS_OK);
	TEST_EQ(g_ret, LOS_OK);
	TEST_EQ(g_value, 77);
	/* Full queue: the writer waits until the runner reads. */
	value = 1;
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_NO_WAIT),
		LOS_ERRNO_QUEUE_ISFULL);
	g_ret = OS_INVALID;
	TEST_EQ(TestTaskCreate(&id, "writer", TestWriter, TEST_PRIO - 1, 2), LOS_OK);
	TEST_EQ(g_ret, OS_INVALID);
	size = sizeof(value);
	TEST_EQ(LOS_QueueReadCopy(g_queue, &value, &size, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(value, 1);
	TEST_EQ(g_ret, LOS_OK); /* the writer ran as soon as there was room */
	TEST_EQ(LOS_QueueReadCopy(g_queue, &value, &size, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(value, 2);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	return 0;
}

static BOOL TestQueueWaiting(UINT32 taskID)
{
	QUEUE_INFO_S info;

	return LOS_QueueInfoGet(g_queue, &info) == LOS_OK &&
	       (info.uwWaitReadTask & (1ULL << taskID));
}

/* Readers blocked on an empty queue are served in arrival order, as in LiteOS (H and M). */
static UINT32 TestQueueReadersFifo(VOID)
{
	UINT32 low, high, value = 5;
	BOOL lowPend, bothPend;

	g_served = 0;
	TEST_EQ(LOS_QueueCreate("q", 2, &g_queue, 0, sizeof(UINT32)), LOS_OK);
	TEST_EQ(TestTaskCreate(&low, "low", TestOrderedReader, TEST_PRIO + 2, 0), LOS_OK);
	TEST_WAIT(TestQueueWaiting(low));
	lowPend = TestQueueWaiting(low);
	TEST_EQ(TestTaskCreate(&high, "high", TestOrderedReader, TEST_PRIO + 1, 0), LOS_OK);
	TEST_WAIT(TestQueueWaiting(high));
	bothPend = TestQueueWaiting(low) && TestQueueWaiting(high);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_NO_WAIT), LOS_OK);
	TEST_WAIT(g_served == 1);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_NO_WAIT), LOS_OK);
	TEST_WAIT(g_served == 2);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	TEST_ASSERT(lowPend && bothPend);
	TEST_EQ(g_served, 2);
	TEST_EQ(g_readers[0], low);
	TEST_EQ(g_readers[1], high);
	return 0;
}

/* Timed reads and writes give up after their timeout. */
static UINT32 TestQueueTimeout(VOID)
{
	UINT32 value = 0;
	UINT32 size = sizeof(value);
	UINT64 start;

	TEST_EQ(LOS_QueueCreate("q", 1, &g_queue, 0, sizeof(UINT32)), LOS_OK);
	start = TestTickSync();
	TEST_EQ(LOS_QueueReadCopy(g_queue, &value, &size, 3), LOS_ERRNO_QUEUE_TIMEOUT);
	TEST_TICKS(LOS_TickCountGet() - start, 3);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), 1), LOS_OK);
	start = TestTickSync();
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &value, sizeof(value), 2), LOS_ERRNO_QUEUE_TIMEOUT);
	TEST_TICKS(LOS_TickCountGet() - start, 2);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	return 0;
}

/* Sizes are checked before anything moves; a queue with a waiter cannot be deleted. */
static UINT32 TestQueueLimits(VOID)
{
	UINT32 id;
	CHAR big[32] = {0};
	UINT32 size = 4;

	TEST_EQ(LOS_QueueCreate("q", 2, &g_queue, 0, 8), LOS_OK);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, big, sizeof(big), LOS_NO_WAIT),
		LOS_ERRNO_QUEUE_WRITE_SIZE_TOO_BIG);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, big, 8, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_QueueReadCopy(g_queue, big, &size, LOS_NO_WAIT),
		LOS_ERRNO_QUEUE_READ_SIZE_TOO_SMALL);
	size = sizeof(big);
	TEST_EQ(LOS_QueueReadCopy(g_queue, big, &size, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(size, 8);
	g_ret = OS_INVALID;
	TEST_EQ(TestTaskCreate(&id, "reader", TestReader, TEST_PRIO - 1, LOS_WAIT_FOREVER), LOS_OK);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_ERRNO_QUEUE_IN_TSKUSE);
	TEST_EQ(LOS_QueueWriteCopy(g_queue, big, 4, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(g_ret, LOS_OK);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_ERRNO_QUEUE_NOT_CREATE);
	return 0;
}

static UINT32 TestQueueReadInIrq(VOID)
{
	UINT32 value;
	UINT32 size = sizeof(value);

	return LOS_QueueReadCopy(g_queue, &value, &size, 5);
}

static UINT32 TestQueueWriteInIrq(VOID)
{
	UINT32 value = 9;

	return LOS_QueueWriteCopy(g_queue, &value, sizeof(value), LOS_NO_WAIT);
}

/* Interrupts may only read or write without waiting; nobody waits with the scheduler locked. */
static UINT32 TestQueueWrongContext(VOID)
{
	UINT32 value, size = sizeof(UINT32);

	TEST_EQ(LOS_QueueCreate("q", 1, &g_queue, 0, sizeof(UINT32)), LOS_OK);
	TEST_EQ(TestInInterrupt(TestQueueReadInIrq), LOS_ERRNO_QUEUE_READ_IN_INTERRUPT);
	TEST_EQ(TestInInterrupt(TestQueueWriteInIrq), LOS_OK);
	LOS_TaskLock();
	TEST_EQ(LOS_QueueWriteCopy(g_queue, &size, sizeof(size), 3), LOS_ERRNO_QUEUE_PEND_IN_LOCK);
	LOS_TaskUnlock();
	TEST_EQ(LOS_QueueReadCopy(g_queue, &value, &size, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(value, 9);
	TEST_EQ(LOS_QueueDelete(g_queue), LOS_OK);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"queue_copy_order", TestQueueCopyOrder},
    {"queue_readers_fifo", TestQueueReadersFifo},
    {"queue_pointer_messages", TestQueuePointers},
    {"queue_blocking_both_ways", TestQueueBlocking},
    {"queue_timeout", TestQueueTimeout},
    {"queue_size_limits_and_delete", TestQueueLimits},
    {"queue_wrong_context", TestQueueWrongContext},
};

const LosTestSuite g_testSuiteQueue = {g_cases, ARRAY_SIZE(g_cases)};
