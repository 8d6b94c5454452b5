/* Per-VM memory accounting (RSS, PSS, USS, shared, tables) and the footprint report. */
#ifndef HYP_ACCOUNT_H
#define HYP_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <modvisor/hypercall.h>

struct vm;

/* The VM's figures now, from the frame pool's owner counters and its module mappings. */
void account_vm(const struct vm *vm, struct mv_mem_stats *out);
/* Counts frames the VM gave back with MEM_RELEASE (called under the VM's lock). */
void account_vm_released(const struct vm *vm, uint64_t frames);
/* Counts the VM's module loads (warm: the text was cached, nothing copied) and unloads, which
 * the FOOTPRINT lines report: idle unloads and the reloads they cause show there. */
void account_vm_module_loaded(const struct vm *vm, bool warm);
void account_vm_module_unloaded(const struct vm *vm);
/* Remembers the figures of a VM that is about to stop, for the final report, and gives back
 * the frames reserved for it. */
void account_vm_exit(const struct vm *vm);
/* Records the frames in use before any VM exists, to compare with at the end. */
void account_boot_baseline(void);
/* The live table (console Ctrl-A f). */
void account_print_live(void);
/* The table and FOOTPRINT JSON lines printed when all VMs are down. */
void account_print_final(void);

#endif /* HYP_ACCOUNT_H */
