/* Unit tests for hyp/aarch32.c: a trapped AArch32 instruction's condition and IT block. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "aarch32.h"

#define N (1ULL << 31)
#define Z (1ULL << 30)
#define C (1ULL << 29)
#define V (1ULL << 28)
#define USR 0x10ULL

static uint32_t cv(unsigned cond)
{
	return ISS_AA32_CV | (cond << 20);
}

/* SPSR with IT[7:0] = it, in Thumb state. */
static uint64_t thumb_it(unsigned it)
{
	return USR | PSR_AA32_T | ((uint64_t)(it >> 2) << PSR_AA32_IT_HI_SHIFT) |
	       ((uint64_t)(it & 3) << PSR_AA32_IT_LO_SHIFT);
}

static void test_every_condition(void **state)
{
	(void)state;
	assert_true(aarch32_cond_passed(USR | Z, cv(0x0))); /* EQ */
	assert_false(aarch32_cond_passed(USR, cv(0x0)));
	assert_true(aarch32_cond_passed(USR, cv(0x1)));	     /* NE */
	assert_true(aarch32_cond_passed(USR | C, cv(0x2)));  /* CS */
	assert_false(aarch32_cond_passed(USR | C, cv(0x3))); /* CC */
	assert_true(aarch32_cond_passed(USR | N, cv(0x4)));  /* MI */
	assert_true(aarch32_cond_passed(USR, cv(0x5)));	     /* PL */
	assert_true(aarch32_cond_passed(USR | V, cv(0x6)));  /* VS */
	assert_false(aarch32_cond_passed(USR | V, cv(0x7))); /* VC */
	assert_true(aarch32_cond_passed(USR | C, cv(0x8)));  /* HI */
	assert_false(aarch32_cond_passed(USR | C | Z, cv(0x8)));
	assert_true(aarch32_cond_passed(USR | C | Z, cv(0x9))); /* LS */
	assert_true(aarch32_cond_passed(USR | N | V, cv(0xa))); /* GE */
	assert_false(aarch32_cond_passed(USR | N, cv(0xa)));
	assert_true(aarch32_cond_passed(USR | N, cv(0xb))); /* LT */
	assert_true(aarch32_cond_passed(USR, cv(0xc)));	    /* GT */
	assert_false(aarch32_cond_passed(USR | Z, cv(0xc)));
	assert_true(aarch32_cond_passed(USR | Z, cv(0xd))); /* LE */
	assert_true(aarch32_cond_passed(USR, cv(0xe)));	    /* AL */
	assert_true(aarch32_cond_passed(USR | N | Z | C | V, cv(0xf)));
}

static void test_cond_from_it_block_without_cv(void **state)
{
	(void)state;
	/* No CV and no IT block: unconditional. */
	assert_true(aarch32_cond_passed(USR | PSR_AA32_T, 0));
	/* ITT EQ, first instruction: IT = firstcond 0b0000, mask 0b0100. */
	assert_true(aarch32_cond_passed(thumb_it(0x04) | Z, 0));
	assert_false(aarch32_cond_passed(thumb_it(0x04), 0));
	/* Second instruction of ITE EQ: IT<7:4> = 0b0001, NE. */
	assert_true(aarch32_cond_passed(thumb_it(0x18), 0));
	assert_false(aarch32_cond_passed(thumb_it(0x18) | Z, 0));
	/* CV wins over the IT bits. */
	assert_true(aarch32_cond_passed(thumb_it(0x04), cv(0xe)));
}

static void test_it_advance(void **state)
{
	(void)state;
	/* ARM state and Thumb outside an IT block: nothing to advance. */
	assert_int_equal(aarch32_it_advance(USR | Z), USR | Z);
	assert_int_equal(aarch32_it_advance(USR | PSR_AA32_T), USR | PSR_AA32_T);
	/* ITE EQ (firstcond 0b0000, mask 0b1100): IT<4:0> shifts left, IT<7:5> stays, so the
	 * second instruction runs on NE. */
	assert_int_equal(aarch32_it_advance(thumb_it(0x0c)), thumb_it(0x18));
	/* The last instruction of a block (IT<2:0> == 0) ends it. */
	assert_int_equal(aarch32_it_advance(thumb_it(0x18)), thumb_it(0x00));
	assert_int_equal(aarch32_it_advance(thumb_it(0xa8) | N), thumb_it(0x00) | N);
	/* ITEEE GT (mask 0b1111): GT, then LE three times. */
	assert_int_equal(aarch32_it_advance(thumb_it(0xcf)), thumb_it(0xde));
	assert_int_equal(aarch32_it_advance(thumb_it(0xde)), thumb_it(0xdc));
	assert_int_equal(aarch32_it_advance(thumb_it(0xdc)), thumb_it(0xd8));
	assert_int_equal(aarch32_it_advance(thumb_it(0xd8)), thumb_it(0x00));
	/* Flags and mode bits survive. */
	assert_int_equal(aarch32_it_advance(thumb_it(0x0c) | C | V), thumb_it(0x18) | C | V);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_condition),
	    cmocka_unit_test(test_cond_from_it_block_without_cv),
	    cmocka_unit_test(test_it_advance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
