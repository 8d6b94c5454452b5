/* Exceptions and interrupts under the LiteOS kernel: count nesting, switch tasks on the way out. */
#include "guest.h"
#include "los_sched_pri.h"

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
