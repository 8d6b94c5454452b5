/* The scenario: which VMs to build, parsed from a compiled configs/NAME.dts by the hypervisor and
 * by the host checker (tools/scenario-check), so both apply exactly the same rules. */
#ifndef HYP_SCENARIO_H
#define HYP_SCENARIO_H

#include <modvisor/guest_map.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

/* VMs in one scenario; frame owner ids (FRAME_MAX_IDS), VMIDs and the console's sources are
 * sized for it, and the scenario's memory checks bound how many really fit. */
#define SCENARIO_MAX_VMS 16
#define SCENARIO_MAX_VCPUS 8
#define SCENARIO_NAME_MAX 16
#define SCENARIO_BOOTARGS_MAX 128
#define SCENARIO_MAX_MODULES 4
#define SCENARIO_SLICE_MS_DEFAULT 10
#define SCENARIO_SLICE_MS_MAX 1000
#define SCENARIO_MODULE_SLOT 0x400000ULL /* each module's slot in the window: 4 MiB */

/* Every guest sees the same device window below RAM (see docs/architecture.md). */
#define GUEST_IPA_LIMIT (1ULL << 40)

enum mem_policy { MEM_EAGER, MEM_LAZY };

/* What a module's image takes, in pages (from its ELF): its text (one copy in the cache), its
 * data (each VM's own) and its span in a slot, from the slot's start to the end of its data. */
struct scenario_module_pages {
	uint32_t text;
	uint32_t data;
	uint32_t span;
};

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
	bool modules_eager;	/* module-policy = "eager": loaded at boot, used or not */
	bool module_sharing;	/* from the scenario's root: text shared between VMs */
	unsigned time_slice_ms; /* from the scenario's root: slice on a time-shared CPU */
	bool log_debug;		/* from the scenario's root: log-level = "debug" */
	/* Set by scenario_check_modules from the bundle's images: what each listed module takes.
	 * Until then (a scenario checked without its modules) a module counts a whole slot. */
	bool module_pages_known;
	struct scenario_module_pages module_pages[SCENARIO_MAX_MODULES];
	/* Set by scenario_fit_memory: frames the VM may own at most, and how many are kept for it.
	 */
	uint64_t quota_frames;
	uint64_t reserve_frames;
};

/* A module the bundle holds, as its image's descriptor describes it (docs/modules.md). There is
 * no list of module names anywhere else: the set is read from the bundle (at boot) or from the
 * built images (tools/scenario-check, at build time). */
#define SCENARIO_MAX_BUNDLE_MODULES 16
#define SCENARIO_MAX_NEEDS (SCENARIO_MAX_MODULES - 1)

struct scenario_module {
	char name[SCENARIO_NAME_MAX];
	uint32_t version; /* major << 16 | minor */
	uint32_t kind;	  /* enum mv_module_kind */
	char needs[SCENARIO_MAX_NEEDS][SCENARIO_NAME_MAX];
	unsigned need_count;
	bool refused; /* its image is in the bundle but unusable: loads are refused by name */
	struct scenario_module_pages pages; /* all zero for a refused image */
};

struct scenario_module_set {
	struct scenario_module mods[SCENARIO_MAX_BUNDLE_MODULES];
	unsigned count;
};

struct scenario;
struct scenario_error;
struct mv_module_desc;
/* Adds the module a checked descriptor describes, whose image takes `pages` (or, with desc and
 * pages NULL, a refused image of that name). MV_ERR_NO_MEMORY when the set is full, MV_ERR_BUSY
 * for a name already in it, MV_ERR_INVALID for a bad name or a module larger than a slot. */
int scenario_module_add(struct scenario_module_set *set, const char *name,
			const struct mv_module_desc *desc,
			const struct scenario_module_pages *pages);
const struct scenario_module *scenario_module_find(const struct scenario_module_set *set,
						   const char *name);
/* Every module a VM lists must be in the set, and so must everything it needs, listed by the
 * same VM before it (an eager VM loads them in list order). MV_ERR_INVALID naming the VM,
 * `modules` and the module otherwise. On success each VM's config records what its modules
 * take (module_pages), which scenario_fit_memory then reserves instead of whole slots. */
int scenario_check_modules(struct scenario *s, const struct scenario_module_set *set,
			   struct scenario_error *err);
/* The first module m needs that is not among the `count` names in `loaded`, or NULL. */
const char *scenario_unmet_need(const struct scenario_module *m, const char *const *loaded,
				unsigned count);
/* Whether m needs the module `name`. */
bool scenario_module_needs(const struct scenario_module *m, const char *name);
/* "fatfs, signal": the set's names, for messages. */
void scenario_module_names(const struct scenario_module_set *set, char *buf, size_t size);

struct scenario {
	struct vm_config vms[SCENARIO_MAX_VMS];
	unsigned count;
	bool memory_overcommit; /* root property: VMs may be promised more than the host has */
};

/* Where parsing failed: the node path, the property and what is wrong with it. */
struct scenario_error {
	char node[64];
	char prop[32];
	char msg[192];
};

/* Frames a VM can own at most, by kind (docs/scenarios.md, "Memory bounds"). */
struct vm_memory {
	uint64_t ram;	  /* its RAM: the maximum a lazy VM may touch */
	uint64_t tables;  /* worst-case stage-2 tables for its RAM and module slots */
	uint64_t moddata; /* module data: a module's image spans at most its slot */
	uint64_t devbuf;  /* the hypervisor's buffers for its devices (not in its quota) */
};

/* How a scenario fits into the host's free frames. */
struct scenario_memory {
	uint64_t available;		     /* frames free for VMs and modules */
	uint64_t text;			     /* module text the cache may need */
	uint64_t quota[SCENARIO_MAX_VMS];    /* ram + tables + moddata */
	uint64_t short_by[SCENARIO_MAX_VMS]; /* frames not covered: overcommitted if > 0 */
	unsigned overcommitted;		     /* VMs with short_by > 0 */
};

/* Host RAM the build-time checker assumes (QEMU's -m 1G) and what it keeps for firmware, the
 * hypervisor, its frame metadata and the boot bundle; the hypervisor checks exactly at boot. */
#define SCENARIO_CHECK_HOST_RAM (1024ULL << 20)
#define SCENARIO_CHECK_HYP_RESERVE (16ULL << 20)

void scenario_vm_memory(const struct vm_config *vm, struct vm_memory *out);
/*
 * Fits the scenario into `available` free frames: module text first, then device buffers, then
 * each VM's quota, eager VMs before lazy ones and smaller before larger; sets each VM's
 * quota_frames and reserve_frames. A VM whose quota is not covered is overcommitted:
 * MV_ERR_NO_MEMORY naming the first one in *err unless the scenario sets memory-overcommit, in
 * which case it is reserved what is left.
 */
int scenario_fit_memory(struct scenario *s, uint64_t available, struct scenario_memory *out,
			struct scenario_error *err);
/* One line on VM i's shortfall, the same words at build time and at boot. */
void scenario_memory_describe(const struct scenario *s, const struct scenario_memory *m, unsigned i,
			      char *buf, size_t size);

/* Parses and validates; `pcpus` is the number of physical CPUs the VMs may be pinned to. */
int scenario_parse(const void *fdt, size_t size, unsigned pcpus, struct scenario *out,
		   struct scenario_error *err);

#endif /* HYP_SCENARIO_H */
