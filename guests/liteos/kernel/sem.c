/* LiteOS semaphores: counting and binary, a post hands the unit straight to the first waiter. */
#include "los_ipc_pri.h"
#include "los_sched_pri.h"
#include "los_sem.h"
#include "los_memory.h"
#include "los_sys.h"
#include <string.h>

typedef struct {
	UINT32 semID;
	UINT8 semStat;
	UINT16 semCount;
	UINT16 maxSemCount;
	LOS_DL_LIST semList; /* waiters in arrival order; free-list node while unused */
} LosSemCB;

static LosSemCB *g_allSem;
static LOS_DL_LIST g_unusedSemList;

UINT32 OsSemInit(VOID)
{
	UINT32 size = LOSCFG_BASE_IPC_SEM_LIMIT * (UINT32)sizeof(LosSemCB);

	g_allSem = LOS_MemAlloc(m_aucSysMem0, size);
	if (g_allSem == NULL)
		return LOS_ERRNO_SEM_NO_MEMORY;
	memset(g_allSem, 0, size);
	LOS_ListInit(&g_unusedSemList);
	for (UINT32 i = 0; i < LOSCFG_BASE_IPC_SEM_LIMIT; i++) {
		g_allSem[i].semID = OS_IPC_HANDLE(0, i);
		LOS_ListTailInsert(&g_unusedSemList, &g_allSem[i].semList);
	}
	return LOS_OK;
}

/* Call with IRQs masked: the slot must not be deleted while it is looked at. */
static LosSemCB *OsSemGet(UINT32 semHandle)
{
	LosSemCB *sem;

	if (OS_IPC_INDEX(semHandle) >= LOSCFG_BASE_IPC_SEM_LIMIT)
		return NULL;
	sem = &g_allSem[OS_IPC_INDEX(semHandle)];
	if (sem->semStat != OS_IPC_USED || sem->semID != semHandle)
		return NULL;
	return sem;
}

UINT32 OsSemIdOf(const VOID *sem)
{
	return sem ? ((const LosSemCB *)sem)->semID : OS_INVALID;
}

static UINT32 OsSemCreate(UINT16 count, UINT16 maxCount, UINT32 *semHandle)
{
	UINT32 intSave;
	LosSemCB *sem;

	if (semHandle == NULL)
		return LOS_ERRNO_SEM_PTR_NULL;
	if (count > maxCount)
		return LOS_ERRNO_SEM_OVERFLOW;
	intSave = LOS_IntLock();
	if (LOS_ListEmpty(&g_unusedSemList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_SEM_ALL_BUSY;
	}
	sem = LOS_DL_LIST_ENTRY(g_unusedSemList.pstNext, LosSemCB, semList);
	LOS_ListDelete(&sem->semList);
	sem->semStat = OS_IPC_USED;
	sem->semCount = count;
	sem->maxSemCount = maxCount;
	LOS_ListInit(&sem->semList);
	*semHandle = sem->semID;
	LOS_IntRestore(intSave);
	return LOS_OK;
}

UINT32 LOS_SemCreate(UINT16 count, UINT32 *semHandle)
{
	return OsSemCreate(count, OS_SEM_COUNT_MAX, semHandle);
}

UINT32 LOS_BinarySemCreate(UINT16 count, UINT32 *semHandle)
{
	return OsSemCreate(count, OS_SEM_BINARY_COUNT_MAX, semHandle);
}

UINT32 LOS_SemDelete(UINT32 semHandle)
{
	UINT32 intSave = LOS_IntLock();
	LosSemCB *sem = OsSemGet(semHandle);

	if (sem == NULL) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_SEM_INVALID;
	}
	if (!LOS_ListEmpty(&sem->semList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_SEM_PENDED;
	}
	sem->semStat = OS_IPC_UNUSED;
	sem->semID = OS_IPC_HANDLE(OS_IPC_COUNT(sem->semID) + 1, OS_IPC_INDEX(sem->semID));
	LOS_ListTailInsert(&g_unusedSemList, &sem->semList);
	LOS_IntRestore(intSave);
	return LOS_OK;
}

UINT32 LOS_SemPend(UINT32 semHandle, UINT32 timeout)
{
	UINT32 intSave = LOS_IntLock();
	LosSemCB *sem = OsSemGet(semHandle);
	UINT32 ret = LOS_OK;

	if (sem == NULL) {
		ret = LOS_ERRNO_SEM_INVALID;
	} else if (OS_INT_ACTIVE) {
		ret = LOS_ERRNO_SEM_PEND_INTERR;
	} else if (!OsPreemptable()) {
		/* As in LiteOS 5.0: refused with the scheduler locked even when a unit is free. */
		ret = LOS_ERRNO_SEM_PEND_IN_LOCK;
	} else if (sem->semCount > 0) {
		sem->semCount--;
	} else if (timeout == LOS_NO_WAIT) {
		ret = LOS_ERRNO_SEM_UNAVAILABLE;
	} else if (g_runTask->taskFlags & OS_TASK_FLAG_SYSTEM) {
		ret = LOS_ERRNO_SEM_PEND_IN_SYSTEM_TASK;
	} else {
		g_runTask->taskSem = sem;
		if (OsSchedPend(&sem->semList, timeout, FALSE))
			ret = LOS_ERRNO_SEM_TIMEOUT;
		g_runTask->taskSem = NULL;
	}
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_SemPost(UINT32 semHandle)
{
	UINT32 intSave = LOS_IntLock();
	LosSemCB *sem = OsSemGet(semHandle);
	LosTaskCB *waiter;
	UINT32 ret = LOS_OK;

	if (sem == NULL) {
		ret = LOS_ERRNO_SEM_INVALID;
	} else if ((waiter = OsSchedFirstWaiter(&sem->semList)) != NULL) {
		OsSchedWake(waiter); /* it owns the unit now: the count stays */
		OsSchedule();
	} else if (sem->semCount >= sem->maxSemCount) {
		ret = LOS_ERRNO_SEM_OVERFLOW;
	} else {
		sem->semCount++;
	}
	LOS_IntRestore(intSave);
	OsSigCheck();
	return ret;
}

UINT32 LOS_SemGetValue(UINT32 semHandle, INT32 *currVal)
{
	UINT32 intSave;
	const LosSemCB *sem;

	if (currVal == NULL)
		return LOS_ERRNO_SEM_PTR_NULL;
	intSave = LOS_IntLock();
	sem = OsSemGet(semHandle);
	if (sem != NULL)
		*currVal = (INT32)sem->semCount;
	LOS_IntRestore(intSave);
	return sem != NULL ? LOS_OK : LOS_ERRNO_SEM_INVALID;
}
