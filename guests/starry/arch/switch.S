/* Task switching: callee-saved registers, the user's FP/SIMD state, the start of new tasks. */

/* cpu_switch_to(struct cpu_context *prev, struct cpu_context *next) */
	.text
	.globl	cpu_switch_to
cpu_switch_to:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	mov	x9, sp
	stp	x29, x30, [x0, #80]
	str	x9, [x0, #96]
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x9, [x1, #96]
	mov	sp, x9
	ret

/* A new task's first run: x19 = function to call (may be 0), x20 = its argument; then the
 * frame at the top of the kernel stack (sp) goes to user mode. */
	.globl	task_entry_trampoline
task_entry_trampoline:
	bl	schedule_tail
	cbz	x19, 1f
	mov	x0, x20
	blr	x19
1:	b	ret_to_user

/* fpsimd_save(struct fpsimd_state *) / fpsimd_load(const struct fpsimd_state *) */
	.globl	fpsimd_save
fpsimd_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	str	w1, [x0, #512]
	str	w2, [x0, #516]
	ret

	.globl	fpsimd_load
fpsimd_load:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	w1, [x0, #512]
	ldr	w2, [x0, #516]
	msr	fpsr, x1
	msr	fpcr, x2
	ret

/* The signal return trampoline user space runs when a handler returns without SA_RESTORER:
 * copied into a user page, so it holds no addresses. */
	.section .rodata
	.globl	sigreturn_code, sigreturn_code_end
	.balign	8
sigreturn_code:
	mov	x8, #139 /* rt_sigreturn */
	svc	#0
	brk	#0 /* never reached */
sigreturn_code_end:
	.globl	sigreturn_code_size
	.balign	8
sigreturn_code_size:
	.quad	sigreturn_code_end - sigreturn_code
