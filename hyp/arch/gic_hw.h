/* The physical GICv3 the hypervisor owns: distributor, redistributors, CPU and virtual interfaces.
 */
#ifndef HYP_ARCH_GIC_HW_H
#define HYP_ARCH_GIC_HW_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_SGI_KICK 0 /* "re-examine your vCPU's interrupts", sent between physical CPUs */
#define GIC_SPURIOUS 1020

/* List-register fields (ICH_LR<n>_EL2). */
#define LR_STATE_SHIFT 62
#define LR_STATE_PENDING 1ULL
#define LR_STATE_ACTIVE 2ULL
#define LR_HW (1ULL << 61)
#define LR_GROUP1 (1ULL << 60)
#define LR_EOI (1ULL << 41)
#define LR_PRIO_SHIFT 48
#define LR_PINTID_SHIFT 32

/* ICH_HCR_EL2 */
#define ICH_HCR_EN (1ULL << 0)
#define ICH_HCR_UIE (1ULL << 1)

void gic_hw_init_distributor(uint64_t gicd_base, uint64_t gicr_base);
/* Wakes this CPU's redistributor and sets up its CPU and virtual CPU interfaces. */
void gic_hw_init_cpu(void);
/* Routes a (level-sensitive) SPI to the physical CPU with this MPIDR and enables it. */
void gic_hw_enable_spi(unsigned intid, uint64_t mpidr);

uint32_t gic_hw_ack(void);
void gic_hw_priority_drop(uint32_t intid);
void gic_hw_deactivate(uint32_t intid);
void gic_hw_send_sgi(uint64_t target_mpidr, unsigned sgi);

unsigned gic_hw_lr_count(void);
uint64_t gic_hw_lr_read(unsigned n);
void gic_hw_lr_write(unsigned n, uint64_t value);
void gic_hw_set_hcr(uint64_t hcr);
uint64_t gic_hw_get_hcr(void);

/* The active state of one of this CPU's PPIs (the HW-linked virtual timer across switches). */
bool gic_hw_ppi_active(unsigned intid);
void gic_hw_ppi_set_active(unsigned intid);
/* How many ICH_AP0R<n>/ICH_AP1R<n> registers the virtual CPU interface implements. */
unsigned gic_hw_apr_count(void);

/* Everything of a vCPU in the virtual CPU interface: list registers, active priorities, the
 * guest's view of its CPU interface (VMCR) and the maintenance controls (HCR). */
struct gic_vcpu_if {
	uint64_t lr[16];
	uint64_t ap0r[4], ap1r[4];
	uint64_t vmcr, hcr;
};

/* Saves the interface and leaves its list registers empty. */
void gic_hw_vcpu_if_save(struct gic_vcpu_if *s);
void gic_hw_vcpu_if_restore(const struct gic_vcpu_if *s);
/* The interface as after reset: nothing in flight, nothing active, enabled. */
void gic_hw_vcpu_if_clear(void);

#endif /* HYP_ARCH_GIC_HW_H */
