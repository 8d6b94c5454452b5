/* Fatal-error reporting: prints where the hypervisor broke, then powers the machine off. */
#include "panic.h"
#include "console.h"
#include "arch/psci_fw.h"
#include "arch/asm_offsets.h"
#include "arch/sysregs.h"
#include <stdarg.h>

void panic_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	__asm__ volatile("msr daifset, #0xf");
	console_force_unlock();
	hyp_printf("hyp: PANIC at %s:%d: ", file, line);
	va_start(ap, fmt);
	hyp_vprintf(fmt, ap);
	va_end(ap);
	hyp_printf("\n");
	fw_system_off();
}

void mv_stack_smashed(void)
{
	panic("stack protector: stack smashed");
}

/* A synchronous exception or stray interrupt taken at EL2 itself is a hypervisor bug. */
void hyp_trap_entry(const uint64_t *regs)
{
	panic("exception at EL2: ESR %#lx ELR %#lx FAR %#lx SPSR %#lx x30 %#lx",
	      (unsigned long)read_sysreg(esr_el2), (unsigned long)regs[REGS_ELR / 8],
	      (unsigned long)read_sysreg(far_el2), (unsigned long)regs[REGS_SPSR / 8],
	      (unsigned long)regs[30]);
}
