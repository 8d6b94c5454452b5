/* Exceptions and interrupts under the LiteOS kernel (nesting, task switches on the way out) and
 * the LOS_Hwi* API on the virtual GIC. */
#include "guest.h"
#include "los_sched_pri.h"
#include <dev/gicv3.h>
#include <modvisor/guest_map.h>

volatile UINT32 g_intCount;

extern char los_vectors[];
void exc_dispatch(struct exc_frame *frame, unsigned kind);
VOID OsExcDispatch(struct exc_frame *frame, UINT32 kind);

static VOID OsIrqHandler(VOID)
{
	g_intCount++;
	gic_handle_irq(); /* acknowledges and ends each interrupt itself */
	g_intCount--;
	/* Every interrupt has ended here, so the next task runs with the GIC open to it. */
	OsSchedIrqExit();
	OsSigCheck();
}

VOID OsExcDispatch(struct exc_frame *frame, UINT32 kind)
{
	if (kind == 1 || kind == 5) {
		OsIrqHandler();
		return;
	}
	/* Anything else is fatal unless a hook claims it: say which task it hit first. */
	if (g_taskScheduled && !((kind == 0 || kind == 4) && exc_sync_hook))
		kprintf("liteos: exception in task %u (%s)\n", g_runTask->taskID,
			g_runTask->taskName);
	exc_dispatch(frame, kind);
}

VOID OsHwiInit(VOID);
VOID OsHwiInit(VOID)
{
	__asm__ volatile("msr vbar_el1, %0; isb" ::"r"(los_vectors));
}

/* What LOS_HwiCreate attached to each SPI. */
typedef struct {
	HWI_PROC_FUNC handler;
	BOOL withParam; /* called with (swIrq, pDevId) */
	HWI_IRQ_PARAM_S param;
} OsHwiForm;

static OsHwiForm g_hwiForm[OS_HWI_MAX + 1 - OS_HWI_MIN];

static inline volatile UINT32 *OsGicdReg(UINT32 off)
{
	return (volatile UINT32 *)(UINTPTR)(GUEST_GICD_BASE + off);
}

/* Sets the line's bit in one of the distributor's one-bit-per-interrupt registers. */
static VOID OsGicdBit(UINT32 reg, HWI_HANDLE_T hwiNum)
{
	*OsGicdReg(reg + 4U * (hwiNum / 32U)) = 1U << (hwiNum % 32U);
}

static VOID OsHwiDispatch(unsigned intid)
{
	const OsHwiForm *form = &g_hwiForm[intid - OS_HWI_MIN];
	HWI_PROC_FUNC handler = form->handler;

	if (handler == NULL)
		return;
	if (form->withParam) {
		/* (swIrq, pDevId) in x0 and x1, as LiteOS calls a handler with a parameter. */
		const UINTPTR args[4] = {(UINTPTR)(INTPTR)form->param.swIrq,
					 (UINTPTR)form->param.pDevId, 0, 0};

		(void)OsTaskCall((TSK_ENTRY_FUNC)handler, args);
	} else {
		handler();
	}
}

static UINT32 OsHwiNumCheck(HWI_HANDLE_T hwiNum)
{
	return (hwiNum < OS_HWI_MIN || hwiNum > OS_HWI_MAX) ? OS_ERRNO_HWI_NUM_INVALID : LOS_OK;
}

UINT32 LOS_HwiSetPriority(HWI_HANDLE_T hwiNum, UINT32 priority)
{
	if (OsHwiNumCheck(hwiNum) != LOS_OK)
		return OS_ERRNO_HWI_NUM_INVALID;
	if (priority > OS_HWI_PRIO_LOWEST)
		return OS_ERRNO_HWI_PRIO_INVALID;
	/* Five priority bits, the GIC's upper ones; the tick keeps the default 0x80 (16). */
	*(volatile UINT8 *)(UINTPTR)(GUEST_GICD_BASE + GICD_IPRIORITYR + hwiNum) =
	    (UINT8)(priority << 3);
	return LOS_OK;
}

/* LiteOS's signature: irqParam is not const there. */
UINT32 LOS_HwiCreate(HWI_HANDLE_T hwiNum, HWI_PRIOR_T hwiPrio, HWI_MODE_T hwiMode,
		     // cppcheck-suppress constParameter
		     HWI_PROC_FUNC hwiHandler, HWI_IRQ_PARAM_S *irqParam)
{
	UINT32 intSave;
	OsHwiForm *form;

	(void)hwiMode;
	if (hwiHandler == NULL)
		return OS_ERRNO_HWI_PROC_FUNC_NULL;
	if (OsHwiNumCheck(hwiNum) != LOS_OK)
		return OS_ERRNO_HWI_NUM_INVALID;
	if (hwiPrio > OS_HWI_PRIO_LOWEST)
		return OS_ERRNO_HWI_PRIO_INVALID;
	form = &g_hwiForm[hwiNum - OS_HWI_MIN];
	intSave = LOS_IntLock();
	if (form->handler != NULL) {
		LOS_IntRestore(intSave);
		return OS_ERRNO_HWI_ALREADY_CREATED;
	}
	form->handler = hwiHandler;
	form->withParam = irqParam != NULL;
	if (irqParam != NULL)
		form->param = *irqParam;
	/* The guest library routes the line to this vCPU and enables it: mask it again. */
	gic_enable_irq(hwiNum, OsHwiDispatch);
	OsGicdBit(GICD_ICENABLER, hwiNum);
	(void)LOS_HwiSetPriority(hwiNum, hwiPrio);
	LOS_IntRestore(intSave);
	return LOS_OK;
}

UINT32 LOS_HwiDelete(HWI_HANDLE_T hwiNum, HWI_IRQ_PARAM_S *irqParam)
{
	UINT32 intSave;

	(void)irqParam;
	if (OsHwiNumCheck(hwiNum) != LOS_OK)
		return OS_ERRNO_HWI_NUM_INVALID;
	intSave = LOS_IntLock();
	OsGicdBit(GICD_ICENABLER, hwiNum);
	g_hwiForm[hwiNum - OS_HWI_MIN].handler = NULL;
	LOS_IntRestore(intSave);
	return LOS_OK;
}

/* The four one-bit operations: refused for a bad number or a line nobody created. */
static UINT32 OsHwiBitOp(HWI_HANDLE_T hwiNum, UINT32 reg)
{
	if (OsHwiNumCheck(hwiNum) != LOS_OK)
		return OS_ERRNO_HWI_NUM_INVALID;
	if (g_hwiForm[hwiNum - OS_HWI_MIN].handler == NULL)
		return OS_ERRNO_HWI_HWINUM_UNCREATE;
	OsGicdBit(reg, hwiNum);
	return LOS_OK;
}

UINT32 LOS_HwiTrigger(HWI_HANDLE_T hwiNum)
{
	return OsHwiBitOp(hwiNum, GICD_ISPENDR);
}

UINT32 LOS_HwiClear(HWI_HANDLE_T hwiNum)
{
	return OsHwiBitOp(hwiNum, GICD_ICPENDR);
}

UINT32 LOS_HwiEnable(HWI_HANDLE_T hwiNum)
{
	return OsHwiBitOp(hwiNum, GICD_ISENABLER);
}

UINT32 LOS_HwiDisable(HWI_HANDLE_T hwiNum)
{
	return OsHwiBitOp(hwiNum, GICD_ICENABLER);
}
