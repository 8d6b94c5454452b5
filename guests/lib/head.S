/* Entry of a guest kernel: x0 = DTB (IPA), EL1, MMU off, all interrupts masked. */

	.section .head.text, "ax"
	.globl	_start
_start:
	mov	x19, x0
	ldr	x1, =__stack_top
	mov	sp, x1
	/* FP/SIMD on: libfdt from Debian is built with it. */
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	mov	x0, x19
	bl	kernel_main
3:	wfi
	b	3b
/* PSCI CPU_ON entry of secondary CPUs: x0 = the top of the stack the boot CPU gave it. */
	.globl	secondary_start
secondary_start:
	mov	sp, x0
	mov	x1, #(3 << 20)
	msr	cpacr_el1, x1
	isb
	bl	secondary_main
4:	wfi
	b	4b
	.ltorg
