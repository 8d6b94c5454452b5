/* LiteOS kernel start: memory, task and IPC tables, system tasks, vectors and the tick. */
#include "guest.h"
#include "los_ipc_pri.h"
#include "los_mem_pri.h"
#include "los_mux_pri.h"
#include "los_printf.h"
#include "los_sched_pri.h"
#include "los_tick_pri.h"

VOID OsHwiInit(VOID);

static const struct boot_info *g_bootInfo;

const struct boot_info *LOS_BootInfo(VOID)
{
	return g_bootInfo;
}

UINT32 LOS_KernelInit(const struct boot_info *info)
{
	UINT32 ret;

	g_bootInfo = info;
	irq_disable();
	ret = OsMemSystemInit(info);
	if (ret != LOS_OK) {
		dprintf("liteos: no room for the system memory pool (%#x)\n", ret);
		return ret;
	}
	ret = OsTaskInit();
	if (ret == LOS_OK)
		ret = OsSemInit();
	if (ret == LOS_OK)
		ret = OsMuxInit();
	if (ret == LOS_OK)
		ret = OsQueueInit();
	/* The idle task comes first so that it is task 0, then the timer task, as in LiteOS. */
	if (ret == LOS_OK)
		ret = OsIdleTaskCreate();
	if (ret == LOS_OK)
		ret = OsSwtmrInit();
	if (ret != LOS_OK) {
		dprintf("liteos: kernel initialisation failed (%#x)\n", ret);
		return ret;
	}
	OsHwiInit();
	gic_init();
	OsTickStart();
	return LOS_OK;
}

VOID LOS_Start(VOID)
{
	irq_disable();
	OsSchedStart();
}
