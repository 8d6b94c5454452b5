/* EL1 exception vectors of the LiteOS kernel: a full frame on the task's stack, then C. */
#include <asm_frame.h>

/* The frame is struct exc_frame (guests/lib/guest.h): x0-x30, ELR, SPSR, padding. */
.macro ventry kind
	.balign	0x80
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	los_exc_common
.endm

	.section .text.los_vectors, "ax"
	.balign	0x800
	.globl	los_vectors
los_vectors:
	/* Kinds as guests/lib/exceptions.c numbers them: 0 sync, 1 irq, 2 fiq, 3 serror. */
	.irp	kind, 0, 1, 2, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8
	ventry	\kind
	.endr

los_exc_common:
	frame_save_x2_x30 sp
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #248]
	mov	x0, sp
	/* May switch tasks (interrupts): this frame then waits on this stack until switched back. */
	bl	OsExcDispatch
	ldp	x2, x3, [sp, #248]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x0, x1, [sp, #0]
	frame_load_x2_x30 sp
	add	sp, sp, #272
	eret
