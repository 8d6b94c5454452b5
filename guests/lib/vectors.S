/* EL1 exception vectors of a guest kernel: save a frame on the stack and call exc_dispatch(). */
#include <asm_frame.h>

.macro ventry kind
	.balign	0x80
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	guest_exc_common
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	guest_vectors
guest_vectors:
	.irp	kind, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
	ventry	\kind
	.endr

/* Also the kernel-mode path of kernels with their own table (guests/starry/arch/entry.S):
 * x0/x1 saved at [sp], x1 = kind as exc_dispatch() numbers them. */
	.globl	guest_exc_common
guest_exc_common:
	frame_save_x2_x30 sp
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #248]
	mov	x0, sp
	bl	exc_dispatch
	ldp	x2, x3, [sp, #248]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	frame_load_x2_x30 sp
	add	sp, sp, #272
	eret

/* uint64_t el0_a32_call(uint64_t pc, uint64_t spsr): runs AArch32 code at EL0 from `pc` until a
 * synchronous-exception hook sends it back to el0_a32_return (with x0 as the result). EL0
 * exceptions are taken on this stack, below the registers saved here. */
	.globl	el0_a32_call
el0_a32_call:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	isb
	eret
	.globl	el0_a32_return
el0_a32_return:
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
