/* LiteOS interrupt control: critical sections, "am I in an interrupt", LOS_Hwi* on the vGIC. */
#ifndef _LOS_HWI_H
#define _LOS_HWI_H

#include "los_base.h"

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

/*
 * Hardware interrupts on the virtual GICv3: the SPIs OS_HWI_MIN..OS_HWI_MAX (the PL011 UART is
 * 33; free lines can be raised with LOS_HwiTrigger). The tick (the virtual timer PPI) is the
 * kernel's own.
 */
#define OS_HWI_MIN 32U
#define OS_HWI_MAX 95U
#define LOSCFG_HWI_PRIO_LIMIT 32U
#define OS_HWI_PRIO_HIGHEST 0U
#define OS_HWI_PRIO_LOWEST (LOSCFG_HWI_PRIO_LIMIT - 1U)

#define OS_ERRNO_HWI_NUM_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x00)
#define OS_ERRNO_HWI_PROC_FUNC_NULL LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x01)
#define OS_ERRNO_HWI_CB_UNAVAILABLE LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x02)
#define OS_ERRNO_HWI_NO_MEMORY LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x03)
#define OS_ERRNO_HWI_ALREADY_CREATED LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x04)
#define OS_ERRNO_HWI_PRIO_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x05)
#define OS_ERRNO_HWI_MODE_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x06)
#define OS_ERRNO_HWI_FASTMODE_ALREADY_CREATED LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x07)
#define OS_ERRNO_HWI_INTERR LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x08)
#define OS_ERRNO_HWI_SHARED_ERROR LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x09)
#define OS_ERRNO_HWI_ARG_INVALID LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x0a)
#define OS_ERRNO_HWI_HWINUM_UNCREATE LOS_ERRNO_OS_ERROR(LOS_MOD_HWI, 0x0b)

typedef UINT32 HWI_HANDLE_T;
typedef UINT16 HWI_PRIOR_T;
typedef UINT16 HWI_MODE_T;
typedef UINTPTR HWI_ARG_T;
/* Called in the interrupt with no arguments, or with (swIrq, pDevId) when LOS_HwiCreate was
 * given an irqParam, as LiteOS does. */
typedef VOID (*HWI_PROC_FUNC)(VOID);

typedef struct tagIrqParam {
	int swIrq;
	VOID *pDevId;
	const CHAR *pName;
} HWI_IRQ_PARAM_S;

/* Attaches the handler, masked: LOS_HwiEnable lets it fire. hwiMode is ignored (0). */
UINT32 LOS_HwiCreate(HWI_HANDLE_T hwiNum, HWI_PRIOR_T hwiPrio, HWI_MODE_T hwiMode,
		     HWI_PROC_FUNC hwiHandler, HWI_IRQ_PARAM_S *irqParam);
/* Masks the line and forgets the handler. */
UINT32 LOS_HwiDelete(HWI_HANDLE_T hwiNum, HWI_IRQ_PARAM_S *irqParam);
/* Makes the line pending (a software-raised interrupt). */
UINT32 LOS_HwiTrigger(HWI_HANDLE_T hwiNum);
/* Drops a pending, not yet taken interrupt. */
UINT32 LOS_HwiClear(HWI_HANDLE_T hwiNum);
UINT32 LOS_HwiEnable(HWI_HANDLE_T hwiNum);
UINT32 LOS_HwiDisable(HWI_HANDLE_T hwiNum);
UINT32 LOS_HwiSetPriority(HWI_HANDLE_T hwiNum, UINT32 priority);

#endif /* _LOS_HWI_H */
