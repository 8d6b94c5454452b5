/* Task context switch at EL1: callee-saved registers only, since every switch is a C call. */

/*
 * OsCtxSwitch(UINTPTR *saveSp, UINTPTR newSp): pushes x19-x30 on the current stack, stores sp
 * in *saveSp, loads newSp and pops the other task's x19-x30, returning into it. A task that was
 * preempted switched from inside the interrupt path, so its full exception frame is further
 * up its own stack and is restored when that path returns. IRQs are masked here.
 */
	.section .text.OsCtxSwitch, "ax"
	.globl	OsCtxSwitch
	.type	OsCtxSwitch, %function
OsCtxSwitch:
	sub	sp, sp, #96
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #96
	ret
	.size	OsCtxSwitch, . - OsCtxSwitch

/* A new task's first switch "returns" here with x19 = its control block. */
	.globl	OsTaskTrampoline
	.type	OsTaskTrampoline, %function
OsTaskTrampoline:
	mov	x29, #0		/* the outermost frame: backtraces stop here */
	mov	x0, x19
	bl	OsTaskEntry
1:	wfi
	b	1b
	.size	OsTaskTrampoline, . - OsTaskTrampoline

/*
 * VOID *OsTaskCall(TSK_ENTRY_FUNC entry, const UINTPTR args[4]): a tail call of entry with
 * args[0..3] in x0-x3. A current-form entry (one VOID *) reads x0 only, an obsolete-form one
 * (four UINTPTR) all four, so either is called correctly without a cast in C.
 */
	.section .text.OsTaskCall, "ax"
	.globl	OsTaskCall
	.type	OsTaskCall, %function
OsTaskCall:
	mov	x9, x0
	ldp	x2, x3, [x1, #16]
	ldp	x0, x1, [x1]
	br	x9
	.size	OsTaskCall, . - OsTaskCall
