/* The scheduler on the hypervisor's CPUs: a locked run queue per CPU, the EL2 timer's slices,
 * WFI yields, wake-ups and the vCPU switches themselves. */
#ifndef HYP_VSCHED_H
#define HYP_VSCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Makes the vCPU one of its CPU's (vm_create); `slice_ms` is the scenario's time slice. */
void vsched_attach(struct vcpu *vcpu, unsigned slice_ms);
/* True if more than one vCPU holds this physical CPU (time-shared). */
bool vsched_cpu_shared(unsigned pcpu);
/* The vCPU became runnable (boot, CPU_ON, reset): queued on its CPU. True if that CPU idles
 * and must be kicked (cpu_start) to notice. */
bool vsched_ready(struct vcpu *vcpu);
/* Something changed for the vCPU (an interrupt): wakes it if it waits, kicks its CPU. */
void vsched_kick(struct vcpu *vcpu);
/* The running vCPU executed WFI: waits in place (pinned), returns at once (an interrupt is
 * pending), or gives the CPU to another vCPU (does not return then). */
void vsched_wfi(struct vcpu *vcpu);
/* The EL2 timer fired on this CPU: stops it firing until the next decision. */
void vsched_timer_irq(void);
/* After a timer interrupt taken from `cur`: the CPU goes to the next vCPU if its slice is over
 * (does not return then). */
void vsched_tick(struct vcpu *cur);
/* The vCPU leaves its CPU's run queue (parked: stopped, off, or taken back by a reset). */
void vsched_drop(struct vcpu *vcpu);
/* For the idle loop: the vCPU this CPU runs next, or NULL (the EL2 timer is set for the next
 * deadline of a waiting vCPU). */
struct vcpu *vsched_next(void);

#endif /* HYP_VSCHED_H */
