/* Physical CPU table built from the device tree, and CPU bring-up through firmware PSCI. */
#include "cpu.h"
#include "arch/psci_fw.h"
#include "arch/sysregs.h"
#include "console.h"
#include "irq.h"
#include "arch/gic_hw.h"
#include "vm.h"
#include "vsched.h"
#include <modvisor/status.h>

#define MPIDR_AFF_MASK 0xff00ffffffULL

static uint64_t cpu_mpidr_table[HYP_MAX_CPUS];
static unsigned cpus;

extern char secondary_entry[];

void cpu_init_table(const struct platform *plat)
{
	cpus = plat->cpu_count;
	for (unsigned i = 0; i < cpus; i++)
		cpu_mpidr_table[i] = plat->cpu_mpidr[i] & MPIDR_AFF_MASK;
}

unsigned cpu_index(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;

	for (unsigned i = 0; i < cpus; i++)
		if (cpu_mpidr_table[i] == mpidr)
			return i;
	return 0;
}

uint64_t cpu_mpidr(unsigned index)
{
	return index < cpus ? cpu_mpidr_table[index] : 0;
}

unsigned cpu_count(void)
{
	return cpus;
}

int cpu_start(unsigned index)
{
	int64_t ret;

	if (index >= cpus)
		return MV_ERR_INVALID;
	ret = fw_cpu_on(cpu_mpidr_table[index], (uint64_t)secondary_entry, index);
	if (ret == PSCI_RET_ALREADY_ON) {
		/* It idles in the hypervisor: a kick makes it look for its vCPU. */
		gic_hw_send_sgi(cpu_mpidr_table[index], GIC_SGI_KICK);
		return MV_OK;
	}
	if (ret == PSCI_RET_ON_PENDING)
		return MV_OK; /* still coming up: it looks for its vCPU once it is in */
	if (ret != PSCI_RET_SUCCESS) {
		hyp_printf("hyp: cpu %u: PSCI CPU_ON failed (%ld)\n", index, (long)ret);
		return MV_ERR_BUSY;
	}
	return MV_OK;
}

void cpu_park_idle(void)
{
	write_sysreg(0, tpidr_el2);
	cpu_idle_on_fresh_stack(cpu_index());
}

/*
 * The idle loop; entered on an empty stack so that idling and running never leak stack.
 * A physical CPU never goes back to the firmware once started (no firmware CPU_OFF): CPU 0
 * serves the console's receive interrupt and every SPI the hypervisor routes, any CPU may be
 * kicked, and a firmware CPU_OFF would race with the next CPU_ON (ALREADY_ON while it powers
 * down, the kick lost). An idle CPU costs a WFI.
 */
void cpu_idle_loop(void)
{
	for (;;) {
		/* First: boot, a reset, CPU_ON or an interrupt may have made a vCPU runnable. */
		struct vcpu *vcpu = vsched_next();

		if (vcpu)
			vcpu_run(vcpu);
		wfi();
		/* Still serves the console and stray interrupts (the UART may be routed here). */
		irq_handle(NULL);
	}
}
