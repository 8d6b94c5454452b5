/* Scenario parsing and validation with libfdt; pure C, shared with the host checker. */
#include "scenario.h"
#include "cache.h"
#include "virtio/vblk_req.h"
#include <fdt_cells.h>
#include <fmt.h>
#include <libfdt.h>
#include <modvisor/module.h>
#include <modvisor/status.h>
#include <string.h>

#define PAGE_MASK 0xfffULL
#define BLOCK_MASK 0x1fffffULL
#define FRAME_BYTES 4096ULL
/* Concatenated stage-2 root pages at most (stage2.h). */
#define S2_ROOT_PAGES_MAX 8

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

/* What MOD_LOAD accepts as a name (docs/abi.md): 1 to 15 bytes of [a-z0-9_-]. */
static bool module_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= SCENARIO_NAME_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return true;
}

/* modules = "fatfs", "signal"; a string list of distinct module names. Whether the bundle holds
 * them is scenario_check_modules' question: the scenario alone does not know. */
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
		if (!module_name_ok(s))
			return fail(err, path, "modules",
				    "a module name is 1 to 15 characters of [a-z0-9_-]");
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

/* Names and disks are unique. Physical CPUs may be shared: several vCPUs with one affinity
 * time-share that CPU. */
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
		}
	}
	return MV_OK;
}

/* Pages module `m` of a VM takes: as recorded from the bundle, or a whole slot until then. */
static struct scenario_module_pages module_pages(const struct vm_config *vm, unsigned m)
{
	static const struct scenario_module_pages slot = {SCENARIO_MODULE_SLOT / FRAME_BYTES,
							  SCENARIO_MODULE_SLOT / FRAME_BYTES,
							  SCENARIO_MODULE_SLOT / FRAME_BYTES};

	return vm->module_pages_known ? vm->module_pages[m] : slot;
}

/* Copies of module text the cache holds at once: one per module, or per VM and module when
 * sharing is off; and their pages, in *pages if not NULL. */
static unsigned text_copies_pages(const struct scenario *s, uint64_t *pages)
{
	unsigned copies = 0;

	if (pages)
		*pages = 0;
	for (unsigned i = 0; i < s->count; i++) {
		for (unsigned m = 0; m < s->vms[i].module_count; m++) {
			bool counted = false;

			for (unsigned j = 0; j < i && s->vms[i].module_sharing; j++)
				for (unsigned k = 0; k < s->vms[j].module_count; k++)
					counted |=
					    strcmp(s->vms[j].modules[k], s->vms[i].modules[m]) == 0;
			if (counted)
				continue;
			copies++;
			if (pages)
				*pages += module_pages(&s->vms[i], m).text;
		}
	}
	return copies;
}

static unsigned text_copies(const struct scenario *s)
{
	return text_copies_pages(s, NULL);
}

/* Every copy needs its own module cache entry, or a VM's load would fail with BUSY at run time. */
static int check_text_copies(const struct scenario *s, struct scenario_error *err)
{
	char msg[96];

	if (text_copies(s) <= MODCACHE_MAX)
		return MV_OK;
	fmt_snprintf(msg, sizeof(msg),
		     "%u copies of module text (one per VM and module with sharing off), the "
		     "module cache holds %u",
		     text_copies(s), MODCACHE_MAX);
	return fail(err, "/", "module-sharing", msg);
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
	bool log_debug = false;

	if (get_string(fdt, 0, "log-level", value, sizeof(value), false, "/", err) != MV_OK)
		return MV_ERR_INVALID;
	if (strcmp(value, "debug") == 0)
		log_debug = true;
	else if (value[0] && strcmp(value, "info") != 0)
		return fail(err, "/", "log-level", "must be \"info\" or \"debug\"");
	int len;

	if (fdt_getprop(fdt, 0, "memory-overcommit", &len)) {
		if (len != 0)
			return fail(err, "/", "memory-overcommit",
				    "takes no value: write `memory-overcommit;`");
		out->memory_overcommit = true;
	}
	unsigned slice = SCENARIO_SLICE_MS_DEFAULT;
	const uint8_t *p = fdt_getprop(fdt, 0, "time-slice-ms", &len);

	if (p) {
		if (len != 4)
			return fail(err, "/", "time-slice-ms", "must be one cell");
		slice = (unsigned)fdt_cells_read(p, 1);
		if (slice == 0 || slice > SCENARIO_SLICE_MS_MAX)
			return fail(err, "/", "time-slice-ms", "must be between 1 and 1000");
	}
	vms = fdt_path_offset(fdt, "/vms");
	if (vms < 0)
		return fail(err, "/vms", "", "required node missing");
	fdt_for_each_subnode(node, fdt, vms)
	{
		if (out->count == SCENARIO_MAX_VMS) {
			char msg[32];

			fmt_snprintf(msg, sizeof(msg), "too many VMs (at most %u)",
				     SCENARIO_MAX_VMS);
			return fail(err, "/vms", "", msg);
		}
		int ret = parse_vm(fdt, node, pcpus, &out->vms[out->count], err);

		out->vms[out->count].module_sharing = sharing;
		out->vms[out->count].time_slice_ms = slice;
		out->vms[out->count].log_debug = log_debug;
		if (ret != MV_OK)
			return ret;
		out->count++;
	}
	if (out->count == 0)
		return fail(err, "/vms", "", "no VM defined");
	int ret = check_across_vms(out, err);

	return ret == MV_OK ? check_text_copies(out, err) : ret;
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
	uint64_t base = vm->module_window_base,
		 slots = (uint64_t)vm->module_count * SCENARIO_MODULE_SLOT;
	/* Mapped page by page at worst: every level-3, level-2 and level-1 table, and the root;
	 * in the module window a level-3 table for each 2 MiB a module's span touches. */
	uint64_t window = regions(base, slots, 30) + regions(base, slots, 39);

	out->moddata = 0;
	for (unsigned m = 0; m < vm->module_count; m++) {
		struct scenario_module_pages p = module_pages(vm, m);

		window +=
		    regions(base + m * SCENARIO_MODULE_SLOT, (uint64_t)p.span * FRAME_BYTES, 21);
		out->moddata += p.data;
	}
	out->ram = vm->ram_size / FRAME_BYTES;
	out->tables = S2_ROOT_PAGES_MAX + table_bound(vm->ram_base, vm->ram_size) + window;
	out->devbuf = vm->disk[0] ? VBLK_MAX_DATA / FRAME_BYTES : 0;
}

/* Text frames: each copy's text, as the bundle's image has it (at most its slot). */
static uint64_t text_bound(const struct scenario *s)
{
	uint64_t pages;

	text_copies_pages(s, &pages);
	return pages;
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

int scenario_module_add(struct scenario_module_set *set, const char *name,
			const struct mv_module_desc *desc,
			const struct scenario_module_pages *pages)
{
	struct scenario_module *m;

	if (!module_name_ok(name) || (desc && !pages) ||
	    (pages && (pages->text > pages->span || pages->data > pages->span ||
		       pages->span > SCENARIO_MODULE_SLOT / FRAME_BYTES)))
		return MV_ERR_INVALID;
	if (scenario_module_find(set, name))
		return MV_ERR_BUSY;
	if (set->count == SCENARIO_MAX_BUNDLE_MODULES)
		return MV_ERR_NO_MEMORY;
	m = &set->mods[set->count];
	memset(m, 0, sizeof(*m));
	memcpy(m->name, name, strlen(name) + 1);
	m->refused = desc == NULL;
	if (desc) {
		m->pages = *pages;
		m->version = desc->version;
		m->kind = desc->kind;
		/* modelf_check_module vetted the names: terminated, valid, distinct, not its own.
		 */
		for (unsigned i = 0; i < MV_MODULE_NEEDS_MAX && desc->needs[i][0]; i++)
			memcpy(m->needs[m->need_count++], desc->needs[i], SCENARIO_NAME_MAX);
	}
	set->count++;
	return MV_OK;
}

const struct scenario_module *scenario_module_find(const struct scenario_module_set *set,
						   const char *name)
{
	for (unsigned i = 0; i < set->count; i++)
		if (strcmp(set->mods[i].name, name) == 0)
			return &set->mods[i];
	return NULL;
}

void scenario_module_names(const struct scenario_module_set *set, char *buf, size_t size)
{
	size_t pos = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < set->count && pos < size; i++)
		pos += (size_t)fmt_snprintf(buf + pos, size - pos, "%s%s", i ? ", " : "",
					    set->mods[i].name);
	if (set->count == 0)
		fmt_snprintf(buf, size, "none");
}

/* Whether the VM lists `name` among its first `count` modules. */
static bool vm_lists(const struct vm_config *vm, const char *name, unsigned count)
{
	for (unsigned i = 0; i < count; i++)
		if (strcmp(vm->modules[i], name) == 0)
			return true;
	return false;
}

int scenario_check_modules(struct scenario *s, const struct scenario_module_set *set,
			   struct scenario_error *err)
{
	for (unsigned v = 0; v < s->count; v++) {
		struct vm_config *vm = &s->vms[v];
		char path[64], msg[sizeof(err->msg)], names[96];

		fmt_snprintf(path, sizeof(path), "/vms/%s", vm->name);
		for (unsigned i = 0; i < vm->module_count; i++) {
			const struct scenario_module *m = scenario_module_find(set, vm->modules[i]);

			if (!m) {
				scenario_module_names(set, names, sizeof(names));
				fmt_snprintf(
				    msg, sizeof(msg),
				    "vm %s: module '%s' is not in the bundle (it holds: %s)",
				    vm->name, vm->modules[i], names);
				return fail(err, path, "modules", msg);
			}
			for (unsigned n = 0; n < m->need_count; n++) {
				/* Listed before it: module-policy = "eager" loads in list order. */
				if (vm_lists(vm, m->needs[n], i))
					continue;
				fmt_snprintf(msg, sizeof(msg),
					     "vm %s: module '%s' needs module '%s', which the VM "
					     "does not list before it",
					     vm->name, m->name, m->needs[n]);
				return fail(err, path, "modules", msg);
			}
			vm->module_pages[i] = m->pages;
		}
		vm->module_pages_known = true;
	}
	return MV_OK;
}

const char *scenario_unmet_need(const struct scenario_module *m, const char *const *loaded,
				unsigned count)
{
	for (unsigned n = 0; n < m->need_count; n++) {
		bool found = false;

		for (unsigned i = 0; i < count && !found; i++)
			found = strcmp(loaded[i], m->needs[n]) == 0;
		if (!found)
			return m->needs[n];
	}
	return NULL;
}

bool scenario_module_needs(const struct scenario_module *m, const char *name)
{
	for (unsigned n = 0; n < m->need_count; n++)
		if (strcmp(m->needs[n], name) == 0)
			return true;
	return false;
}
