/* SMCCC 1.1 calls through HVC #0, and the PSCI functions the guests use. */
#include "guest.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON 0xc4000003u
#define PSCI_AFFINITY_INFO 0xc4000004u

struct smccc_res smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			   uint64_t a5, uint64_t a6)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	register uint64_t x6 __asm__("x6") = a6;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
			 :
			 : "memory");
	return (struct smccc_res){(int64_t)x0, x1, x2, x3};
}

uint32_t psci_version(void)
{
	return (uint32_t)smccc_hvc(PSCI_VERSION, 0, 0, 0, 0, 0, 0).a0;
}

void psci_system_off(void)
{
	smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

int64_t psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t context)
{
	return smccc_hvc(PSCI_CPU_ON, mpidr, entry, context, 0, 0, 0).a0;
}

void psci_cpu_off(void)
{
	smccc_hvc(PSCI_CPU_OFF, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

int64_t psci_affinity_info(uint64_t mpidr)
{
	return smccc_hvc(PSCI_AFFINITY_INFO, mpidr, 0, 0, 0, 0, 0).a0;
}

void psci_system_reset(void)
{
	smccc_hvc(PSCI_SYSTEM_RESET, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}
