/* Emulation of the system-register accesses a guest traps on (HCR_EL2.TIDCP, TSW, timers). */
#ifndef HYP_ARCH_SYSREG_TRAP_H
#define HYP_ARCH_SYSREG_TRAP_H

#include <stdint.h>

struct vcpu;

void sysreg_trap(struct vcpu *vcpu, uint64_t esr);
/* A trapped AArch32 coprocessor access (EC 0x3..0x6, 0x8, 0xc). */
void cp32_trap(struct vcpu *vcpu, uint64_t esr);

#endif /* HYP_ARCH_SYSREG_TRAP_H */
