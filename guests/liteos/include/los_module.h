/* The shared modules seen from the LiteOS kernel: loading on a miss, with its own services. */
#ifndef _LOS_MODULE_H
#define _LOS_MODULE_H

#include "los_swtmr.h"
#include "los_typedef.h"

struct gmod;
struct mv_kservices;

/* The services table modules get from this kernel: its pool, its mutexes, its task IDs. */
const struct mv_kservices *LOS_ModuleServices(VOID);
/*
 * The operations table of module name ("fatfs", "signal"), loading it first if it is missing
 * (`what` names the operation that missed, for the log). 0, or a negative MV_ERR_* value.
 */
INT32 LOS_ModuleOps(const CHAR *name, const CHAR *what, const VOID **ops);
/* Unloads module name because it has been idle (the caller saw nothing pin it, and holds the
 * lock under which this module is loaded: for a filesystem, the VFS mount lock); the next
 * LOS_ModuleOps loads it again. Never waits. 0, or a negative MV_ERR_* value. */
INT32 LOS_ModuleUnloadIdle(const CHAR *name);
/* Starts check as a periodic software timer (once: *started says it is), looking a quarter of
 * the modidle= time apart, at least a tick and at most 1 s; nothing when unloading is off. */
VOID LOS_ModuleIdleCheckStart(SWTMR_PROC_FUNC check, UINT16 *timer, BOOL *started);
/* What keeps the signal module loaded now: tasks whose signal state is not a new task's (a
 * handler or an ignored signal, a blocked or a pending one) and calls into it from other
 * tasks. 0 while it is not loaded. */
UINT32 LOS_SigUsers(VOID);
/* Drops what the boot checks loaded with the boot heap, so that this kernel loads its own. */
VOID LOS_ModuleAdopt(VOID);

#endif /* _LOS_MODULE_H */
