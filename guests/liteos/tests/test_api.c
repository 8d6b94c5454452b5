/* In-guest tests of the APIs LiteOS applications also use: time, delays, alignment, printf,
 * ring buffers, static objects, join/detach, task queries, hooks, cpup, hardware interrupts. */
#include "los_base.h"
#include "los_cpup.h"
#include "los_hwi.h"
#include "los_queue.h"
#include "los_ringbuf.h"
#include "los_sem.h"
#include "los_task_pri.h"
#include "los_test.h"
#include "los_tick.h"
#include <stdio.h>
#include <string.h>

/* Time: the cycle counter runs at CyclePerTick per tick; nanoseconds follow it; busy delays
 * keep the CPU, sleeps give it up. */
static UINT32 TestApiTime(VOID)
{
	UINT64 c0, c1, n0, n1, start;

	TEST_ASSERT(LOS_CyclePerTickGet() > 0);
	c0 = LOS_SysCycleGet();
	n0 = LOS_CurrNanosec();
	LOS_Udelay(2000);
	c1 = LOS_SysCycleGet();
	n1 = LOS_CurrNanosec();
	TEST_ASSERT(c1 - c0 >=
		    (UINT64)LOS_CyclePerTickGet() * LOSCFG_BASE_CORE_TICK_PER_SECOND / 500);
	TEST_ASSERT(n1 - n0 >= 2000000ULL);
	start = TestTickSync();
	LOS_Mdelay(30);
	TEST_ASSERT(LOS_TickCountGet() - start >= 2);
	start = TestTickSync();
	LOS_Msleep(50); /* 5 ticks */
	TEST_TICKS(LOS_TickCountGet() - start, 5);
	return 0;
}

/* LOS_Align rounds up to a power of two; ALIGN and TRUNCATE are its macros. */
static UINT32 TestApiAlign(VOID)
{
	TEST_EQ(LOS_Align(0x1001, 0x1000), 0x2000);
	TEST_EQ(LOS_Align(0x2000, 0x1000), 0x2000);
	TEST_EQ(ALIGN(13, 8), 16);
	TEST_EQ(TRUNCATE(0x1fff, 0x1000), 0x1000);
	TEST_EQ(YES, 1);
	TEST_EQ(NO, 0);
	return 0;
}

/* The guest libc's printf family formats as C does. */
static UINT32 TestApiPrintf(VOID)
{
	CHAR buf[32];

	TEST_EQ(snprintf(buf, sizeof(buf), "%d-%s-%x", -5, "ab", 255U), 8);
	TEST_ASSERT(strcmp(buf, "-5-ab-ff") == 0);
	TEST_EQ(snprintf(buf, 4, "%s", "truncated"), 9);
	TEST_ASSERT(strcmp(buf, "tru") == 0);
	TEST_EQ(sprintf(buf, "%05u", 42U), 5);
	TEST_ASSERT(strcmp(buf, "00042") == 0);
	TEST_EQ(printf("los-test: printf works %d\n", 7), 25);
	return 0;
}

/* A ring takes what fits, gives back in order across the wrap, and refuses bad use. */
static UINT32 TestApiRingbuf(VOID)
{
	static CHAR fifo[8];
	Ringbuf rb;
	CHAR out[16];

	memset(&rb, 0, sizeof(rb));
	TEST_EQ(LOS_RingbufInit(NULL, fifo, sizeof(fifo)), LOS_NOK);
	TEST_EQ(LOS_RingbufInit(&rb, fifo, 0), LOS_NOK);
	TEST_EQ(LOS_RingbufWrite(&rb, "x", 1), 0); /* not initialised */
	TEST_EQ(LOS_RingbufInit(&rb, fifo, sizeof(fifo)), LOS_OK);
	TEST_EQ(LOS_RingbufInit(&rb, fifo, sizeof(fifo)), LOS_NOK);
	TEST_EQ(LOS_RingbufWrite(&rb, "abcdef", 6), 6);
	TEST_EQ(LOS_RingbufRead(&rb, out, 4), 4);
	TEST_ASSERT(memcmp(out, "abcd", 4) == 0);
	TEST_EQ(LOS_RingbufWrite(&rb, "ghijklmn", 8), 6); /* 2 used: 6 free, across the end */
	TEST_EQ(LOS_RingbufUsedSize(&rb), 8);
	TEST_EQ(LOS_RingbufWrite(&rb, "z", 1), 0);
	TEST_EQ(LOS_RingbufRead(&rb, out, sizeof(out)), 8);
	TEST_ASSERT(memcmp(out, "efghijkl", 8) == 0);
	TEST_EQ(LOS_RingbufRead(&rb, out, sizeof(out)), 0);
	TEST_EQ(LOS_RingbufWrite(&rb, "pq", 2), 2);
	LOS_RingbufReset(&rb);
	TEST_EQ(LOS_RingbufUsedSize(&rb), 0);
	return 0;
}

static VOID *TestApiReturn(VOID *arg)
{
	return (VOID *)((UINTPTR)arg * 2U);
}

static VOID *TestApiSleeper(VOID *arg)
{
	(void)LOS_TaskDelay((UINT32)(UINTPTR)arg);
	return (VOID *)0x77;
}

/* A task on the application's stack runs, and its stack is left alone when it ends. */
static UINT32 TestApiTaskStatic(VOID)
{
	static UINT64 stack[0x2000 / sizeof(UINT64)] __attribute__((aligned(16)));
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = TestApiReturn,
	    .usTaskPrio = TEST_PRIO - 1,
	    .pArgs = (VOID *)21,
	    .uwStackSize = sizeof(stack),
	    .pcName = "static",
	    .uwResved = LOS_TASK_ATTR_JOINABLE,
	};
	UINT32 id;
	UINTPTR ret = 0;
	UINT32 status = 0;

	TEST_EQ(LOS_TaskCreateStatic(&id, &param, NULL), LOS_ERRNO_TSK_PTR_NULL);
	TEST_EQ(LOS_TaskCreateStatic(&id, &param, (UINT8 *)stack + 8),
		LOS_ERRNO_TSK_STKSZ_NOT_ALIGN);
	TEST_EQ(LOS_TaskCreateOnlyStatic(&id, &param, stack), LOS_OK);
	TEST_EQ(LOS_TaskStatusGet(id, &status), LOS_OK);
	TEST_ASSERT(status & OS_TASK_STATUS_SUSPEND);
	TEST_EQ(LOS_TaskResume(id), LOS_OK);
	/* It ran (higher priority) and ended; joinable, so its value waits for us. */
	TEST_EQ(LOS_TaskStatusGet(id, &status), LOS_OK);
	TEST_ASSERT(status & OS_TASK_STATUS_EXIT);
	TEST_EQ(LOS_TaskJoin(id, &ret), LOS_OK);
	TEST_EQ(ret, 42);
	/* Joined: the control block goes once the idle task has recycled the task. */
	TEST_WAIT(LOS_TaskStatusGet(id, &status) == LOS_ERRNO_TSK_NOT_CREATED);
	TEST_EQ(LOS_TaskStatusGet(id, &status), LOS_ERRNO_TSK_NOT_CREATED);
	TEST_EQ(stack[0], 0xCCCCCCCCCCCCCCCCULL); /* the guard word: the kernel did not free it */
	return 0;
}

/* Join waits for a running task and gets its value; detached or plain tasks cannot be
 * joined; a task cannot join itself. */
static UINT32 TestApiJoinDetach(VOID)
{
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = TestApiSleeper,
	    .usTaskPrio = TEST_PRIO + 1,
	    .pArgs = (VOID *)3,
	    .pcName = "joinme",
	    .uwResved = LOS_TASK_ATTR_JOINABLE,
	};
	UINT32 id, plain;
	UINTPTR ret = 0;

	TEST_EQ(LOS_TaskJoin(LOS_CurTaskIDGet(), &ret), LOS_ERRNO_TSK_NOT_JOIN_SELF);
	TEST_EQ(LOS_TaskJoin(g_taskMaxNum, &ret), LOS_ERRNO_TSK_ID_INVALID);
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_OK);
	TEST_EQ(LOS_TaskJoin(id, &ret), LOS_OK); /* sleeps until it ends */
	TEST_EQ(ret, 0x77);
	/* Detached before it ends: it goes by itself, and cannot be joined. */
	TEST_EQ(LOS_TaskCreate(&id, &param), LOS_OK);
	TEST_EQ(LOS_TaskDetach(id), LOS_OK);
	TEST_EQ(LOS_TaskDetach(id), LOS_ERRNO_TSK_NOT_JOIN);
	TEST_EQ(LOS_TaskJoin(id, &ret), LOS_ERRNO_TSK_NOT_JOIN);
	param.uwResved = 0;
	TEST_EQ(LOS_TaskCreate(&plain, &param), LOS_OK);
	TEST_EQ(LOS_TaskJoin(plain, &ret), LOS_ERRNO_TSK_NOT_JOIN);
	TEST_WAIT(LOS_TaskStatusGet(id, &(UINT32){0}) == LOS_ERRNO_TSK_NOT_CREATED &&
		  LOS_TaskStatusGet(plain, &(UINT32){0}) == LOS_ERRNO_TSK_NOT_CREATED);
	TEST_EQ(LOS_TaskStatusGet(id, &(UINT32){0}), LOS_ERRNO_TSK_NOT_CREATED);
	TEST_EQ(LOS_TaskStatusGet(0, NULL), LOS_ERRNO_TSK_PTR_NULL);
	return 0;
}

static volatile UINT32 g_switches;

static VOID TestApiSwitchHook(VOID)
{
	g_switches++;
}

/* The current name, and a switch hook that sees every switch. */
static UINT32 TestApiNamesAndHook(VOID)
{
	TEST_ASSERT(strcmp(LOS_CurTaskNameGet(), "TestRunner") == 0);
	g_switches = 0;
	LOS_TaskSwitchHookReg(TestApiSwitchHook);
	(void)LOS_TaskDelay(2); /* at least to the idle task and back */
	LOS_TaskSwitchHookReg(NULL);
	TEST_ASSERT(g_switches >= 2);
	return 0;
}

/* LOS_SemGetValue follows pends and posts. */
static UINT32 TestApiSemValue(VOID)
{
	UINT32 sem;
	INT32 value = -1;

	TEST_EQ(LOS_SemCreate(3, &sem), LOS_OK);
	TEST_EQ(LOS_SemGetValue(sem, &value), LOS_OK);
	TEST_EQ(value, 3);
	TEST_EQ(LOS_SemPend(sem, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_SemGetValue(sem, &value), LOS_OK);
	TEST_EQ(value, 2);
	TEST_EQ(LOS_SemGetValue(sem, NULL), LOS_ERRNO_SEM_PTR_NULL);
	TEST_EQ(LOS_SemDelete(sem), LOS_OK);
	TEST_EQ(LOS_SemGetValue(sem, &value), LOS_ERRNO_SEM_INVALID);
	return 0;
}

/* A queue in the application's memory: it must be big enough, and it carries messages. */
static UINT32 TestApiQueueStatic(VOID)
{
	static UINT8 mem[4 * (8 + 4)];
	UINT32 queue;
	CHAR out[8];
	UINT32 size = sizeof(out);

	TEST_EQ(LOS_QueueCreateStatic("sq", 4, &queue, 0, 8, NULL, sizeof(mem)),
		LOS_ERRNO_QUEUE_CREAT_PTR_NULL);
	TEST_EQ(LOS_QueueCreateStatic("sq", 5, &queue, 0, 8, mem, sizeof(mem)),
		LOS_ERRNO_QUEUE_CREATE_NO_MEMORY);
	TEST_EQ(LOS_QueueCreateStatic("sq", 4, &queue, 0, 8, mem, sizeof(mem)), LOS_OK);
	TEST_EQ(LOS_QueueWriteCopy(queue, "static", 7, LOS_NO_WAIT), LOS_OK);
	TEST_EQ(LOS_QueueReadCopy(queue, out, &size, LOS_NO_WAIT), LOS_OK);
	TEST_ASSERT(size == 7 && strcmp(out, "static") == 0);
	TEST_EQ(LOS_QueueDelete(queue), LOS_OK);
	return 0;
}

static volatile UINT32 g_spinStop;

static VOID *TestApiSpinner(VOID *arg)
{
	(void)arg;
	while (!g_spinStop)
		;
	return NULL;
}

/* A task that spins for a second shows up in cpup; the system is then busy. */
static UINT32 TestApiCpup(VOID)
{
	UINT32 id, usage, sys;

	g_spinStop = 0;
	TEST_EQ(TestTaskCreate(&id, "spinner", TestApiSpinner, TEST_PRIO + 1, 0), LOS_OK);
	(void)LOS_TaskDelay(LOSCFG_BASE_CORE_TICK_PER_SECOND * 2U);
	usage = LOS_HistoryTaskCpuUsage(id, CPUP_LAST_ONE_SECONDS);
	sys = LOS_HistorySysCpuUsage(CPUP_LAST_ONE_SECONDS);
	g_spinStop = 1;
	TEST_WAIT(LOS_TaskStatusGet(id, &(UINT32){0}) == LOS_ERRNO_TSK_NOT_CREATED);
	TEST_ASSERT(usage >= 800 && usage <= LOS_CPUP_PRECISION);
	TEST_ASSERT(sys >= 800 && sys <= LOS_CPUP_PRECISION);
	TEST_ASSERT(LOS_SysCpuUsage() <= LOS_CPUP_PRECISION);
	TEST_ASSERT(LOS_TaskCpuUsage(LOS_CurTaskIDGet()) <= LOS_CPUP_PRECISION);
	TEST_EQ(LOS_TaskCpuUsage(g_taskMaxNum), LOS_ERRNO_CPUP_TSK_ID_INVALID);
	TEST_EQ(LOS_TaskCpuUsage(id), LOS_ERRNO_CPUP_THREAD_NO_CREATED);
	/* Now idle: the last second was mostly the idle task's. */
	(void)LOS_TaskDelay(LOSCFG_BASE_CORE_TICK_PER_SECOND * 2U);
	TEST_ASSERT(LOS_HistorySysCpuUsage(CPUP_LAST_ONE_SECONDS) < 500);
	return 0;
}

#define TEST_HWI 60U

static volatile UINT32 g_hwiCount;
static volatile UINTPTR g_hwiDev;

static VOID TestApiHwiHandler(VOID)
{
	g_hwiCount++;
}

static VOID TestApiHwiParamHandler(int irq, VOID *dev)
{
	g_hwiCount += (UINT32)irq;
	g_hwiDev = (UINTPTR)dev;
}

/* A software-raised SPI reaches its handler only while enabled; a cleared one never does. */
static UINT32 TestApiHwi(VOID)
{
	HWI_IRQ_PARAM_S param = {.swIrq = 100, .pDevId = (VOID *)0xD0, .pName = "test"};

	g_hwiCount = 0;
	TEST_EQ(LOS_HwiCreate(TEST_HWI, 0, 0, NULL, NULL), OS_ERRNO_HWI_PROC_FUNC_NULL);
	TEST_EQ(LOS_HwiCreate(OS_HWI_MAX + 1, 0, 0, TestApiHwiHandler, NULL),
		OS_ERRNO_HWI_NUM_INVALID);
	TEST_EQ(LOS_HwiEnable(TEST_HWI), OS_ERRNO_HWI_HWINUM_UNCREATE);
	TEST_EQ(LOS_HwiCreate(TEST_HWI, 3, 0, TestApiHwiHandler, NULL), LOS_OK);
	TEST_EQ(LOS_HwiCreate(TEST_HWI, 3, 0, TestApiHwiHandler, NULL),
		OS_ERRNO_HWI_ALREADY_CREATED);
	TEST_EQ(LOS_HwiTrigger(TEST_HWI), LOS_OK); /* masked: stays pending */
	(void)LOS_TaskDelay(1);
	TEST_EQ(g_hwiCount, 0);
	TEST_EQ(LOS_HwiEnable(TEST_HWI), LOS_OK);
	TEST_WAIT(g_hwiCount == 1);
	TEST_EQ(g_hwiCount, 1);
	TEST_EQ(LOS_HwiTrigger(TEST_HWI), LOS_OK);
	TEST_WAIT(g_hwiCount == 2);
	TEST_EQ(g_hwiCount, 2);
	TEST_EQ(LOS_HwiDisable(TEST_HWI), LOS_OK);
	TEST_EQ(LOS_HwiTrigger(TEST_HWI), LOS_OK);
	TEST_EQ(LOS_HwiClear(TEST_HWI), LOS_OK);
	TEST_EQ(LOS_HwiEnable(TEST_HWI), LOS_OK);
	(void)LOS_TaskDelay(2);
	TEST_EQ(g_hwiCount, 2);
	TEST_EQ(LOS_HwiDelete(TEST_HWI, NULL), LOS_OK);
	/* With a parameter the handler gets (swIrq, pDevId). */
	TEST_EQ(LOS_HwiCreate(TEST_HWI, 3, 0, (HWI_PROC_FUNC)TestApiHwiParamHandler, &param),
		LOS_OK);
	TEST_EQ(LOS_HwiEnable(TEST_HWI), LOS_OK);
	TEST_EQ(LOS_HwiTrigger(TEST_HWI), LOS_OK);
	TEST_WAIT(g_hwiCount == 102);
	TEST_EQ(LOS_HwiDelete(TEST_HWI, &param), LOS_OK);
	TEST_EQ(g_hwiCount, 102);
	TEST_EQ(g_hwiDev, 0xD0);
	return 0;
}

static volatile UINT32 g_errNo;

static VOID TestApiErrHook(CHAR *fileName, UINT32 lineNo, UINT32 errorNo, UINT32 paraLen,
			   VOID *para)
{
	(void)fileName;
	(void)lineNo;
	(void)paraLen;
	(void)para;
	g_errNo = errorNo;
}

/* The registered error hook sees LOS_ErrHandle's reports. */
static UINT32 TestApiErrHandle(VOID)
{
	g_errNo = 0;
	TEST_EQ(LOS_ErrHandle("x.c", 1, 0x1234, 0, NULL), LOS_OK);
	TEST_EQ(g_errNo, 0);
	LOS_RegErrHandle(TestApiErrHook);
	TEST_EQ(LOS_ErrHandle("x.c", 1, 0x1234, 0, NULL), LOS_OK);
	LOS_RegErrHandle(NULL);
	TEST_EQ(g_errNo, 0x1234);
	LOS_BackTrace(); /* prints this task's frames; must not fault */
	return 0;
}

static const LosTestCase g_cases[] = {
    {"api_time", TestApiTime},
    {"api_align", TestApiAlign},
    {"api_printf", TestApiPrintf},
    {"api_ringbuf", TestApiRingbuf},
    {"api_task_static", TestApiTaskStatic},
    {"api_join_detach", TestApiJoinDetach},
    {"api_names_and_hook", TestApiNamesAndHook},
    {"api_sem_value", TestApiSemValue},
    {"api_queue_static", TestApiQueueStatic},
    {"api_cpup", TestApiCpup},
    {"api_hwi", TestApiHwi},
    {"api_err_handle", TestApiErrHandle},
};

const LosTestSuite g_testSuiteApi = {g_cases, ARRAY_SIZE(g_cases)};
