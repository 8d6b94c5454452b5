/* LiteOS interrupt control: masking IRQs for critical sections and "am I in an interrupt". */
#ifndef _LOS_HWI_H
#define _LOS_HWI_H

#include "los_typedef.h"

/* Interrupt handlers being run (0 in task context): the vectors count them. */
extern volatile UINT32 g_intCount;
#define OS_INT_ACTIVE (g_intCount > 0)
#define OS_INT_INACTIVE (!(OS_INT_ACTIVE))

/* Masks IRQs and returns the previous DAIF, for LOS_IntRestore. One CPU: this is the lock. */
static inline UINT32 LOS_IntLock(VOID)
{
	UINT64 daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifset, #2" : "=r"(daif)::"memory");
	return (UINT32)daif;
}

/* Unmasks IRQs and returns the previous DAIF. */
static inline UINT32 LOS_IntUnLock(VOID)
{
	UINT64 daif;

	__asm__ volatile("mrs %0, daif\n\tmsr daifclr, #2" : "=r"(daif)::"memory");
	return (UINT32)daif;
}

static inline VOID LOS_IntRestore(UINT32 intSave)
{
	__asm__ volatile("msr daif, %0" ::"r"((UINT64)intSave) : "memory");
}

#endif /* _LOS_HWI_H */
