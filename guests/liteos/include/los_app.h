/* What the LiteOS guest runs once its kernel is up: the demo, the shell, the in-guest tests. */
#ifndef _LOS_APP_H
#define _LOS_APP_H

#include "los_typedef.h"

/* Runs the demo (queue, timer, files, signals), prints its results, then starts the shell. */
UINT32 LOS_DemoStart(VOID);
UINT32 LOS_ShellStart(VOID);
/* Runs every example application (guests/liteos/apps), prints the tally and powers off. */
UINT32 LOS_AppsStart(VOID);
/* Runs every in-guest test, prints the tally and powers the VM off. */
UINT32 LOS_TestsStart(VOID);
/* Hooks the POSIX-style signal layer into the scheduler and task deletion. */
VOID LOS_SigInit(VOID);

#endif /* _LOS_APP_H */
