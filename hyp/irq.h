/* Physical interrupts taken at EL2: the guest's timer, kicks between CPUs, the console. */
#ifndef HYP_IRQ_H
#define HYP_IRQ_H

struct vcpu;

/* Acknowledges and handles every pending physical interrupt; vcpu is NULL on an idle CPU. */
void irq_handle(struct vcpu *vcpu);
void irq_set_console(unsigned intid);

#endif /* HYP_IRQ_H */
