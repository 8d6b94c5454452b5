/* Kernel-internal task state: the task control block and what the scheduler and IPC share. */
#ifndef _LOS_TASK_PRI_H
#define _LOS_TASK_PRI_H

#include "los_list.h"
#include "los_task.h"

/* Tasks the kernel runs for itself: they cannot be suspended, deleted or made to pend. */
#define OS_TASK_FLAG_SYSTEM 0x0001U
/* The task has state in the signal module (created there on first use). */
#define OS_TASK_FLAG_SIGNAL 0x0002U
/* Created LOS_TASK_ATTR_JOINABLE and neither joined nor detached yet: its control block
 * outlives it (status EXIT) until then. */
#define OS_TASK_FLAG_JOINABLE 0x0004U
/* Its stack belongs to the application (LOS_TaskCreateStatic): never freed here. */
#define OS_TASK_FLAG_STATIC_STACK 0x0008U

/* Written at the far end of every stack; a different value there means it overflowed. */
#define OS_TASK_MAGIC_WORD 0xCCCCCCCCCCCCCCCCULL
/* The rest of a new stack is filled with this, so that the deepest use can be measured. */
#define OS_TASK_STACK_INIT 0xCACACACACACACACAULL

#define OS_TASK_BLOCKED                                                                            \
	(OS_TASK_STATUS_SUSPEND | OS_TASK_STATUS_PEND | OS_TASK_STATUS_DELAY |                     \
	 OS_TASK_STATUS_PEND_TIME | OS_TASK_STATUS_UNUSED | OS_TASK_STATUS_EXIT)

typedef struct LosTaskCB {
	UINTPTR stackPointer; /* saved by OsCtxSwitch while the task is not running */
	UINT16 taskStatus;
	UINT16 priority; /* what it runs at: basePrio, or higher while it holds a wanted mutex */
	UINT16 basePrio; /* what it was given */
	UINT16 timeSlice;
	UINT32 taskID;
	UINT32 taskFlags;
	UINT64 expireTick;  /* DELAY or PEND_TIME: the tick at which it wakes */
	UINTPTR topOfStack; /* lowest address of the stack memory */
	UINT32 stackSize;
	TSK_ENTRY_FUNC taskEntry;
	UINTPTR args[4];      /* pArgs, or the obsolete form's auwArgs: all go in x0-x3 */
	VOID *retVal;	      /* what the entry returned, for LOS_TaskJoin */
	LOS_DL_LIST joinList; /* the task waiting in LOS_TaskJoin for this one */
	VOID *joinRetVal;     /* a joiner: what the joined task returned */
	CHAR taskName[LOS_TASK_NAMELEN];
	LOS_DL_LIST pendList;  /* node in a ready queue or in a wait list */
	LOS_DL_LIST *pendHead; /* the wait list it is on while PEND */
	BOOL pendByPrio;       /* that list is kept in priority order (mutexes) */
	LOS_DL_LIST timerList; /* node in the delay list while DELAY or PEND_TIME */
	LOS_DL_LIST muxHeld;   /* mutexes it owns, for priority inheritance */
	VOID *taskSem;	       /* the object it pends on, if any */
	VOID *taskMux;
	VOID *taskEvent;
	UINT32 eventMask;
	UINT32 eventMode;
	volatile UINT32 sigPending; /* kill() queued something: look at the next kernel exit */
	UINT32 sigDefer;	    /* > 0 while inside a module: handlers wait until it is left */
	INT32 errNo;		    /* errno of the POSIX-style calls */
} LosTaskCB;

extern LosTaskCB *g_taskCBArray;
extern UINT32 g_taskMaxNum;
extern LosTaskCB *g_runTask;
extern TSKSWITCHHOOK g_taskSwitchHook;
extern UINT32 g_idleTaskID;
extern UINT32 g_swtmrTaskID;

#define OS_TCB_FROM_TID(taskID) (&g_taskCBArray[(taskID)])
#define OS_TASK_ID_CHECK_INVALID(taskID) ((taskID) >= g_taskMaxNum)

/* Calls entry with args[0..3] in x0-x3 (switch.S): right for either entry form. */
VOID *OsTaskCall(TSK_ENTRY_FUNC entry, const UINTPTR args[4]);
UINT32 OsTaskInit(VOID);
UINT32 OsIdleTaskCreate(VOID);
/* Creates a system task (idle, software timers): never suspended or deleted. */
UINT32 OsSystemTaskCreate(UINT32 *taskID, TSK_INIT_PARAM_S *initParam);
/* Frees the stacks of tasks that deleted themselves (they could not free their own). */
VOID OsTaskRecycle(VOID);
/* Lowest unused address of the task's stack, from the fill pattern (for peak usage). */
UINT32 OsTaskStackPeak(const LosTaskCB *task);
BOOL OsTaskStackOverflowed(const LosTaskCB *task);
const CHAR *OsTaskStatusName(UINT16 status);

/* Called before a task's resources go, outside any critical section (signal state). */
extern VOID (*g_taskDeleteHook)(LosTaskCB *task);

#endif /* _LOS_TASK_PRI_H */
