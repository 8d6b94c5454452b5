/* Scenario parsing and validation with libfdt; pure C, shared with the host checker. */
#include "scenario.h"
#include "virtio/vblk_req.h"
#include <fdt_cells.h>
#include <fmt.h>
#include <libfdt.h>
#include <modvisor/status.h>
#include <string.h>

#define PAGE_MASK 0xfffULL
#define BLOCK_MASK 0x1fffffULL
#define FRAME_BYTES 4096ULL
/* Concatenated stage-2 root pages at most (stage2.h). */
#define S2_ROOT_PAGES_MAX 8

const char *const scenario_known_modules[] = {"fatfs", "signal", "ext4", NULL};

#define MIN_U64(a, b) ((a) < (b) ? (a) : (b))

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

static int fail(struct scenario_error *err, const char *node, const char *prop, const char *msg)
{
	fmt_snprintf(err->node, sizeof(err->node), "%s", node);
	fmt_snprintf(err->prop, sizeof(err->prop), "%s", prop);
	fmt_snprintf(err->msg, sizeof(err->msg), "%s", msg);
	return MV_ERR_INVALID;
}

/* A string property: present, NUL-terminated, non-empty and shorter than max. */
static int get_string(const void *fdt, int node, const char *prop, char *out, size_t max,
		      bool required, const char *path, struct scenario_error *err)
{
	int len;
	const char *s = fdt_getprop(fdt, node, prop, &len);

	if (!s) {
		if (required)
			return fail(err, path, prop, "required property missing");
		out[0] = '\0';
		return MV_OK;
	}
	if (len < 1 || s[len - 1] != '\0' || memchr(s, '\0', (size_t)len) != s + len - 1)
		return fail(err, path, prop, "must be a single string");
	if ((size_t)len > max) {
		char msg[48];

		fmt_snprintf(msg, sizeof(msg), "must be at most %zu characters", max - 1);
		return fail(err, path, prop, msg);
	}
	memcpy(out, s, (size_t)len);
	return MV_OK;
}

static int parse_memory(const void *fdt, int node, const char *path, struct vm_config *vm,
			struct scenario_error *err)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, "memory", &len);

	if (!p)
		return fail(err, path, "memory", "required property missing");
	if (len != 16)
		return fail(err, path, "memory", "must be <base-hi base-lo size-hi size-lo>");
	vm->ram_base = fdt_cells_read(p, 2);
	vm->ram_size = fdt_cells_read(p + 8, 2);
	if (vm->ram_base == 0 || vm->ram_size == 0 || (vm->ram_base & PAGE_MASK) ||
	    (vm->ram_size & PAGE_MASK))
		return fail(err, path, "memory",
			    "base and size must be non-zero and 4 KiB aligned");
	if (vm->ram_base + vm->ram_size < vm->ram_base ||
	    vm->ram_base + vm->ram_size > GUEST_IPA_LIMIT)
		return fail(err, path, "memory", "RAM must lie below the 1 TiB IPA limit");
	if (overlaps(vm->ram_base, vm->ram_size, GUEST_DEVICE_BASE,
		     GUEST_DEVICE_END - GUEST_DEVICE_BASE))
		return fail(err, path, "memory", "RAM overlaps the guest device window");
	return MV_OK;
}

static bool known_module(const char *name)
{
	for (unsigned i = 0; scenario_known_modules[i]; i++)
		if (strcmp(name, scenario_known_modules[i]) == 0)
			return true;
	return false;
}

/* modules = "fatfs", "signal"; a string list of known, distinct names. */
static int parse_modules(const void *fdt, int node, const char *path, struct vm_config *vm,
			 struct scenario_error *err)
{
	int len;
	const char *list = fdt_getprop(fdt, node, "modules", &len);

	if (!list)
		return MV_OK;
	if (len < 1 || list[len - 1] != '\0')
		return fail(err, path, "modules", "must be a list of strings");
	for (const char *s = list; s < list + len; s += strlen(s) + 1) {
		if (vm->module_count == SCENARIO_MAX_MODULES)
			return fail(err, path, "modules", "too many modules (at most 4)");
		if (!known_module(s))
			return fail(err, path, "modules", "names an unknown module");
		for (unsigned i = 0; i < vm->module_count; i++)
			if (strcmp(vm->modules[i], s) == 0)
				return fail(err, path, "modules", "names a module twice");
		memcpy(vm->modules[vm->module_count++], s, strlen(s) + 1);
	}
	return MV_OK;
}

/* module-window = <base-hi base-lo size-hi size-lo>: 2 MiB aligned, clear of RAM and devices. */
static int parse_module_window(const void *fdt, int node, const char *path, struct vm_config *vm,
			       struct scenario_error *err)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, "module-window", &len);
	uint64_t base, size;

	if (!p) {
		if (vm->module_count)
			return fail(err, path, "module-window", "required when modules are listed");
		return MV_OK;
	}
	if (len != 16)
		return fail(err, path, "module-window",
			    "must be <base-hi base-lo size-hi size-lo>");
	base = fdt_cells_read(p, 2);
	size = fdt_cells_read(p + 8, 2);
	if (size == 0 || (base & BLOCK_MASK) || (size & BLOCK_MASK))
		return fail(err, path, "module-window", "base and size must be 2 MiB aligned");
	if (base + size < base || base + size > GUEST_IPA_LIMIT)
		return fail(err, path, "module-window", "must lie below the 1 TiB IPA limit");
	if (size < vm->module_count * SCENARIO_MODULE_SLOT)
		return fail(err, path, "module-window", "too small: 4 MiB per listed module");
	if (overlaps(base, size, vm->ram_base, vm->ram_size) ||
	    overlaps(base, size, GUEST_DEVICE_BASE, GUEST_DEVICE_END - GUEST_DEVICE_BASE))
		return fail(err, path, "module-window", "overlaps RAM or the device window");
	vm->module_window_base = base;
	vm->module_window_size = size;
	return MV_OK;
}

static int parse_module_policy(const void *fdt, int node, const char *path, struct vm_config *vm,
			       struct scenario_error *err)
{
	char policy[SCENARIO_NAME_MAX];
	int ret = get_string(fdt, node, "module-policy", policy, sizeof(policy), false, path, err);

	if (ret != MV_OK)
		return ret;
	if (policy[0] == '\0' || strcmp(policy, "lazy") == 0)
		vm->modules_eager = false;
	else if (strcmp(policy, "eager") == 0)
		vm->modules_eager = true;
	else
		return fail(err, path, "module-policy", "must be \"eager\" or \"lazy\"");
	return MV_OK;
}

static int parse_cpus(const void *fdt, int node, const char *path, unsigned pcpus,
		      struct vm_config *vm, struct scenario_error *err)
{
	int len;
	const uint8_t *p = fdt_getprop(fdt, node, "vcpus", &len);
	const uint8_t *aff;

	vm->vcpus = 1;
	if (p) {
		if (len != 4)
			return fail(err, path, "vcpus", "must be one cell");
		vm->vcpus = (unsigned)fdt_cells_read(p, 1);
		if (vm->vcpus == 0 || vm->vcpus > SCENARIO_MAX_VCPUS)
			return fail(err, path, "vcpus", "must be between 1 and 8");
	}
	aff = fdt_getprop(fdt, node, "cpu-affinity", &len);
	if (!aff)
		return fail(err, path, "cpu-affinity", "required property missing");
	if (len != (int)(4 * vm->vcpus))
		return fail(err, path, "cpu-affinity", "needs one physical CPU per vCPU");
	for (unsigned i = 0; i < vm->vcpus; i++) {
		vm->affinity[i] = (unsigned)fdt_cells_read(aff + 4 * i, 1);
		if (vm->affinity[i] >= pcpus)
			return fail(err, path, "cpu-affinity",
				    "names a CPU the machine does not have");
		for (unsigned j = 0; j < i; j++)
			if (vm->affinity[j] == vm->affinity[i])
				return fail(err, path, "cpu-affinity",
					    "pins two vCPUs to one physical CPU");
	}
	return MV_OK;
}

static int parse_vm(const void *fdt, int node, unsigned pcpus, struct vm_config *vm,
		    struct scenario_error *err)
{
	char path[64];
	char policy[SCENARIO_NAME_MAX];
	const char *name = fdt_get_name(fdt, node, NULL);
	int ret;

	fmt_snprintf(path, sizeof(path), "/vms/%s", name);
	if (strlen(name) == 0 || strlen(name) >= SCENARIO_NAME_MAX)
		return fail(err, path, "name", "VM name must be 1 to 15 characters");
	memcpy(vm->name, name, strlen(name) + 1);
	ret = get_string(fdt, node, "kernel", vm->kernel, sizeof(vm->kernel), true, path, err);
	if (ret == MV_OK)
		ret = parse_memory(fdt, node, path, vm, err);
	if (ret == MV_OK)
		ret = parse_cpus(fdt, node, path, pcpus, vm, err);
	if (ret == MV_OK)
		ret = get_string(fdt, node, "bootargs", vm->bootargs, sizeof(vm->bootargs), false,
				 path, err);
	if (ret == MV_OK)
		ret = parse_modules(fdt, node, path, vm, err);
	if (ret == MV_OK)
		ret = parse_module_window(fdt, node, path, vm, err);
	if (ret == MV_OK)
		ret = parse_module_policy(fdt, node, path, vm, err);
	if (ret == MV_OK)
		ret = get_string(fdt, node, "disk", vm->disk, sizeof(vm->disk), false, path, err);
	if (ret == MV_OK)
		ret = get_string(fdt, node, "memory-policy", policy, sizeof(policy), false, path,
				 err);
	if (ret != MV_OK)
		return ret;
	if (policy[0] == '\0' || strcmp(policy, "eager") == 0)
		vm->policy = MEM_EAGER;
	else if (strcmp(policy, "lazy") == 0)
		vm->policy = MEM_LAZY;
	else
		return fail(err, path, "memory-policy", "must be \"eager\" or \"lazy\"");
	return MV_OK;
}

/* Static partitioning: two VMs never share a physical CPU, and names are unique. */
static int check_across_vms(const struct scenario *s, struct scenario_error *err)
{
	for (unsigned a = 0; a < s->count; a++) {
		for (unsigned b = a + 1; b < s->count; b++) {
			char path[64];

			fmt_snprintf(path, sizeof(path), "/vms/%s", s->vms[b].name);
			if (strcmp(s->vms[a].name, s->vms[b].name) == 0)
				return fail(err, path, "name", "two VMs have the same name");
			if (s->vms[a].disk[0] && strcmp(s->vms[a].disk, s->vms[b].disk) == 0)
				return fail(err, path, "disk", "disk already given to another VM");
			for (unsigned i = 0; i < s->vms[a].vcpus; i++)
				for (unsigned j = 0; j < s->vms[b].vcpus; j++)
					if (s->vms[a].affinity[i] == s->vms[b].affinity[j])
						return fail(
						    err, path, "cpu-affinity",
						    "physical CPU already given to another VM");
		}
	}
	return MV_OK;
}

int scenario_parse(const void *fdt, size_t size, unsigned pcpus, struct scenario *out,
		   struct scenario_error *err)
{
	int vms, node;

	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	if (size < sizeof(struct fdt_header) || fdt_check_header(fdt) != 0 ||
	    fdt_totalsize(fdt) > size)
		return fail(err, "/", "", "not a valid device tree blob");
	if (fdt_node_check_compatible(fdt, 0, "modvisor,scenario") != 0)
		return fail(err, "/", "compatible", "must be \"modvisor,scenario\"");
	bool sharing = true;
	char value[SCENARIO_NAME_MAX];

	if (get_string(fdt, 0, "module-sharing", value, sizeof(value), false, "/", err) != MV_OK)
		return MV_ERR_INVALID;
	if (strcmp(value, "off") == 0)
		sharing = false;
	else if (value[0] && strcmp(value, "on") != 0)
		return fail(err, "/", "module-sharing", "must be \"on\" or \"off\"");
	int len;

	if (fdt_getprop(fdt, 0, "memory-overcommit", &len)) {
		if (len != 0)
			return fail(err, "/", "memory-overcommit",
				    "takes no value: write `memory-overcommit;`");
		out->memory_overcommit = true;
	}
	vms = fdt_path_offset(fdt, "/vms");
	if (vms < 0)
		return fail(err, "/vms", "", "required node missing");
	fdt_for_each_subnode(node, fdt, vms)
	{
		if (out->count == SCENARIO_MAX_VMS)
			return fail(err, "/vms", "", "too many VMs (at most 4)");
		int ret = parse_vm(fdt, node, pcpus, &out->vms[out->count], err);

		out->vms[out->count].module_sharing = sharing;
		if (ret != MV_OK)
			return ret;
		out->count++;
	}
	if (out->count == 0)
		return fail(err, "/vms", "", "no VM defined");
	return check_across_vms(out, err);
}

/* Tables of one level needed for [base, base + size): one per 2^shift bytes the range touches. */
static uint64_t regions(uint64_t base, uint64_t size, unsigned shift)
{
	return size ? ((base + size - 1) >> shift) - (base >> shift) + 1 : 0;
}

static uint64_t table_bound(uint64_t base, uint64_t size)
{
	return regions(base, size, 21) + regions(base, size, 30) + regions(base, size, 39);
}

void scenario_vm_memory(const struct vm_config *vm, struct vm_memory *out)
{
	uint64_t slots = (uint64_t)vm->module_count * SCENARIO_MODULE_SLOT;

	out->ram = vm->ram_size / FRAME_BYTES;
	/* Mapped page by page at worst: every level-3, level-2 and level-1 table, and the root. */
	out->tables = S2_ROOT_PAGES_MAX + table_bound(vm->ram_base, vm->ram_size) +
		      table_bound(vm->module_window_base, slots);
	out->moddata = slots / FRAME_BYTES;
	out->devbuf = vm->disk[0] ? VBLK_MAX_DATA / FRAME_BYTES : 0;
}

/* Text frames: each module's image spans at most its slot; one copy, or one per VM unshared. */
static uint64_t text_bound(const struct scenario *s)
{
	uint64_t frames = 0;

	for (unsigned i = 0; i < s->count; i++) {
		for (unsigned m = 0; m < s->vms[i].module_count; m++) {
			bool counted = false;

			for (unsigned j = 0; j < i && s->vms[i].module_sharing; j++)
				for (unsigned k = 0; k < s->vms[j].module_count; k++)
					counted |=
					    strcmp(s->vms[j].modules[k], s->vms[i].modules[m]) == 0;
			if (!counted)
				frames += SCENARIO_MODULE_SLOT / FRAME_BYTES;
		}
	}
	return frames;
}

static uint64_t take(uint64_t *left, uint64_t want)
{
	uint64_t got = MIN_U64(*left, want);

	*left -= got;
	return got;
}

/* Serving order: eager VMs (their RAM is taken at creation) before lazy ones, each group
 * smallest quota first, ties in scenario order; the n-th VM to serve. */
static bool served_before(const struct scenario *s, const struct scenario_memory *m, unsigned a,
			  unsigned b)
{
	if (s->vms[a].policy != s->vms[b].policy)
		return s->vms[a].policy == MEM_EAGER;
	if (m->quota[a] != m->quota[b])
		return m->quota[a] < m->quota[b];
	return a < b;
}

static unsigned next_to_serve(const struct scenario *s, const struct scenario_memory *m, unsigned n)
{
	for (unsigned i = 0; i < s->count; i++) {
		unsigned rank = 0;

		for (unsigned j = 0; j < s->count; j++)
			rank += j != i && served_before(s, m, j, i);
		if (rank == n)
			return i;
	}
	return n; /* not reached: ranks are a permutation */
}

int scenario_fit_memory(struct scenario *s, uint64_t available, struct scenario_memory *out,
			struct scenario_error *err)
{
	uint64_t left = available;

	memset(out, 0, sizeof(*out));
	out->available = available;
	out->text = text_bound(s);
	take(&left, out->text);
	for (unsigned i = 0; i < s->count; i++) {
		struct vm_memory m;

		scenario_vm_memory(&s->vms[i], &m);
		take(&left, m.devbuf);
	}
	for (unsigned i = 0; i < s->count; i++) {
		struct vm_memory m;

		scenario_vm_memory(&s->vms[i], &m);
		out->quota[i] = m.ram + m.tables + m.moddata;
	}
	for (unsigned n = 0; n < s->count; n++) {
		unsigned i = next_to_serve(s, out, n);
		struct vm_config *vm = &s->vms[i];

		vm->quota_frames = out->quota[i];
		vm->reserve_frames = take(&left, out->quota[i]);
		out->short_by[i] = out->quota[i] - vm->reserve_frames;
		if (out->short_by[i])
			out->overcommitted++;
	}
	for (unsigned i = 0; i < s->count && !s->memory_overcommit; i++) {
		if (out->short_by[i]) {
			char path[64], msg[sizeof(err->msg)];

			fmt_snprintf(path, sizeof(path), "/vms/%s", s->vms[i].name);
			scenario_memory_describe(s, out, i, msg, sizeof(msg));
			fail(err, path, "memory", msg);
			return MV_ERR_NO_MEMORY;
		}
	}
	return MV_OK;
}

static unsigned long mib_up(uint64_t frames)
{
	return (unsigned long)((frames * FRAME_BYTES + (1ULL << 20) - 1) >> 20);
}

void scenario_memory_describe(const struct scenario *s, const struct scenario_memory *m, unsigned i,
			      char *buf, size_t size)
{
	struct vm_memory v;

	scenario_vm_memory(&s->vms[i], &v);
	fmt_snprintf(buf, size,
		     "vm %s may need %lu MiB (RAM %lu, stage-2 tables %lu, module data %lu "
		     "pages) but only %lu MiB are left for it: overcommitted by %lu pages "
		     "(%lu MiB)",
		     s->vms[i].name, mib_up(m->quota[i]), (unsigned long)v.ram,
		     (unsigned long)v.tables, (unsigned long)v.moddata,
		     (unsigned long)((m->quota[i] - m->short_by[i]) * FRAME_BYTES >> 20),
		     (unsigned long)m->short_by[i], mib_up(m->short_by[i]));
}
