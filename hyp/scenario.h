/* The scenario: which VMs to build, parsed from a compiled configs/NAME.dts by the hypervisor and
 * by the host checker (tools/scenario-check), so both apply exactly the same rules. */
#ifndef HYP_SCENARIO_H
#define HYP_SCENARIO_H

#include <modvisor/guest_map.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#define SCENARIO_MAX_VMS 4
#define SCENARIO_MAX_VCPUS 8
#define SCENARIO_NAME_MAX 16
#define SCENARIO_BOOTARGS_MAX 128
#define SCENARIO_MAX_MODULES 4
#define SCENARIO_MODULE_SLOT 0x400000ULL /* each module's slot in the window: 4 MiB */

/* Every guest sees the same device window below RAM (see docs/architecture.md). */
#define GUEST_IPA_LIMIT (1ULL << 40)

enum mem_policy { MEM_EAGER, MEM_LAZY };

struct vm_config {
	char name[SCENARIO_NAME_MAX];
	char kernel[32];
	uint64_t ram_base;
	uint64_t ram_size;
	unsigned vcpus;
	unsigned affinity[SCENARIO_MAX_VCPUS];
	enum mem_policy policy;
	char bootargs[SCENARIO_BOOTARGS_MAX];
	char disk[SCENARIO_NAME_MAX]; /* serial of the host virtio-blk disk, or "" */
	char modules[SCENARIO_MAX_MODULES][SCENARIO_NAME_MAX]; /* the modules it may load */
	unsigned module_count;
	uint64_t module_window_base; /* IPA range where module slots are mapped; size 0: none */
	uint64_t module_window_size;
	bool modules_eager;  /* module-policy = "eager": loaded at boot, used or not */
	bool module_sharing; /* from the scenario's root: text shared between VMs */
};

/* The modules the hypervisor knows how to serve. */
extern const char *const scenario_known_modules[];

struct scenario {
	struct vm_config vms[SCENARIO_MAX_VMS];
	unsigned count;
};

/* Where parsing failed: the node path, the property and what is wrong with it. */
struct scenario_error {
	char node[64];
	char prop[32];
	char msg[96];
};

/* Parses and validates; `pcpus` is the number of physical CPUs the VMs may be pinned to. */
int scenario_parse(const void *fdt, size_t size, unsigned pcpus, struct scenario *out,
		   struct scenario_error *err);

#endif /* HYP_SCENARIO_H */
