/* The hypervisor's own EL2 stage-1 identity map: device space, RAM, and W^X for its image. */
#ifndef HYP_ARCH_MMU_H
#define HYP_ARCH_MMU_H

#include <stdint.h>

struct mem_range {
	uint64_t base;
	uint64_t size;
};

/* Boot map: everything below 1 GiB as device, [1 GiB, 4 GiB) as normal memory. */
void mmu_enable_boot(void);
/* Final map: only the RAM ranges found in the device tree are normal memory. */
int mmu_switch_final(const struct mem_range *ram, unsigned count);
/* Enable the current final tables on a secondary CPU. */
void mmu_enable_secondary(void);
unsigned mmu_pa_bits(void);

#endif /* HYP_ARCH_MMU_H */
