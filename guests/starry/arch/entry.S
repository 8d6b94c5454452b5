/* Starry's EL1 exception vectors: user traps build a struct trap_frame at the top of the
 * task's kernel stack; kernel-mode exceptions (only IRQs while idle are expected) go to the
 * guest library's frame code and exc_dispatch() (guests/lib/vectors.S, exceptions.c). */
#include <asm_frame.h>

#define TF_SIZE 288
#define TF_SP 248
#define TF_PC 256
#define TF_ORIG_X0 272
#define TF_SYSCALLNO 280

.macro user_entry handler
	.balign	0x80
	sub	sp, sp, #TF_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, sp
	b	\handler
.endm

/* kind: exc_dispatch()'s numbering (guests/lib/exceptions.c). */
.macro kernel_entry kind
	.balign	0x80
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	guest_exc_common
.endm

	.section .text.vectors, "ax"
	.balign	0x800
	.globl	starry_vectors
starry_vectors:
	/* EL1 with SP_EL0: never used by this kernel */
	kernel_entry 0
	kernel_entry 1
	kernel_entry 2
	kernel_entry 3
	/* EL1 with SP_EL1: the kernel itself */
	kernel_entry 0
	kernel_entry 1
	kernel_entry 2
	kernel_entry 3
	/* EL0, AArch64 */
	user_entry el0_sync_entry
	user_entry el0_irq_entry
	kernel_entry 6
	kernel_entry 7
	/* EL0, AArch32: not supported (HCR_EL2.RW makes EL1 AArch64; EL0 AArch32 is refused) */
	kernel_entry 8
	kernel_entry 8
	kernel_entry 8
	kernel_entry 8

/* Saves what the user had: x2-x30, SP_EL0, ELR, SPSR; x0/x1 are saved by the vector. */
.macro save_user_frame
	frame_save_x2_x30 sp
	mrs	x2, sp_el0
	mrs	x3, elr_el1
	mrs	x4, spsr_el1
	str	x2, [sp, #TF_SP]
	stp	x3, x4, [sp, #TF_PC]
	ldr	x0, [sp, #0]
	str	x0, [sp, #TF_ORIG_X0]
	mov	x2, #-1
	str	x2, [sp, #TF_SYSCALLNO]
	mov	x29, #0 /* the user's frame chain ends here */
.endm

el0_sync_entry:
	save_user_frame
	mov	x0, sp
	bl	el0_sync_handler
	b	ret_to_user

el0_irq_entry:
	save_user_frame
	mov	x0, sp
	bl	el0_irq_handler
	b	ret_to_user

/* Leaves the kernel for user mode with the frame at sp: pending work first (reschedule,
 * signals), with interrupts masked so that nothing new arrives between the check and eret. */
	.globl	ret_to_user
ret_to_user:
	mov	x0, sp
	bl	ret_to_user_work
	ldr	x2, [sp, #TF_SP]
	ldp	x3, x4, [sp, #TF_PC]
	msr	sp_el0, x2
	msr	elr_el1, x3
	msr	spsr_el1, x4
	ldp	x0, x1, [sp, #0]
	frame_load_x2_x30 sp
	add	sp, sp, #TF_SIZE
	eret
