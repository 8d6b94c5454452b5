/* PSCI as each VM sees it: its own vCPUs and its own power state. */
#ifndef HYP_PSCI_H
#define HYP_PSCI_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Services a PSCI function ID from x0; returns false if fid is not a PSCI call. */
bool psci_guest_call(struct vcpu *vcpu, uint32_t fid);

#endif /* HYP_PSCI_H */
