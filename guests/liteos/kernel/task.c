/* LiteOS task management: control blocks, stacks from the system pool, create/delete/suspend. */
#include "guest.h"
#include "los_mem_pri.h"
#include "los_cpup_pri.h"
#include "los_ipc_pri.h"
#include "los_mux_pri.h"
#include "los_sched_pri.h"
#include <string.h>

LosTaskCB *g_taskCBArray;
UINT32 g_taskMaxNum;
UINT32 g_idleTaskID = OS_TASK_ERRORID;
UINT32 g_swtmrTaskID = OS_TASK_ERRORID;
VOID (*g_taskDeleteHook)(LosTaskCB *task);

/* Tasks that deleted themselves: the stack they were running on is freed later, by another. */
static LOS_DL_LIST g_taskRecycleList;

UINT32 OsTaskInit(VOID)
{
	UINT32 size = LOSCFG_BASE_CORE_TSK_LIMIT * (UINT32)sizeof(LosTaskCB);

	g_taskCBArray = LOS_MemAlloc(m_aucSysMem0, size);
	if (g_taskCBArray == NULL)
		return LOS_ERRNO_TSK_NO_MEMORY;
	memset(g_taskCBArray, 0, size);
	g_taskMaxNum = LOSCFG_BASE_CORE_TSK_LIMIT;
	for (UINT32 i = 0; i < g_taskMaxNum; i++) {
		g_taskCBArray[i].taskStatus = OS_TASK_STATUS_UNUSED;
		g_taskCBArray[i].taskID = i;
	}
	LOS_ListInit(&g_taskRecycleList);
	OsSchedInit();
	return LOS_OK;
}

VOID OsTaskEntry(LosTaskCB *task);
VOID OsTaskEntry(LosTaskCB *task)
{
	/* Every switch happens with IRQs masked; a new task starts with them on. */
	(void)LOS_IntUnLock();
	task->retVal = OsTaskCall(task->taskEntry, task->args);
	if (g_losTaskLock) {
		kprintf("liteos: task %u (%s) returned with the scheduler locked\n", task->taskID,
			task->taskName);
		g_losTaskLock = 0;
	}
	(void)LOS_TaskDelete(task->taskID);
	for (;;)
		__asm__ volatile("wfi");
}

UINT32 OsTaskStackPeak(const LosTaskCB *task)
{
	const UINT64 *word = (const UINT64 *)task->topOfStack;
	UINT32 words = task->stackSize / sizeof(UINT64);
	UINT32 i = 1;

	while (i < words && word[i] == OS_TASK_STACK_INIT)
		i++;
	return (words - i) * (UINT32)sizeof(UINT64);
}

BOOL OsTaskStackOverflowed(const LosTaskCB *task)
{
	return *(const UINT64 *)task->topOfStack != OS_TASK_MAGIC_WORD;
}

const CHAR *OsTaskStatusName(UINT16 status)
{
	if (status & OS_TASK_STATUS_RUNNING)
		return "Running";
	if (status & OS_TASK_STATUS_SUSPEND)
		return "Suspend";
	if (status & OS_TASK_STATUS_PEND)
		return (status & OS_TASK_STATUS_PEND_TIME) ? "PendTime" : "Pend";
	if (status & OS_TASK_STATUS_DELAY)
		return "Delay";
	if (status & OS_TASK_STATUS_READY)
		return "Ready";
	if (status & OS_TASK_STATUS_EXIT)
		return "Exit";
	return "Unused";
}

static VOID OsTaskStackInit(LosTaskCB *task, VOID *stack, UINT32 size)
{
	UINT64 *word = stack;
	UINT64 *frame;

	word[0] = OS_TASK_MAGIC_WORD;
	for (UINT32 i = 1; i < size / sizeof(UINT64); i++)
		word[i] = OS_TASK_STACK_INIT;
	/* What OsCtxSwitch pops: x19 = the task, x30 = the trampoline, the rest zero. */
	frame = (UINT64 *)((UINTPTR)stack + size - OS_CTX_FRAME_SIZE);
	memset(frame, 0, OS_CTX_FRAME_SIZE);
	frame[0] = (UINT64)(UINTPTR)task;
	frame[11] = (UINT64)(UINTPTR)OsTaskTrampoline;
	task->stackPointer = (UINTPTR)frame;
}

static UINT32 OsTaskParamCheck(const UINT32 *taskID, const TSK_INIT_PARAM_S *initParam,
			       UINT32 *stackSize)
{
	UINT32 size;

	if (taskID == NULL)
		return LOS_ERRNO_TSK_ID_INVALID;
	if (initParam == NULL)
		return LOS_ERRNO_TSK_PTR_NULL;
	if (initParam->pcName == NULL)
		return LOS_ERRNO_TSK_NAME_EMPTY;
	if (initParam->pfnTaskEntry == NULL)
		return LOS_ERRNO_TSK_ENTRY_NULL;
	if (initParam->usTaskPrio > OS_TASK_PRIORITY_LOWEST)
		return LOS_ERRNO_TSK_PRIOR_ERROR;
	size = initParam->uwStackSize ? initParam->uwStackSize
				      : LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE;
	if (size > LOS_MemPoolSizeGet(m_aucSysMem0) || size > 0x7FFFFFF0U)
		return LOS_ERRNO_TSK_STKSZ_TOO_LARGE;
	if (size < LOSCFG_BASE_CORE_TSK_MIN_STACK_SIZE)
		return LOS_ERRNO_TSK_STKSZ_TOO_SMALL;
	*stackSize = ALIGN_UP(size, LOSCFG_STACK_POINT_ALIGN_SIZE);
	return LOS_OK;
}

/* Claims the lowest free control block, so that task IDs stay small and predictable. */
static LosTaskCB *OsTaskAllocTCB(VOID)
{
	UINT32 intSave = LOS_IntLock();

	for (UINT32 i = 0; i < g_taskMaxNum; i++) {
		LosTaskCB *task = OS_TCB_FROM_TID(i);

		if (task->taskStatus & OS_TASK_STATUS_UNUSED) {
			task->taskStatus = OS_TASK_STATUS_SUSPEND;
			LOS_IntRestore(intSave);
			return task;
		}
	}
	LOS_IntRestore(intSave);
	return NULL;
}

/* userStack: the application's stack (LOS_TaskCreateStatic), or NULL for one from the pool. */
static UINT32 OsTaskCreate(UINT32 *taskID, TSK_INIT_PARAM_S *initParam, UINT32 flags, BOOL start,
			   VOID *userStack)
{
	UINT32 stackSize = 0;
	UINT32 ret = OsTaskParamCheck(taskID, initParam, &stackSize);
	LosTaskCB *task;
	VOID *stack = userStack;
	UINT32 intSave;

	if (ret != LOS_OK)
		return ret;
	if (userStack != NULL && (((UINTPTR)userStack % LOSCFG_STACK_POINT_ALIGN_SIZE) != 0 ||
				  stackSize != initParam->uwStackSize))
		return LOS_ERRNO_TSK_STKSZ_NOT_ALIGN;
	OsTaskRecycle();
	task = OsTaskAllocTCB();
	if (task == NULL)
		return LOS_ERRNO_TSK_TCB_UNAVAILABLE;
	if (userStack != NULL) {
		flags |= OS_TASK_FLAG_STATIC_STACK;
	} else {
		/* The stack is charged to the new task in los_memstat, not to its creator. */
		stack = OsMemAllocFor(task->taskID, stackSize, LOSCFG_STACK_POINT_ALIGN_SIZE);
		if (stack == NULL) {
			task->taskStatus = OS_TASK_STATUS_UNUSED;
			return LOS_ERRNO_TSK_NO_MEMORY;
		}
	}
	if (initParam->uwResved & LOS_TASK_ATTR_JOINABLE)
		flags |= OS_TASK_FLAG_JOINABLE;
	task->topOfStack = (UINTPTR)stack;
	task->stackSize = stackSize;
	task->priority = initParam->usTaskPrio;
	task->basePrio = initParam->usTaskPrio;
	task->timeSlice = 0;
	task->taskFlags = flags;
	task->taskEntry = initParam->pfnTaskEntry;
	/* pArgs and auwResved are where the obsolete form's auwArgs[0..3] are. */
	task->args[0] = (UINTPTR)initParam->pArgs;
	memcpy(&task->args[1], initParam->auwResved, sizeof(initParam->auwResved));
	strlcpy(task->taskName, initParam->pcName, sizeof(task->taskName));
	task->pendHead = NULL;
	task->retVal = NULL;
	task->joinRetVal = NULL;
	LOS_ListInit(&task->joinList);
	LOS_ListInit(&task->muxHeld);
	task->taskSem = NULL;
	task->taskMux = NULL;
	task->taskEvent = NULL;
	task->eventMask = 0;
	task->eventMode = 0;
	task->sigPending = 0;
	task->sigDefer = 0;
	task->errNo = 0;
	OsTaskStackInit(task, stack, stackSize);

	intSave = LOS_IntLock();
	OsCpupTaskCreated(task->taskID);
	*taskID = task->taskID;
	if (start) {
		task->taskStatus = 0;
		OsSchedReadyAdd(task, FALSE);
		OsSchedule();
	}
	LOS_IntRestore(intSave);
	OsSigCheck();
	return LOS_OK;
}

UINT32 LOS_TaskCreateOnly(UINT32 *taskID, TSK_INIT_PARAM_S *initParam)
{
	return OsTaskCreate(taskID, initParam, 0, FALSE, NULL);
}

UINT32 LOS_TaskCreate(UINT32 *taskID, TSK_INIT_PARAM_S *initParam)
{
	return OsTaskCreate(taskID, initParam, 0, TRUE, NULL);
}

UINT32 LOS_TaskCreateOnlyStatic(UINT32 *taskID, TSK_INIT_PARAM_S *initParam, VOID *topStack)
{
	if (topStack == NULL)
		return LOS_ERRNO_TSK_PTR_NULL;
	return OsTaskCreate(taskID, initParam, 0, FALSE, topStack);
}

UINT32 LOS_TaskCreateStatic(UINT32 *taskID, TSK_INIT_PARAM_S *initParam, VOID *topStack)
{
	if (topStack == NULL)
		return LOS_ERRNO_TSK_PTR_NULL;
	return OsTaskCreate(taskID, initParam, 0, TRUE, topStack);
}

UINT32 OsSystemTaskCreate(UINT32 *taskID, TSK_INIT_PARAM_S *initParam)
{
	return OsTaskCreate(taskID, initParam, OS_TASK_FLAG_SYSTEM, TRUE, NULL);
}

static VOID *OsIdleTask(VOID *arg)
{
	(void)arg;
	for (;;) {
		OsTaskRecycle();
		__asm__ volatile("wfi");
	}
	return NULL;
}

UINT32 OsIdleTaskCreate(VOID)
{
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = OsIdleTask,
	    .usTaskPrio = OS_TASK_PRIORITY_LOWEST,
	    .uwStackSize = LOSCFG_BASE_CORE_TSK_IDLE_STACK_SIZE,
	    .pcName = "IdleCore000",
	};

	return OsSystemTaskCreate(&g_idleTaskID, &param);
}

/* The task's memory goes back to the pool and its statistics slot is forgotten. */
static VOID OsTaskFree(LosTaskCB *task)
{
	UINT32 intSave;

	if (!(task->taskFlags & OS_TASK_FLAG_STATIC_STACK))
		(void)LOS_MemFree(m_aucSysMem0, (VOID *)task->topOfStack);
	OsMemTaskClear(task->taskID);
	intSave = LOS_IntLock();
	/* A joinable task nobody has joined yet keeps its control block (and return value). */
	task->topOfStack = 0;
	task->taskStatus =
	    (task->taskFlags & OS_TASK_FLAG_JOINABLE) ? OS_TASK_STATUS_EXIT : OS_TASK_STATUS_UNUSED;
	LOS_IntRestore(intSave);
}

VOID OsTaskRecycle(VOID)
{
	for (;;) {
		UINT32 intSave = LOS_IntLock();
		LosTaskCB *task = NULL;
		LosTaskCB *item = NULL;

		/* A task deleting itself from an interrupt still runs until the interrupt ends. */
		LOS_DL_LIST_FOR_EACH_ENTRY(item, &g_taskRecycleList, LosTaskCB, pendList)
		{
			if (item != g_runTask) {
				task = item;
				break;
			}
		}
		if (task == NULL) {
			LOS_IntRestore(intSave);
			return;
		}
		LOS_ListDelete(&task->pendList);
		LOS_IntRestore(intSave);
		OsTaskFree(task);
	}
}

static UINT32 OsTaskCheck(UINT32 taskID, LosTaskCB **out)
{
	LosTaskCB *task;

	if (OS_TASK_ID_CHECK_INVALID(taskID))
		return LOS_ERRNO_TSK_ID_INVALID;
	task = OS_TCB_FROM_TID(taskID);
	if (task->taskStatus & (OS_TASK_STATUS_UNUSED | OS_TASK_STATUS_EXIT))
		return LOS_ERRNO_TSK_NOT_CREATED;
	*out = task;
	return LOS_OK;
}

UINT32 LOS_TaskResume(UINT32 taskID)
{
	UINT32 intSave = LOS_IntLock();
	LosTaskCB *task = NULL;
	UINT32 ret = OsTaskCheck(taskID, &task);

	if (ret == LOS_OK && !(task->taskStatus & OS_TASK_STATUS_SUSPEND))
		ret = LOS_ERRNO_TSK_NOT_SUSPENDED;
	if (ret == LOS_OK) {
		task->taskStatus &= ~OS_TASK_STATUS_SUSPEND;
		if (!(task->taskStatus & OS_TASK_BLOCKED))
			OsSchedReadyAdd(task, FALSE);
		OsSchedule();
	}
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_TaskSuspend(UINT32 taskID)
{
	UINT32 intSave = LOS_IntLock();
	LosTaskCB *task = NULL;
	UINT32 ret = OsTaskCheck(taskID, &task);

	if (ret != LOS_OK)
		goto out;
	if (task->taskFlags & OS_TASK_FLAG_SYSTEM) {
		ret = taskID == g_swtmrTaskID ? LOS_ERRNO_TSK_SUSPEND_SWTMR_NOT_ALLOWED
					      : LOS_ERRNO_TSK_OPERATE_IDLE;
		goto out;
	}
	if (task->taskStatus & OS_TASK_STATUS_SUSPEND) {
		ret = LOS_ERRNO_TSK_ALREADY_SUSPENDED;
		goto out;
	}
	if (task == g_runTask && g_losTaskLock) {
		ret = LOS_ERRNO_TSK_SUSPEND_LOCKED;
		goto out;
	}
	if (task->taskStatus & OS_TASK_STATUS_READY)
		OsSchedReadyRemove(task);
	task->taskStatus |= OS_TASK_STATUS_SUSPEND;
	/* Suspending the interrupted task from an interrupt switches when the interrupt ends. */
	OsSchedule();
out:
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

/* Takes the task out of every list it is on and gives away what it holds. */
static VOID OsTaskDetach(LosTaskCB *task)
{
	if (task->taskStatus & OS_TASK_STATUS_READY)
		OsSchedReadyRemove(task);
	if (task->taskStatus & OS_TASK_STATUS_PEND) {
		LOS_ListDelete(&task->pendList);
		task->pendHead = NULL;
		if (task->taskMux)
			OsMuxWaiterGone(task);
	}
	if (task->taskStatus & (OS_TASK_STATUS_DELAY | OS_TASK_STATUS_PEND_TIME))
		OsSchedTimerRemove(task);
	OsMuxReleaseAll(task);
	/* A joiner gets the return value now; the task is then as good as detached. */
	while (!LOS_ListEmpty(&task->joinList)) {
		LosTaskCB *joiner = OsSchedFirstWaiter(&task->joinList);

		joiner->joinRetVal = task->retVal;
		OsSchedWake(joiner);
		task->taskFlags &= ~OS_TASK_FLAG_JOINABLE;
	}
	task->taskStatus = OS_TASK_STATUS_EXIT;
}

UINT32 LOS_TaskDelete(UINT32 taskID)
{
	UINT32 intSave = LOS_IntLock();
	LosTaskCB *task = NULL;
	UINT32 ret = OsTaskCheck(taskID, &task);

	if (ret == LOS_OK && (task->taskFlags & OS_TASK_FLAG_SYSTEM))
		ret = LOS_ERRNO_TSK_OPERATE_SYSTEM_TASK;
	if (ret == LOS_OK && task == g_runTask && g_losTaskLock)
		ret = LOS_ERRNO_TSK_DELETE_LOCKED;
	LOS_IntRestore(intSave);
	if (ret != LOS_OK)
		return ret;
	/* The signal state goes first, while the task still exists (it may block on a lock). */
	if (g_taskDeleteHook && OS_INT_INACTIVE)
		g_taskDeleteHook(task);

	intSave = LOS_IntLock();
	ret = OsTaskCheck(taskID, &task);
	if (ret != LOS_OK) {
		LOS_IntRestore(intSave);
		return ret;
	}
	OsTaskDetach(task);
	if (task == g_runTask) {
		LOS_ListTailInsert(&g_taskRecycleList, &task->pendList);
		OsSchedule(); /* does not come back, unless this is an interrupt */
		LOS_IntRestore(intSave);
		return LOS_OK;
	}
	/* Handing its mutexes over may have readied a more important task. */
	OsSchedule();
	LOS_IntRestore(intSave);
	OsTaskFree(task);
	OsSigCheck();
	return LOS_OK;
}

UINT32 LOS_TaskDelay(UINT32 tick)
{
	UINT32 intSave;

	if (OS_INT_ACTIVE)
		return LOS_ERRNO_TSK_DELAY_IN_INT;
	if (!OsPreemptable())
		return LOS_ERRNO_TSK_DELAY_IN_LOCK;
	if (tick == 0)
		return LOS_TaskYield();
	intSave = LOS_IntLock();
	OsSchedDelay(tick);
	LOS_IntRestore(intSave);
	OsSigCheck();
	return LOS_OK;
}

UINT32 LOS_TaskYield(VOID)
{
	UINT32 intSave;
	BOOL yielded;

	if (OS_INT_ACTIVE)
		return LOS_ERRNO_TSK_YIELD_IN_INT;
	if (!OsPreemptable())
		return LOS_ERRNO_TSK_YIELD_IN_LOCK;
	intSave = LOS_IntLock();
	yielded = OsSchedYield();
	LOS_IntRestore(intSave);
	OsSigCheck();
	/* LiteOS 5.0 reports a yield with nobody to yield to (LiteOS-M says LOS_OK). */
	return yielded ? LOS_OK : LOS_ERRNO_TSK_YIELD_NOT_ENOUGH_TASK;
}

VOID LOS_TaskLock(VOID)
{
	UINT32 intSave = LOS_IntLock();

	g_losTaskLock++;
	LOS_IntRestore(intSave);
}

VOID LOS_TaskUnlock(VOID)
{
	UINT32 intSave = LOS_IntLock();

	if (g_losTaskLock > 0 && --g_losTaskLock == 0)
		OsSchedIrqExit(); /* whatever was held back: a better task, an expired slice */
	LOS_IntRestore(intSave);
	OsSigCheck();
}

UINT32 LOS_TaskPriSet(UINT32 taskID, UINT16 taskPrio)
{
	UINT32 intSave;
	LosTaskCB *task = NULL;
	UINT32 ret;

	if (taskPrio > OS_TASK_PRIORITY_LOWEST)
		return LOS_ERRNO_TSK_PRIOR_ERROR;
	intSave = LOS_IntLock();
	ret = OsTaskCheck(taskID, &task);
	if (ret == LOS_OK && (task->taskFlags & OS_TASK_FLAG_SYSTEM))
		ret = LOS_ERRNO_TSK_OPERATE_IDLE;
	if (ret == LOS_OK) {
		task->basePrio = taskPrio;
		/* It keeps any higher priority its mutexes' waiters lend it. */
		OsMuxPrioUpdate(task);
		OsSchedule();
	}
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_CurTaskPriSet(UINT16 taskPrio)
{
	return LOS_TaskPriSet(LOS_CurTaskIDGet(), taskPrio);
}

UINT16 LOS_TaskPriGet(UINT32 taskID)
{
	LosTaskCB *task = NULL;

	if (OsTaskCheck(taskID, &task) != LOS_OK)
		return (UINT16)OS_INVALID;
	return task->priority;
}

UINT32 LOS_CurTaskIDGet(VOID)
{
	return g_runTask ? g_runTask->taskID : OS_TASK_ERRORID;
}

CHAR *LOS_CurTaskNameGet(VOID)
{
	return g_taskScheduled ? g_runTask->taskName : NULL;
}

UINT32 LOS_TaskStatusGet(UINT32 taskID, UINT32 *taskStatus)
{
	if (taskStatus == NULL)
		return LOS_ERRNO_TSK_PTR_NULL;
	if (OS_TASK_ID_CHECK_INVALID(taskID))
		return LOS_ERRNO_TSK_ID_INVALID;
	*taskStatus = OS_TCB_FROM_TID(taskID)->taskStatus;
	return (*taskStatus & OS_TASK_STATUS_UNUSED) ? LOS_ERRNO_TSK_NOT_CREATED : LOS_OK;
}

/* Checks shared by join and detach, with IRQs masked. */
static UINT32 OsTaskJoinCheck(LosTaskCB *task)
{
	if (task->taskStatus & OS_TASK_STATUS_UNUSED)
		return LOS_ERRNO_TSK_NOT_CREATED;
	if (!(task->taskFlags & OS_TASK_FLAG_JOINABLE) || !LOS_ListEmpty(&task->joinList))
		return LOS_ERRNO_TSK_NOT_JOIN;
	return LOS_OK;
}

/* An ended joinable task that is now joined or detached: free its control block if its stack
 * is gone already (otherwise OsTaskFree does it, seeing the flag cleared). */
static VOID OsTaskReap(LosTaskCB *task)
{
	task->taskFlags &= ~OS_TASK_FLAG_JOINABLE;
	if ((task->taskStatus & OS_TASK_STATUS_EXIT) && task->topOfStack == 0)
		task->taskStatus = OS_TASK_STATUS_UNUSED;
}

UINT32 LOS_TaskJoin(UINT32 taskID, UINTPTR *retval)
{
	UINT32 intSave;
	LosTaskCB *task;
	VOID *value = NULL;
	UINT32 ret;

	if (OS_TASK_ID_CHECK_INVALID(taskID))
		return LOS_ERRNO_TSK_ID_INVALID;
	if (OS_INT_ACTIVE)
		return LOS_ERRNO_TSK_NOT_ALLOW_IN_INT;
	if (g_losTaskLock)
		return LOS_ERRNO_TSK_SCHED_LOCKED;
	if (taskID == LOS_CurTaskIDGet())
		return LOS_ERRNO_TSK_NOT_JOIN_SELF;
	task = OS_TCB_FROM_TID(taskID);
	intSave = LOS_IntLock();
	ret = OsTaskJoinCheck(task);
	if (ret == LOS_OK && (task->taskStatus & OS_TASK_STATUS_EXIT)) {
		value = task->retVal;
		OsTaskReap(task);
	} else if (ret == LOS_OK) {
		/* The task's end (OsTaskDetach) wakes us with its value. */
		(void)OsSchedPend(&task->joinList, LOS_WAIT_FOREVER, FALSE);
		value = g_runTask->joinRetVal;
	}
	LOS_IntRestore(intSave);
	if (ret == LOS_OK && retval != NULL)
		*retval = (UINTPTR)value;
	OsSigCheck();
	return ret;
}

UINT32 LOS_TaskDetach(UINT32 taskID)
{
	UINT32 intSave;
	UINT32 ret;

	if (OS_TASK_ID_CHECK_INVALID(taskID))
		return LOS_ERRNO_TSK_ID_INVALID;
	if (OS_INT_ACTIVE)
		return LOS_ERRNO_TSK_NOT_ALLOW_IN_INT;
	intSave = LOS_IntLock();
	ret = OsTaskJoinCheck(OS_TCB_FROM_TID(taskID));
	if (ret == LOS_OK)
		OsTaskReap(OS_TCB_FROM_TID(taskID));
	LOS_IntRestore(intSave);
	return ret;
}

VOID LOS_TaskSwitchHookReg(TSKSWITCHHOOK hook)
{
	g_taskSwitchHook = hook;
}

CHAR *LOS_TaskNameGet(UINT32 taskID)
{
	LosTaskCB *task = NULL;

	if (OsTaskCheck(taskID, &task) != LOS_OK)
		return NULL;
	return task->taskName;
}

UINT32 LOS_TaskInfoGet(UINT32 taskID, TSK_INFO_S *taskInfo)
{
	UINT32 intSave;
	LosTaskCB *task = NULL;
	UINT32 ret;
	UINTPTR sp;

	if (taskInfo == NULL)
		return LOS_ERRNO_TSK_PTR_NULL;
	intSave = LOS_IntLock();
	ret = OsTaskCheck(taskID, &task);
	if (ret != LOS_OK) {
		LOS_IntRestore(intSave);
		return ret;
	}
	memset(taskInfo, 0, sizeof(*taskInfo));
	strlcpy(taskInfo->acName, task->taskName, sizeof(taskInfo->acName));
	taskInfo->uwTaskID = taskID;
	taskInfo->usTaskStatus = task->taskStatus;
	taskInfo->usTaskPrio = task->priority;
	taskInfo->pTaskSem = task->taskSem;
	taskInfo->pTaskMux = task->taskMux;
	taskInfo->uwSemID = OsSemIdOf(task->taskSem);
	taskInfo->uwMuxID = OsMuxIdOf(task->taskMux);
	if (task->taskEvent)
		taskInfo->uwEvent = *(const EVENT_CB_S *)task->taskEvent;
	taskInfo->uwEventMask = task->eventMask;
	taskInfo->uwStackSize = task->stackSize;
	taskInfo->uwTopOfStack = task->topOfStack;
	taskInfo->uwBottomOfStack = task->topOfStack + task->stackSize;
	if (task == g_runTask)
		__asm__ volatile("mov %0, sp" : "=r"(sp));
	else
		sp = task->stackPointer;
	taskInfo->uwSP = sp;
	taskInfo->uwCurrUsed = (UINT32)(taskInfo->uwBottomOfStack - sp);
	taskInfo->uwPeakUsed = OsTaskStackPeak(task);
	taskInfo->bOvf = OsTaskStackOverflowed(task);
	LOS_IntRestore(intSave);
	return LOS_OK;
}
