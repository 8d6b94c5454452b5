/* LiteOS error reporting: LOS_ErrHandle and the hook an application registers for it. */
#ifndef _LOS_ERR_H
#define _LOS_ERR_H

#include "los_typedef.h"

/* Called by LOS_ErrHandle with where the error was seen, its code and optional data. */
typedef VOID (*LOS_ERRORHANDLE_FUNC)(CHAR *fileName, UINT32 lineNo, UINT32 errorNo, UINT32 paraLen,
				     VOID *para);

typedef struct tagUserErrFunc_S {
	LOS_ERRORHANDLE_FUNC pfnHook;
} USER_ERR_FUNC_S;

/* Reports an error to the registered hook (if any); always LOS_OK. */
UINT32 LOS_ErrHandle(CHAR *fileName, UINT32 lineNo, UINT32 errorNo, UINT32 paraLen, VOID *para);
/* Replaces the hook; NULL removes it. */
VOID LOS_RegErrHandle(LOS_ERRORHANDLE_FUNC func);

#endif /* _LOS_ERR_H */
