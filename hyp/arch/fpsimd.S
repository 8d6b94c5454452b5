/* FP/SIMD register file save and restore for vCPU switches (the C code never touches it). */

/* struct fpsimd_state: q0..q31 (16 bytes each), then FPSR and FPCR. */
#define FPSIMD_FPSR 512

.macro	pair op, a, b
	\op	q\a, q\b, [x0, #(\a * 16)]
.endm

/* Every Q register in pairs, at its place in struct fpsimd_state at x0. */
.macro	all_q op
	pair	\op, 0, 1
	pair	\op, 2, 3
	pair	\op, 4, 5
	pair	\op, 6, 7
	pair	\op, 8, 9
	pair	\op, 10, 11
	pair	\op, 12, 13
	pair	\op, 14, 15
	pair	\op, 16, 17
	pair	\op, 18, 19
	pair	\op, 20, 21
	pair	\op, 22, 23
	pair	\op, 24, 25
	pair	\op, 26, 27
	pair	\op, 28, 29
	pair	\op, 30, 31
.endm

/* fpsimd_save(struct fpsimd_state *s) */
	.text
	.globl	fpsimd_save
fpsimd_save:
	all_q	stp
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #FPSIMD_FPSR
	stp	x1, x2, [x0]
	ret

/* fpsimd_restore(const struct fpsimd_state *s) */
	.globl	fpsimd_restore
fpsimd_restore:
	all_q	ldp
	add	x0, x0, #FPSIMD_FPSR
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
