/* Unit tests for hyp/scenario.c: scenario blobs built with libfdt's sequential-write API, parsed
 * field by field, and every rule of docs/scenarios.md broken once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libfdt.h>

#include "scenario.h"
#include <modvisor/module.h>
#include <modvisor/status.h>

/* --- describing a scenario --------------------------------------------------------------- */

#define MAX_PROPS 12
#define MAX_VAL 256

struct prop {
	char name[32];
	uint8_t val[MAX_VAL];
	int len;
};

struct vmdesc {
	char name[64];
	struct prop props[MAX_PROPS];
	unsigned n;
};

static struct prop *find_prop(struct vmdesc *d, const char *name)
{
	for (unsigned i = 0; i < d->n; i++)
		if (strcmp(d->props[i].name, name) == 0)
			return &d->props[i];
	return NULL;
}

static void set_raw(struct vmdesc *d, const char *name, const void *val, int len)
{
	struct prop *p = find_prop(d, name);

	if (!p) {
		assert_in_range(d->n, 0, MAX_PROPS - 1);
		p = &d->props[d->n++];
		strcpy(p->name, name);
	}
	assert_in_range(len, 0, MAX_VAL);
	memcpy(p->val, val, (size_t)len);
	p->len = len;
}

static void set_str(struct vmdesc *d, const char *name, const char *s)
{
	set_raw(d, name, s, (int)strlen(s) + 1);
}

/* A property of n big-endian 32-bit cells. */
static void set_cells(struct vmdesc *d, const char *name, unsigned n, ...)
{
	uint8_t buf[MAX_VAL];
	va_list ap;

	va_start(ap, n);
	for (unsigned i = 0; i < n; i++) {
		uint32_t c = va_arg(ap, uint32_t);

		buf[4 * i] = (uint8_t)(c >> 24);
		buf[4 * i + 1] = (uint8_t)(c >> 16);
		buf[4 * i + 2] = (uint8_t)(c >> 8);
		buf[4 * i + 3] = (uint8_t)c;
	}
	va_end(ap);
	set_raw(d, name, buf, (int)(4 * n));
}

static void set_memory(struct vmdesc *d, uint64_t base, uint64_t size)
{
	set_cells(d, "memory", 4, (uint32_t)(base >> 32), (uint32_t)base, (uint32_t)(size >> 32),
		  (uint32_t)size);
}

static void set_window(struct vmdesc *d, uint64_t base, uint64_t size)
{
	set_cells(d, "module-window", 4, (uint32_t)(base >> 32), (uint32_t)base,
		  (uint32_t)(size >> 32), (uint32_t)size);
}

static void del_prop(struct vmdesc *d, const char *name)
{
	struct prop *p = find_prop(d, name);

	assert_non_null(p);
	*p = d->props[--d->n];
}

/* The smallest valid VM: a kernel, 16 MiB of RAM and one vCPU on `cpu`. */
static void vm_min(struct vmdesc *d, const char *name, unsigned cpu, uint64_t base)
{
	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	set_str(d, "kernel", name);
	set_memory(d, base, 0x01000000);
	set_cells(d, "cpu-affinity", 1, cpu);
}

/* --- building the blob ------------------------------------------------------------------- */

#define SCRATCH 65536

struct shape {
	const char *compatible; /* NULL: no compatible property */
	int compatible_len;	/* 0: strlen + 1 */
	bool no_vms;		/* leave out /vms */
};

/* memory-overcommit at the root of the next blobs: "" empty, NULL absent. */
static const char *root_overcommit;
/* module-sharing at the root of the next blobs, or NULL. */
static const char *root_sharing;
/* log-level at the root of the next blobs, or NULL. */
static const char *root_log_level;
/* time-slice-ms at the root of the next blobs, root_slice_len bytes of it (0: absent). */
static uint32_t root_slice[2];
static int root_slice_len;

static const struct shape normal = {"modvisor,scenario", 0, false};

/* A finished blob in a heap buffer of exactly its totalsize (so ASan sees any overread). */
static void *build(const struct shape *sh, const struct vmdesc *vms, unsigned count)
{
	void *fdt = malloc(SCRATCH);
	void *out;

	assert_non_null(fdt);
	assert_int_equal(fdt_create(fdt, SCRATCH), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	if (sh->compatible)
		assert_int_equal(fdt_property(fdt, "compatible", sh->compatible,
					      sh->compatible_len ? sh->compatible_len
								 : (int)strlen(sh->compatible) + 1),
				 0);
	if (root_sharing)
		assert_int_equal(fdt_property_string(fdt, "module-sharing", root_sharing), 0);
	if (root_log_level)
		assert_int_equal(fdt_property_string(fdt, "log-level", root_log_level), 0);
	if (root_overcommit)
		assert_int_equal(
		    fdt_property(fdt, "memory-overcommit", root_overcommit,
				 root_overcommit[0] ? (int)strlen(root_overcommit) + 1 : 0),
		    0);
	if (root_slice_len)
		assert_int_equal(fdt_property(fdt, "time-slice-ms", root_slice, root_slice_len), 0);
	if (!sh->no_vms) {
		assert_int_equal(fdt_begin_node(fdt, "vms"), 0);
		for (unsigned i = 0; i < count; i++) {
			assert_int_equal(fdt_begin_node(fdt, vms[i].name), 0);
			for (unsigned p = 0; p < vms[i].n; p++)
				assert_int_equal(fdt_property(fdt, vms[i].props[p].name,
							      vms[i].props[p].val,
							      vms[i].props[p].len),
						 0);
			assert_int_equal(fdt_end_node(fdt), 0);
		}
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	out = malloc(fdt_totalsize(fdt));
	assert_non_null(out);
	memcpy(out, fdt, fdt_totalsize(fdt));
	free(fdt);
	return out;
}

static int parse_with(const void *blob, unsigned pcpus, struct scenario *s,
		      struct scenario_error *e)
{
	return scenario_parse(blob, fdt_totalsize(blob), pcpus, s, e);
}

/* Parses the VMs (2 physical CPUs unless told) and expects exactly this error. */
static void expect_error_pcpus(const struct vmdesc *vms, unsigned count, unsigned pcpus,
			       const char *node, const char *prop, const char *msg)
{
	void *blob = build(&normal, vms, count);
	struct scenario *s = malloc(sizeof(*s));
	struct scenario_error e;

	assert_non_null(s);
	assert_int_equal(parse_with(blob, pcpus, s, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, node);
	assert_string_equal(e.prop, prop);
	assert_string_equal(e.msg, msg);
	free(s);
	free(blob);
}

static void expect_error(const struct vmdesc *vms, unsigned count, const char *node,
			 const char *prop, const char *msg)
{
	expect_error_pcpus(vms, count, 2, node, prop, msg);
}

static void expect_ok_pcpus(const struct vmdesc *vms, unsigned count, unsigned pcpus,
			    struct scenario *s)
{
	void *blob = build(&normal, vms, count);
	struct scenario_error e;

	memset(&e, 0x55, sizeof(e));
	assert_int_equal(parse_with(blob, pcpus, s, &e), MV_OK);
	assert_string_equal(e.msg, "");
	assert_int_equal(s->count, count);
	free(blob);
}

static void expect_ok(const struct vmdesc *vms, unsigned count, struct scenario *s)
{
	expect_ok_pcpus(vms, count, 2, s);
}

struct fixture {
	struct vmdesc vm[SCENARIO_MAX_VMS + 1];
	struct scenario s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

/* --- valid scenarios --------------------------------------------------------------------- */

static void test_two_vms_field_by_field(void **state)
{
	struct fixture *f = *state;
	const struct vm_config *a, *b;

	vm_min(&f->vm[0], "starry", 0, 0x40000000);
	set_memory(&f->vm[0], 0x40000000, 0x02000000);
	set_cells(&f->vm[0], "vcpus", 1, 1);
	set_str(&f->vm[0], "memory-policy", "lazy");
	set_str(&f->vm[0], "bootargs", "console=ttyAMA0 init=/bin/sh");
	set_str(&f->vm[0], "disk", "starry-disk");
	set_raw(&f->vm[0], "modules", "fatfs\0signal", 13);
	set_window(&f->vm[0], 0x100000000ULL, 0x10000000);
	vm_min(&f->vm[1], "liteos", 1, 0x80000000ULL);
	set_str(&f->vm[1], "kernel", "liteos-kernel");
	set_str(&f->vm[1], "memory-policy", "eager");
	expect_ok(f->vm, 2, &f->s);

	a = &f->s.vms[0];
	assert_string_equal(a->name, "starry");
	assert_string_equal(a->kernel, "starry");
	assert_int_equal(a->ram_base, 0x40000000);
	assert_int_equal(a->ram_size, 0x02000000);
	assert_int_equal(a->vcpus, 1);
	assert_int_equal(a->affinity[0], 0);
	assert_int_equal(a->policy, MEM_LAZY);
	assert_string_equal(a->bootargs, "console=ttyAMA0 init=/bin/sh");
	assert_string_equal(a->disk, "starry-disk");
	assert_int_equal(a->module_count, 2);
	assert_string_equal(a->modules[0], "fatfs");
	assert_string_equal(a->modules[1], "signal");
	assert_int_equal(a->module_window_base, 0x100000000ULL);
	assert_int_equal(a->module_window_size, 0x10000000);

	b = &f->s.vms[1];
	assert_string_equal(b->name, "liteos");
	assert_string_equal(b->kernel, "liteos-kernel");
	assert_int_equal(b->ram_base, 0x80000000ULL);
	assert_int_equal(b->ram_size, 0x01000000);
	assert_int_equal(b->vcpus, 1);
	assert_int_equal(b->affinity[0], 1);
	assert_int_equal(b->policy, MEM_EAGER);
	assert_string_equal(b->bootargs, "");
	assert_string_equal(b->disk, "");
	assert_int_equal(b->module_count, 0);
	assert_int_equal(b->module_window_size, 0);
}

static void test_defaults(void **state)
{
	struct fixture *f = *state;

	/* No vcpus (1), no memory-policy (eager), no bootargs/disk/modules. */
	vm_min(&f->vm[0], "a", 1, 0x40000000);
	expect_ok(f->vm, 1, &f->s);
	assert_int_equal(f->s.vms[0].vcpus, 1);
	assert_int_equal(f->s.vms[0].affinity[0], 1);
	assert_int_equal(f->s.vms[0].policy, MEM_EAGER);
	assert_string_equal(f->s.vms[0].bootargs, "");
	assert_string_equal(f->s.vms[0].disk, "");
	/* A blob in a larger buffer is fine too. */
	{
		void *blob = build(&normal, f->vm, 1);
		void *big = calloc(1, fdt_totalsize(blob) + 100);
		struct scenario_error e;

		assert_non_null(big);
		memcpy(big, blob, fdt_totalsize(blob));
		assert_int_equal(scenario_parse(big, fdt_totalsize(blob) + 100, 2, &f->s, &e),
				 MV_OK);
		free(big);
		free(blob);
	}
}

static void test_smp_and_limits(void **state)
{
	struct fixture *f = *state;
	char name15[16], kernel31[32], boot127[128], disk15[16];

	/* Eight vCPUs on eight CPUs, and every string at its longest. */
	memset(name15, 'n', 15);
	name15[15] = '\0';
	memset(kernel31, 'k', 31);
	kernel31[31] = '\0';
	memset(boot127, 'b', 127);
	boot127[127] = '\0';
	memset(disk15, 'd', 15);
	disk15[15] = '\0';
	vm_min(&f->vm[0], name15, 0, 0x40000000);
	set_str(&f->vm[0], "kernel", kernel31);
	set_str(&f->vm[0], "bootargs", boot127);
	set_str(&f->vm[0], "disk", disk15);
	set_cells(&f->vm[0], "vcpus", 1, 8);
	set_cells(&f->vm[0], "cpu-affinity", 8, 7, 6, 5, 4, 3, 2, 1, 0);
	/* RAM right up to the 1 TiB limit. */
	set_memory(&f->vm[0], (1ULL << 40) - 0x200000, 0x200000);
	expect_ok_pcpus(f->vm, 1, 8, &f->s);
	assert_string_equal(f->s.vms[0].name, name15);
	assert_string_equal(f->s.vms[0].kernel, kernel31);
	assert_string_equal(f->s.vms[0].bootargs, boot127);
	assert_string_equal(f->s.vms[0].disk, disk15);
	assert_int_equal(f->s.vms[0].vcpus, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(f->s.vms[0].affinity[i], 7 - i);
	assert_int_equal(f->s.vms[0].ram_base, (1ULL << 40) - 0x200000);
}

static void test_four_vms(void **state)
{
	struct fixture *f = *state;
	static const char *names[4] = {"w", "x", "y", "z"};

	for (unsigned i = 0; i < 4; i++)
		vm_min(&f->vm[i], names[i], i, 0x40000000);
	expect_ok_pcpus(f->vm, 4, 4, &f->s);
	for (unsigned i = 0; i < 4; i++) {
		assert_string_equal(f->s.vms[i].name, names[i]);
		assert_int_equal(f->s.vms[i].affinity[0], i);
		/* Each VM has its own IPA space: the same RAM base is fine. */
		assert_int_equal(f->s.vms[i].ram_base, 0x40000000);
	}
}

static void test_ram_next_to_device_window(void **state)
{
	struct fixture *f = *state;

	/* Ending exactly where the window starts, and starting exactly where it ends. */
	vm_min(&f->vm[0], "below", 0, 0x07000000);
	vm_min(&f->vm[1], "above", 1, 0x0b000000);
	expect_ok(f->vm, 2, &f->s);
	assert_int_equal(f->s.vms[0].ram_base + f->s.vms[0].ram_size, GUEST_DEVICE_BASE);
	assert_int_equal(f->s.vms[1].ram_base, GUEST_DEVICE_END);
}

static void test_compatible_list(void **state)
{
	struct fixture *f = *state;
	static const struct shape sh = {"acme,board\0modvisor,scenario", 29, false};
	void *blob;
	struct scenario_error e;

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	blob = build(&sh, f->vm, 1);
	assert_int_equal(parse_with(blob, 2, &f->s, &e), MV_OK);
	free(blob);
}

/* --- broken blobs ------------------------------------------------------------------------ */

static void expect_blob_error(const void *blob, size_t size, const char *node, const char *prop,
			      const char *msg)
{
	struct scenario *s = malloc(sizeof(*s));
	struct scenario_error e;

	assert_non_null(s);
	assert_int_equal(scenario_parse(blob, size, 2, s, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, node);
	assert_string_equal(e.prop, prop);
	assert_string_equal(e.msg, msg);
	assert_int_equal(s->count, 0);
	free(s);
}

static void test_bad_blob(void **state)
{
	struct fixture *f = *state;
	void *blob, *part;
	uint32_t total;
	static const uint8_t junk[64] = {1, 2, 3, 4};

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	blob = build(&normal, f->vm, 1);
	total = fdt_totalsize(blob);
	/* The buffer holds less than the header says: rejected without reading past it. */
	part = malloc(total - 1);
	assert_non_null(part);
	memcpy(part, blob, total - 1);
	expect_blob_error(part, total - 1, "/", "", "not a valid device tree blob");
	free(part);
	/* Not even a header. */
	part = malloc(16);
	assert_non_null(part);
	memcpy(part, blob, 16);
	expect_blob_error(part, 16, "/", "", "not a valid device tree blob");
	expect_blob_error(part, 0, "/", "", "not a valid device tree blob");
	free(part);
	/* Bad magic, and a bad version. */
	((uint8_t *)blob)[0] ^= 0xff;
	expect_blob_error(blob, total, "/", "", "not a valid device tree blob");
	((uint8_t *)blob)[0] ^= 0xff;
	fdt_set_version(blob, 1);
	expect_blob_error(blob, total, "/", "", "not a valid device tree blob");
	free(blob);
	expect_blob_error(junk, sizeof(junk), "/", "", "not a valid device tree blob");
}

static void test_root_rules(void **state)
{
	struct fixture *f = *state;
	static const struct shape no_compat = {NULL, 0, false};
	static const struct shape other = {"modvisor,bundle", 0, false};
	static const struct shape no_vms = {"modvisor,scenario", 0, true};
	const struct shape *shapes[3] = {&no_compat, &other, &no_vms};
	static const char *const want[3][3] = {
	    {"/", "compatible", "must be \"modvisor,scenario\""},
	    {"/", "compatible", "must be \"modvisor,scenario\""},
	    {"/vms", "", "required node missing"},
	};

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	for (unsigned i = 0; i < 3; i++) {
		void *blob = build(shapes[i], f->vm, 1);

		expect_blob_error(blob, fdt_totalsize(blob), want[i][0], want[i][1], want[i][2]);
		free(blob);
	}
	/* An empty /vms. */
	expect_error(f->vm, 0, "/vms", "", "no VM defined");
}

static void test_too_many_vms(void **state)
{
	struct fixture *f = *state;
	char names[SCENARIO_MAX_VMS + 1][8];

	for (unsigned i = 0; i <= SCENARIO_MAX_VMS; i++) {
		snprintf(names[i], sizeof(names[i]), "v%u", i);
		vm_min(&f->vm[i], names[i], i, 0x40000000);
	}
	expect_error_pcpus(f->vm, SCENARIO_MAX_VMS + 1, SCENARIO_MAX_VMS + 1, "/vms", "",
			   "too many VMs (at most 16)");
}

/* Sixteen VMs, each with its own disk and modules, fit the checker's 1 GiB host. */
static void test_sixteen_vms(void **state)
{
	struct fixture *f = *state;
	struct scenario_memory mem;
	struct scenario_error e;
	char names[SCENARIO_MAX_VMS][8];

	assert_int_equal(SCENARIO_MAX_VMS, 16);
	for (unsigned i = 0; i < SCENARIO_MAX_VMS; i++) {
		snprintf(names[i], sizeof(names[i]), "vm%u", i + 1);
		vm_min(&f->vm[i], names[i], i, 0x40000000);
		set_str(&f->vm[i], "disk", names[i]);
		set_raw(&f->vm[i], "modules", "fatfs\0signal", 13);
		set_window(&f->vm[i], 0x100000000ULL, 0x10000000ULL);
	}
	expect_ok_pcpus(f->vm, SCENARIO_MAX_VMS, SCENARIO_MAX_VMS, &f->s);
	assert_int_equal(f->s.count, 16);
	assert_string_equal(f->s.vms[15].name, "vm16");
	assert_string_equal(f->s.vms[15].disk, "vm16");
	assert_int_equal(
	    scenario_fit_memory(&f->s, (SCENARIO_CHECK_HOST_RAM - SCENARIO_CHECK_HYP_RESERVE) >> 12,
				&mem, &e),
	    MV_OK);
	assert_int_equal(mem.overcommitted, 0);
	for (unsigned i = 0; i < SCENARIO_MAX_VMS; i++)
		assert_int_equal(f->s.vms[i].reserve_frames, mem.quota[i]);
}

/* --- per-VM rules ------------------------------------------------------------------------ */

static void test_name(void **state)
{
	struct fixture *f = *state;

	vm_min(&f->vm[0], "sixteen-chars-xx", 0, 0x40000000);
	expect_error(f->vm, 1, "/vms/sixteen-chars-xx", "name",
		     "VM name must be 1 to 15 characters");
	vm_min(&f->vm[0], "", 0, 0x40000000);
	expect_error(f->vm, 1, "/vms/", "name", "VM name must be 1 to 15 characters");
}

static void test_kernel(void **state)
{
	struct fixture *f = *state;
	char long_name[33];

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	del_prop(&f->vm[0], "kernel");
	expect_error(f->vm, 1, "/vms/a", "kernel", "required property missing");
	memset(long_name, 'k', 32);
	long_name[32] = '\0';
	set_str(&f->vm[0], "kernel", long_name);
	expect_error(f->vm, 1, "/vms/a", "kernel", "must be at most 31 characters");
}

static void test_string_shapes(void **state)
{
	struct fixture *f = *state;
	static const char *props[4] = {"kernel", "bootargs", "disk", "memory-policy"};

	for (unsigned i = 0; i < 4; i++) {
		/* A cell, a string list, bytes with no NUL, and an empty property. */
		vm_min(&f->vm[0], "a", 0, 0x40000000);
		set_cells(&f->vm[0], props[i], 1, 1);
		expect_error(f->vm, 1, "/vms/a", props[i], "must be a single string");
		set_raw(&f->vm[0], props[i], "one\0two", 8);
		expect_error(f->vm, 1, "/vms/a", props[i], "must be a single string");
		set_raw(&f->vm[0], props[i], "lazy", 4);
		expect_error(f->vm, 1, "/vms/a", props[i], "must be a single string");
		set_raw(&f->vm[0], props[i], "", 0);
		expect_error(f->vm, 1, "/vms/a", props[i], "must be a single string");
	}
}

static void test_strings_too_long(void **state)
{
	struct fixture *f = *state;
	char s[130];

	memset(s, 'x', sizeof(s));
	s[128] = '\0';
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_str(&f->vm[0], "bootargs", s);
	expect_error(f->vm, 1, "/vms/a", "bootargs", "must be at most 127 characters");
	s[16] = '\0';
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_str(&f->vm[0], "disk", s);
	expect_error(f->vm, 1, "/vms/a", "disk", "must be at most 15 characters");
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_str(&f->vm[0], "memory-policy", s);
	expect_error(f->vm, 1, "/vms/a", "memory-policy", "must be at most 15 characters");
}

static void test_policy(void **state)
{
	struct fixture *f = *state;
	static const char *bad[] = {"Lazy", "eager ", "none", "l", "lax", "lazyy", "eagerly", "e"};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		vm_min(&f->vm[0], "a", 0, 0x40000000);
		set_str(&f->vm[0], "memory-policy", bad[i]);
		expect_error(f->vm, 1, "/vms/a", "memory-policy", "must be \"eager\" or \"lazy\"");
	}
}

static void test_memory_shape(void **state)
{
	struct fixture *f = *state;
	static const char *fmt = "must be <base-hi base-lo size-hi size-lo>";

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	del_prop(&f->vm[0], "memory");
	expect_error(f->vm, 1, "/vms/a", "memory", "required property missing");
	set_cells(&f->vm[0], "memory", 2, 0x40000000, 0x01000000);
	expect_error(f->vm, 1, "/vms/a", "memory", fmt);
	set_cells(&f->vm[0], "memory", 5, 0, 0x40000000, 0, 0x01000000, 0);
	expect_error(f->vm, 1, "/vms/a", "memory", fmt);
	set_raw(&f->vm[0], "memory", "", 0);
	expect_error(f->vm, 1, "/vms/a", "memory", fmt);
}

static void test_memory_values(void **state)
{
	struct fixture *f = *state;
	static const char *align = "base and size must be non-zero and 4 KiB aligned";
	static const char *limit = "RAM must lie below the 1 TiB IPA limit";
	static const char *window = "RAM overlaps the guest device window";
	const struct {
		uint64_t base, size;
		const char *msg;
	} cases[] = {
	    {0x40000800ULL, 0x01000000ULL, align},
	    {0x40000000ULL, 0x01000001ULL, align},
	    {0x40000000ULL, 0x00000800ULL, align},
	    {0x40000000ULL, 0, align},
	    {(1ULL << 40) - 0x1000, 0x2000, limit},
	    {1ULL << 40, 0x1000, limit},
	    {0xfffff00000000000ULL, 0x1000, limit},
	    {0xfffffffffffff000ULL, 0x2000, limit}, /* wraps to 0x1000 */
	    {0x0a000000ULL, 0x1000, window},
	    {0x07fff000ULL, 0x2000, window},
	    {0x0afff000ULL, 0x1000, window},
	    {0x1000, 0x3ffff000ULL, window},
	    {0x08000000ULL, 0x03000000ULL, window},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vm_min(&f->vm[0], "a", 0, 0x40000000);
		set_memory(&f->vm[0], cases[i].base, cases[i].size);
		expect_error(f->vm, 1, "/vms/a", "memory", cases[i].msg);
	}
}

static void test_memory_base_zero(void **state)
{
	struct fixture *f = *state;

	/* docs/scenarios.md: "RAM base and size non-zero and 4 KiB aligned", and the message
	 * says so too. */
	vm_min(&f->vm[0], "a", 0, 0);
	set_memory(&f->vm[0], 0, 0x01000000);
	expect_error(f->vm, 1, "/vms/a", "memory",
		     "base and size must be non-zero and 4 KiB aligned");
}

static void test_vcpus(void **state)
{
	struct fixture *f = *state;

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_cells(&f->vm[0], "vcpus", 1, 0);
	expect_error(f->vm, 1, "/vms/a", "vcpus", "must be between 1 and 8");
	set_cells(&f->vm[0], "vcpus", 1, 9);
	expect_error(f->vm, 1, "/vms/a", "vcpus", "must be between 1 and 8");
	set_cells(&f->vm[0], "vcpus", 1, 0xffffffffU);
	expect_error(f->vm, 1, "/vms/a", "vcpus", "must be between 1 and 8");
	set_cells(&f->vm[0], "vcpus", 2, 0, 1);
	expect_error(f->vm, 1, "/vms/a", "vcpus", "must be one cell");
	set_raw(&f->vm[0], "vcpus", "\x01", 1);
	expect_error(f->vm, 1, "/vms/a", "vcpus", "must be one cell");
	set_raw(&f->vm[0], "vcpus", "", 0);
	expect_error(f->vm, 1, "/vms/a", "vcpus", "must be one cell");
}

static void test_affinity(void **state)
{
	struct fixture *f = *state;
	static const char *count = "needs one physical CPU per vCPU";

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	del_prop(&f->vm[0], "cpu-affinity");
	expect_error(f->vm, 1, "/vms/a", "cpu-affinity", "required property missing");
	/* One vCPU, two entries; two vCPUs, one entry; a partial cell. */
	set_cells(&f->vm[0], "cpu-affinity", 2, 0, 1);
	expect_error(f->vm, 1, "/vms/a", "cpu-affinity", count);
	set_cells(&f->vm[0], "vcpus", 1, 2);
	set_cells(&f->vm[0], "cpu-affinity", 1, 0);
	expect_error(f->vm, 1, "/vms/a", "cpu-affinity", count);
	set_raw(&f->vm[0], "cpu-affinity", "\0\0\0\0\0\0\0", 7);
	expect_error(f->vm, 1, "/vms/a", "cpu-affinity", count);
	/* CPUs the machine does not have: 2 of 2, and a huge one. */
	set_cells(&f->vm[0], "cpu-affinity", 2, 0, 2);
	expect_error(f->vm, 1, "/vms/a", "cpu-affinity", "names a CPU the machine does not have");
	set_cells(&f->vm[0], "cpu-affinity", 2, 0xffffffffU, 0);
	expect_error(f->vm, 1, "/vms/a", "cpu-affinity", "names a CPU the machine does not have");
	/* Two vCPUs of a VM may time-share one physical CPU. */
	set_cells(&f->vm[0], "cpu-affinity", 2, 1, 1);
	expect_ok(f->vm, 1, &f->s);
	assert_int_equal(f->s.vms[0].affinity[0], 1);
	assert_int_equal(f->s.vms[0].affinity[1], 1);
	set_cells(&f->vm[0], "vcpus", 1, 3);
	set_cells(&f->vm[0], "cpu-affinity", 3, 0, 1, 0);
	expect_ok_pcpus(f->vm, 1, 4, &f->s);
	assert_int_equal(f->s.vms[0].affinity[2], 0);
	/* With one physical CPU, CPU 1 does not exist. */
	vm_min(&f->vm[0], "a", 1, 0x40000000);
	expect_error_pcpus(f->vm, 1, 1, "/vms/a", "cpu-affinity",
			   "names a CPU the machine does not have");
}

static void test_modules(void **state)
{
	struct fixture *f = *state;
	static const char *bad_name = "a module name is 1 to 15 characters of [a-z0-9_-]";

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_window(&f->vm[0], 0x100000000ULL, 0x10000000);
	/* Any well-formed name parses: the bundle decides which modules exist. */
	set_str(&f->vm[0], "modules", "ext4");
	expect_ok(f->vm, 1, &f->s);
	assert_string_equal(f->s.vms[0].modules[0], "ext4");
	set_raw(&f->vm[0], "modules", "fatfs\0", 7); /* an empty name after fatfs */
	expect_error(f->vm, 1, "/vms/a", "modules", bad_name);
	set_str(&f->vm[0], "modules", "Fat");
	expect_error(f->vm, 1, "/vms/a", "modules", bad_name);
	set_str(&f->vm[0], "modules", "sixteen-letters1");
	expect_error(f->vm, 1, "/vms/a", "modules", bad_name);
	set_str(&f->vm[0], "modules", "fifteen-letters");
	expect_ok(f->vm, 1, &f->s);
	set_raw(&f->vm[0], "modules", "signal\0fatfs\0signal", 20);
	expect_error(f->vm, 1, "/vms/a", "modules", "names a module twice");
	set_raw(&f->vm[0], "modules", "fatfs", 5);
	expect_error(f->vm, 1, "/vms/a", "modules", "must be a list of strings");
	set_raw(&f->vm[0], "modules", "", 0);
	expect_error(f->vm, 1, "/vms/a", "modules", "must be a list of strings");
	/* Listed modules need a window to live in. */
	set_str(&f->vm[0], "modules", "signal");
	del_prop(&f->vm[0], "module-window");
	expect_error(f->vm, 1, "/vms/a", "module-window", "required when modules are listed");
	/* One module, a window: fine. */
	set_window(&f->vm[0], 0x200000000ULL, 0x00400000);
	expect_ok(f->vm, 1, &f->s);
	assert_int_equal(f->s.vms[0].module_count, 1);
	assert_string_equal(f->s.vms[0].modules[0], "signal");
	assert_int_equal(f->s.vms[0].module_window_base, 0x200000000ULL);
	/* A window and no modules is allowed. */
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_window(&f->vm[0], 0x100000000ULL, 0x10000000);
	expect_ok(f->vm, 1, &f->s);
	assert_int_equal(f->s.vms[0].module_count, 0);
	assert_int_equal(f->s.vms[0].module_window_size, 0x10000000);
}

static void test_module_window(void **state)
{
	struct fixture *f = *state;
	static const char *align = "base and size must be 2 MiB aligned";
	static const char *limit = "must lie below the 1 TiB IPA limit";
	static const char *overlap = "overlaps RAM or the device window";
	const struct {
		uint64_t base, size;
		const char *msg;
	} cases[] = {
	    {0x100100000ULL, 0x10000000ULL, align},
	    {0x100000000ULL, 0x10100000ULL, align},
	    {0x100000000ULL, 0, align},
	    {(1ULL << 40) - 0x200000, 0x400000, limit},
	    {0xffffffffffe00000ULL, 0x400000, limit},
	    {0x40000000ULL, 0x400000, overlap},	     /* RAM's first blocks */
	    {0x40e00000ULL, 0x400000, overlap},	     /* RAM's last block */
	    {0x3fe00000ULL, 0x400000, overlap},	     /* straddling RAM's start */
	    {0x08000000ULL, 0x00400000ULL, overlap}, /* the device window */
	    {0x0ae00000ULL, 0x00400000ULL, overlap}, /* its end */
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		vm_min(&f->vm[0], "a", 0, 0x40000000);
		set_str(&f->vm[0], "modules", "fatfs");
		set_window(&f->vm[0], cases[i].base, cases[i].size);
		expect_error(f->vm, 1, "/vms/a", "module-window", cases[i].msg);
	}
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_cells(&f->vm[0], "module-window", 2, 1, 0);
	expect_error(f->vm, 1, "/vms/a", "module-window",
		     "must be <base-hi base-lo size-hi size-lo>");
	/* Right after RAM and right before it are fine. */
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_str(&f->vm[0], "modules", "fatfs");
	set_window(&f->vm[0], 0x41000000ULL, 0x400000);
	expect_ok(f->vm, 1, &f->s);
	set_window(&f->vm[0], 0x3fc00000ULL, 0x400000);
	expect_ok(f->vm, 1, &f->s);
#ifdef SCENARIO_MODULE_SLOT
	/* Every listed module needs its slot. */
	set_raw(&f->vm[0], "modules", "fatfs\0signal", 13);
	set_window(&f->vm[0], 0x100000000ULL, 2 * SCENARIO_MODULE_SLOT - 0x200000);
	expect_error(f->vm, 1, "/vms/a", "module-window", "too small: 4 MiB per listed module");
	set_window(&f->vm[0], 0x100000000ULL, 2 * SCENARIO_MODULE_SLOT);
	expect_ok(f->vm, 1, &f->s);
#endif
}

/* --- rules across VMs -------------------------------------------------------------------- */

static void test_duplicate_names(void **state)
{
	struct fixture *f = *state;

	/* dtc would merge two nodes of one name; the sequential-write API writes both. */
	vm_min(&f->vm[0], "twin", 0, 0x40000000);
	vm_min(&f->vm[1], "twin", 1, 0x40000000);
	expect_error(f->vm, 2, "/vms/twin", "name", "two VMs have the same name");
	/* Also when they are not neighbours. */
	vm_min(&f->vm[0], "twin", 0, 0x40000000);
	vm_min(&f->vm[1], "other", 1, 0x40000000);
	vm_min(&f->vm[2], "twin", 2, 0x40000000);
	expect_error_pcpus(f->vm, 3, 3, "/vms/twin", "name", "two VMs have the same name");
}

/* Several VMs may give their vCPUs one physical CPU: it is time-shared (hyp/sched_rq.c). */
static void test_shared_cpu(void **state)
{
	struct fixture *f = *state;

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	vm_min(&f->vm[1], "b", 0, 0x40000000);
	expect_ok(f->vm, 2, &f->s);
	assert_int_equal(f->s.vms[0].affinity[0], 0);
	assert_int_equal(f->s.vms[1].affinity[0], 0);
	/* Three VMs on one CPU of a single-CPU machine, one with two vCPUs there. */
	vm_min(&f->vm[2], "c", 0, 0x40000000);
	set_cells(&f->vm[1], "vcpus", 1, 2);
	set_cells(&f->vm[1], "cpu-affinity", 2, 0, 0);
	expect_ok_pcpus(f->vm, 3, 1, &f->s);
	assert_int_equal(f->s.vms[1].vcpus, 2);
	/* Sharing does not lift the machine's limits: CPU 1 of a one-CPU machine. */
	set_cells(&f->vm[1], "cpu-affinity", 2, 0, 1);
	expect_error_pcpus(f->vm, 3, 1, "/vms/b", "cpu-affinity",
			   "names a CPU the machine does not have");
}

static void test_shared_disk(void **state)
{
	struct fixture *f = *state;

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	vm_min(&f->vm[1], "b", 1, 0x40000000);
	set_str(&f->vm[0], "disk", "shared");
	set_str(&f->vm[1], "disk", "shared");
	expect_error(f->vm, 2, "/vms/b", "disk", "disk already given to another VM");
	/* Distinct disks, or none at all, are fine. */
	set_str(&f->vm[1], "disk", "mine");
	expect_ok(f->vm, 2, &f->s);
	del_prop(&f->vm[0], "disk");
	del_prop(&f->vm[1], "disk");
	expect_ok(f->vm, 2, &f->s);
}

static void test_first_error_wins(void **state)
{
	struct fixture *f = *state;

	/* The first VM's own error is reported before anything about the second. */
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_cells(&f->vm[0], "vcpus", 1, 0);
	vm_min(&f->vm[1], "a", 0, 0x40000000);
	expect_error(f->vm, 2, "/vms/a", "vcpus", "must be between 1 and 8");
	/* Within a VM: the kernel is checked before the memory. */
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	del_prop(&f->vm[0], "kernel");
	set_memory(&f->vm[0], 1, 0);
	expect_error(f->vm, 1, "/vms/a", "kernel", "required property missing");
}

/* --- memory bounds ----------------------------------------------------------------------- */

#define FRAMES(bytes) ((uint64_t)(bytes) / 4096)

/* A parsed-looking VM for the memory functions, which need no blob. */
static void mem_vm(struct vm_config *vm, const char *name, enum mem_policy policy,
		   uint64_t ram_size)
{
	memset(vm, 0, sizeof(*vm));
	strcpy(vm->name, name);
	vm->ram_base = 0x40000000;
	vm->ram_size = ram_size;
	vm->policy = policy;
	vm->module_sharing = true;
}

static void add_module(struct vm_config *vm, const char *name)
{
	strcpy(vm->modules[vm->module_count++], name);
	vm->module_window_base = 0x100000000ULL;
	vm->module_window_size = 0x1000000;
}

static void test_memory_bound_of_a_vm(void **state)
{
	struct vm_config vm;
	struct vm_memory m;

	(void)state;
	mem_vm(&vm, "a", MEM_LAZY, 0x02000000);
	scenario_vm_memory(&vm, &m);
	assert_int_equal(m.ram, FRAMES(0x02000000));
	/* 8 root pages + 16 level-3, 1 level-2 and 1 level-1 table for 32 MiB at 1 GiB. */
	assert_int_equal(m.tables, 8 + 16 + 1 + 1);
	assert_int_equal(m.moddata, 0);
	assert_int_equal(m.devbuf, 0);

	add_module(&vm, "fatfs");
	add_module(&vm, "signal");
	strcpy(vm.disk, "d");
	scenario_vm_memory(&vm, &m);
	/* Two 4 MiB slots at 4 GiB: 4 level-3 tables, 1 level-2, 1 level-1. */
	assert_int_equal(m.tables, 8 + 18 + 4 + 1 + 1);
	assert_int_equal(m.moddata, 2 * FRAMES(SCENARIO_MODULE_SLOT));
	assert_int_equal(m.devbuf, FRAMES(128 * 1024));

	/* RAM straddling 2 MiB and 1 GiB boundaries needs a table on each side. */
	mem_vm(&vm, "b", MEM_LAZY, 0x2000);
	vm.ram_base = 0x7ffff000;
	scenario_vm_memory(&vm, &m);
	assert_int_equal(m.tables, 8 + 2 + 2 + 1);

	/* 512 GiB of lazy RAM: figures do not overflow. */
	mem_vm(&vm, "c", MEM_LAZY, 512ULL << 30);
	scenario_vm_memory(&vm, &m);
	assert_int_equal(m.ram, 1ULL << 27);
	assert_int_equal(m.tables, 8 + (1ULL << 18) + 512 + 2);
}

static void test_memory_fit_exact(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));
	struct scenario_memory mem;
	struct scenario_error e;
	struct vm_memory a, b;

	(void)state;
	assert_non_null(s);
	s->count = 2;
	mem_vm(&s->vms[0], "a", MEM_EAGER, 0x01000000);
	mem_vm(&s->vms[1], "b", MEM_LAZY, 0x02000000);
	add_module(&s->vms[0], "fatfs");
	add_module(&s->vms[1], "fatfs");
	strcpy(s->vms[1].disk, "d");
	scenario_vm_memory(&s->vms[0], &a);
	scenario_vm_memory(&s->vms[1], &b);
	uint64_t need = FRAMES(SCENARIO_MODULE_SLOT) /* fatfs text, shared */ + b.devbuf + a.ram +
			a.tables + a.moddata + b.ram + b.tables + b.moddata;

	assert_int_equal(scenario_fit_memory(s, need, &mem, &e), MV_OK);
	assert_int_equal(mem.text, FRAMES(SCENARIO_MODULE_SLOT));
	assert_int_equal(mem.overcommitted, 0);
	assert_int_equal(s->vms[0].quota_frames, a.ram + a.tables + a.moddata);
	assert_int_equal(s->vms[0].reserve_frames, s->vms[0].quota_frames);
	assert_int_equal(s->vms[1].reserve_frames, b.ram + b.tables + b.moddata);

	/* One page less: the lazy VM is short by exactly one page and named. */
	assert_int_equal(scenario_fit_memory(s, need - 1, &mem, &e), MV_ERR_NO_MEMORY);
	assert_string_equal(e.node, "/vms/b");
	assert_string_equal(e.prop, "memory");
	assert_non_null(strstr(e.msg, "vm b may need 37 MiB"));
	assert_non_null(strstr(e.msg, "overcommitted by 1 pages (1 MiB)"));
	assert_int_equal(mem.short_by[0], 0);
	assert_int_equal(mem.short_by[1], 1);
	free(s);
}

/* Eager VMs are served before lazy ones and smaller before larger, whatever the order given. */
static void test_memory_fit_names_the_big_lazy_vm(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));
	struct scenario_memory mem;
	struct scenario_error e;
	const uint64_t host = FRAMES(1000ULL << 20);

	(void)state;
	assert_non_null(s);
	s->count = 3;
	mem_vm(&s->vms[0], "hog", MEM_LAZY, 2ULL << 30);
	mem_vm(&s->vms[1], "small", MEM_LAZY, 0x01000000);
	mem_vm(&s->vms[2], "eager", MEM_EAGER, 0x20000000);
	assert_int_equal(scenario_fit_memory(s, host, &mem, &e), MV_ERR_NO_MEMORY);
	assert_string_equal(e.node, "/vms/hog");
	assert_int_equal(mem.short_by[1], 0);
	assert_int_equal(mem.short_by[2], 0);
	assert_int_equal(mem.short_by[0], mem.quota[0] - (host - mem.quota[1] - mem.quota[2]));

	/* memory-overcommit: accepted; the hog is promised only what is left. */
	s->memory_overcommit = true;
	assert_int_equal(scenario_fit_memory(s, host, &mem, &e), MV_OK);
	assert_int_equal(mem.overcommitted, 1);
	assert_int_equal(s->vms[0].quota_frames, mem.quota[0]);
	assert_int_equal(s->vms[0].reserve_frames, host - mem.quota[1] - mem.quota[2]);
	assert_int_equal(s->vms[2].reserve_frames, mem.quota[2]);

	/* An eager VM bigger than the host is refused too, even before a smaller lazy one. */
	s->memory_overcommit = false;
	s->count = 2;
	mem_vm(&s->vms[0], "big", MEM_EAGER, 2ULL << 30);
	assert_int_equal(scenario_fit_memory(s, host, &mem, &e), MV_ERR_NO_MEMORY);
	assert_string_equal(e.node, "/vms/big");
	free(s);
}

static void test_memory_text_bound(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));
	struct scenario_memory mem;
	struct scenario_error e;
	const uint64_t slot = FRAMES(SCENARIO_MODULE_SLOT);

	(void)state;
	assert_non_null(s);
	s->count = 2;
	mem_vm(&s->vms[0], "a", MEM_EAGER, 0x01000000);
	mem_vm(&s->vms[1], "b", MEM_EAGER, 0x01000000);
	add_module(&s->vms[0], "fatfs");
	add_module(&s->vms[0], "signal");
	add_module(&s->vms[1], "fatfs");
	assert_int_equal(scenario_fit_memory(s, 1ULL << 20, &mem, &e), MV_OK);
	assert_int_equal(mem.text, 2 * slot); /* fatfs once, shared */
	s->vms[0].module_sharing = s->vms[1].module_sharing = false;
	assert_int_equal(scenario_fit_memory(s, 1ULL << 20, &mem, &e), MV_OK);
	assert_int_equal(mem.text, 3 * slot); /* a copy per VM */
	free(s);
}

/* Every copy of module text needs a cache entry: 32, so 8 VMs with 4 private copies each. */
static void test_text_copies_fit_the_module_cache(void **state)
{
	static const char four[] = "fatfs\0signal\0ext4\0extra";
	struct fixture *f = *state;
	char names[9][8];

	for (unsigned i = 0; i < 9; i++) {
		snprintf(names[i], sizeof(names[i]), "vm%u", i);
		vm_min(&f->vm[i], names[i], i % 4, 0x40000000);
		set_raw(&f->vm[i], "modules", four, sizeof(four));
		set_window(&f->vm[i], 0x100000000ULL, 0x10000000ULL);
	}
	root_sharing = "off";
	expect_ok_pcpus(f->vm, 8, 4, &f->s);
	expect_error_pcpus(f->vm, 9, 4, "/", "module-sharing",
			   "36 copies of module text (one per VM and module with sharing off), the "
			   "module cache holds 32");
	/* One module in the ninth VM is still one too many; none at all fits. */
	set_raw(&f->vm[8], "modules", "fatfs", 6);
	expect_error_pcpus(f->vm, 9, 4, "/", "module-sharing",
			   "33 copies of module text (one per VM and module with sharing off), the "
			   "module cache holds 32");
	del_prop(&f->vm[8], "modules");
	expect_ok_pcpus(f->vm, 9, 4, &f->s);
	/* Shared, any number of VMs needs one copy per module. */
	root_sharing = "on";
	set_raw(&f->vm[8], "modules", four, sizeof(four));
	expect_ok_pcpus(f->vm, 9, 4, &f->s);
	root_sharing = NULL;
}

/* log-level: "info" by default, "debug" given to every VM, anything else refused. */
static void test_log_level_property(void **state)
{
	struct fixture *f = *state;

	vm_min(&f->vm[0], "a", 0, 0x40000000);
	vm_min(&f->vm[1], "b", 1, 0x40000000);
	expect_ok(f->vm, 2, &f->s);
	assert_false(f->s.vms[0].log_debug || f->s.vms[1].log_debug);
	root_log_level = "info";
	expect_ok(f->vm, 2, &f->s);
	assert_false(f->s.vms[0].log_debug || f->s.vms[1].log_debug);
	root_log_level = "debug";
	expect_ok(f->vm, 2, &f->s);
	assert_true(f->s.vms[0].log_debug && f->s.vms[1].log_debug);
	root_log_level = "loud";
	expect_error(f->vm, 2, "/", "log-level", "must be \"info\" or \"debug\"");
	root_log_level = NULL;
}

/* Parses one VM with the root's time-slice-ms set to `cells` (its `len` bytes). */
static int parse_slice(uint32_t first, uint32_t second, int len, struct scenario *s,
		       struct scenario_error *e)
{
	struct vmdesc vm;
	void *blob;
	int ret;

	vm_min(&vm, "a", 0, 0x40000000);
	root_slice[0] = cpu_to_fdt32(first);
	root_slice[1] = cpu_to_fdt32(second);
	root_slice_len = len;
	blob = build(&normal, &vm, 1);
	root_slice_len = 0;
	ret = parse_with(blob, 2, s, e);
	free(blob);
	return ret;
}

static void test_time_slice_property(void **state)
{
	struct scenario *s = malloc(sizeof(*s));
	struct scenario_error e;

	(void)state;
	assert_non_null(s);
	/* Absent: the default, given to every VM. */
	assert_int_equal(parse_slice(0, 0, 0, s, &e), MV_OK);
	assert_int_equal(s->vms[0].time_slice_ms, SCENARIO_SLICE_MS_DEFAULT);
	assert_int_equal(parse_slice(3, 0, 4, s, &e), MV_OK);
	assert_int_equal(s->vms[0].time_slice_ms, 3);
	assert_int_equal(parse_slice(1000, 0, 4, s, &e), MV_OK);
	assert_int_equal(s->vms[0].time_slice_ms, 1000);
	assert_int_equal(parse_slice(0, 0, 4, s, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, "/");
	assert_string_equal(e.prop, "time-slice-ms");
	assert_string_equal(e.msg, "must be between 1 and 1000");
	assert_int_equal(parse_slice(1001, 0, 4, s, &e), MV_ERR_INVALID);
	assert_string_equal(e.msg, "must be between 1 and 1000");
	assert_int_equal(parse_slice(5, 5, 8, s, &e), MV_ERR_INVALID);
	assert_string_equal(e.msg, "must be one cell");
	free(s);
}

static void test_memory_overcommit_property(void **state)
{
	struct vmdesc vm;
	struct scenario *s = malloc(sizeof(*s));
	struct scenario_error e;
	void *blob;

	(void)state;
	assert_non_null(s);
	vm_min(&vm, "a", 0, 0x40000000);
	blob = build(&normal, &vm, 1);
	assert_int_equal(parse_with(blob, 2, s, &e), MV_OK);
	assert_false(s->memory_overcommit);
	free(blob);
	root_overcommit = "";
	blob = build(&normal, &vm, 1);
	assert_int_equal(parse_with(blob, 2, s, &e), MV_OK);
	assert_true(s->memory_overcommit);
	free(blob);
	root_overcommit = "yes";
	blob = build(&normal, &vm, 1);
	root_overcommit = NULL;
	assert_int_equal(parse_with(blob, 2, s, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, "/");
	assert_string_equal(e.prop, "memory-overcommit");
	free(blob);
	free(s);
}

/* --- the modules the bundle holds -------------------------------------------------------- */

static struct mv_module_desc desc_of(const char *name, uint32_t version, uint32_t kind,
				     const char *need0, const char *need1)
{
	struct mv_module_desc d;

	memset(&d, 0, sizeof(d));
	d.magic = MV_MODULE_MAGIC;
	d.abi_version = MV_MODULE_ABI_VERSION;
	strcpy(d.name, name);
	d.version = version;
	d.kind = kind;
	if (need0)
		strcpy(d.needs[0], need0);
	if (need1)
		strcpy(d.needs[1], need1);
	return d;
}

/* Sizes in pages like the built modules': fatfs 9 text + 1 data, signal 4 + 1. */
static const struct scenario_module_pages fat_pages = {9, 1, 10}, sig_pages = {4, 1, 5},
					  jnl_pages = {20, 3, 24};

/* fatfs and signal as the build makes them, and "journal", which needs fatfs and signal. */
static void bundle_set(struct scenario_module_set *set)
{
	struct mv_module_desc fat = desc_of("fatfs", 0x10000, MV_MODULE_FS, NULL, NULL);
	struct mv_module_desc sig = desc_of("signal", 0x10002, MV_MODULE_SIGNAL, NULL, NULL);
	struct mv_module_desc jnl = desc_of("journal", 0x20000, MV_MODULE_FS, "fatfs", "signal");

	memset(set, 0, sizeof(*set));
	assert_int_equal(scenario_module_add(set, "fatfs", &fat, &fat_pages), MV_OK);
	assert_int_equal(scenario_module_add(set, "signal", &sig, &sig_pages), MV_OK);
	assert_int_equal(scenario_module_add(set, "journal", &jnl, &jnl_pages), MV_OK);
}

/*
 * Once the bundle's modules are checked, the quotas and the text reserve hold what the modules
 * really take (fatfs 9 text + 1 data pages, signal 4 + 1), not 4 MiB slots: the same host then
 * fits a scenario the slot-sized reserve refused.
 */
static void test_memory_uses_real_module_sizes(void **state)
{
	struct scenario *s = calloc(1, sizeof(*s));
	struct scenario_module_set set;
	struct scenario_memory mem;
	struct scenario_error e;
	struct vm_memory a, b;

	(void)state;
	assert_non_null(s);
	bundle_set(&set);
	s->count = 2;
	mem_vm(&s->vms[0], "a", MEM_EAGER, 0x01000000);
	mem_vm(&s->vms[1], "b", MEM_LAZY, 0x02000000);
	add_module(&s->vms[0], "fatfs");
	add_module(&s->vms[0], "signal");
	add_module(&s->vms[1], "fatfs");
	/* Unchecked: whole slots, as the build's checker assumes without module images. */
	scenario_vm_memory(&s->vms[0], &a);
	assert_int_equal(a.moddata, 2 * FRAMES(SCENARIO_MODULE_SLOT));
	assert_int_equal(scenario_check_modules(s, &set, &e), MV_OK);
	scenario_vm_memory(&s->vms[0], &a);
	scenario_vm_memory(&s->vms[1], &b);
	assert_int_equal(a.moddata, 1 + 1);
	assert_int_equal(b.moddata, 1);
	/* Each span lies in the first 2 MiB of its slot: one level-3 table per module, one
	 * level-2 and one level-1 table for the window, 8 root pages, 8 + 1 + 1 for the RAM. */
	assert_int_equal(a.tables, 8 + (8 + 1 + 1) + (2 + 1 + 1));
	assert_int_equal(b.tables, 8 + (16 + 1 + 1) + (1 + 1 + 1));
	uint64_t need = (9 + 4) /* fatfs and signal text, shared */ + a.ram + a.tables + a.moddata +
			b.ram + b.tables + b.moddata;

	assert_int_equal(scenario_fit_memory(s, need, &mem, &e), MV_OK);
	assert_int_equal(mem.text, 9 + 4);
	assert_int_equal(s->vms[0].quota_frames, a.ram + a.tables + a.moddata);
	assert_int_equal(s->vms[1].quota_frames, b.ram + b.tables + b.moddata);
	assert_int_equal(mem.overcommitted, 0);
	assert_int_equal(scenario_fit_memory(s, need - 1, &mem, &e), MV_ERR_NO_MEMORY);
	/* With sharing off every VM has its own copy of the text. */
	s->vms[0].module_sharing = s->vms[1].module_sharing = false;
	assert_int_equal(scenario_fit_memory(s, need + 9, &mem, &e), MV_OK);
	assert_int_equal(mem.text, 9 + 4 + 9);
	free(s);
}

static void test_module_set(void **state)
{
	struct scenario_module_set set;
	const struct scenario_module *m;
	struct mv_module_desc d = desc_of("x", 1, MV_MODULE_FS, NULL, NULL);
	char names[64];

	(void)state;
	bundle_set(&set);
	assert_int_equal(set.count, 3);
	m = scenario_module_find(&set, "journal");
	assert_non_null(m);
	assert_int_equal(m->version, 0x20000);
	assert_int_equal(m->kind, MV_MODULE_FS);
	assert_int_equal(m->need_count, 2);
	assert_string_equal(m->needs[0], "fatfs");
	assert_string_equal(m->needs[1], "signal");
	assert_false(m->refused);
	assert_true(scenario_module_needs(m, "signal"));
	assert_false(scenario_module_needs(m, "journal"));
	assert_int_equal(scenario_module_find(&set, "signal")->version, 0x10002);
	assert_null(scenario_module_find(&set, "ext4"));
	scenario_module_names(&set, names, sizeof(names));
	assert_string_equal(names, "fatfs, signal, journal");
	/* A name twice, a bad name, a refused image (held, nothing known), a full set. */
	assert_int_equal(scenario_module_add(&set, "fatfs", &d, &fat_pages), MV_ERR_BUSY);
	assert_int_equal(scenario_module_add(&set, "Bad", &d, &fat_pages), MV_ERR_INVALID);
	assert_int_equal(scenario_module_add(&set, "", &d, &fat_pages), MV_ERR_INVALID);
	/* A descriptor without sizes, or sizes past a slot. */
	static const struct scenario_module_pages too_big = {1, 1, 1025};

	assert_int_equal(scenario_module_add(&set, "x", &d, NULL), MV_ERR_INVALID);
	assert_int_equal(scenario_module_add(&set, "x", &d, &too_big), MV_ERR_INVALID);
	assert_int_equal(scenario_module_add(&set, "broken", NULL, NULL), MV_OK);
	assert_true(scenario_module_find(&set, "broken")->refused);
	assert_int_equal(scenario_module_find(&set, "broken")->need_count, 0);
	for (unsigned i = set.count; i < SCENARIO_MAX_BUNDLE_MODULES; i++) {
		char name[8];

		snprintf(name, sizeof(name), "m%u", i);
		assert_int_equal(scenario_module_add(&set, name, &d, &fat_pages), MV_OK);
	}
	assert_int_equal(scenario_module_add(&set, "onemore", &d, &fat_pages), MV_ERR_NO_MEMORY);
	memset(&set, 0, sizeof(set));
	scenario_module_names(&set, names, sizeof(names));
	assert_string_equal(names, "none");
}

/* Parses f's VMs and checks their modules against the set; returns the check's status. */
static int check_against(struct fixture *f, unsigned count, const struct scenario_module_set *set,
			 struct scenario_error *e)
{
	expect_ok(f->vm, count, &f->s);
	memset(e, 0x55, sizeof(*e));
	return scenario_check_modules(&f->s, set, e);
}

static void test_modules_against_the_bundle(void **state)
{
	struct fixture *f = *state;
	struct scenario_module_set set;
	struct scenario_error e;

	bundle_set(&set);
	vm_min(&f->vm[0], "a", 0, 0x40000000);
	set_window(&f->vm[0], 0x100000000ULL, 0x10000000);
	vm_min(&f->vm[1], "b", 1, 0x40000000);
	set_window(&f->vm[1], 0x100000000ULL, 0x10000000);
	set_raw(&f->vm[0], "modules", "fatfs\0signal", 13);
	set_raw(&f->vm[1], "modules", "signal\0fatfs\0journal", 21);
	assert_int_equal(check_against(f, 2, &set, &e), MV_OK);
	/* A module the bundle lacks, in the second VM: named with the VM and what there is. */
	set_raw(&f->vm[1], "modules", "signal\0ext4", 12);
	assert_int_equal(check_against(f, 2, &set, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, "/vms/b");
	assert_string_equal(e.prop, "modules");
	assert_string_equal(e.msg, "vm b: module 'ext4' is not in the bundle (it holds: fatfs, "
				   "signal, journal)");
	/* journal needs signal, which b does not list. */
	set_raw(&f->vm[1], "modules", "fatfs\0journal", 14);
	assert_int_equal(check_against(f, 2, &set, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, "/vms/b");
	assert_string_equal(e.msg, "vm b: module 'journal' needs module 'signal', which the VM "
				   "does not list before it");
	/* Listed, but after it: an eager VM could not load them in order. */
	set_raw(&f->vm[1], "modules", "fatfs\0journal\0signal", 21);
	assert_int_equal(check_against(f, 2, &set, &e), MV_ERR_INVALID);
	assert_string_equal(e.msg, "vm b: module 'journal' needs module 'signal', which the VM "
				   "does not list before it");
	/* A refused image is still held: the load is refused by name later, not the scenario. */
	assert_int_equal(scenario_module_add(&set, "ext4", NULL, NULL), MV_OK);
	set_raw(&f->vm[1], "modules", "signal\0ext4", 12);
	assert_int_equal(check_against(f, 2, &set, &e), MV_OK);
	/* An empty bundle holds nothing; a VM without modules needs nothing. */
	memset(&set, 0, sizeof(set));
	assert_int_equal(check_against(f, 2, &set, &e), MV_ERR_INVALID);
	assert_string_equal(e.node, "/vms/a");
	assert_string_equal(e.msg, "vm a: module 'fatfs' is not in the bundle (it holds: none)");
	del_prop(&f->vm[0], "modules");
	del_prop(&f->vm[1], "modules");
	assert_int_equal(check_against(f, 2, &set, &e), MV_OK);
}

static void test_unmet_need(void **state)
{
	struct scenario_module_set set;
	const struct scenario_module *jnl;
	const char *none[1] = {NULL}, *fat[] = {"fatfs"}, *both[] = {"signal", "fatfs"};

	(void)state;
	bundle_set(&set);
	jnl = scenario_module_find(&set, "journal");
	assert_string_equal(scenario_unmet_need(jnl, none, 0), "fatfs");
	assert_string_equal(scenario_unmet_need(jnl, fat, 1), "signal");
	assert_null(scenario_unmet_need(jnl, both, 2));
	assert_null(scenario_unmet_need(scenario_module_find(&set, "fatfs"), none, 0));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_two_vms_field_by_field),
	    T(test_defaults),
	    T(test_smp_and_limits),
	    T(test_four_vms),
	    T(test_ram_next_to_device_window),
	    T(test_compatible_list),
	    T(test_bad_blob),
	    T(test_root_rules),
	    T(test_too_many_vms),
	    T(test_sixteen_vms),
	    T(test_text_copies_fit_the_module_cache),
	    T(test_log_level_property),
	    T(test_memory_uses_real_module_sizes),
	    T(test_name),
	    T(test_kernel),
	    T(test_string_shapes),
	    T(test_strings_too_long),
	    T(test_policy),
	    T(test_memory_shape),
	    T(test_memory_values),
	    T(test_memory_base_zero),
	    T(test_vcpus),
	    T(test_affinity),
	    T(test_modules),
	    T(test_module_set),
	    T(test_modules_against_the_bundle),
	    T(test_unmet_need),
	    T(test_module_window),
	    T(test_duplicate_names),
	    T(test_shared_cpu),
	    T(test_shared_disk),
	    T(test_first_error_wins),
	    T(test_memory_bound_of_a_vm),
	    T(test_memory_fit_exact),
	    T(test_memory_fit_names_the_big_lazy_vm),
	    T(test_memory_text_bound),
	    T(test_memory_overcommit_property),
	    T(test_time_slice_property),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
