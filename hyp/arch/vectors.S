/* EL2 exception vectors: guest traps save x0-x30, ELR and SPSR into the running vCPU's regs. */
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
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #REGS_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #REGS_ELR]
	bl	trap_entry
	b	guest_resume

/* guest_enter(struct vcpu_regs *regs): make regs the running vCPU and enter it. */
	.globl	guest_enter
guest_enter:
	msr	tpidr_el2, x0
	/* fall through */
	.globl	guest_resume
guest_resume:
	mrs	x0, tpidr_el2
	ldp	x2, x3, [x0, #REGS_ELR]
	msr	elr_el2, x2
	msr	spsr_el2, x3
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #REGS_X0]
	eret
	dsb	nsh		/* no speculation past eret */
	isb

/* A trap taken from EL2 itself: save everything on the stack and report it. */
hyp_self_trap:
	sub	sp, sp, #(REGS_SIZE - 16)
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	ldp	x2, x3, [sp, #(REGS_SIZE - 16)]
	stp	x2, x3, [sp, #REGS_X0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #REGS_ELR]
	mov	x0, sp
	bl	hyp_trap_entry
	b	park
