/* What the vGIC's delivery code and its register emulation share; not for other parts. */
#ifndef HYP_VGIC_INTERNAL_H
#define HYP_VGIC_INTERNAL_H

#include "vgic.h"

/* The state of an INTID: private to `vcpu` below 32, the VM's SPI otherwise; NULL if none. */
struct virq *vgic_get(struct vm *vm, struct vcpu *vcpu, unsigned intid);
/* Makes `target` rescan its interrupts, with an SGI if it runs on another physical CPU. */
void vgic_kick(struct vcpu *target);

#endif /* HYP_VGIC_INTERNAL_H */
