/* LiteOS tasks: creation, deletion, suspension, delays, priorities and the scheduler lock. */
#ifndef _LOS_TASK_H
#define _LOS_TASK_H

#include "los_base.h"
#include "los_event.h"
#include "los_list.h"
#include "los_memory.h"
#include "los_sys.h"
#include "los_tick.h"

#define LOS_TASK_NAMELEN 32
/* TSK_INIT_PARAM_S.uwResved: the task's resources go when its entry function returns. Every
 * task here is detached that way, so the flag is accepted and changes nothing. */
#define LOS_TASK_STATUS_DETACHED 0x0100U

#define OS_TASK_PRIORITY_HIGHEST 0U
#define OS_TASK_PRIORITY_LOWEST 31U
#define OS_TASK_ERRORID 0xFFFFFFFFU

/* usTaskStatus bits, as LiteOS numbers them. */
#define OS_TASK_STATUS_UNUSED 0x0001U
#define OS_TASK_STATUS_SUSPEND 0x0002U
#define OS_TASK_STATUS_READY 0x0004U
#define OS_TASK_STATUS_PEND 0x0008U
#define OS_TASK_STATUS_RUNNING 0x0010U
#define OS_TASK_STATUS_DELAY 0x0020U
#define OS_TASK_STATUS_TIMEOUT 0x0040U
#define OS_TASK_STATUS_PEND_TIME 0x0080U
#define OS_TASK_STATUS_EXIT 0x0100U /* deleted itself; its stack is freed by the idle task */

#define LOS_ERRNO_TSK_NO_MEMORY LOS_ERRNO_OS_FATAL(LOS_MOD_TSK, 0x00)
#define LOS_ERRNO_TSK_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x01)
#define LOS_ERRNO_TSK_STKSZ_NOT_ALIGN LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x02)
#define LOS_ERRNO_TSK_PRIOR_ERROR LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x03)
#define LOS_ERRNO_TSK_ENTRY_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x04)
#define LOS_ERRNO_TSK_NAME_EMPTY LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x05)
#define LOS_ERRNO_TSK_STKSZ_TOO_SMALL LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x06)
#define LOS_ERRNO_TSK_ID_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x07)
#define LOS_ERRNO_TSK_ALREADY_SUSPENDED LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x08)
#define LOS_ERRNO_TSK_NOT_SUSPENDED LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x09)
#define LOS_ERRNO_TSK_NOT_CREATED LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x0a)
#define LOS_ERRNO_TSK_DELETE_LOCKED LOS_ERRNO_OS_FATAL(LOS_MOD_TSK, 0x0b)
#define LOS_ERRNO_TSK_MSG_NONZERO LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x0c)
#define LOS_ERRNO_TSK_DELAY_IN_INT LOS_ERRNO_OS_FATAL(LOS_MOD_TSK, 0x0d)
#define LOS_ERRNO_TSK_DELAY_IN_LOCK LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x0e)
#define LOS_ERRNO_TSK_YIELD_IN_LOCK LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x0f)
#define LOS_ERRNO_TSK_YIELD_NOT_ENOUGH_TASK LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x10)
#define LOS_ERRNO_TSK_TCB_UNAVAILABLE LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x11)
#define LOS_ERRNO_TSK_HOOK_NOT_MATCH LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x12)
#define LOS_ERRNO_TSK_HOOK_IS_FULL LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x13)
#define LOS_ERRNO_TSK_OPERATE_IDLE LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x14)
/* The idle and the software-timer task are both system tasks (LiteOS's later name). */
#define LOS_ERRNO_TSK_OPERATE_SYSTEM_TASK LOS_ERRNO_TSK_OPERATE_IDLE
#define LOS_ERRNO_TSK_SUSPEND_LOCKED LOS_ERRNO_OS_FATAL(LOS_MOD_TSK, 0x15)
#define LOS_ERRNO_TSK_FREE_STACK_FAILED LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x17)
#define LOS_ERRNO_TSK_STKAREA_TOO_SMALL LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x18)
#define LOS_ERRNO_TSK_ACTIVE_FAILED LOS_ERRNO_OS_FATAL(LOS_MOD_TSK, 0x19)
#define LOS_ERRNO_TSK_CONFIG_TOO_MANY LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x1a)
#define LOS_ERRNO_TSK_STKSZ_TOO_LARGE LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x20)
#define LOS_ERRNO_TSK_SUSPEND_SWTMR_NOT_ALLOWED LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x21)
#define LOS_ERRNO_TSK_YIELD_IN_INT LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x24)
/* Joining and detaching (LiteOS-M's API and codes; its NOT_JOIN shares 0x24 with H's
 * YIELD_IN_INT above, which M does not have). */
#define LOS_ERRNO_TSK_NOT_JOIN LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x24)
#define LOS_ERRNO_TSK_NOT_JOIN_SELF LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x25)
#define LOS_ERRNO_TSK_NOT_ALLOW_IN_INT LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x26)
#define LOS_ERRNO_TSK_SCHED_LOCKED LOS_ERRNO_OS_ERROR(LOS_MOD_TSK, 0x28)

/* TSK_INIT_PARAM_S.uwResved: the task can be joined (LiteOS-M); its control block stays after
 * it ends until LOS_TaskJoin collects its return value or LOS_TaskDetach lets it go. */
#define LOS_TASK_ATTR_JOINABLE 0x80000000U

/*
 * The task entry and its argument, in LiteOS 5.0's current form by default: one VOID *. An
 * application that defines LOSCFG_OBSOLETE_API before including this header gets the old
 * form, four UINTPTR arguments in auwArgs. Both forms have one layout and the kernel passes
 * all four words in x0-x3, so tasks of either form can live in one image.
 */
#ifdef LOSCFG_OBSOLETE_API
typedef VOID *(*TSK_ENTRY_FUNC)(UINTPTR param1, UINTPTR param2, UINTPTR param3, UINTPTR param4);
#else
typedef VOID *(*TSK_ENTRY_FUNC)(VOID *param);
#endif

typedef struct tagTskInitParam {
	TSK_ENTRY_FUNC pfnTaskEntry;
	UINT16 usTaskPrio; /* 0 (highest) .. 31 */
#ifdef LOSCFG_OBSOLETE_API
	UINTPTR auwArgs[4];
#else
	VOID *pArgs;
	UINTPTR auwResved[3]; /* where the obsolete form keeps auwArgs[1..3]; leave zero */
#endif
	UINT32 uwStackSize; /* bytes; 0 takes LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE */
	CHAR *pcName;
	UINT32 uwResved; /* LOS_TASK_STATUS_DETACHED or 0 */
} TSK_INIT_PARAM_S;

/* Sets the (first) argument whichever form is in use. */
#ifdef LOSCFG_OBSOLETE_API
#define LOS_TASK_PARAM_INIT_ARG(initParam, arg) ((initParam).auwArgs[0] = (UINTPTR)(arg))
#else
#define LOS_TASK_PARAM_INIT_ARG(initParam, arg) ((initParam).pArgs = (VOID *)(UINTPTR)(arg))
#endif

typedef struct tagTskInfo {
	CHAR acName[LOS_TASK_NAMELEN];
	UINT32 uwTaskID;
	UINT16 usTaskStatus;
	UINT16 usTaskPrio;
	VOID *pTaskSem; /* what the task pends on, if anything */
	VOID *pTaskMux;
	UINT32 uwSemID;
	UINT32 uwMuxID;
	EVENT_CB_S uwEvent;
	UINT32 uwEventMask;
	UINT32 uwStackSize;
	UINTPTR uwTopOfStack;	 /* lowest address of the stack area */
	UINTPTR uwBottomOfStack; /* one past its highest address: where the stack starts */
	UINTPTR uwSP;
	UINT32 uwCurrUsed;
	UINT32 uwPeakUsed; /* from the fill pattern still untouched */
	BOOL bOvf;	   /* the guard word at the far end was overwritten */
} TSK_INFO_S;

/* Called at every task switch, before the next task runs (NULL: none). */
typedef VOID (*TSKSWITCHHOOK)(VOID);

UINT32 LOS_TaskCreateOnly(UINT32 *taskID, TSK_INIT_PARAM_S *initParam);
/* As LOS_TaskCreate(Only) on the caller's stack: uwStackSize bytes from topStack (its lowest
 * address, 16-byte aligned), which the kernel never frees. */
UINT32 LOS_TaskCreateOnlyStatic(UINT32 *taskID, TSK_INIT_PARAM_S *initParam, VOID *topStack);
UINT32 LOS_TaskCreateStatic(UINT32 *taskID, TSK_INIT_PARAM_S *initParam, VOID *topStack);
UINT32 LOS_TaskCreate(UINT32 *taskID, TSK_INIT_PARAM_S *initParam);
UINT32 LOS_TaskResume(UINT32 taskID);
UINT32 LOS_TaskSuspend(UINT32 taskID);
UINT32 LOS_TaskDelete(UINT32 taskID);
UINT32 LOS_TaskDelay(UINT32 tick);
UINT32 LOS_TaskYield(VOID);
VOID LOS_TaskLock(VOID);
VOID LOS_TaskUnlock(VOID);
UINT32 LOS_TaskPriSet(UINT32 taskID, UINT16 taskPrio);
UINT32 LOS_CurTaskPriSet(UINT16 taskPrio);
/* The priority the task runs at now (raised while it holds a mutex a higher task wants). */
UINT16 LOS_TaskPriGet(UINT32 taskID);
UINT32 LOS_CurTaskIDGet(VOID);
UINT32 LOS_TaskInfoGet(UINT32 taskID, TSK_INFO_S *taskInfo);
CHAR *LOS_TaskNameGet(UINT32 taskID);
/* The running task's name, NULL before the scheduler starts. */
CHAR *LOS_CurTaskNameGet(VOID);
/* The OS_TASK_STATUS_* bits of a task. */
UINT32 LOS_TaskStatusGet(UINT32 taskID, UINT32 *taskStatus);
/* Waits until a LOS_TASK_ATTR_JOINABLE task ends; *retval (if not NULL) gets what its entry
 * returned (0 if it was deleted). */
UINT32 LOS_TaskJoin(UINT32 taskID, UINTPTR *retval);
/* A joinable task becomes detached: its resources go as soon as it ends. */
UINT32 LOS_TaskDetach(UINT32 taskID);
VOID LOS_TaskSwitchHookReg(TSKSWITCHHOOK hook);

#endif /* _LOS_TASK_H */
