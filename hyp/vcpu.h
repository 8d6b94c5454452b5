/* Virtual CPUs: the guest registers saved on a trap, the physical CPU each runs on, and the state
 * kept while a time-shared CPU runs another vCPU. */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/asm_offsets.h"
#include "arch/context.h"
#include "sched_rq.h"
#include "vgic.h"

struct vm;

/* What the trap entry saves; the layout is fixed by arch/asm_offsets.h. */
struct vcpu_regs {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

enum vcpu_state { VCPU_OFF, VCPU_RUNNABLE, VCPU_STOPPED };

struct vcpu {
	struct vcpu_regs regs; /* first: TPIDR_EL2 points here while the vCPU runs */
	struct vm *vm;
	unsigned id;   /* index within the VM */
	unsigned pcpu; /* the physical CPU it runs on (its scenario affinity) */
	uint64_t vmpidr;
	volatile enum vcpu_state state;
	volatile bool parked; /* no CPU holds its registers: parked for good, or switched out */
	struct vgic_cpu vgic;
	struct sched_entity se; /* in its CPU's run queue (vsched.c) */
	bool ctx_saved;		/* switched out: `ctx` holds its state; false after a reset */
	struct vcpu_ctx ctx;
};

/* Puts a vCPU in its architectural reset state, to start at `entry` with x0 = `arg`. */
void vcpu_reset(struct vcpu *vcpu, uint64_t entry, uint64_t arg);
/* Puts this CPU's EL1 registers in their reset state (nothing leaks between guests). */
void vcpu_reset_el1(void);
/* Loads the VM's EL2 controls and the vCPU's EL1 state (its saved one after a switch, the reset
 * one otherwise) on this CPU and enters it on an empty stack. */
__attribute__((noreturn)) void vcpu_run(struct vcpu *vcpu);
/* Silences the vCPU's timer and list registers on this CPU before it is left. */
void vcpu_park_prepare(struct vcpu *vcpu);
/* Lets go of a stopped vCPU on its own CPU and idles that CPU for good. */
__attribute__((noreturn)) void vcpu_park(struct vcpu *vcpu);
/* Moves ELR past the trapped instruction (for traps that report the instruction itself). */
void vcpu_skip_instr(struct vcpu *vcpu, uint64_t esr);
/* Injects an undefined-instruction exception into the vCPU's EL1. */
void vcpu_inject_undef(struct vcpu *vcpu);

/* The vCPU running on this physical CPU, or NULL while the CPU idles. */
struct vcpu *vcpu_current(void);

/* Enters a vCPU on physical CPU `cpu`'s empty stack, never returns (arch/vectors.S). */
__attribute__((noreturn)) void guest_enter(struct vcpu_regs *regs, unsigned cpu);

#endif /* HYP_VCPU_H */
