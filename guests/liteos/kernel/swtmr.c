/* LiteOS software timers: the tick finds expired timers, the timer task (priority 0) runs them. */
#include "los_ipc_pri.h"
#include "los_queue.h"
#include "los_sched_pri.h"
#include "los_swtmr.h"
#include "los_memory.h"
#include "los_sys.h"
#include "los_tick_pri.h"
#include <string.h>

#define OS_SWTMR_STATUS_UNUSED 0U
#define OS_SWTMR_STATUS_CREATED 1U
#define OS_SWTMR_STATUS_TICKING 2U
/* IDs step by the table size on reuse, so a stale ID fails; they stay below this. */
#define OS_SWTMR_MAX_TIMERID                                                                       \
	((0xFFFFU / LOSCFG_BASE_CORE_SWTMR_LIMIT) * LOSCFG_BASE_CORE_SWTMR_LIMIT)

typedef struct {
	UINT8 ucState;
	UINT8 ucMode;
	UINT16 usTimerID;
	UINT32 uwInterval;
	UINT64 expireTick;
	SWTMR_PROC_FUNC pfnHandler;
	UINTPTR uwArg;
	LOS_DL_LIST sortList; /* in the ticking list, soonest first; or in the free list */
} SWTMR_CTRL_S;

/* What the tick hands the timer task for one expiry. */
typedef struct {
	SWTMR_PROC_FUNC handler;
	UINTPTR arg;
} SwtmrHandlerItem;

static SWTMR_CTRL_S *g_swtmrCBArray;
static LOS_DL_LIST g_swtmrFreeList;
static LOS_DL_LIST g_swtmrSortList;
static UINT32 g_swtmrHandlerQueue = OS_INVALID;

static VOID *OsSwtmrTask(VOID *arg)
{
	(void)arg;
	for (;;) {
		SwtmrHandlerItem item;
		UINT32 size = sizeof(item);

		if (LOS_QueueReadCopy(g_swtmrHandlerQueue, &item, &size, LOS_WAIT_FOREVER) ==
			LOS_OK &&
		    item.handler)
			item.handler(item.arg);
	}
	return NULL;
}

UINT32 OsSwtmrInit(VOID)
{
	UINT32 size = LOSCFG_BASE_CORE_SWTMR_LIMIT * (UINT32)sizeof(SWTMR_CTRL_S);
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = OsSwtmrTask,
	    .usTaskPrio = 0,
	    .uwStackSize = LOSCFG_BASE_CORE_SWTMR_STACK_SIZE,
	    .pcName = "Swt_Task",
	};

	g_swtmrCBArray = LOS_MemAlloc(m_aucSysMem0, size);
	if (g_swtmrCBArray == NULL)
		return LOS_ERRNO_SWTMR_NO_MEMORY;
	memset(g_swtmrCBArray, 0, size);
	LOS_ListInit(&g_swtmrFreeList);
	LOS_ListInit(&g_swtmrSortList);
	for (UINT16 i = 0; i < LOSCFG_BASE_CORE_SWTMR_LIMIT; i++) {
		g_swtmrCBArray[i].usTimerID = i;
		LOS_ListTailInsert(&g_swtmrFreeList, &g_swtmrCBArray[i].sortList);
	}
	if (LOS_QueueCreate("swtmr", OS_SWTMR_HANDLE_QUEUE_SIZE, &g_swtmrHandlerQueue, 0,
			    sizeof(SwtmrHandlerItem)) != LOS_OK)
		return LOS_ERRNO_SWTMR_QUEUE_CREATE_FAILED;
	if (OsSystemTaskCreate(&g_swtmrTaskID, &param) != LOS_OK)
		return LOS_ERRNO_SWTMR_TASK_CREATE_FAILED;
	return LOS_OK;
}

static VOID OsSwtmrInsert(SWTMR_CTRL_S *swtmr, UINT64 expire)
{
	SWTMR_CTRL_S *item = NULL;

	swtmr->expireTick = expire;
	swtmr->ucState = OS_SWTMR_STATUS_TICKING;
	LOS_DL_LIST_FOR_EACH_ENTRY(item, &g_swtmrSortList, SWTMR_CTRL_S, sortList)
	{
		if (item->expireTick > expire) {
			LOS_ListTailInsert(&item->sortList, &swtmr->sortList);
			return;
		}
	}
	LOS_ListTailInsert(&g_swtmrSortList, &swtmr->sortList);
}

static VOID OsSwtmrFree(SWTMR_CTRL_S *swtmr)
{
	swtmr->ucState = OS_SWTMR_STATUS_UNUSED;
	LOS_ListTailInsert(&g_swtmrFreeList, &swtmr->sortList);
}

/* A one-shot timer frees itself when it fires; as in LiteOS 5.0 its slot then takes a new ID
 * (an explicit LOS_SwtmrDelete keeps it), so the handle the owner still holds is invalid. */
static VOID OsSwtmrExpireOnce(SWTMR_CTRL_S *swtmr)
{
	OsSwtmrFree(swtmr);
	if (swtmr->usTimerID < OS_SWTMR_MAX_TIMERID - LOSCFG_BASE_CORE_SWTMR_LIMIT)
		swtmr->usTimerID = (UINT16)(swtmr->usTimerID + LOSCFG_BASE_CORE_SWTMR_LIMIT);
	else
		swtmr->usTimerID = (UINT16)(swtmr->usTimerID % LOSCFG_BASE_CORE_SWTMR_LIMIT);
}

VOID OsSwtmrScan(UINT64 now)
{
	while (!LOS_ListEmpty(&g_swtmrSortList)) {
		SWTMR_CTRL_S *swtmr =
		    LOS_DL_LIST_ENTRY(g_swtmrSortList.pstNext, SWTMR_CTRL_S, sortList);
		SwtmrHandlerItem item;

		if (swtmr->expireTick > now)
			break;
		LOS_ListDelete(&swtmr->sortList);
		item.handler = swtmr->pfnHandler;
		item.arg = swtmr->uwArg;
		/* A full handler queue drops this expiry, as LiteOS does; the timer goes on. */
		(void)LOS_QueueWriteCopy(g_swtmrHandlerQueue, &item, sizeof(item), LOS_NO_WAIT);
		if (swtmr->ucMode == LOS_SWTMR_MODE_PERIOD)
			OsSwtmrInsert(swtmr, swtmr->expireTick + swtmr->uwInterval);
		else if (swtmr->ucMode == LOS_SWTMR_MODE_ONCE)
			OsSwtmrExpireOnce(swtmr);
		else
			swtmr->ucState = OS_SWTMR_STATUS_CREATED;
	}
}

UINT32 LOS_SwtmrCreate(UINT32 interval, UINT8 mode, SWTMR_PROC_FUNC handler, UINT16 *swtmrID,
		       UINTPTR arg)
{
	UINT32 intSave;
	SWTMR_CTRL_S *swtmr;

	if (interval == 0)
		return LOS_ERRNO_SWTMR_INTERVAL_NOT_SUITED;
	/* LiteOS 5.0 declares LOS_SWTMR_MODE_OPP but refuses it. */
	if (mode > LOS_SWTMR_MODE_NO_SELFDELETE)
		return LOS_ERRNO_SWTMR_MODE_INVALID;
	if (handler == NULL)
		return LOS_ERRNO_SWTMR_PTR_NULL;
	if (swtmrID == NULL)
		return LOS_ERRNO_SWTMR_RET_PTR_NULL;
	intSave = LOS_IntLock();
	if (LOS_ListEmpty(&g_swtmrFreeList)) {
		LOS_IntRestore(intSave);
		return LOS_ERRNO_SWTMR_MAXSIZE;
	}
	swtmr = LOS_DL_LIST_ENTRY(g_swtmrFreeList.pstNext, SWTMR_CTRL_S, sortList);
	LOS_ListDelete(&swtmr->sortList);
	swtmr->ucState = OS_SWTMR_STATUS_CREATED;
	swtmr->ucMode = mode;
	swtmr->uwInterval = interval;
	swtmr->pfnHandler = handler;
	swtmr->uwArg = arg;
	*swtmrID = swtmr->usTimerID;
	LOS_IntRestore(intSave);
	return LOS_OK;
}

/* Call with IRQs masked. *ret says why NULL came back. */
static SWTMR_CTRL_S *OsSwtmrGet(UINT16 swtmrID, UINT32 *ret)
{
	SWTMR_CTRL_S *swtmr;

	if (swtmrID >= OS_SWTMR_MAX_TIMERID) {
		*ret = LOS_ERRNO_SWTMR_ID_INVALID;
		return NULL;
	}
	swtmr = &g_swtmrCBArray[swtmrID % LOSCFG_BASE_CORE_SWTMR_LIMIT];
	/* An ID whose slot moved on (a one-shot timer that fired) is invalid; a slot that still
	 * carries the ID but was deleted is "not created", as in LiteOS 5.0. */
	if (swtmr->usTimerID != swtmrID) {
		*ret = LOS_ERRNO_SWTMR_ID_INVALID;
		return NULL;
	}
	if (swtmr->ucState == OS_SWTMR_STATUS_UNUSED) {
		*ret = LOS_ERRNO_SWTMR_NOT_CREATED;
		return NULL;
	}
	return swtmr;
}

UINT32 LOS_SwtmrStart(UINT16 swtmrID)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave = LOS_IntLock();
	SWTMR_CTRL_S *swtmr = OsSwtmrGet(swtmrID, &ret);

	if (swtmr != NULL) {
		if (swtmr->ucState == OS_SWTMR_STATUS_TICKING)
			LOS_ListDelete(&swtmr->sortList);
		OsSwtmrInsert(swtmr, g_tickCount + swtmr->uwInterval);
	}
	LOS_IntRestore(intSave);
	return ret;
}

UINT32 LOS_SwtmrStop(UINT16 swtmrID)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave = LOS_IntLock();
	SWTMR_CTRL_S *swtmr = OsSwtmrGet(swtmrID, &ret);

	if (swtmr != NULL) {
		if (swtmr->ucState == OS_SWTMR_STATUS_TICKING) {
			LOS_ListDelete(&swtmr->sortList);
			swtmr->ucState = OS_SWTMR_STATUS_CREATED;
		} else {
			ret = LOS_ERRNO_SWTMR_NOT_STARTED;
		}
	}
	LOS_IntRestore(intSave);
	return ret;
}

UINT32 LOS_SwtmrDelete(UINT16 swtmrID)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave = LOS_IntLock();
	SWTMR_CTRL_S *swtmr = OsSwtmrGet(swtmrID, &ret);

	if (swtmr != NULL) {
		if (swtmr->ucState == OS_SWTMR_STATUS_TICKING)
			LOS_ListDelete(&swtmr->sortList);
		OsSwtmrFree(swtmr);
	}
	LOS_IntRestore(intSave);
	return ret;
}

UINT32 LOS_SwtmrTimeGet(UINT16 swtmrID, UINT32 *tick)
{
	UINT32 ret = LOS_OK;
	UINT32 intSave;
	const SWTMR_CTRL_S *swtmr;

	if (tick == NULL)
		return LOS_ERRNO_SWTMR_TICK_PTR_NULL;
	intSave = LOS_IntLock();
	swtmr = OsSwtmrGet(swtmrID, &ret);
	if (swtmr != NULL) {
		if (swtmr->ucState == OS_SWTMR_STATUS_TICKING)
			*tick = (UINT32)(swtmr->expireTick > g_tickCount
					     ? swtmr->expireTick - g_tickCount
					     : 0);
		else
			ret = LOS_ERRNO_SWTMR_NOT_STARTED;
	}
	LOS_IntRestore(intSave);
	return ret;
}
