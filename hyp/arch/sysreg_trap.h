/* Emulation of the system-register accesses a guest traps on (HCR_EL2.TIDCP, TSW). */
#ifndef HYP_ARCH_SYSREG_TRAP_H
#define HYP_ARCH_SYSREG_TRAP_H

#include <stdint.h>

struct vcpu;

void sysreg_trap(struct vcpu *vcpu, uint64_t esr);

#endif /* HYP_ARCH_SYSREG_TRAP_H */
