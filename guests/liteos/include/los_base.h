/* LiteOS's catch-all header: types, configuration, printing, lists, errors, alignment, sleep. */
#ifndef _LOS_BASE_H
#define _LOS_BASE_H

#include "los_config.h"
#include "los_err.h"
#include "los_errno.h"
/* For LOS_ASSERT's LOS_Panic. */
#include "los_exc.h"
#include "los_list.h"
#include "los_printf.h"
#include "los_typedef.h"
#include <stdarg.h>

#define SIZE(a) (a)
/* addr rounded up to boundary (a power of two). */
#define ALIGN(addr, boundary) LOS_Align(addr, boundary)
/* addr rounded down to size (a power of two). */
#define TRUNCATE(addr, size) ((UINTPTR)(addr) & ~((UINTPTR)(size)-1U))

#define READ_UINT8(value, addr) ((value) = *((volatile UINT8 *)((UINTPTR)(addr))))
#define READ_UINT16(value, addr) ((value) = *((volatile UINT16 *)((UINTPTR)(addr))))
#define READ_UINT32(value, addr) ((value) = *((volatile UINT32 *)((UINTPTR)(addr))))
#define READ_UINT64(value, addr) ((value) = *((volatile UINT64 *)((UINTPTR)(addr))))
#define WRITE_UINT8(value, addr) (*((volatile UINT8 *)((UINTPTR)(addr))) = (value))
#define WRITE_UINT16(value, addr) (*((volatile UINT16 *)((UINTPTR)(addr))) = (value))
#define WRITE_UINT32(value, addr) (*((volatile UINT32 *)((UINTPTR)(addr))) = (value))
#define WRITE_UINT64(value, addr) (*((volatile UINT64 *)((UINTPTR)(addr))) = (value))
#define GET_UINT8(addr) (*((volatile UINT8 *)((UINTPTR)(addr))))
#define GET_UINT16(addr) (*((volatile UINT16 *)((UINTPTR)(addr))))
#define GET_UINT32(addr) (*((volatile UINT32 *)((UINTPTR)(addr))))
#define GET_UINT64(addr) (*((volatile UINT64 *)((UINTPTR)(addr))))

/* Checked when LOSCFG_BASE_CORE_ASSERT is defined (as in a LiteOS debug build), else nothing. */
#ifdef LOSCFG_BASE_CORE_ASSERT
#define LOS_ASSERT(judge)                                                                          \
	do {                                                                                       \
		if (!(judge))                                                                      \
			LOS_Panic("assertion failed: %s, %s:%d\n", #judge, __FILE__, __LINE__);    \
	} while (0)
#else
#define LOS_ASSERT(judge)                                                                          \
	do {                                                                                       \
	} while (0)
#endif
#define LOS_ASSERT_COND(expression) LOS_ASSERT(expression)
#define STATIC_ASSERT _Static_assert

/* addr rounded up to boundary, a power of two. */
UINTPTR LOS_Align(UINTPTR addr, UINT32 boundary);
/* Sleeps for at least msecs milliseconds (whole ticks, rounded up; 0 yields). */
VOID LOS_Msleep(UINT32 msecs);

#endif /* _LOS_BASE_H */
