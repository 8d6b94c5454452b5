/* LiteOS CPU usage (cpup): per-task and system usage in permille, all time or recent seconds. */
#ifndef _LOS_CPUP_H
#define _LOS_CPUP_H

#include "los_base.h"
#include "los_hwi.h"
#include "los_sys.h"
#include "los_task.h"

#define LOS_ERRNO_CPUP_NO_MEMORY LOS_ERRNO_OS_ERROR(LOS_MOD_CPUP, 0x00)
#define LOS_ERRNO_CPUP_TASK_PTR_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_CPUP, 0x01)
#define LOS_ERRNO_CPUP_NO_INIT LOS_ERRNO_OS_ERROR(LOS_MOD_CPUP, 0x02)
#define LOS_ERRNO_CPUP_MAXNUM_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_CPUP, 0x03)
#define LOS_ERRNO_CPUP_THREAD_NO_CREATED LOS_ERRNO_OS_ERROR(LOS_MOD_CPUP, 0x04)
#define LOS_ERRNO_CPUP_TSK_ID_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_CPUP, 0x05)

/* Usages are permille: 1000 is one CPU all the time. */
#define LOS_CPUP_PRECISION 1000U
#define LOS_CPUP_PRECISION_MULT (LOS_CPUP_PRECISION / 100U)

/* The window of the History calls. */
enum {
	CPUP_LAST_TEN_SECONDS = 0,
	CPUP_LAST_ONE_SECONDS = 1,
	CPUP_ALL_TIME = 0xffff, /* any other value means this too */
};

typedef struct tagCpupInfo {
	UINT16 usStatus; /* OS_TASK_STATUS_* bits */
	UINT32 uwUsage;	 /* permille */
} CPUP_INFO_S;

/* Time not spent in the idle task since the kernel started (LiteOS-M). */
UINT32 LOS_SysCpuUsage(VOID);
/* One task's share of all time since the kernel started (LiteOS-M); the LOS_ERRNO_CPUP_* code
 * for a bad or unused task ID. */
UINT32 LOS_TaskCpuUsage(UINT32 taskID);
/* Over the last ten seconds, the last second, or all time (mode as above). Windows are whole
 * seconds sampled at the tick, so they cover less just after boot. */
UINT32 LOS_HistorySysCpuUsage(UINT32 mode);
UINT32 LOS_HistoryTaskCpuUsage(UINT32 taskID, UINT32 mode);
/* Fills cpupInfo[0..maxNum) by task ID (flag is ignored: one CPU). */
UINT32 LOS_AllCpuUsage(UINT16 maxNum, CPUP_INFO_S *cpupInfo, UINT32 mode, UINT16 flag);
/* Starts every count from zero. */
VOID LOS_CpupReset(VOID);

#endif /* _LOS_CPUP_H */
