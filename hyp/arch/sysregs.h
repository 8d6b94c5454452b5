/* AArch64 system-register accessors and the register bits the hypervisor uses. */
#ifndef HYP_ARCH_SYSREGS_H
#define HYP_ARCH_SYSREGS_H

#include <stdint.h>

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t __v;                                                                      \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                                       \
		__v;                                                                               \
	})
#define write_sysreg(v, r) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")

/* HCR_EL2 */
#define HCR_VM (1ULL << 0)
#define HCR_SWIO (1ULL << 1)
#define HCR_FMO (1ULL << 3)
#define HCR_IMO (1ULL << 4)
#define HCR_AMO (1ULL << 5)
#define HCR_FB (1ULL << 9)
#define HCR_BSU_INNER (1ULL << 10)
#define HCR_TWI (1ULL << 13)
#define HCR_TWE (1ULL << 14)
#define HCR_TIDCP (1ULL << 20)
#define HCR_TSC (1ULL << 19)
#define HCR_TSW (1ULL << 22)
#define HCR_RW (1ULL << 31)

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr) (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL (1ULL << 25)
#define ESR_ISS(esr) ((esr)&0x1ffffff)

#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
/* Traps of AArch32 (EL0) instructions: MCR/MRC p15, MCRR/MRRC p15, MCR/MRC p14, LDC/STC p14,
 * VMRS (cp10 ID registers), MCRR/MRRC p14. */
#define EC_CP15_32 0x03
#define EC_CP15_64 0x04
#define EC_CP14_32 0x05
#define EC_CP14_LS 0x06
#define EC_CP10_ID 0x08
#define EC_CP14_64 0x0c
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24
#define EC_COUNT 64

/* Data-abort ISS */
#define ISS_ISV (1U << 24)
#define ISS_SAS(iss) (((iss) >> 22) & 3)
#define ISS_SSE (1U << 21)
#define ISS_SRT(iss) (((iss) >> 16) & 0x1f)
#define ISS_SF (1U << 15)
#define ISS_WNR (1U << 6)
#define ISS_FSC(iss) ((iss)&0x3f)

/* SPSR for entering EL1h with all of DAIF masked, as a boot loader leaves a kernel. */
#define SPSR_EL1H_DAIF 0x3c5ULL
#define SPSR_MODE_MASK 0xfULL
#define SPSR_EL1H 0x5ULL
#define SPSR_EL1T 0x4ULL

/* SCTLR bits */
#define SCTLR_M (1ULL << 0)
#define SCTLR_A (1ULL << 1)
#define SCTLR_C (1ULL << 2)
#define SCTLR_SA (1ULL << 3)
#define SCTLR_I (1ULL << 12)
#define SCTLR_WXN (1ULL << 19)
#define SCTLR_EL2_RES1 0x30c50830ULL
#define SCTLR_EL1_RES1 0x30d00800ULL

#endif /* HYP_ARCH_SYSREGS_H */
