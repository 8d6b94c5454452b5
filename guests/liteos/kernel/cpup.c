/* LiteOS CPU usage: cycles each task ran, charged at every switch, sampled once a second. */
#include "los_cpup.h"
#include "los_cpup_pri.h"
#include "los_sched_pri.h"
#include <string.h>

/* Eleven one-second samples: the newest and the one ten seconds before it. */
#define OS_CPUP_SAMPLES 11U

typedef struct {
	UINT64 time;				       /* cycle count when taken */
	UINT64 taskCycles[LOSCFG_BASE_CORE_TSK_LIMIT]; /* each task's total then */
} OsCpupSample;

static UINT64 g_cpupStart;				    /* cycle count at start or reset */
static UINT64 g_cpupLastSwitch;				    /* when the running task began */
static UINT64 g_cpupTaskCycles[LOSCFG_BASE_CORE_TSK_LIMIT]; /* ran so far, per task */
static OsCpupSample g_cpupSamples[OS_CPUP_SAMPLES];
static UINT32 g_cpupNext;  /* the sample slot written next */
static UINT32 g_cpupTaken; /* samples taken, up to OS_CPUP_SAMPLES */
static UINT32 g_cpupTicks; /* ticks since the last sample */
static BOOL g_cpupOn;

static inline UINT64 OsCpupNow(VOID)
{
	UINT64 count;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
	return count;
}

VOID OsCpupStart(VOID)
{
	UINT32 intSave = LOS_IntLock();

	memset(g_cpupTaskCycles, 0, sizeof(g_cpupTaskCycles));
	memset(g_cpupSamples, 0, sizeof(g_cpupSamples));
	g_cpupStart = OsCpupNow();
	g_cpupLastSwitch = g_cpupStart;
	g_cpupNext = 0;
	g_cpupTaken = 0;
	g_cpupTicks = 0;
	g_cpupOn = TRUE;
	LOS_IntRestore(intSave);
}

VOID OsCpupSwitch(UINT32 fromID)
{
	UINT64 now = OsCpupNow();

	if (g_cpupOn && fromID < LOSCFG_BASE_CORE_TSK_LIMIT)
		g_cpupTaskCycles[fromID] += now - g_cpupLastSwitch;
	g_cpupLastSwitch = now;
}

VOID OsCpupTaskCreated(UINT32 taskID)
{
	/* A reused slot starts from nothing, in the samples too (so no window goes negative). */
	g_cpupTaskCycles[taskID] = 0;
	for (UINT32 i = 0; i < OS_CPUP_SAMPLES; i++)
		g_cpupSamples[i].taskCycles[taskID] = 0;
}

/* Each task's total including the running one's current stretch; IRQs masked. */
static UINT64 OsCpupTaskTotal(UINT32 taskID, UINT64 now)
{
	UINT64 cycles = g_cpupTaskCycles[taskID];

	if (g_taskScheduled && g_runTask->taskID == taskID)
		cycles += now - g_cpupLastSwitch;
	return cycles;
}

VOID OsCpupTick(VOID)
{
	OsCpupSample *sample;
	UINT64 now;

	if (!g_cpupOn || ++g_cpupTicks < LOSCFG_BASE_CORE_TICK_PER_SECOND)
		return;
	g_cpupTicks = 0;
	now = OsCpupNow();
	sample = &g_cpupSamples[g_cpupNext];
	sample->time = now;
	for (UINT32 id = 0; id < LOSCFG_BASE_CORE_TSK_LIMIT; id++)
		sample->taskCycles[id] = OsCpupTaskTotal(id, now);
	g_cpupNext = (g_cpupNext + 1) % OS_CPUP_SAMPLES;
	if (g_cpupTaken < OS_CPUP_SAMPLES)
		g_cpupTaken++;
}

/* The sample `back` seconds before the newest, or NULL (then the window starts at start). */
static const OsCpupSample *OsCpupSampleBack(UINT32 back)
{
	if (back >= g_cpupTaken)
		return NULL;
	return &g_cpupSamples[(g_cpupNext + OS_CPUP_SAMPLES - 1 - back) % OS_CPUP_SAMPLES];
}

/* The window of a mode: from (its start time, its per-task totals) to now. */
static VOID OsCpupWindow(UINT32 mode, UINT64 *from, const UINT64 **base)
{
	const OsCpupSample *sample = NULL;

	if (mode == CPUP_LAST_ONE_SECONDS)
		sample = OsCpupSampleBack(0);
	else if (mode == CPUP_LAST_TEN_SECONDS)
		sample = OsCpupSampleBack(g_cpupTaken >= OS_CPUP_SAMPLES ? OS_CPUP_SAMPLES - 1
									 : g_cpupTaken - 1);
	*from = sample ? sample->time : g_cpupStart;
	*base = sample ? sample->taskCycles : NULL;
}

/* Permille of [from, now) that the task ran; IRQs masked. */
static UINT32 OsCpupUsage(UINT32 taskID, UINT32 mode, UINT64 now)
{
	UINT64 from;
	const UINT64 *base;
	UINT64 ran;

	OsCpupWindow(mode, &from, &base);
	ran = OsCpupTaskTotal(taskID, now);
	ran = (base != NULL && base[taskID] <= ran) ? ran - base[taskID] : ran;
	if (now <= from)
		return 0;
	if (ran > now - from)
		ran = now - from;
	return (UINT32)(ran * LOS_CPUP_PRECISION / (now - from));
}

static UINT32 OsCpupTaskCheck(UINT32 taskID)
{
	if (!g_cpupOn)
		return LOS_ERRNO_CPUP_NO_INIT;
	if (OS_TASK_ID_CHECK_INVALID(taskID))
		return LOS_ERRNO_CPUP_TSK_ID_INVALID;
	if (OS_TCB_FROM_TID(taskID)->taskStatus & OS_TASK_STATUS_UNUSED)
		return LOS_ERRNO_CPUP_THREAD_NO_CREATED;
	return LOS_OK;
}

UINT32 LOS_HistoryTaskCpuUsage(UINT32 taskID, UINT32 mode)
{
	UINT32 intSave = LOS_IntLock();
	UINT32 ret = OsCpupTaskCheck(taskID);

	if (ret == LOS_OK)
		ret = OsCpupUsage(taskID, mode, OsCpupNow());
	LOS_IntRestore(intSave);
	return ret;
}

UINT32 LOS_TaskCpuUsage(UINT32 taskID)
{
	return LOS_HistoryTaskCpuUsage(taskID, CPUP_ALL_TIME);
}

UINT32 LOS_HistorySysCpuUsage(UINT32 mode)
{
	UINT32 intSave = LOS_IntLock();
	UINT32 ret = LOS_ERRNO_CPUP_NO_INIT;

	if (g_cpupOn)
		ret = LOS_CPUP_PRECISION - OsCpupUsage(g_idleTaskID, mode, OsCpupNow());
	LOS_IntRestore(intSave);
	return ret;
}

UINT32 LOS_SysCpuUsage(VOID)
{
	return LOS_HistorySysCpuUsage(CPUP_ALL_TIME);
}

UINT32 LOS_AllCpuUsage(UINT16 maxNum, CPUP_INFO_S *cpupInfo, UINT32 mode, UINT16 flag)
{
	UINT32 intSave;
	UINT64 now;

	(void)flag;
	if (cpupInfo == NULL)
		return LOS_ERRNO_CPUP_TASK_PTR_NULL;
	if (maxNum == 0)
		return LOS_ERRNO_CPUP_MAXNUM_INVALID;
	if (!g_cpupOn)
		return LOS_ERRNO_CPUP_NO_INIT;
	intSave = LOS_IntLock();
	now = OsCpupNow();
	for (UINT32 id = 0; id < maxNum; id++) {
		const LosTaskCB *task = id < g_taskMaxNum ? OS_TCB_FROM_TID(id) : NULL;

		cpupInfo[id].usStatus = task ? task->taskStatus : OS_TASK_STATUS_UNUSED;
		cpupInfo[id].uwUsage = (task && !(task->taskStatus & OS_TASK_STATUS_UNUSED))
					   ? OsCpupUsage(id, mode, now)
					   : 0;
	}
	LOS_IntRestore(intSave);
	return LOS_OK;
}

VOID LOS_CpupReset(VOID)
{
	OsCpupStart();
}
