/* The hypervisor's own EL2 stage-1 identity map: its devices, RAM, and W^X for its image. */
#ifndef HYP_ARCH_MMU_H
#define HYP_ARCH_MMU_H

#include <stdint.h>
#include "el2map.h"

/* Boot map: [2 MiB, 1 GiB) as device, [1 GiB, 4 GiB) as normal memory; never the NULL guard. */
void mmu_enable_boot(void);
/* Final map: only the RAM ranges and the device ranges the hypervisor drives. */
int mmu_switch_final(const struct mem_range *ram, unsigned ram_count, const struct mem_range *dev,
		     unsigned dev_count);
/* Enable the current final tables on a secondary CPU. */
void mmu_enable_secondary(void);
unsigned mmu_pa_bits(void);

#endif /* HYP_ARCH_MMU_H */
