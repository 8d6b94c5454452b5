/* Unit tests for hyp/el2map.c: the EL2 map of QEMU virt as the hypervisor builds it, walked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "el2map.h"
#include <modvisor/status.h>

#define MiB 0x100000ULL
#define GiB 0x40000000ULL

static struct el2map_tables tables;

/* QEMU virt with -m 1G and -smp 2: GICv3 distributor and redistributors, PL011, PL031,
 * virtio-mmio. */
static const struct mem_range virt_ram[] = {{GiB, GiB}};
static const struct mem_range virt_dev[] = {
    {0x08000000, 0x10000}, {0x080a0000, 0xf60000}, {0x09000000, 0x1000}, {0x09010000, 0x1000},
    {0x0a000000, 0x1000},  {0x0a001000, 0x1000},   {0x0a003000, 0x1000},
};
#define TEXT 0x40200000ULL
#define TEXT_END 0x40219000ULL
#define RO_END 0x4021d000ULL

static const struct el2map_layout virt_final = {
    .dev = virt_dev,
    .dev_count = sizeof(virt_dev) / sizeof(virt_dev[0]),
    .ram = virt_ram,
    .ram_count = 1,
    .text_start = TEXT,
    .text_end = TEXT_END,
    .ro_end = RO_END,
};

static bool mapped(uint64_t va)
{
	return el2map_lookup(&tables, va, NULL) != 0;
}

static enum el2map_prot prot_of(uint64_t va)
{
	enum el2map_prot p;

	assert_true(el2map_lookup(&tables, va, &p) != 0);
	return p;
}

/* The whole NULL guard is unmapped: address 0, a field of a NULL struct, the last byte. */
static void assert_guard_unmapped(void)
{
	for (uint64_t va = 0; va < EL2MAP_GUARD; va += 0x1000)
		assert_false(mapped(va));
	assert_false(mapped(0xc0));
	assert_false(mapped(EL2MAP_GUARD - 1));
}

static void test_final_map_guards_null(void **state)
{
	(void)state;
	assert_int_equal(el2map_build(&tables, &virt_final), MV_OK);
	assert_guard_unmapped();
}

static void test_final_map_only_used_devices(void **state)
{
	(void)state;
	assert_int_equal(el2map_build(&tables, &virt_final), MV_OK);
	assert_int_equal(prot_of(0x08000000), EL2MAP_DEVICE);
	assert_int_equal(prot_of(0x0800f000), EL2MAP_DEVICE);
	assert_false(mapped(0x08010000)); /* the ITS and the gap before the redistributors */
	assert_int_equal(prot_of(0x080a0000), EL2MAP_DEVICE);
	assert_int_equal(prot_of(0x08fff000), EL2MAP_DEVICE);
	assert_int_equal(prot_of(0x09000000), EL2MAP_DEVICE);
	assert_false(mapped(0x09001000));
	assert_int_equal(prot_of(0x09010000), EL2MAP_DEVICE); /* the RTC, read once at boot */
	assert_false(mapped(0x09020000)); /* fw_cfg, GPIO: not the hypervisor's */
	assert_int_equal(prot_of(0x0a001000), EL2MAP_DEVICE);
	assert_false(mapped(0x0a002000));
	assert_false(mapped(0x0a004000));
	/* Flash below the devices and the PCIe windows above them stay unmapped. */
	assert_false(mapped(0x04000000));
	assert_false(mapped(0x10000000));
	assert_false(mapped(0x3fffffff));
	assert_false(mapped(2 * GiB));
}

static void test_final_map_image_wx(void **state)
{
	(void)state;
	assert_int_equal(el2map_build(&tables, &virt_final), MV_OK);
	assert_int_equal(prot_of(TEXT), EL2MAP_RX);
	assert_int_equal(prot_of(TEXT_END - 1), EL2MAP_RX);
	assert_int_equal(prot_of(TEXT_END), EL2MAP_RO);
	assert_int_equal(prot_of(RO_END - 1), EL2MAP_RO);
	assert_int_equal(prot_of(RO_END), EL2MAP_RW);
	assert_int_equal(prot_of(GiB), EL2MAP_RW);
	assert_int_equal(prot_of(TEXT - 1), EL2MAP_RW);
	assert_int_equal(prot_of(2 * GiB - 1), EL2MAP_RW);
	/* Identity: every leaf maps its own address. */
	for (uint64_t va = GiB; va < 2 * GiB; va += 0x7000) {
		uint64_t desc = el2map_lookup(&tables, va, NULL);
		uint64_t size = (desc & 3) == 1 ? 0x200000 : 0x1000;

		assert_int_equal(desc & 0x0000fffffffff000ULL & ~(size - 1), va & ~(size - 1));
	}
}

/* Before the device tree is read the boot map covers QEMU virt's device GiB, minus the guard. */
static void test_boot_map_guards_null(void **state)
{
	static const struct mem_range boot_ram = {GiB, 3 * GiB};
	static const struct mem_range boot_dev = {EL2MAP_GUARD, GiB - EL2MAP_GUARD};
	const struct el2map_layout boot = {
	    .dev = &boot_dev,
	    .dev_count = 1,
	    .ram = &boot_ram,
	    .ram_count = 1,
	    .text_start = TEXT,
	    .text_end = TEXT_END,
	    .ro_end = RO_END,
	};

	(void)state;
	assert_int_equal(el2map_build(&tables, &boot), MV_OK);
	assert_guard_unmapped();
	assert_int_equal(prot_of(EL2MAP_GUARD), EL2MAP_DEVICE);
	assert_int_equal(prot_of(0x09000000), EL2MAP_DEVICE);
	assert_int_equal(prot_of(4 * GiB - 1), EL2MAP_RW);
	assert_false(mapped(4 * GiB));
}

static void test_refusals(void **state)
{
	struct mem_range r = {0, 0x1000};
	struct el2map_layout l = virt_final;

	(void)state;
	l.dev = &r;
	l.dev_count = 1;
	assert_int_equal(el2map_build(&tables, &l), MV_ERR_INVALID); /* the guard itself */
	r = (struct mem_range){EL2MAP_GUARD - 0x1000, 0x2000};
	assert_int_equal(el2map_build(&tables, &l), MV_ERR_INVALID); /* ends past it */
	r = (struct mem_range){0x09000800, 0x1000};
	assert_int_equal(el2map_build(&tables, &l), MV_ERR_INVALID); /* unaligned */
	r = (struct mem_range){(1ULL << EL2MAP_VA_BITS) - 0x1000, 0x2000};
	assert_int_equal(el2map_build(&tables, &l), MV_ERR_INVALID); /* past the VA space */
	r = (struct mem_range){UINT64_MAX & ~0xfffULL, 0x2000};
	assert_int_equal(el2map_build(&tables, &l), MV_ERR_INVALID); /* wraps */
}

static void test_pool_exhaustion(void **state)
{
	struct mem_range dev[EL2MAP_L3_TABLES + 1];
	struct el2map_layout l = virt_final;

	(void)state;
	/* One page in each of many 2 MiB blocks: one level-3 table each, the image needs one too.
	 */
	for (unsigned i = 0; i < EL2MAP_L3_TABLES + 1; i++)
		dev[i] = (struct mem_range){0x10000000 + i * 0x200000ULL, 0x1000};
	l.dev = dev;
	l.dev_count = EL2MAP_L3_TABLES - 1;
	assert_int_equal(el2map_build(&tables, &l), MV_OK);
	l.dev_count = EL2MAP_L3_TABLES;
	assert_int_equal(el2map_build(&tables, &l), MV_ERR_NO_MEMORY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_final_map_guards_null),
	    cmocka_unit_test(test_final_map_only_used_devices),
	    cmocka_unit_test(test_final_map_image_wx),
	    cmocka_unit_test(test_boot_map_guards_null),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_pool_exhaustion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
