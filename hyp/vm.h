/* Virtual machines: their stage-2 space, RAM, emulated devices and life cycle. */
#ifndef HYP_VM_H
#define HYP_VM_H

#include <modvisor/guest_map.h>
#include <stdbool.h>
#include <stdint.h>
#include "bundle.h"
#include "mmio.h"
#include "scenario.h"
#include "spinlock.h"
#include "stage2.h"
#include "vcpu.h"
#include "vgic.h"
#include "vrtc.h"
#include "vuart.h"
#include "vmmod.h"

#define VM_MAX SCENARIO_MAX_VMS
/* Where a guest finds its kernel and its device tree, relative to the start of its RAM. */

#define GUEST_DTB_MAX 0x10000ULL

enum vm_state { VM_FREE, VM_RUNNING, VM_STOPPED };

struct vm {
	unsigned id; /* index in the VM table, also the frame owner id */
	char name[SCENARIO_NAME_MAX];
	const struct vm_config *cfg;
	const struct bundle_image *kernel;
	struct s2_table s2;
	struct spinlock lock; /* stage-2 changes and state */
	struct vcpu vcpus[SCENARIO_MAX_VCPUS];
	unsigned vcpu_count;
	struct mmio_bus mmio;
	struct vgic vgic;
	struct vuart uart;
	struct vrtc rtc;
	volatile enum vm_state state;
	unsigned resets; /* SYSTEM_RESETs so far, told to the guest in its DTB */
	struct vm_module modules[SCENARIO_MAX_MODULES];
};

/* Global setup shared by all VMs on every CPU (VTCR). */
void vm_subsystem_init(unsigned pa_bits, const struct bundle *bundle);
/* Builds a VM from its scenario entry; prints the reason and returns an error if it cannot. */
int vm_create(const struct vm_config *cfg, struct vm **out);
/* Stops a VM for good (its own CPU calls this): prints the reason, frees its frames. When it was
 * the last running VM, reports and powers the machine off. Never returns to the guest. */
__attribute__((noreturn, format(printf, 2, 3))) void vm_stop(struct vm *vm, const char *fmt, ...);
/* Restarts the VM from its kernel with fresh, zeroed RAM. */
int vm_reset(struct vm *vm);
/* Handles a stage-2 fault on guest RAM under the lazy policy; MV_ERR_NOT_FOUND if not RAM. */
int vm_handle_ram_fault(struct vm *vm, uint64_t ipa);
bool vm_ipa_is_ram(const struct vm *vm, uint64_t ipa, uint64_t len);
/* Copy between hypervisor buffers and guest RAM; MV_ERR_INVALID unless the whole range is the
 * VM's RAM. Safe to call from any CPU while the VM runs. */
int vm_copy_to_guest(struct vm *vm, uint64_t ipa, const void *src, uint64_t len);
int vm_copy_from_guest(struct vm *vm, void *dst, uint64_t ipa, uint64_t len);

uint64_t vm_hcr(const struct vm *vm);
uint64_t vm_vttbr(const struct vm *vm);
uint64_t vm_vtcr(void);

struct vm *vm_by_index(unsigned i);
unsigned vm_count(void);
/* Prints the final report and powers the machine off (all VMs are down). */
__attribute__((noreturn)) void hyp_shutdown(void);

#endif /* HYP_VM_H */
