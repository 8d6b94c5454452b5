/* MV_HVC_MEM_RELEASE: a guest gives free RAM pages back to the host (free page reporting). */
#ifndef HYP_MEMRELEASE_H
#define HYP_MEMRELEASE_H

#include <stdint.h>

struct vcpu;
struct vm;

/*
 * Unmaps the frames backing [ipa, ipa + pages * 4 KiB) of the VM's RAM with one TLB flush and
 * frees them; pages never backed are skipped. All or nothing: on error nothing has changed.
 * MV_ERR_INVALID for a bad range (page_release_check), MV_ERR_NOT_SUPPORTED under the eager
 * policy, MV_ERR_DENIED if a mapping in the range is not the VM's own RAM frame, MV_ERR_NO_MEMORY
 * if splitting a block mapping needs a table page the VM cannot have. *released = frames freed.
 */
int mem_release(struct vm *vm, uint64_t ipa, uint64_t pages, uint64_t *released);
/* The hypercall: x1 = ipa, x2 = pages; x0 = status, x1 = pages given back. */
void hvc_mem_release(struct vcpu *vcpu);

#endif /* HYP_MEMRELEASE_H */
