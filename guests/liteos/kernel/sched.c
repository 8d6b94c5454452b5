/* The LiteOS scheduler: 32 priority ready queues, wait lists, the delay list, time slices. */
#include "guest.h"
#include "los_cpup_pri.h"
#include "los_mux_pri.h"
#include "los_sched_pri.h"
#include "los_tick_pri.h"

LosTaskCB *g_runTask;
TSKSWITCHHOOK g_taskSwitchHook;
volatile UINT32 g_losTaskLock;
BOOL g_taskScheduled;
VOID (*g_sigDeliverHook)(VOID);

static LOS_DL_LIST g_readyQueue[OS_TASK_PRIORITY_LOWEST + 1];
static UINT32 g_readyBitmap;	/* bit p set: queue p holds a task */
static LOS_DL_LIST g_delayList; /* DELAY and PEND_TIME tasks, soonest first */
static BOOL g_slicePending;	/* the running task used up its time slice */
static UINTPTR g_bootSp;	/* where the boot stack's last context went; never resumed */

VOID OsSchedInit(VOID)
{
	for (UINT32 prio = 0; prio <= OS_TASK_PRIORITY_LOWEST; prio++)
		LOS_ListInit(&g_readyQueue[prio]);
	LOS_ListInit(&g_delayList);
}

VOID OsSchedReadyAdd(LosTaskCB *task, BOOL atHead)
{
	LOS_DL_LIST *queue = &g_readyQueue[task->priority];

	if (atHead)
		LOS_ListHeadInsert(queue, &task->pendList);
	else
		LOS_ListTailInsert(queue, &task->pendList);
	g_readyBitmap |= 1U << task->priority;
	task->taskStatus |= OS_TASK_STATUS_READY;
}

VOID OsSchedReadyRemove(LosTaskCB *task)
{
	LOS_ListDelete(&task->pendList);
	if (LOS_ListEmpty(&g_readyQueue[task->priority]))
		g_readyBitmap &= ~(1U << task->priority);
	task->taskStatus &= ~OS_TASK_STATUS_READY;
}

static LosTaskCB *OsTopReady(VOID)
{
	if (g_readyBitmap == 0)
		return NULL;
	return LOS_DL_LIST_ENTRY(g_readyQueue[__builtin_ctz(g_readyBitmap)].pstNext, LosTaskCB,
				 pendList);
}

static BOOL OsTaskRunnable(const LosTaskCB *task)
{
	return (task->taskStatus & OS_TASK_BLOCKED) == 0;
}

/* A task that wrote past its stack has corrupted memory we cannot trust: stop the VM. */
static VOID OsStackCheck(const LosTaskCB *task)
{
	if (!OsTaskStackOverflowed(task))
		return;
	kprintf("liteos: task %u (%s) overflowed its %u-byte stack; stopping\n", task->taskID,
		task->taskName, task->stackSize);
	psci_system_off();
}

static VOID OsSwitchTo(LosTaskCB *next)
{
	LosTaskCB *run = g_runTask;

	OsSchedReadyRemove(next);
	next->taskStatus |= OS_TASK_STATUS_RUNNING;
	if (next == run)
		return;
	run->taskStatus &= ~OS_TASK_STATUS_RUNNING;
	if (next->timeSlice == 0)
		next->timeSlice = LOSCFG_BASE_CORE_TIMESLICE_TIMEOUT;
	g_slicePending = FALSE;
	OsStackCheck(run);
	if (g_taskSwitchHook != NULL)
		g_taskSwitchHook();
	OsCpupSwitch(run->taskID);
	g_runTask = next;
	OsCtxSwitch(&run->stackPointer, next->stackPointer);
}

VOID OsSchedule(VOID)
{
	LosTaskCB *run = g_runTask;
	LosTaskCB *top;

	if (!OsPreemptable())
		return;
	top = OsTopReady();
	if (OsTaskRunnable(run)) {
		/* Equal priority does not preempt: that is the time slice's job. */
		if (top == NULL || top->priority >= run->priority)
			return;
		/* Preempted, not finished: it goes first among its peers again. */
		OsSchedReadyAdd(run, TRUE);
	}
	OsSwitchTo(OsTopReady());
}

BOOL OsSchedYield(VOID)
{
	LosTaskCB *run = g_runTask;
	LosTaskCB *top = OsTopReady();

	run->timeSlice = LOSCFG_BASE_CORE_TIMESLICE_TIMEOUT;
	if (top == NULL || top->priority > run->priority)
		return FALSE;
	OsSchedReadyAdd(run, FALSE);
	OsSwitchTo(OsTopReady());
	return TRUE;
}

static VOID OsTimerAdd(LosTaskCB *task, UINT32 ticks)
{
	LosTaskCB *item = NULL;

	task->expireTick = g_tickCount + ticks;
	LOS_DL_LIST_FOR_EACH_ENTRY(item, &g_delayList, LosTaskCB, timerList)
	{
		if (item->expireTick > task->expireTick) {
			LOS_ListTailInsert(&item->timerList, &task->timerList);
			return;
		}
	}
	LOS_ListTailInsert(&g_delayList, &task->timerList);
}

VOID OsSchedTimerRemove(LosTaskCB *task)
{
	LOS_ListDelete(&task->timerList);
}

/* Highest priority first; a task goes behind those of its own priority (FIFO among equals). */
static VOID OsPendInsert(LOS_DL_LIST *list, LosTaskCB *task)
{
	LosTaskCB *item = NULL;

	LOS_DL_LIST_FOR_EACH_ENTRY(item, list, LosTaskCB, pendList)
	{
		if (item->priority > task->priority) {
			LOS_ListTailInsert(&item->pendList, &task->pendList);
			return;
		}
	}
	LOS_ListTailInsert(list, &task->pendList);
}

LosTaskCB *OsSchedFirstWaiter(const LOS_DL_LIST *list)
{
	if (LOS_ListEmpty(list))
		return NULL;
	return LOS_DL_LIST_ENTRY(list->pstNext, LosTaskCB, pendList);
}

BOOL OsSchedPend(LOS_DL_LIST *list, UINT32 timeout, BOOL byPrio)
{
	LosTaskCB *run = g_runTask;

	run->taskStatus &= ~OS_TASK_STATUS_TIMEOUT;
	run->taskStatus |= OS_TASK_STATUS_PEND;
	run->pendHead = list;
	run->pendByPrio = byPrio;
	if (byPrio)
		OsPendInsert(list, run);
	else
		LOS_ListTailInsert(list, &run->pendList);
	if (timeout != LOS_WAIT_FOREVER) {
		run->taskStatus |= OS_TASK_STATUS_PEND_TIME;
		OsTimerAdd(run, timeout);
	}
	OsSchedule();
	if (run->taskStatus & OS_TASK_STATUS_TIMEOUT) {
		run->taskStatus &= ~OS_TASK_STATUS_TIMEOUT;
		return TRUE;
	}
	return FALSE;
}

VOID OsSchedWake(LosTaskCB *task)
{
	LOS_ListDelete(&task->pendList);
	task->pendHead = NULL;
	if (task->taskStatus & OS_TASK_STATUS_PEND_TIME)
		OsSchedTimerRemove(task);
	task->taskStatus &= ~(OS_TASK_STATUS_PEND | OS_TASK_STATUS_PEND_TIME);
	if (!(task->taskStatus & OS_TASK_STATUS_SUSPEND))
		OsSchedReadyAdd(task, FALSE);
}

VOID OsSchedDelay(UINT32 ticks)
{
	LosTaskCB *run = g_runTask;

	run->taskStatus |= OS_TASK_STATUS_DELAY;
	OsTimerAdd(run, ticks);
	OsSchedule();
}

VOID OsSchedPrioSet(LosTaskCB *task, UINT16 prio)
{
	if (task->priority == prio)
		return;
	if (task->taskStatus & OS_TASK_STATUS_READY) {
		OsSchedReadyRemove(task);
		task->priority = prio;
		OsSchedReadyAdd(task, FALSE);
	} else if ((task->taskStatus & OS_TASK_STATUS_PEND) && task->pendHead && task->pendByPrio) {
		LOS_ListDelete(&task->pendList);
		task->priority = prio;
		OsPendInsert(task->pendHead, task);
	} else {
		task->priority = prio;
	}
}

VOID OsSchedTick(UINT64 now)
{
	LosTaskCB *run = g_runTask;

	while (!LOS_ListEmpty(&g_delayList)) {
		LosTaskCB *task = LOS_DL_LIST_ENTRY(g_delayList.pstNext, LosTaskCB, timerList);

		if (task->expireTick > now)
			break;
		LOS_ListDelete(&task->timerList);
		if (task->taskStatus & OS_TASK_STATUS_PEND_TIME) {
			LOS_ListDelete(&task->pendList);
			task->pendHead = NULL;
			task->taskStatus &= ~(OS_TASK_STATUS_PEND | OS_TASK_STATUS_PEND_TIME);
			task->taskStatus |= OS_TASK_STATUS_TIMEOUT;
			/* A mutex owner stops borrowing the priority of a waiter that gave up. */
			if (task->taskMux)
				OsMuxWaiterGone(task);
			task->taskSem = NULL;
			task->taskEvent = NULL;
		} else {
			task->taskStatus &= ~OS_TASK_STATUS_DELAY;
		}
		if (!(task->taskStatus & OS_TASK_STATUS_SUSPEND))
			OsSchedReadyAdd(task, FALSE);
	}
	if (LOSCFG_BASE_CORE_TIMESLICE && run->timeSlice && --run->timeSlice == 0)
		g_slicePending = TRUE;
}

VOID OsSchedIrqExit(VOID)
{
	if (!OsPreemptable())
		return;
	if (g_slicePending && OsTaskRunnable(g_runTask)) {
		g_slicePending = FALSE;
		(void)OsSchedYield();
		return;
	}
	OsSchedule();
}

VOID OsSchedStart(VOID)
{
	LosTaskCB *top = OsTopReady();

	OsSchedReadyRemove(top);
	top->taskStatus |= OS_TASK_STATUS_RUNNING;
	top->timeSlice = LOSCFG_BASE_CORE_TIMESLICE_TIMEOUT;
	g_runTask = top;
	OsCpupStart();
	g_taskScheduled = TRUE;
	OsCtxSwitch(&g_bootSp, top->stackPointer);
	for (;;)
		__asm__ volatile("wfi");
}
