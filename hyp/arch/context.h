/* A vCPU's architectural state while it is off its CPU: EL1 registers, FP/SIMD, virtual timer,
 * virtual GIC interface. Saved and loaded on a time-shared CPU's vCPU switches. */
#ifndef HYP_ARCH_CONTEXT_H
#define HYP_ARCH_CONTEXT_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/gic_hw.h"

/* Layout fixed by arch/fpsimd.S: q0..q31, then FPSR, FPCR. */
struct fpsimd_state {
	uint64_t q[64] __attribute__((aligned(16)));
	uint64_t fpsr, fpcr;
};

/* The EL1 (and EL0) system registers a guest owns, in context.c's order. */
enum el1_reg {
	EL1_SCTLR,
	EL1_CPACR,
	EL1_TTBR0,
	EL1_TTBR1,
	EL1_TCR,
	EL1_ESR,
	EL1_AFSR0,
	EL1_AFSR1,
	EL1_FAR,
	EL1_MAIR,
	EL1_AMAIR,
	EL1_VBAR,
	EL1_CONTEXTIDR,
	EL1_TPIDR,
	EL1_TPIDR_EL0,
	EL1_TPIDRRO_EL0,
	EL1_SP_EL0,
	EL1_SP_EL1,
	EL1_ELR,
	EL1_SPSR,
	EL1_PAR,
	EL1_CNTKCTL,
	EL1_CSSELR,
	EL1_MDSCR,
	EL1_NR_REGS,
};

struct vcpu_ctx {
	uint64_t el1[EL1_NR_REGS];
	struct fpsimd_state fp;
	uint64_t cntv_ctl, cntv_cval;
	bool timer_active; /* the physical PPI 27 was active (HW-linked to a list register) */
	struct gic_vcpu_if gic;
};

/* Saves everything of the vCPU running on this CPU and silences its timer and list registers,
 * so that nothing of it fires or shows while another vCPU runs. */
void ctx_save(struct vcpu_ctx *c);
/* Loads a saved vCPU onto this CPU (EL2 controls such as VTTBR are the caller's). */
void ctx_restore(const struct vcpu_ctx *c);
/* The state of a CPU out of reset for a vCPU that starts (afresh) on a time-shared CPU: what
 * vcpu_reset_el1 leaves, plus FP/SIMD, timer compare value and the virtual GIC interface, so
 * that nothing of the vCPU that ran before shows. */
void ctx_scrub(void);

/* arch/fpsimd.S */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

#endif /* HYP_ARCH_CONTEXT_H */
