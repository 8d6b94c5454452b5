/* The shared modules seen from the LiteOS kernel: loading on a miss, with its own services. */
#ifndef _LOS_MODULE_H
#define _LOS_MODULE_H

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
/* Drops what the boot checks loaded with the boot heap, so that this kernel loads its own. */
VOID LOS_ModuleAdopt(VOID);

#endif /* _LOS_MODULE_H */
