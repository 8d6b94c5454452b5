/* EL2 exception vectors: guest traps save x0-x30, ELR and SPSR into the running vCPU's regs. */
#include <asm_frame.h>
#include "arch/asm_offsets.h"

.macro ventry target, kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	\target
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	hyp_vectors
hyp_vectors:
	/* Current EL with SP_EL0: never used by the hypervisor. */
	ventry	hyp_self_trap, TRAP_SYNC
	ventry	hyp_self_trap, TRAP_IRQ
	ventry	hyp_self_trap, TRAP_FIQ
	ventry	hyp_self_trap, TRAP_SERROR
	/* Current EL with SP_EL2: a fault inside the hypervisor. */
	ventry	hyp_self_trap, TRAP_SYNC
	ventry	hyp_self_trap, TRAP_IRQ
	ventry	hyp_self_trap, TRAP_FIQ
	ventry	hyp_self_trap, TRAP_SERROR
	/* Lower EL, AArch64: the guest. */
	ventry	guest_trap, TRAP_SYNC
	ventry	guest_trap, TRAP_IRQ
	ventry	guest_trap, TRAP_FIQ
	ventry	guest_trap, TRAP_SERROR
	/* Lower EL, AArch32: our guests are AArch64 only (HCR_EL2.RW). */
	ventry	guest_trap, TRAP_AARCH32
	ventry	guest_trap, TRAP_AARCH32
	ventry	guest_trap, TRAP_AARCH32
	ventry	guest_trap, TRAP_AARCH32

/* x0/x1 of the guest are on the stack, x1 holds the trap kind. */
guest_trap:
	mrs	x0, tpidr_el2
	frame_save_x2_x30 x0
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #REGS_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #REGS_ELR]
	bl	trap_entry
	b	guest_resume

/* guest_enter(struct vcpu_regs *regs, unsigned cpu): make regs the running vCPU and enter it,
 * on an empty stack (a switch from deep in a trap must not leave its frames behind). */
	.globl	guest_enter
guest_enter:
	ldr	x2, =hyp_stacks + HYP_STACK_SIZE
	mov	x3, #HYP_STACK_SIZE
	madd	x2, x3, x1, x2
	mov	sp, x2
	msr	tpidr_el2, x0
	/* fall through */
	.globl	guest_resume
guest_resume:
	mrs	x0, tpidr_el2
	ldp	x2, x3, [x0, #REGS_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	frame_load_x2_x30 x0
	ldp	x0, x1, [x0, #REGS_X0]
	eret
	dsb	nsh		/* no speculation past eret */
	isb

/* A trap taken from EL2 itself: save everything on the stack and report it. */
hyp_self_trap:
	sub	sp, sp, #(REGS_SIZE - 16)
	frame_save_x2_x30 sp
	ldp	x2, x3, [sp, #(REGS_SIZE - 16)]
	stp	x2, x3, [sp, #REGS_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #REGS_ELR]
	mov	x0, sp
	bl	hyp_trap_entry
	b	park

	.ltorg
