/* Layout constants shared by the assembly entry code and C (checked with static asserts in vcpu.c).
 */
#ifndef HYP_ARCH_ASM_OFFSETS_H
#define HYP_ARCH_ASM_OFFSETS_H

#define HYP_MAX_CPUS 8
#define HYP_STACK_SIZE 0x4000

/* struct vcpu_regs: x0..x30, then ELR_EL2 and SPSR_EL2 of the guest. */
#define REGS_X0 0
#define REGS_ELR 248
#define REGS_SPSR 256
#define REGS_SIZE 272

/* Trap kinds passed from the vector table to trap_entry(). */
#define TRAP_SYNC 0
#define TRAP_IRQ 1
#define TRAP_FIQ 2
#define TRAP_SERROR 3
#define TRAP_AARCH32 4

#define CPTR_EL2_DEFAULT 0x33ff /* RES1 bits only: no FP/SIMD, trace or SVE traps */

#endif /* HYP_ARCH_ASM_OFFSETS_H */
