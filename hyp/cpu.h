/* Physical CPUs: logical index from MPIDR, bring-up of secondaries, parking. */
#ifndef HYP_CPU_H
#define HYP_CPU_H

#include <stdint.h>
#include "hostdtb.h"

void cpu_init_table(const struct platform *plat);
/* Logical index of the calling CPU (position of its MPIDR in the device tree). */
unsigned cpu_index(void);
unsigned cpu_count(void);
uint64_t cpu_mpidr(unsigned index);
/* Makes physical CPU `index` look at its run queue: starts it through the firmware the first
 * time, kicks it (out of the hypervisor's idle loop, or out of its guest) afterwards. */
int cpu_start(unsigned index);
/* Idles this physical CPU in the hypervisor, serving its interrupts, until one of its vCPUs
 * is ready (boot, PSCI CPU_ON, VM reset, an interrupt or timer deadline for a waiting one). */
__attribute__((noreturn)) void cpu_park_idle(void);
__attribute__((noreturn)) void cpu_idle_loop(void);
/* arch/head.S: resets SP to the top of this CPU's stack and enters cpu_idle_loop. */
__attribute__((noreturn)) void cpu_idle_on_fresh_stack(unsigned index);

#endif /* HYP_CPU_H */
