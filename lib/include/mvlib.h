/* Hooks that lib/ needs from whatever program links it (the hypervisor or a guest). */
#ifndef MV_MVLIB_H
#define MV_MVLIB_H

/*
 * Called by __stack_chk_fail when a stack canary was overwritten. Each program defines it
 * (print, then stop the CPU); it is deliberately not weak, so forgetting it is a link error
 * rather than a silent hang. It should not return; if it does, the CPU spins.
 */
void mv_stack_smashed(void);

/* The canary that -fstack-protector compares against; aarch64 gcc uses one global guard. */
extern unsigned long __stack_chk_guard;
__attribute__((noreturn)) void __stack_chk_fail(void);

#endif /* MV_MVLIB_H */
