/* LiteOS mutexes: recursive ownership and priority inheritance along chains of waiting owners. */
#include "los_ipc_pri.h"
#include "los_mux_pri.h"
#include "los_sched_pri.h"
#include "los_memory.h"
#include "los_sys.h"
#include <string.h>

static LosMuxCB *g_allMux;
static LOS_DL_LIST g_unusedMuxList;

UINT32 OsMuxInit(VOID)
{
	UINT32 size = LOSCFG_BASE_IPC_MUX_LIMIT * (UINT32)sizeof(LosMuxCB);

	g_allMux = LOS_MemAlloc(m_aucSysMem0, size);
	if (g_allMux == NULL)
		return LOS_ERRNO_MUX_NO_MEMORY;
	memset(g_allMux, 0, size);
	LOS_ListInit(&g_unusedMuxList);
	for (UINT32 i = 0; i < LOSCFG_BASE_IPC_MUX_LIMIT; i++) {
		g_allMux[i].muxID = OS_IPC_HANDLE(0, i);
		LOS_ListTailInsert(&g_unusedMuxList, &g_allMux[i].holdList);
	}
	return LOS_OK;
}

/* Call with IRQs masked. */
static LosMuxCB *OsMuxGet(UINT32 muxHandle)
{
	LosMuxCB *mux;

	if (OS_IPC_INDEX(muxHandle) >= LOSCFG_BASE_IPC_MUX_LIMIT)
		return NULL;
	mux = &g_allMux[OS_IPC_INDEX(muxHandle)];
	if (mux->muxStat != OS_IPC_USED || mux->muxID != muxHandle)
		return NULL;
	return mux;
}

UINT32 OsMuxIdOf(const VOID *mux)
{
	return mux ? ((const LosMuxCB *)mux)->muxID : OS_INVALID;
}

UINT32 LOS_MuxCreate(UINT32 *muxHandle)
{
	UINT32 intSave;
	LosMuxCB *mux;

	if (muxHandle == NULL)
		return LOS_ERRNO_MUX_PTR_NULL;
	intSave = LOS_IntLock();
	if (LOS_ListEmpty(&g_unusedMuxList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_MUX_ALL_BUSY;
	}
	mux = LOS_DL_LIST_ENTRY(g_unusedMuxList.pstNext, LosMuxCB, holdList);
	LOS_ListDelete(&mux->holdList);
	mux->muxStat = OS_IPC_USED;
	mux->muxCount = 0;
	mux->owner = NULL;
	LOS_ListInit(&mux->muxList);
	*muxHandle = mux->muxID;
	LOS_IntRestore(intSave);
	return LOS_OK;
}

UINT32 LOS_MuxDelete(UINT32 muxHandle)
{
	UINT32 intSave = LOS_IntLock();
	LosMuxCB *mux = OsMuxGet(muxHandle);

	if (mux == NULL) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_MUX_INVALID;
	}
	if (mux->owner != NULL || !LOS_ListEmpty(&mux->muxList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_MUX_PENDED;
	}
	mux->muxStat = OS_IPC_UNUSED;
	mux->muxID = OS_IPC_HANDLE(OS_IPC_COUNT(mux->muxID) + 1, OS_IPC_INDEX(mux->muxID));
	LOS_ListTailInsert(&g_unusedMuxList, &mux->holdList);
	LOS_IntRestore(intSave);
	return LOS_OK;
}

/* The priority the task is owed: its own, or that of the best waiter on a mutex it holds. */
static UINT16 OsMuxInheritedPrio(LosTaskCB *task)
{
	UINT16 prio = task->basePrio;
	LosMuxCB *mux = NULL;

	LOS_DL_LIST_FOR_EACH_ENTRY(mux, &task->muxHeld, LosMuxCB, holdList)
	{
		const LosTaskCB *waiter = OsSchedFirstWaiter(&mux->muxList);

		if (waiter && waiter->priority < prio)
			prio = waiter->priority;
	}
	return prio;
}

/* The chain is bounded by the number of tasks, so a deadlock cycle cannot loop forever. */
VOID OsMuxPrioUpdate(LosTaskCB *task)
{
	for (UINT32 depth = 0; task && depth < g_taskMaxNum; depth++) {
		UINT16 prio = OsMuxInheritedPrio(task);

		if (prio == task->priority)
			return;
		OsSchedPrioSet(task, prio);
		/* Its place among another mutex's waiters moved: that owner may owe it more. */
		if (!(task->taskStatus & OS_TASK_STATUS_PEND) || task->taskMux == NULL)
			return;
		task = ((LosMuxCB *)task->taskMux)->owner;
	}
}

/* The waiter is about to sleep: lend its priority down the chain of owners before it does. */
static VOID OsMuxBoost(LosTaskCB *owner, UINT16 prio)
{
	for (UINT32 depth = 0; owner && depth < g_taskMaxNum; depth++) {
		if (owner->priority <= prio)
			return;
		OsSchedPrioSet(owner, prio);
		if (!(owner->taskStatus & OS_TASK_STATUS_PEND) || owner->taskMux == NULL)
			return;
		owner = ((LosMuxCB *)owner->taskMux)->owner;
	}
}

VOID OsMuxWaiterGone(LosTaskCB *task)
{
	LosMuxCB *mux = task->taskMux;

	task->taskMux = NULL;
	if (mux->owner)
		OsMuxPrioUpdate(mux->owner);
}

static VOID OsMuxHandOver(LosMuxCB *mux, LosTaskCB *next)
{
	next->taskMux = NULL;
	OsSchedWake(next);
	mux->owner = next;
	mux->muxCount = 1;
	LOS_ListTailInsert(&next->muxHeld, &mux->holdList);
	/* The waiters left behind now lend their priority to the new owner. */
	OsMuxPrioUpdate(next);
}

VOID OsMuxReleaseAll(LosTaskCB *task)
{
	while (!LOS_ListEmpty(&task->muxHeld)) {
		LosMuxCB *mux = LOS_DL_LIST_ENTRY(task->muxHeld.pstNext, LosMuxCB, holdList);
		LosTaskCB *next = OsSchedFirstWaiter(&mux->muxList);

		LOS_ListDelete(&mux->holdList);
		mux->owner = NULL;
		mux->muxCount = 0;
		if (next)
			OsMuxHandOver(mux, next);
	}
}

UINT32 LOS_MuxPend(UINT32 muxHandle, UINT32 timeout)
{
	UINT32 intSave = LOS_IntLock();
	LosMuxCB *mux = OsMuxGet(muxHandle);
	LosTaskCB *run = g_runTask;
	UINT32 ret = LOS_OK;

	if (mux == NULL) {
		ret = LOS_ERRNO_MUX_INVALID;
	} else if (OS_INT_ACTIVE) {
		ret = LOS_ERRNO_MUX_PEND_INTERR;
	} else if (!g_taskScheduled) {
		ret = LOS_ERRNO_MUX_PEND_IN_LOCK;
	} else if (mux->owner == NULL) {
		mux->owner = run;
		mux->muxCount = 1;
		LOS_ListTailInsert(&run->muxHeld, &mux->holdList);
	} else if (mux->owner == run) {
		if (mux->muxCount == 0xFFFFU)
			ret = LOS_ERRNO_MUX_OVERFLOW;
		else
			mux->muxCount++;
	} else if (timeout == LOS_NO_WAIT) {
		ret = LOS_ERRNO_MUX_UNAVAILABLE;
	} else if (!OsPreemptable()) {
		ret = LOS_ERRNO_MUX_PEND_IN_LOCK;
	} else if (run->taskFlags & OS_TASK_FLAG_SYSTEM) {
		ret = LOS_ERRNO_MUX_PEND_IN_SYSTEM_TASK;
	} else {
		OsMuxBoost(mux->owner, run->priority);
		run->taskMux = mux;
		/* Woken by a post, the mutex is already ours; on a timeout the tick let go of it.
		 */
		if (OsSchedPend(&mux->muxList, timeout, TRUE))
			ret = LOS_ERRNO_MUX_TIMEOUT;
	}
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_MuxPost(UINT32 muxHandle)
{
	UINT32 intSave = LOS_IntLock();
	LosMuxCB *mux = OsMuxGet(muxHandle);
	LosTaskCB *run = g_runTask;
	LosTaskCB *next;

	if (mux == NULL || OS_INT_ACTIVE || mux->muxCount == 0 || mux->owner != run) {
		LOS_IntRestore(intSave);
		return (mux != NULL && OS_INT_ACTIVE) ? LOS_ERRNO_MUX_PEND_INTERR
						      : LOS_ERRNO_MUX_INVALID;
	}
	if (--mux->muxCount > 0) {
		LOS_IntRestore(intSave);
		return LOS_OK;
	}
	LOS_ListDelete(&mux->holdList);
	mux->owner = NULL;
	/* What this mutex's waiters lent is given back before anyone else runs. */
	OsMuxPrioUpdate(run);
	next = OsSchedFirstWaiter(&mux->muxList);
	if (next)
		OsMuxHandOver(mux, next);
	OsSchedule();
	LOS_IntRestore(intSave);
	OsSigCheck();
	return LOS_OK;
}
