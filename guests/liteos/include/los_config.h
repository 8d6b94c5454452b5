/* Build-time configuration of the LiteOS kernel (LOSCFG_* as Huawei LiteOS names them). */
#ifndef _LOS_CONFIG_H
#define _LOS_CONFIG_H

#include "los_typedef.h"

/*
 * The system pool (free RAM after the kernel; task stacks and kernel objects come from it).
 * LiteOS keeps a second name, m_aucSysMem1, for the pool of ordinary allocations: here both
 * are the one pool.
 */
extern UINT8 *m_aucSysMem0;
extern UINT8 *m_aucSysMem1;
#define OS_SYS_MEM_ADDR ((VOID *)m_aucSysMem0)

/* The tick: the EL1 virtual timer interrupts at this rate. */
#define LOSCFG_BASE_CORE_TICK_PER_SECOND 100U

/* Tasks: control blocks are allocated once, at boot, from the system pool; the idle and the
 * software-timer task take two of them. Stack sizes are in bytes, 16-byte aligned. */
#define LOSCFG_BASE_CORE_TSK_LIMIT 32U
#define LOSCFG_BASE_CORE_TSK_DEFAULT_STACK_SIZE 0x2000U
/* A preempted task carries a 272-byte exception frame plus the interrupt path's own frames. */
#define LOSCFG_BASE_CORE_TSK_MIN_STACK_SIZE 0x1000U
#define LOSCFG_BASE_CORE_TSK_IDLE_STACK_SIZE 0x1000U
#define LOSCFG_BASE_CORE_TSK_DEFAULT_PRIO 10U
#define LOSCFG_STACK_POINT_ALIGN_SIZE 16U

/* Round-robin among tasks of equal priority, this many ticks each. */
#define LOSCFG_BASE_CORE_TIMESLICE 1
#define LOSCFG_BASE_CORE_TIMESLICE_TIMEOUT 2U

/* IPC objects: control-block arrays allocated at boot from the system pool. */
#define LOSCFG_BASE_IPC_SEM_LIMIT 64U
#define LOSCFG_BASE_IPC_MUX_LIMIT 64U
#define LOSCFG_BASE_IPC_QUEUE_LIMIT 32U
#define LOSCFG_BASE_CORE_SWTMR_LIMIT 32U
/* Expired timers waiting for the software-timer task. */
#define OS_SWTMR_HANDLE_QUEUE_SIZE LOSCFG_BASE_CORE_SWTMR_LIMIT
#define LOSCFG_BASE_CORE_SWTMR_STACK_SIZE 0x2000U

#endif /* _LOS_CONFIG_H */
