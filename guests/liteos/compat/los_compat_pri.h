/* Internal helpers of the POSIX-style layer: errno setting and module sections. */
#ifndef _LOS_COMPAT_PRI_H
#define _LOS_COMPAT_PRI_H

#include "los_posix.h"
#include "los_sched_pri.h"

/* Sets errno to -err (a negative errno from a module) and returns -1. */
static inline int OsSetErrno(int err)
{
	errno = err < 0 ? -err : err;
	return -1;
}

/* Around a module call: signal handlers wait until it is over, then run (a kernel exit). */
static inline VOID OsModuleEnter(VOID)
{
	if (g_taskScheduled)
		g_runTask->sigDefer++;
}

static inline VOID OsModuleLeave(VOID)
{
	if (g_taskScheduled) {
		g_runTask->sigDefer--;
		OsSigCheck();
	}
}

#endif /* _LOS_COMPAT_PRI_H */
