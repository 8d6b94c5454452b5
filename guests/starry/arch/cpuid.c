/* The identification registers /proc/cpuinfo shows, read where the system registers are. */
#include "../kernel.h"

void cpu_id_regs(struct cpu_ids *ids)
{
	__asm__ volatile("mrs %0, midr_el1" : "=r"(ids->midr));
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(ids->isar0));
	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(ids->pfr0));
	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(ids->cntfrq));
}
