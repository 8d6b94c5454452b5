/* LiteOS fatal errors: LOS_Panic, the call stack, and restarting the VM. */
#ifndef _LOS_EXC_H
#define _LOS_EXC_H

#include "los_typedef.h"

/* Prints the message and the call stack, then stops the VM. */
__attribute__((noreturn, format(printf, 1, 2))) VOID LOS_Panic(const CHAR *fmt, ...);
/* Prints the calling task's call stack (frame-pointer walk). */
VOID LOS_BackTrace(VOID);
/* Resets the VM (PSCI SYSTEM_RESET): the hypervisor loads it again (LiteOS-M's call). */
__attribute__((noreturn)) VOID LOS_Reboot(VOID);

#endif /* _LOS_EXC_H */
