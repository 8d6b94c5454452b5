/* The example applications: each runs to the end and returns LOS_OK, or LOS_NOK on a failure. */
#ifndef _APPS_H
#define _APPS_H

#include "los_typedef.h"

UINT32 Example_Task(VOID);
UINT32 Example_Sem(VOID);
UINT32 Example_Mux(VOID);
UINT32 Example_Queue(VOID);
UINT32 Example_Event(VOID);
UINT32 Example_Swtmr(VOID);
UINT32 Example_Memory(VOID);
UINT32 Example_Membox(VOID);
UINT32 Example_List(VOID);
UINT32 Example_Hwi(VOID);
UINT32 Example_Cpup(VOID);
UINT32 Example_Ringbuf(VOID);

#endif /* _APPS_H */
