/* LiteOS basic types and constants (UINT32, VOID, LOS_OK ...), shared by every LiteOS header. */
#ifndef _LOS_TYPEDEF_H
#define _LOS_TYPEDEF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* LOS_TYPE_DEF is LiteOS's own guard for these types. */
#ifndef LOS_TYPE_DEF
#define LOS_TYPE_DEF
typedef uint8_t UINT8;
typedef uint16_t UINT16;
typedef uint32_t UINT32;
typedef uint64_t UINT64;
typedef int8_t INT8;
typedef int16_t INT16;
typedef int32_t INT32;
typedef int64_t INT64;
typedef char CHAR;
typedef unsigned int BOOL;
typedef uintptr_t UINTPTR;
typedef intptr_t INTPTR;
#define VOID void
#endif /* LOS_TYPE_DEF */

#define STATIC static
#define INLINE inline

#ifndef FALSE
#define FALSE ((BOOL)0)
#endif
#ifndef TRUE
#define TRUE ((BOOL)1)
#endif
#ifndef LOS_OK
#define LOS_OK 0U
#endif
#ifndef LOS_NOK
#define LOS_NOK 1U
#endif
#ifndef OS_ERROR
#define OS_ERROR ((UINT32)-1)
#endif
#ifndef OS_INVALID
#define OS_INVALID ((UINT32)-1)
#endif

/* LiteOS configuration switches are compared with these: #if (LOSCFG_X == YES). */
#ifdef YES
#undef YES
#endif
#define YES 1
#ifdef NO
#undef NO
#endif
#define NO 0

/* Timeouts in ticks taken by every blocking call. */
#define LOS_NO_WAIT 0U
#define LOS_WAIT_FOREVER 0xFFFFFFFFU

#endif /* _LOS_TYPEDEF_H */
