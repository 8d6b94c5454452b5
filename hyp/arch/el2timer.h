/* The EL2 physical timer (CNTHP, PPI 26), shared by the scheduler's slices and device watchdogs. */
#ifndef HYP_ARCH_EL2TIMER_H
#define HYP_ARCH_EL2TIMER_H

#include <stdint.h>

#define EL2TIMER_PPI 26
#define EL2TIMER_OFF UINT64_MAX

/* Each sets one user's deadline on this CPU (EL2TIMER_OFF: none); the timer fires at the
 * earliest of them, so that a device wait never loses a slice's end and the other way round. */
void el2timer_set_sched(uint64_t deadline);
void el2timer_set_watchdog(uint64_t deadline);

#endif /* HYP_ARCH_EL2TIMER_H */
