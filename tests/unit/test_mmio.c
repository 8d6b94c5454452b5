/* Unit tests for hyp/mmio.c: data-abort syndrome decoding and register-side MMIO emulation. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mmio.h"
#include "vcpu.h"
#include <modvisor/status.h>

/* ESR_EL2 of a data abort from a lower EL (EC 0x24, IL set) with the given ISS fields. */
#define ESR_DABT (0x24ULL << 26 | 1ULL << 25)
#define ISV (1ULL << 24)
#define SAS(n) ((uint64_t)(n) << 22)
#define SSE (1ULL << 21)
#define SRT(n) ((uint64_t)(n) << 16)
#define SF (1ULL << 15)
#define WNR (1ULL << 6)

#define DEV_BASE 0x09000000ULL
#define DEV_SIZE 0x1000ULL
#define SENTINEL 0x5a5a5a5a5a5a5a5aULL

/* What the fake device saw, and what it answers. */
struct fake_dev {
	unsigned calls;
	uint64_t offset;
	unsigned size;
	bool write;
	uint64_t value_in; /* *value on entry */
	uint64_t answer;   /* what a read returns (deliberately with bits above the size) */
	int ret;
};

static int fake_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		       uint64_t *value)
{
	struct fake_dev *d = dev;

	assert_non_null(vcpu);
	d->calls++;
	d->offset = offset;
	d->size = size;
	d->write = write;
	d->value_in = *value;
	if (!write)
		*value = d->answer;
	return d->ret;
}

struct fixture {
	struct mmio_bus bus;
	struct fake_dev dev;
	struct vcpu vcpu;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	for (unsigned i = 0; i < 31; i++)
		f->vcpu.regs.x[i] = SENTINEL + i;
	f->vcpu.regs.elr = SENTINEL;
	f->vcpu.regs.spsr = SENTINEL;
	f->vcpu.regs.pad = SENTINEL;
	assert_int_equal(mmio_register(&f->bus, DEV_BASE, DEV_SIZE, fake_access, &f->dev, "fake"),
			 MV_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	free(*state);
	return 0;
}

static struct mmio_access acc(uint64_t ipa, unsigned size, unsigned reg, bool write, bool sse,
			      bool sf)
{
	return (struct mmio_access){.ipa = ipa,
				    .size = size,
				    .reg = reg,
				    .write = write,
				    .sign_extend = sse,
				    .sixty_four = sf};
}

/* A read of `size` bytes returning `answer` from the device into x3; returns the register. */
static uint64_t do_read(struct fixture *f, unsigned size, bool sse, bool sf, uint64_t answer)
{
	struct mmio_access a = acc(DEV_BASE + 0x10, size, 3, false, sse, sf);

	f->dev.answer = answer;
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
	return f->vcpu.regs.x[3];
}

/* --- mmio_decode ------------------------------------------------------------------------- */

static void test_decode_sizes(void **state)
{
	static const unsigned sizes[4] = {1, 2, 4, 8};

	(void)state;
	for (unsigned sas = 0; sas < 4; sas++) {
		struct mmio_access a;

		memset(&a, 0xff, sizeof(a));
		assert_int_equal(mmio_decode(ESR_DABT | ISV | SAS(sas), 0x1234, &a), MV_OK);
		assert_int_equal(a.size, sizes[sas]);
		assert_int_equal(a.ipa, 0x1234);
		assert_int_equal(a.reg, 0);
		assert_false(a.write);
		assert_false(a.sign_extend);
		assert_false(a.sixty_four);
	}
}

static void test_decode_registers(void **state)
{
	(void)state;
	for (unsigned srt = 0; srt < 32; srt++) {
		struct mmio_access a;

		assert_int_equal(mmio_decode(ESR_DABT | ISV | SAS(2) | SRT(srt), 0, &a), MV_OK);
		assert_int_equal(a.reg, srt);
		assert_int_equal(a.size, 4);
	}
}

static void test_decode_flags(void **state)
{
	struct mmio_access a;

	(void)state;
	assert_int_equal(mmio_decode(ESR_DABT | ISV | SSE, 0, &a), MV_OK);
	assert_true(a.sign_extend);
	assert_false(a.sixty_four);
	assert_false(a.write);

	assert_int_equal(mmio_decode(ESR_DABT | ISV | SF, 0, &a), MV_OK);
	assert_false(a.sign_extend);
	assert_true(a.sixty_four);
	assert_false(a.write);

	assert_int_equal(mmio_decode(ESR_DABT | ISV | WNR, 0, &a), MV_OK);
	assert_false(a.sign_extend);
	assert_false(a.sixty_four);
	assert_true(a.write);

	/* Every field at once, plus ISS bits the decoder must ignore (FSC, EA, S1PTW, AR). */
	assert_int_equal(mmio_decode(ESR_DABT | ISV | SAS(3) | SSE | SRT(30) | SF | WNR |
					 (1ULL << 14) | (1ULL << 9) | (1ULL << 7) | 0x07,
				     0xfffffffff000ULL, &a),
			 MV_OK);
	assert_int_equal(a.size, 8);
	assert_int_equal(a.reg, 30);
	assert_true(a.sign_extend);
	assert_true(a.sixty_four);
	assert_true(a.write);
	assert_int_equal(a.ipa, 0xfffffffff000ULL);
}

static void test_decode_no_syndrome(void **state)
{
	struct mmio_access a, before;

	(void)state;
	memset(&a, 0x33, sizeof(a));
	before = a;
	/* Without ISV the other fields are meaningless: refused, nothing decoded. */
	assert_int_equal(mmio_decode(ESR_DABT | SAS(2) | SRT(5) | WNR | SF, 0x1000, &a),
			 MV_ERR_NOT_SUPPORTED);
	assert_int_equal(mmio_decode(0, 0, &a), MV_ERR_NOT_SUPPORTED);
	/* ISV is bit 24 of the ISS, not of some other field: bit 25 (IL) alone is not it. */
	assert_int_equal(mmio_decode(1ULL << 25, 0, &a), MV_ERR_NOT_SUPPORTED);
	assert_memory_equal(&a, &before, sizeof(a));
}

/* --- mmio_emulate: loads ----------------------------------------------------------------- */

static void test_read_zero_extends(void **state)
{
	struct fixture *f = *state;

	/* The device answers with junk above the access size: only `size` bytes count. */
	assert_int_equal(do_read(f, 1, false, true, 0xdeadbeefcafe0080ULL), 0x80);
	assert_int_equal(do_read(f, 1, false, false, 0xdeadbeefcafe00ffULL), 0xff);
	assert_int_equal(do_read(f, 2, false, true, 0xdeadbeefcafe8001ULL), 0x8001);
	assert_int_equal(do_read(f, 2, false, false, 0xdeadbeefcafe8001ULL), 0x8001);
	assert_int_equal(do_read(f, 4, false, true, 0xdeadbeef80000001ULL), 0x80000001ULL);
	assert_int_equal(do_read(f, 4, false, false, 0xdeadbeef80000001ULL), 0x80000001ULL);
	assert_int_equal(do_read(f, 8, false, true, 0xdeadbeef80000001ULL), 0xdeadbeef80000001ULL);
	assert_int_equal(f->dev.size, 8);
	assert_int_equal(f->dev.offset, 0x10);
	assert_false(f->dev.write);
}

static void test_read_sign_extends(void **state)
{
	struct fixture *f = *state;

	/* LDRSB/LDRSH into Wn: sign-extended to 32 bits, the upper half of Xn zero. */
	assert_int_equal(do_read(f, 1, true, false, 0xab80), 0xffffff80ULL);
	assert_int_equal(do_read(f, 2, true, false, 0xab8000), 0xffff8000ULL);
	/* Into Xn (and LDRSW): to 64 bits. */
	assert_int_equal(do_read(f, 1, true, true, 0xab80), 0xffffffffffffff80ULL);
	assert_int_equal(do_read(f, 2, true, true, 0xab8000), 0xffffffffffff8000ULL);
	assert_int_equal(do_read(f, 4, true, true, 0xab80000000ULL), 0xffffffff80000000ULL);
	/* A word into Wn with SSE cannot sign into bits it does not have. */
	assert_int_equal(do_read(f, 4, true, false, 0xab80000000ULL), 0x80000000ULL);
	/* Positive values are not changed, and junk above the size never leaks in. */
	assert_int_equal(do_read(f, 1, true, true, 0xff7f), 0x7f);
	assert_int_equal(do_read(f, 2, true, true, 0xffff7fff), 0x7fff);
	assert_int_equal(do_read(f, 4, true, true, 0xffffffff7fffffffULL), 0x7fffffffULL);
	/* A doubleword has nothing to extend. */
	assert_int_equal(do_read(f, 8, true, true, 0x8000000000000000ULL), 0x8000000000000000ULL);
}

static void test_read_only_touches_target(void **state)
{
	struct fixture *f = *state;
	struct vcpu_regs before = f->vcpu.regs;

	assert_int_equal(do_read(f, 4, false, false, 0x11), 0x11);
	before.x[3] = 0x11;
	assert_memory_equal(&before, &f->vcpu.regs, sizeof(before));
}

static void test_read_into_xzr_discarded(void **state)
{
	struct fixture *f = *state;
	struct vcpu_regs before = f->vcpu.regs;
	struct mmio_access a = acc(DEV_BASE, 8, 31, false, true, true);

	f->dev.answer = 0x8877665544332211ULL;
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
	/* The device saw the read (it may have side effects), but no register changed: not
	 * x30, not the ELR or SPSR that follow x[] in memory. */
	assert_int_equal(f->dev.calls, 1);
	assert_memory_equal(&before, &f->vcpu.regs, sizeof(before));
}

/* --- mmio_emulate: stores ---------------------------------------------------------------- */

static void test_write_truncates_to_size(void **state)
{
	struct fixture *f = *state;
	static const struct {
		unsigned size;
		uint64_t expect;
	} cases[] = {{1, 0x88}, {2, 0x7788}, {4, 0x55667788}, {8, 0x1122334455667788ULL}};

	f->vcpu.regs.x[7] = 0x1122334455667788ULL;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mmio_access a = acc(DEV_BASE + 0x20, cases[i].size, 7, true, false, true);

		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
		assert_true(f->dev.write);
		assert_int_equal(f->dev.size, cases[i].size);
		assert_int_equal(f->dev.offset, 0x20);
		assert_int_equal(f->dev.value_in, cases[i].expect);
		/* A store never changes the source register. */
		assert_int_equal(f->vcpu.regs.x[7], 0x1122334455667788ULL);
	}
	assert_int_equal(f->dev.calls, 4);
}

static void test_write_from_xzr(void **state)
{
	struct fixture *f = *state;
	struct vcpu_regs before = f->vcpu.regs;

	/* Register 31 is xzr for a store: zero, not x30 and not whatever follows x[30]. */
	for (unsigned size = 1; size <= 8; size *= 2) {
		struct mmio_access a = acc(DEV_BASE + 8, size, 31, true, false, true);

		f->dev.value_in = 1;
		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
		assert_int_equal(f->dev.value_in, 0);
	}
	/* x30 itself is an ordinary register. */
	{
		struct mmio_access a = acc(DEV_BASE + 8, 8, 30, true, false, true);

		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
		assert_int_equal(f->dev.value_in, SENTINEL + 30);
	}
	assert_memory_equal(&before, &f->vcpu.regs, sizeof(before));
}

/* --- mmio_emulate: refused accesses ------------------------------------------------------ */

static void test_misaligned(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint64_t off;
		unsigned size;
	} bad[] = {{1, 2}, {3, 2}, {2, 4}, {1, 4}, {3, 4}, {4, 8}, {2, 8}, {1, 8}, {0x7ff, 2}};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct mmio_access r =
		    acc(DEV_BASE + bad[i].off, bad[i].size, 3, false, false, true);
		struct mmio_access w =
		    acc(DEV_BASE + bad[i].off, bad[i].size, 3, true, false, true);

		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &r), MV_ERR_INVALID);
		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &w), MV_ERR_INVALID);
	}
	assert_int_equal(f->dev.calls, 0);
	assert_int_equal(f->vcpu.regs.x[3], SENTINEL + 3);
	/* Bytes may be anywhere, and naturally aligned accesses are fine. */
	for (unsigned off = 0; off < 8; off++) {
		struct mmio_access a = acc(DEV_BASE + off, 1, 3, false, false, true);

		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
	}
	assert_int_equal(f->dev.calls, 8);
}

static void test_straddles_region_end(void **state)
{
	struct fixture *f = *state;
	struct fake_dev odd = {0};
	struct mmio_access a;

	/* A 6-byte region: naturally aligned accesses can still run past its end. */
	assert_int_equal(mmio_register(&f->bus, 0x0a000000ULL, 6, fake_access, &odd, "odd"), MV_OK);
	a = acc(0x0a000004ULL, 4, 3, false, false, true);
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_ERR_INVALID);
	a = acc(0x0a000000ULL, 8, 3, true, false, true);
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_ERR_INVALID);
	assert_int_equal(odd.calls, 0);
	/* The last halfword fits exactly. */
	a = acc(0x0a000004ULL, 2, 3, false, false, true);
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
	assert_int_equal(odd.calls, 1);
	assert_int_equal(odd.offset, 4);

	/* The last doubleword of the page-sized region is fine too. */
	a = acc(DEV_BASE + DEV_SIZE - 8, 8, 3, false, false, true);
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_OK);
	assert_int_equal(f->dev.offset, DEV_SIZE - 8);
}

static void test_no_region(void **state)
{
	struct fixture *f = *state;
	static const uint64_t ipas[] = {
	    0, DEV_BASE - 1, DEV_BASE - 8, DEV_BASE + DEV_SIZE, 0x40000000ULL, ~0ULL & ~7ULL};

	for (unsigned i = 0; i < sizeof(ipas) / sizeof(ipas[0]); i++) {
		struct mmio_access a = acc(ipas[i], 1, 3, false, false, true);

		assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_ERR_NOT_FOUND);
		assert_null(mmio_find(&f->bus, ipas[i]));
	}
	assert_int_equal(f->dev.calls, 0);
	assert_int_equal(f->vcpu.regs.x[3], SENTINEL + 3);
	assert_non_null(mmio_find(&f->bus, DEV_BASE));
	assert_non_null(mmio_find(&f->bus, DEV_BASE + DEV_SIZE - 1));
}

static void test_device_error_leaves_register(void **state)
{
	struct fixture *f = *state;
	struct mmio_access a = acc(DEV_BASE, 4, 3, false, false, true);

	f->dev.ret = MV_ERR_DENIED;
	f->dev.answer = 0x1234;
	assert_int_equal(mmio_emulate(&f->bus, &f->vcpu, &a), MV_ERR_DENIED);
	assert_int_equal(f->vcpu.regs.x[3], SENTINEL + 3);
}

/* --- mmio_register / mmio_find ----------------------------------------------------------- */

static void test_register_overflow(void **state)
{
	struct mmio_bus bus;
	struct fake_dev devs[MMIO_MAX_REGIONS + 1];
	struct vcpu vcpu;

	(void)state;
	memset(&bus, 0, sizeof(bus));
	memset(devs, 0, sizeof(devs));
	memset(&vcpu, 0, sizeof(vcpu));
	for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++)
		assert_int_equal(
		    mmio_register(&bus, 0x1000ULL * (i + 1), 0x1000, fake_access, &devs[i], "r"),
		    MV_OK);
	assert_int_equal(
	    mmio_register(&bus, 0x100000, 0x1000, fake_access, &devs[MMIO_MAX_REGIONS], "extra"),
	    MV_ERR_NO_MEMORY);
	assert_int_equal(
	    mmio_register(&bus, 0x100000, 0x1000, fake_access, &devs[MMIO_MAX_REGIONS], "extra"),
	    MV_ERR_NO_MEMORY);
	assert_int_equal(bus.count, MMIO_MAX_REGIONS);
	assert_null(mmio_find(&bus, 0x100000));

	/* Every registered region still routes to its own device with a relative offset. */
	for (unsigned i = 0; i < MMIO_MAX_REGIONS; i++) {
		struct mmio_access a = acc(0x1000ULL * (i + 1) + 0x44, 4, 0, true, false, false);

		vcpu.regs.x[0] = i;
		assert_int_equal(mmio_emulate(&bus, &vcpu, &a), MV_OK);
		assert_int_equal(devs[i].calls, 1);
		assert_int_equal(devs[i].offset, 0x44);
		assert_int_equal(devs[i].value_in, i);
	}
	assert_int_equal(devs[MMIO_MAX_REGIONS].calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_sizes),
	    cmocka_unit_test(test_decode_registers),
	    cmocka_unit_test(test_decode_flags),
	    cmocka_unit_test(test_decode_no_syndrome),
	    cmocka_unit_test_setup_teardown(test_read_zero_extends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_sign_extends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_only_touches_target, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_read_into_xzr_discarded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_truncates_to_size, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_write_from_xzr, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_misaligned, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_straddles_region_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_region, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_device_error_leaves_register, setup, teardown),
	    cmocka_unit_test(test_register_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
