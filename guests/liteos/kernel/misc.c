/* LiteOS odds and ends: cycle time and busy delays, LOS_Msleep, alignment, panic and backtrace,
 * the error hook. */
#include "guest.h"
#include "los_base.h"
#include "los_exc.h"
#include "los_sched_pri.h"
#include "los_tick.h"

/* The generic timer's virtual count: it runs at CNTFRQ whatever the vCPU is doing. */
static inline UINT64 OsCycleRead(VOID)
{
	UINT64 count;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(count));
	return count;
}

static inline UINT64 OsCycleFreq(VOID)
{
	UINT64 freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return freq;
}

UINT64 LOS_SysCycleGet(VOID)
{
	return OsCycleRead();
}

VOID LOS_GetCpuCycle(UINT32 *cntHi, UINT32 *cntLo)
{
	UINT64 cycles = OsCycleRead();

	if (cntHi != NULL)
		*cntHi = (UINT32)(cycles >> 32);
	if (cntLo != NULL)
		*cntLo = (UINT32)cycles;
}

UINT32 LOS_CyclePerTickGet(VOID)
{
	return (UINT32)(OsCycleFreq() / LOSCFG_BASE_CORE_TICK_PER_SECOND);
}

UINT64 LOS_CurrNanosec(VOID)
{
	UINT64 cycles = OsCycleRead();
	UINT64 freq = OsCycleFreq();

	/* Split so that the product cannot overflow for centuries of uptime. */
	return (cycles / freq) * OS_SYS_NS_PER_SECOND +
	       (cycles % freq) * OS_SYS_NS_PER_SECOND / freq;
}

VOID LOS_Udelay(UINT32 usecs)
{
	UINT64 start = OsCycleRead();
	UINT64 wait = (UINT64)usecs * OsCycleFreq() / OS_SYS_US_PER_SECOND;

	while (OsCycleRead() - start < wait)
		__asm__ volatile("yield");
}

VOID LOS_Mdelay(UINT32 msecs)
{
	LOS_Udelay(msecs > UINT32_MAX / OS_SYS_US_PER_MS ? UINT32_MAX : msecs * OS_SYS_US_PER_MS);
}

VOID LOS_Msleep(UINT32 msecs)
{
	/* As in LiteOS: 0 ms yields, anything else sleeps at least one whole tick. */
	(void)LOS_TaskDelay(msecs == 0 ? 0 : LOS_MS2Tick(msecs));
}

UINTPTR LOS_Align(UINTPTR addr, UINT32 boundary)
{
	if (boundary == 0 || (boundary & (boundary - 1U)) != 0 || addr > UINTPTR_MAX - boundary)
		return addr;
	return (addr + boundary - 1U) & ~((UINTPTR)boundary - 1U);
}

/* Frame-pointer walk: each frame record is {previous fp, return address}; the task trampoline
 * ends the chain with fp 0. Only records inside the current stack are followed. */
VOID LOS_BackTrace(VOID)
{
	UINTPTR fp = (UINTPTR)__builtin_frame_address(0);
	UINTPTR low = 0;
	UINTPTR high = UINTPTR_MAX;

	if (g_taskScheduled && OS_INT_INACTIVE) {
		low = g_runTask->topOfStack;
		high = g_runTask->topOfStack + g_runTask->stackSize;
		dprintf("backtrace of task %u (%s):\n", g_runTask->taskID, g_runTask->taskName);
	} else {
		dprintf("backtrace:\n");
	}
	for (UINT32 depth = 0; depth < 32 && fp != 0; depth++) {
		const UINTPTR *frame = (const UINTPTR *)fp;

		if (fp < low || fp > high - 2 * sizeof(UINTPTR) || (fp & 7U) != 0)
			break;
		dprintf("  #%u lr 0x%lx fp 0x%lx\n", depth, (unsigned long)frame[1],
			(unsigned long)fp);
		if (frame[0] <= fp)
			break; /* frames go up the stack: anything else is not a frame chain */
		fp = frame[0];
	}
}

VOID LOS_Panic(const CHAR *fmt, ...)
{
	CHAR buf[200];
	va_list ap;

	(void)LOS_IntLock();
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dprintf("LOS_Panic: %s", buf);
	LOS_BackTrace();
	dprintf("liteos: panic, stopping the VM\n");
	psci_system_off();
}

VOID LOS_Reboot(VOID)
{
	dprintf("liteos: reboot\n");
	psci_system_reset();
}

static LOS_ERRORHANDLE_FUNC g_usrErrFunc;

UINT32 LOS_ErrHandle(CHAR *fileName, UINT32 lineNo, UINT32 errorNo, UINT32 paraLen, VOID *para)
{
	LOS_ERRORHANDLE_FUNC hook = g_usrErrFunc;

	if (hook != NULL)
		hook(fileName, lineNo, errorNo, paraLen, para);
	return LOS_OK;
}

VOID LOS_RegErrHandle(LOS_ERRORHANDLE_FUNC func)
{
	g_usrErrFunc = func;
}
