/* The hypercall dispatcher: routes an HVC #0 from a guest by its SMCCC function ID. */
#ifndef IPC_HYPERCALL_H
#define IPC_HYPERCALL_H

struct vcpu;

/* Services the call in the vCPU's x0..x6 and writes status and results to x0..x3. */
void hypercall_dispatch(struct vcpu *vcpu);

#endif /* IPC_HYPERCALL_H */
