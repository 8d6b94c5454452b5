/* Kernel-internal scheduler interface: ready queues, waiting, waking, switching, the tick. */
#ifndef _LOS_SCHED_PRI_H
#define _LOS_SCHED_PRI_H

#include "los_hwi.h"
#include "los_task_pri.h"

/* LOS_TaskLock nesting: no task switch while it is non-zero. */
extern volatile UINT32 g_losTaskLock;
/* LOS_Start has run: there is a current task. */
extern BOOL g_taskScheduled;

/* Everything below runs with IRQs masked (LOS_IntLock) unless it says otherwise. */

VOID OsSchedInit(VOID);
VOID OsSchedReadyAdd(LosTaskCB *task, BOOL atHead);
VOID OsSchedReadyRemove(LosTaskCB *task);
/*
 * Switches to a higher-priority ready task, or to the best ready one when the running task
 * has blocked or was deleted, if switching is allowed now (otherwise the interrupt's exit or
 * LOS_TaskUnlock does it).
 */
VOID OsSchedule(VOID);
/* The running task goes behind the ready tasks of its own priority; FALSE if there are none. */
BOOL OsSchedYield(VOID);
/*
 * Puts the running task on a wait list for up to timeout ticks and switches away. TRUE if it
 * woke because the time ran out. LiteOS serves semaphore, queue and event waiters in arrival
 * order (byPrio FALSE) and mutex waiters by priority, FIFO among equals (byPrio TRUE).
 */
BOOL OsSchedPend(LOS_DL_LIST *list, UINT32 timeout, BOOL byPrio);
/* Takes a task off its wait list (and the delay list) and makes it ready unless suspended. */
VOID OsSchedWake(LosTaskCB *task);
/* Delays the running task for ticks (> 0) and switches away. */
VOID OsSchedDelay(UINT32 ticks);
/* Takes a task off the delay list (DELAY or PEND_TIME). */
VOID OsSchedTimerRemove(LosTaskCB *task);
/* Changes the running priority, moving the task within its ready queue or wait list. */
VOID OsSchedPrioSet(LosTaskCB *task, UINT16 prio);
/* The task at the head of a wait list (the next one to serve), or NULL. */
LosTaskCB *OsSchedFirstWaiter(const LOS_DL_LIST *list);
/* One tick, from the timer interrupt: wake delayed tasks, account the time slice. */
VOID OsSchedTick(UINT64 now);
/* Leaving an interrupt: switch if a better task became ready or the slice ran out. */
VOID OsSchedIrqExit(VOID);
__attribute__((noreturn)) VOID OsSchedStart(VOID);

/* IRQs in any state: a task switch may block here; FALSE in interrupts or with the lock held. */
static inline BOOL OsPreemptable(VOID)
{
	return g_taskScheduled && g_losTaskLock == 0 && OS_INT_INACTIVE;
}

/*
 * Runs the running task's deliverable signal handlers: called as a LOS call returns to its
 * task, and when an interrupt returns to the task it preempted. Handlers never run inside an
 * interrupt, with the scheduler locked, or while the task is inside a module.
 */
extern VOID (*g_sigDeliverHook)(VOID);
static inline VOID OsSigCheck(VOID)
{
	if (g_taskScheduled && g_runTask->sigPending && g_runTask->sigDefer == 0 &&
	    OsPreemptable() && g_sigDeliverHook)
		g_sigDeliverHook();
}

/* The context switch (switch.S): saves x19-x30 and sp, loads the other task's. */
VOID OsCtxSwitch(UINTPTR *saveSp, UINTPTR newSp);
/* Where a new task's first switch returns to: calls OsTaskEntry(x19). */
VOID OsTaskTrampoline(VOID);
#define OS_CTX_FRAME_SIZE 96U

#endif /* _LOS_SCHED_PRI_H */
