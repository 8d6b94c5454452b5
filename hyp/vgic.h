/* Virtual GICv3 for each VM: emulated distributor and redistributors, list-register delivery. */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include <modvisor/guest_map.h>
#include <stdbool.h>
#include <stdint.h>
#include "spinlock.h"
#include <mv_compiler.h>

struct vm;
struct vcpu;

#define VGIC_NR_SPIS 64 /* INTIDs 32..95 */
#define VGIC_NR_IRQS (32 + VGIC_NR_SPIS)
#define VGIC_MAX_LRS 16
#define VGIC_PPI_MAINT 25
#define VGIC_PPI_VTIMER 27

/* Guest IPA layout of the emulated GIC (the same as QEMU virt's physical one). */
#define VGIC_DIST_BASE GUEST_GICD_BASE
#define VGIC_DIST_SIZE 0x10000ULL
#define VGIC_REDIST_BASE GUEST_GICR_BASE
#define VGIC_REDIST_STRIDE 0x20000ULL

/* SPIs the hypervisor's emulated devices use in every guest. */
#define VGIC_SPI_UART GUEST_PL011_INTID
#define VGIC_SPI_VIRTIO GUEST_VIRTIO_INTID

/* One interrupt as the guest programmed it and as the hypervisor tracks it. */
struct virq {
	uint8_t priority;
	uint8_t target; /* vCPU index (SPIs: from IROUTER) */
	bool enabled;
	bool pending; /* latched edge, or a level line the guest has not yet taken */
	bool active;
	bool edge;    /* ICFGR: edge-triggered */
	bool line;    /* input level of a level-sensitive interrupt */
	bool hw;      /* backed by the physical interrupt with the same INTID */
	bool latched; /* level: pended by software (ISPENDR), held until the guest takes it */
	bool again;   /* edge: asserted again while a list register held it */
	int8_t lr;    /* list register holding it on its vCPU's CPU, or -1 */
};

/* Per vCPU: its private interrupts and what its CPU's list registers hold. */
struct vgic_cpu {
	struct virq private_irqs[32];
	uint16_t lr_intid[VGIC_MAX_LRS];
	uint16_t lr_used; /* bitmap of list registers in use */
	bool dirty;	  /* something changed for this vCPU: rescan before entering it */
	uint32_t gicr_waker;
};

struct vgic {
	struct spinlock lock; /* every virq of the VM and every vgic_cpu */
	uint32_t gicd_ctlr;
	struct virq spis[VGIC_NR_SPIS];
	uint64_t irouter[VGIC_NR_SPIS];
};

/* Puts every interrupt of the VM in its reset state. */
void vgic_vm_init(struct vm *vm);
/* Registers the distributor and redistributor regions on the VM's MMIO bus (once). */
void vgic_mmio_register(struct vm *vm);
/* Forgets a stopped or reset VM's interrupts on this CPU (list registers, HW-linked state). */
void vgic_vcpu_release(struct vcpu *vcpu);

/* Sets the input line of a level-sensitive interrupt (an emulated device's SPI). */
void vgic_set_level(struct vm *vm, unsigned intid, bool level);
/* Makes an interrupt pending: on `vcpu` for SGIs and PPIs, on its target for SPIs. */
void vgic_inject(struct vm *vm, struct vcpu *vcpu, unsigned intid);
/* The guest's virtual timer fired (physical PPI 27, left active until the guest deactivates). */
void vgic_inject_vtimer(struct vcpu *vcpu);
/* A trapped ICC_SGI1R_EL1 write from `vcpu`. */
void vgic_send_sgi(struct vcpu *vcpu, uint64_t sgi1r);

/* Brings list registers and software state in step before entering the vCPU. */
void vgic_flush(struct vcpu *vcpu);
/* Whether vgic_flush has anything to do: an interrupt in a list register (the guest may have
 * taken or finished it) or a change since the last flush. Every path that makes something
 * pending sets `dirty` (vgic_kick, vgic_inject_vtimer, the distributor emulation, a fresh vCPU
 * entry), so a trap that changed nothing, e.g. a null hypercall, skips the call entirely. */
static inline bool vgic_needs_flush(const struct vgic_cpu *vc)
{
	return vc->lr_used || READ_ONCE(vc->dirty);
}
/* True if the vCPU has an interrupt it could take now (so WFI must not sleep). */
bool vgic_has_pending(struct vcpu *vcpu);

#endif /* HYP_VGIC_H */
