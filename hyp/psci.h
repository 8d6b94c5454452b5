/* PSCI as each VM sees it: its own vCPUs and its own power state. */
#ifndef HYP_PSCI_H
#define HYP_PSCI_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Whether a function ID is PSCI's: owner 4 (standard secure service), functions 0x00..0x1f,
 * SMC32 or SMC64. Inline so the dispatcher can tail-call psci_guest_call. */
static inline bool psci_is_call(uint32_t fid)
{
	return (fid & 0xbfffffe0u) == 0x84000000u;
}

/* Services a PSCI function ID from x0 (one for which psci_is_call holds). */
void psci_guest_call(struct vcpu *vcpu, uint32_t fid);

#endif /* HYP_PSCI_H */
