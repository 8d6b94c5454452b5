/* Calls from the hypervisor to the platform firmware's PSCI (SMC conduit at EL2). */
#ifndef HYP_ARCH_PSCI_FW_H
#define HYP_ARCH_PSCI_FW_H

#include <stdint.h>
#include <mv_compiler.h>

#define PSCI_0_2_FN_PSCI_VERSION 0x84000000u
#define PSCI_0_2_FN_CPU_SUSPEND 0xc4000001u
#define PSCI_0_2_FN_CPU_OFF 0x84000002u
#define PSCI_0_2_FN_CPU_ON 0xc4000003u
#define PSCI_0_2_FN_AFFINITY_INFO 0xc4000004u
#define PSCI_0_2_FN_SYSTEM_OFF 0x84000008u
#define PSCI_0_2_FN_SYSTEM_RESET 0x84000009u
#define PSCI_1_0_FN_PSCI_FEATURES 0x8400000au
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_AFFINITY_INFO_32 0x84000004u

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)

int64_t fw_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
__noreturn void fw_system_off(void);
int64_t fw_cpu_on(uint64_t mpidr, uint64_t entry_pa, uint64_t context);

#endif /* HYP_ARCH_PSCI_FW_H */
