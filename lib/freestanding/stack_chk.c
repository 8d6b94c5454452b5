/* Stack protector support for -fstack-protector-strong code and the prebuilt libfdt.a. */
#include "mvlib.h"

/*
 * There is no entropy source before the hypervisor has parsed anything, and changing the
 * guard while protected frames are live would make them fail on return, so the value is fixed.
 * The zero low byte sits first in memory, so a runaway string copy cannot write the canary
 * back intact and carry on to the return address.
 */
unsigned long __stack_chk_guard = 0x6d76d3a5c0de5a00UL;

__attribute__((noreturn)) void __stack_chk_fail(void)
{
	mv_stack_smashed();
	for (;;) {
	}
}
