/* Modules in a VM: mapping shared text and private, relocated data into its module window. */
#ifndef MODCACHE_VMMOD_H
#define MODCACHE_VMMOD_H

#include <stdbool.h>
#include <stdint.h>
#include "cache.h"
#include "modslot.h"

struct vm;
struct bundle;

/* Slot i of a VM's module window belongs to the i-th module it may load. Its state changes
 * only under the VM's lock (modslot.h says how, and who owns the frames it holds). */
struct vm_module {
	struct modslot slot;
};

/* What a load tells the guest (MV_HVC_MOD_LOAD). */
struct vmmod_load_result {
	uint64_t base_va;
	uint64_t desc_va;
	uint32_t flags; /* MV_MOD_F_* */
};

void vmmod_init(const struct bundle *bundle);
struct scenario_module_set;
/* Reads every mod-* image's descriptor from the opened bundle (and logs each module): the set
 * of modules the scenario may name. */
const struct scenario_module_set *vmmod_scan_bundle(void);
/* `window_va` is where the guest maps its module window (0: at the same address as the IPA). */
/*
 * MV_OK (flags MV_MOD_F_ALREADY if this VM had it loaded); MV_ERR_BUSY while another vCPU of
 * this VM is loading the same module, or if the VM was stopped or reset during the load;
 * DENIED, NOT_FOUND, NO_MEMORY as docs/abi.md says. Takes the VM's lock itself.
 */
int vmmod_load(struct vm *vm, const char *name, uint64_t window_va, struct vmmod_load_result *r);
/* MV_OK, NOT_FOUND if not loaded, BUSY while it is being loaded, DENIED if not allowed. */
int vmmod_unload(struct vm *vm, const char *name);
/*
 * Builds the stage-2 tables of the VM's module slots (each module's span, as the bundle's image
 * has it), so that its loads map into them without allocating: for a VM being created or reset,
 * which runs nowhere. Best effort: a slot left without them is built by its first load.
 */
void vmmod_prepare_slots(struct vm *vm);
/* Empties every slot (VM stop or reset); a load in progress on another vCPU then fails. */
void vmmod_unload_all(struct vm *vm);
/* The module whose shared text covers `ipa` in this VM (the scenario's name for the slot), or
 * NULL. */
const char *vmmod_text_at(const struct vm *vm, uint64_t ipa);
/* What module `name` would cost: MV_OK and its version, text and data bytes. */
int vmmod_lookup(const struct vm *vm, const char *name, uint32_t *version, uint64_t *text_bytes,
		 uint64_t *data_bytes);
/* Fills up to max records about the modules this VM may load; returns how many exist. */
unsigned vmmod_list(const struct vm *vm, void *records, unsigned max);
/* Cache-wide figures, in pages: like KSM's pages_shared / pages_sharing. */
struct vmmod_cache_stats {
	uint64_t text_resident; /* text pages in the cache, mapped or warm */
	uint64_t text_mapped;	/* text pages mapped by at least one VM */
	uint64_t text_mappings; /* sum over modules of text pages x VMs mapping them */
	uint64_t peak_mappings; /* the most text_mappings ever was */
	uint64_t peak_saved;	/* the most text pages sharing ever saved (mappings - mapped) */
};

void vmmod_cache_stats(struct vmmod_cache_stats *s);
/* This VM's module text in bytes: shared (and its PSS share: each page divided by the VMs
 * mapping it) and private copies (module sharing off). Returns the PSS share. */
uint64_t vmmod_text_bytes(const struct vm *vm, uint64_t *shared_bytes, uint64_t *private_bytes,
			  unsigned *loaded);

/* The console's Ctrl-A m: resident modules, their text pages, the VMs mapping them. */
void vmmod_print_cache(void);

#endif /* MODCACHE_VMMOD_H */
