/* Unit tests for hyp/vrtc_model.c: the PL031 registers of the per-VM virtual RTC. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "vrtc_model.h"
#include <dev/pl031.h>
#include <modvisor/status.h>

#define HZ 62500000ULL	 /* QEMU virt's counter frequency */
#define T0 1000000ULL	 /* an arbitrary counter value at boot */
#define SEED 1796083200U /* 2026-12-01 00:00:00 UTC */

static struct vrtc_model m;

static void boot(void)
{
	vrtc_model_init(&m, HZ, T0, SEED);
}

static uint32_t rd(uint64_t now, uint64_t off)
{
	uint64_t v = 0xdeadbeefULL;

	assert_int_equal(vrtc_model_access(&m, now, off, 4, false, &v), MV_OK);
	assert_true(v <= UINT32_MAX);
	return (uint32_t)v;
}

static void wr(uint64_t now, uint64_t off, uint32_t value)
{
	uint64_t v = value;

	assert_int_equal(vrtc_model_access(&m, now, off, 4, true, &v), MV_OK);
}

static void test_counts_seconds_of_the_generic_counter(void **state)
{
	(void)state;
	boot();
	assert_int_equal(rd(T0, PL031_DR), SEED);
	assert_int_equal(rd(T0 + HZ - 1, PL031_DR), SEED);
	assert_int_equal(rd(T0 + HZ, PL031_DR), SEED + 1);
	assert_int_equal(rd(T0 + 3600 * HZ + HZ / 2, PL031_DR), SEED + 3600);
	/* A counter value older than the base (another CPU's read) never goes back in time. */
	assert_int_equal(rd(T0 - 5, PL031_DR), SEED);
	assert_int_equal(rd(T0, PL031_LR), SEED);
	assert_int_equal(rd(T0, PL031_CR), PL031_CR_START);
}

static void test_load_sets_the_count_and_reads_back(void **state)
{
	uint64_t t = T0 + 10 * HZ + 123;

	(void)state;
	boot();
	wr(t, PL031_LR, 978307200U); /* 2001-01-01 */
	assert_int_equal(rd(t, PL031_DR), 978307200U);
	assert_int_equal(rd(t, PL031_LR), 978307200U);
	/* A whole second to the next increment, counted from the load. */
	assert_int_equal(rd(t + HZ - 1, PL031_DR), 978307200U);
	assert_int_equal(rd(t + HZ, PL031_DR), 978307201U);
	assert_int_equal(vrtc_model_count(&m, t + 100 * HZ), 978307300U);
	/* The data register is read-only; RTCCR cannot stop the clock. */
	wr(t, PL031_DR, 5);
	wr(t, PL031_CR, 0);
	assert_int_equal(rd(t + 2 * HZ, PL031_DR), 978307202U);
	assert_int_equal(rd(t, PL031_CR), PL031_CR_START);
}

static void test_count_wraps_at_32_bits(void **state)
{
	(void)state;
	boot();
	wr(T0, PL031_LR, UINT32_MAX);
	assert_int_equal(rd(T0 + HZ, PL031_DR), 0);
	assert_int_equal(rd(T0 + 2 * HZ, PL031_DR), 1);
}

static void test_match_raises_ris_once_passed_and_icr_clears(void **state)
{
	(void)state;
	boot();
	wr(T0, PL031_MR, SEED + 5);
	assert_int_equal(rd(T0, PL031_MR), SEED + 5);
	assert_int_equal(rd(T0 + 4 * HZ, PL031_RIS), 0);
	/* Nobody looked at second 5 itself: the status still shows it was passed. */
	assert_int_equal(rd(T0 + 9 * HZ, PL031_RIS), PL031_INT_MATCH);
	assert_int_equal(rd(T0 + 9 * HZ, PL031_MIS), 0);
	assert_false(vrtc_model_irq(&m, T0 + 9 * HZ));
	wr(T0 + 9 * HZ, PL031_IMSC, 0xffffffffU);
	assert_int_equal(rd(T0 + 9 * HZ, PL031_IMSC), PL031_INT_MATCH);
	assert_int_equal(rd(T0 + 9 * HZ, PL031_MIS), PL031_INT_MATCH);
	assert_true(vrtc_model_irq(&m, T0 + 9 * HZ));
	wr(T0 + 9 * HZ, PL031_ICR, PL031_INT_MATCH);
	assert_int_equal(rd(T0 + 9 * HZ, PL031_RIS), 0);
	assert_false(vrtc_model_irq(&m, T0 + 9 * HZ));
	/* The next match of the same value is 2^32 seconds away. */
	assert_int_equal(rd(T0 + 1000 * HZ, PL031_RIS), 0);
	/* RIS is read-only. */
	wr(T0 + 1000 * HZ, PL031_RIS, PL031_INT_MATCH);
	assert_int_equal(rd(T0 + 1000 * HZ, PL031_RIS), 0);
}

static void test_match_equal_to_count_fires_at_once(void **state)
{
	(void)state;
	boot();
	wr(T0 + 3 * HZ, PL031_MR, SEED + 3);
	assert_int_equal(rd(T0 + 3 * HZ, PL031_RIS), PL031_INT_MATCH);
	wr(T0 + 3 * HZ, PL031_ICR, 1);
	/* A load onto the match value compares too. */
	wr(T0 + 4 * HZ, PL031_LR, SEED + 3);
	assert_int_equal(rd(T0 + 4 * HZ, PL031_RIS), PL031_INT_MATCH);
}

static void test_match_behind_a_backward_load_is_not_passed(void **state)
{
	(void)state;
	boot();
	wr(T0, PL031_MR, SEED + 2);
	wr(T0, PL031_LR, SEED - 100); /* the clock set back: second SEED+2 is 102 s away */
	assert_int_equal(rd(T0 + 101 * HZ, PL031_RIS), 0);
	assert_int_equal(rd(T0 + 102 * HZ, PL031_RIS), PL031_INT_MATCH);
}

static void test_primecell_ids(void **state)
{
	static const uint8_t id[8] = {0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

	(void)state;
	boot();
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(rd(T0, PL031_PERIPHID0 + 4 * i), id[i]);
	assert_int_equal(rd(T0, PL031_PERIPHID0 - 4), 0);
	assert_int_equal(rd(T0, 0x020), 0);
	assert_int_equal(rd(T0, 0xffc), 0xb1);
}

static void test_widths_and_offsets(void **state)
{
	uint64_t v;

	(void)state;
	boot();
	/* Narrow reads see their bytes of the register. */
	v = 0;
	assert_int_equal(vrtc_model_access(&m, T0, PL031_DR + 1, 1, false, &v), MV_OK);
	assert_int_equal(v, (SEED >> 8) & 0xff);
	assert_int_equal(vrtc_model_access(&m, T0, PL031_DR + 2, 2, false, &v), MV_OK);
	assert_int_equal(v, SEED >> 16);
	/* Narrow writes do nothing, even to the load register. */
	v = 7;
	assert_int_equal(vrtc_model_access(&m, T0, PL031_LR, 1, true, &v), MV_OK);
	assert_int_equal(vrtc_model_access(&m, T0, PL031_LR, 2, true, &v), MV_OK);
	assert_int_equal(rd(T0, PL031_DR), SEED);
	/* 8-byte accesses and offsets outside the frame are refused; nothing changes. */
	v = 7;
	assert_int_equal(vrtc_model_access(&m, T0, PL031_DR, 8, false, &v), MV_ERR_INVALID);
	assert_int_equal(vrtc_model_access(&m, T0, PL031_LR, 8, true, &v), MV_ERR_INVALID);
	assert_int_equal(vrtc_model_access(&m, T0, PL031_SIZE, 4, true, &v), MV_ERR_INVALID);
	assert_int_equal(vrtc_model_access(&m, T0, UINT64_MAX - 3, 4, false, &v), MV_ERR_INVALID);
	assert_int_equal(rd(T0, PL031_DR), SEED);
	/* Holes ignore writes of every value. */
	for (uint64_t off = 0x20; off < PL031_PERIPHID0; off += 0x40)
		wr(T0, off, 0xffffffffU);
	assert_int_equal(rd(T0, PL031_DR), SEED);
	assert_int_equal(rd(T0, PL031_MR), 0);
	assert_int_equal(rd(T0, PL031_IMSC), 0);
}

static void test_zero_frequency_is_survivable(void **state)
{
	(void)state;
	vrtc_model_init(&m, 0, T0, SEED);
	assert_int_equal(rd(T0 + 5, PL031_DR), SEED + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_counts_seconds_of_the_generic_counter),
	    cmocka_unit_test(test_load_sets_the_count_and_reads_back),
	    cmocka_unit_test(test_count_wraps_at_32_bits),
	    cmocka_unit_test(test_match_raises_ris_once_passed_and_icr_clears),
	    cmocka_unit_test(test_match_equal_to_count_fires_at_once),
	    cmocka_unit_test(test_match_behind_a_backward_load_is_not_passed),
	    cmocka_unit_test(test_primecell_ids),
	    cmocka_unit_test(test_widths_and_offsets),
	    cmocka_unit_test(test_zero_frequency_is_survivable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
