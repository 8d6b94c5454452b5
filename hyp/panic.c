/* Fatal-error reporting: prints where the hypervisor broke, then powers the machine off. */
#include "panic.h"
#include "console.h"
#include "arch/psci_fw.h"
#include "arch/asm_offsets.h"
#include "arch/sysregs.h"
#include "el2map.h"
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

#define EC_IABT_CUR 0x21
#define EC_DABT_CUR 0x25

/*
 * A synchronous exception or stray interrupt taken at EL2 itself is a hypervisor bug. ELR is
 * the faulting instruction: `addr2line -e build/hyp.elf ELR` gives its file and line.
 */
void hyp_trap_entry(const uint64_t *regs)
{
	uint64_t esr = read_sysreg(esr_el2), far = read_sysreg(far_el2);
	unsigned ec = ESR_EC(esr);
	const char *what = "exception";

	if (ec == EC_DABT_CUR)
		what = far < EL2MAP_GUARD ? "NULL pointer dereference (data abort)" : "data abort";
	else if (ec == EC_IABT_CUR)
		what = far < EL2MAP_GUARD ? "NULL function pointer call (instruction abort)"
					  : "instruction abort";
	panic("%s at EL2: address %#lx, ELR %#lx, ESR %#lx, SPSR %#lx, x30 %#lx", what,
	      (unsigned long)far, (unsigned long)regs[REGS_ELR / 8], (unsigned long)esr,
	      (unsigned long)regs[REGS_SPSR / 8], (unsigned long)regs[30]);
}
