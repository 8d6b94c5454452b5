/* arm64 Image header and the EL2 entry points of the boot CPU and of secondary CPUs. */
#include "arch/asm_offsets.h"

#define SCTLR_EL2_RES1 0x30c50830

	.section .head.text, "ax"
	.globl	_start
_start:
	/* arm64 Image header (Documentation/arch/arm64/booting): QEMU's -kernel and
	 * U-Boot's booti both place us at a 2 MiB aligned RAM base + text_offset. */
	b	primary_entry
	.long	0
	.quad	0x200000		/* text_offset */
	.quad	_image_size		/* image_size, bss included */
	.quad	0x2			/* flags: little-endian, 4K pages, 2 MiB-aligned base */
	.quad	0
	.quad	0
	.quad	0
	.ascii	"ARM\x64"
	.long	0

primary_entry:
	mov	x19, x0				/* host DTB */
	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	park				/* not EL2: nothing we can do */
	/* Absolute addresses are used everywhere: refuse to run anywhere else. */
	adr	x1, _start
	ldr	x2, =_start
	cmp	x1, x2
	b.ne	park

	bl	el2_cpu_reset_state
	ldr	x1, =hyp_stacks + HYP_STACK_SIZE
	mov	sp, x1

	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:
	mov	x0, x19
	bl	hyp_main
	b	park

/* PSCI CPU_ON entry for secondary CPUs; x0 = logical CPU index (the context ID). */
	.globl	secondary_entry
secondary_entry:
	mov	x19, x0
	bl	el2_cpu_reset_state
	cmp	x19, #HYP_MAX_CPUS
	b.hs	park
	ldr	x1, =hyp_stacks + HYP_STACK_SIZE
	mov	x2, #HYP_STACK_SIZE
	madd	x1, x2, x19, x1
	mov	sp, x1
	mov	x0, x19
	bl	hyp_secondary_main
	b	park

/* MMU and caches off, our vectors, FP/SIMD not trapped (guests and libfdt use it). */
el2_cpu_reset_state:
	ldr	x1, =SCTLR_EL2_RES1
	msr	sctlr_el2, x1
	isb
	ldr	x1, =hyp_vectors
	msr	vbar_el2, x1
	mov	x1, #CPTR_EL2_DEFAULT
	msr	cptr_el2, x1
	msr	hcr_el2, xzr
	msr	tpidr_el2, xzr
	isb
	tlbi	alle2
	dsb	nsh
	isb
	ret

/* cpu_idle_on_fresh_stack(index): drop everything on this CPU's stack and idle. */
	.globl	cpu_idle_on_fresh_stack
cpu_idle_on_fresh_stack:
	ldr	x1, =hyp_stacks + HYP_STACK_SIZE
	mov	x2, #HYP_STACK_SIZE
	madd	x1, x2, x0, x1
	mov	sp, x1
	b	cpu_idle_loop

	.globl	park
park:
	wfe
	b	park

	.ltorg
