/* The LiteOS system tick: the virtual timer's periodic interrupt drives delays and timers. */
#include "guest.h"
#include "los_cpup_pri.h"
#include "los_ipc_pri.h"
#include "los_sched_pri.h"
#include "los_tick_pri.h"

volatile UINT64 g_tickCount;
VOID (*volatile g_tickTestHook)(VOID);

static void OsTickHandler(uint64_t ticks)
{
	VOID (*hook)(VOID) = g_tickTestHook;

	(void)ticks; /* the shared timer's count started at boot; ours starts with the kernel */
	g_tickCount++;
	if (g_taskScheduled)
		OsSchedTick(g_tickCount);
	OsSwtmrScan(g_tickCount);
	OsCpupTick();
	if (hook)
		hook();
}

VOID OsTickStart(VOID)
{
	timer_start(LOSCFG_BASE_CORE_TICK_PER_SECOND, OsTickHandler);
}

UINT64 LOS_TickCountGet(VOID)
{
	return g_tickCount;
}

UINT32 LOS_MS2Tick(UINT32 millisec)
{
	UINT64 ticks = ((UINT64)millisec * LOSCFG_BASE_CORE_TICK_PER_SECOND + 999U) / 1000U;

	return ticks > 0xFFFFFFFEULL ? 0xFFFFFFFEU : (UINT32)ticks;
}

UINT32 LOS_Tick2MS(UINT32 tick)
{
	return (UINT32)((UINT64)tick * 1000U / LOSCFG_BASE_CORE_TICK_PER_SECOND);
}
