/* Assembler macros: x2-x30 saved to or loaded from a frame laid out x0..x30 at 8-byte steps
 * (struct vcpu_regs, struct exc_frame), shared by the hypervisor's and the guests' vectors. */
#ifndef LIB_ASM_FRAME_H
#define LIB_ASM_FRAME_H

/* Assembler only (the build passes -D__ASSEMBLY__ for .S files). */
#ifdef __ASSEMBLY__
/* clang-format off */

/* x0 and x1 are left to the caller: the vectors need them as scratch first. */
.macro frame_save_x2_x30 base
	stp	x2, x3, [\base, #16]
	stp	x4, x5, [\base, #32]
	stp	x6, x7, [\base, #48]
	stp	x8, x9, [\base, #64]
	stp	x10, x11, [\base, #80]
	stp	x12, x13, [\base, #96]
	stp	x14, x15, [\base, #112]
	stp	x16, x17, [\base, #128]
	stp	x18, x19, [\base, #144]
	stp	x20, x21, [\base, #160]
	stp	x22, x23, [\base, #176]
	stp	x24, x25, [\base, #192]
	stp	x26, x27, [\base, #208]
	stp	x28, x29, [\base, #224]
	str	x30, [\base, #240]
.endm

.macro frame_load_x2_x30 base
	ldp	x2, x3, [\base, #16]
	ldp	x4, x5, [\base, #32]
	ldp	x6, x7, [\base, #48]
	ldp	x8, x9, [\base, #64]
	ldp	x10, x11, [\base, #80]
	ldp	x12, x13, [\base, #96]
	ldp	x14, x15, [\base, #112]
	ldp	x16, x17, [\base, #128]
	ldp	x18, x19, [\base, #144]
	ldp	x20, x21, [\base, #160]
	ldp	x22, x23, [\base, #176]
	ldp	x24, x25, [\base, #192]
	ldp	x26, x27, [\base, #208]
	ldp	x28, x29, [\base, #224]
	ldr	x30, [\base, #240]
.endm

/* clang-format on */
#endif /* __ASSEMBLY__ */
#endif /* LIB_ASM_FRAME_H */
