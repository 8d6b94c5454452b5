/* Example: a one-shot and a periodic software timer. */
#include "apps.h"
#include "los_swtmr.h"
#include "los_task.h"
#include <stdio.h>

static volatile UINT32 g_once;
static volatile UINT32 g_ticks;

static VOID OnceFn(UINTPTR arg)
{
	g_once = (UINT32)arg;
}

static VOID PeriodFn(UINTPTR arg)
{
	(void)arg;
	g_ticks++;
}

UINT32 Example_Swtmr(VOID)
{
	UINT16 once, period;

	g_once = 0;
	g_ticks = 0;
	if (LOS_SwtmrCreate(5, LOS_SWTMR_MODE_ONCE, OnceFn, &once, 42) != LOS_OK ||
	    LOS_SwtmrCreate(2, LOS_SWTMR_MODE_PERIOD, PeriodFn, &period, 0) != LOS_OK)
		return LOS_NOK;
	(void)LOS_SwtmrStart(once);
	(void)LOS_SwtmrStart(period);
	printf("swtmr: started a one-shot (5 ticks) and a periodic (2 ticks) timer\n");
	while (g_ticks < 5)
		(void)LOS_TaskDelay(1);
	(void)LOS_SwtmrStop(period);
	printf("swtmr: periodic fired 5 times, stopped\n");
	while (g_once == 0)
		(void)LOS_TaskDelay(1);
	printf("swtmr: one-shot fired with %u\n", g_once);
	if (LOS_SwtmrDelete(period) != LOS_OK)
		return LOS_NOK;
	/* A one-shot timer deletes itself once it has fired. */
	printf("swtmr: one-shot gone: %s\n",
	       LOS_SwtmrStart(once) == LOS_ERRNO_SWTMR_ID_INVALID ? "yes" : "no");
	return LOS_OK;
}
