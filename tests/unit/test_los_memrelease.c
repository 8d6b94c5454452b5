/* Unit tests for free page reporting from LiteOS pools: which pages a free reports, and that
 * the pool survives the hypervisor taking them (they come back as garbage here, not zeroes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "los_memory.h"
#include "los_memory_pri.h"

#define PAGE 4096U
#define POOL_SIZE (512U * 1024U)
#define MAX_CALLS 64

static uint8_t g_mem[POOL_SIZE] __attribute__((aligned(4096)));
static uint8_t g_span[3U << 20] __attribute__((aligned(4096)));
static struct {
	UINTPTR addr;
	UINT32 pages;
} g_calls[MAX_CALLS];
static unsigned g_ncalls;
static BOOL g_answer;

/* The "hypervisor": records the call and scribbles on the pages, which a correct pool never
 * reads again before writing them. */
static BOOL fake_release(UINTPTR addr, UINT32 pages)
{
	assert_true(g_ncalls < MAX_CALLS);
	g_calls[g_ncalls].addr = addr;
	g_calls[g_ncalls].pages = pages;
	g_ncalls++;
	memset((void *)addr, 0xd5, (size_t)pages * PAGE);
	return g_answer;
}

static UINT32 pages_reported(void)
{
	UINT32 n = 0;

	for (unsigned i = 0; i < g_ncalls; i++)
		n += g_calls[i].pages;
	return n;
}

static int setup(void **state)
{
	VOID *p;

	(void)state;
	while ((p = OsMemMulPoolHeadGet()) != NULL)
		assert_int_equal(LOS_MemDeInit(p), LOS_OK);
	memset(g_mem, 0, sizeof(g_mem));
	assert_int_equal(LOS_MemInit(g_mem, POOL_SIZE), LOS_OK);
	g_ncalls = 0;
	g_answer = TRUE;
	LOS_MemSetReleaseHook(fake_release);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	LOS_MemSetReleaseHook(NULL);
	return 0;
}

/* A block of the pool written all over, as a program would. */
static uint8_t *alloc_filled(UINT32 size, uint8_t seed)
{
	uint8_t *p = LOS_MemAlloc(g_mem, size);

	assert_non_null(p);
	memset(p, seed, size);
	return p;
}

/* Every reported page is page-aligned, inside the pool and clear of every block header. */
static void check_calls_clear_of_headers(void)
{
	for (unsigned i = 0; i < g_ncalls; i++) {
		assert_int_equal(g_calls[i].addr % PAGE, 0);
		assert_true(g_calls[i].pages >= LOS_MEM_RELEASE_MIN_PAGES);
		assert_true(g_calls[i].pages <= LOS_MEM_RELEASE_MAX_PAGES);
		assert_true(g_calls[i].addr >= (UINTPTR)g_mem);
		assert_true(g_calls[i].addr + g_calls[i].pages * PAGE <=
			    (UINTPTR)g_mem + POOL_SIZE);
	}
}

static void test_small_frees_report_nothing(void **state)
{
	void *a, *b;

	(void)state;
	a = LOS_MemAlloc(g_mem, 100);
	b = LOS_MemAlloc(g_mem, 3000);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(LOS_MemFree(g_mem, a), LOS_OK);
	assert_int_equal(LOS_MemFree(g_mem, b), LOS_OK);
	/* b merged with the pool's big free tail: only pages that b covered may go, and b's 3000
	 * bytes cannot hold two whole pages. */
	assert_true(pages_reported() <= 1);
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
}

static void test_large_block_reports_its_whole_pages(void **state)
{
	uint8_t *guard, *big, *after;

	(void)state;
	guard = alloc_filled(64, 0);
	big = alloc_filled(64 * 1024, 0x11);
	after = alloc_filled(64, 0); /* keeps big from merging with the free tail */
	assert_int_equal(LOS_MemFree(g_mem, big), LOS_OK);
	check_calls_clear_of_headers();
	/* 64 KiB holds at least 15 whole pages past the header and links. */
	assert_int_equal(g_ncalls, 1);
	assert_true(pages_reported() >= 15 && pages_reported() <= 16);
	assert_true(g_calls[0].addr >= (UINTPTR)big + sizeof(OsMemFreeLinks));
	assert_true(g_calls[0].addr + g_calls[0].pages * PAGE <=
		    (UINTPTR)after - OS_MEM_NODE_HEAD_SIZE);
	/* The neighbours' headers survived the scribbling: the pool is whole and usable. */
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
	big = alloc_filled(64 * 1024, 0x22);
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
	assert_int_equal(LOS_MemFree(g_mem, guard), LOS_OK);
	assert_int_equal(LOS_MemFree(g_mem, big), LOS_OK);
	assert_int_equal(LOS_MemFree(g_mem, after), LOS_OK);
	check_calls_clear_of_headers();
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
}

static void test_merging_neighbours_reports_the_joined_pages(void **state)
{
	uint8_t *a, *b, *c;
	UINT32 before;

	(void)state;
	a = alloc_filled(6000, 1);
	b = alloc_filled(6000, 2);
	c = alloc_filled(6000, 3);
	(void)alloc_filled(64, 4); /* keeps c from merging with the free tail */
	assert_int_equal(LOS_MemFree(g_mem, a), LOS_OK);
	assert_int_equal(LOS_MemFree(g_mem, c), LOS_OK);
	before = pages_reported();
	/* b joins a and c into one 18 KiB free block: the pages around its old headers go now. */
	assert_int_equal(LOS_MemFree(g_mem, b), LOS_OK);
	check_calls_clear_of_headers();
	assert_true(pages_reported() > before);
	/* All of a..c's whole interior pages have been reported by now. */
	assert_true(pages_reported() >= (3 * 6000 - 2 * PAGE) / PAGE);
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
	a = alloc_filled(3 * 6000, 0x33);
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
}

static void test_hook_saying_no_is_not_called_again(void **state)
{
	uint8_t *a, *b;

	(void)state;
	g_answer = FALSE;
	(void)alloc_filled(64, 0);
	a = alloc_filled(32 * 1024, 5);
	b = alloc_filled(32 * 1024, 6);
	assert_int_equal(LOS_MemFree(g_mem, a), LOS_OK);
	assert_int_equal(g_ncalls, 1);
	assert_int_equal(LOS_MemFree(g_mem, b), LOS_OK);
	assert_int_equal(g_ncalls, 1);
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
}

static void test_huge_free_is_split_into_batches(void **state)
{
	uint8_t *big;

	(void)state;
	big = alloc_filled(400 * 1024, 0x44);
	(void)alloc_filled(64, 0);
	/* Fewer pages than one batch: one call; a pool this small cannot exceed 512 pages. */
	assert_int_equal(LOS_MemFree(g_mem, big), LOS_OK);
	check_calls_clear_of_headers();
	assert_int_equal(g_ncalls, 1);
	assert_true(pages_reported() >= 98);
	/* Directly: 3 MiB of whole pages go in calls of at most 512 pages, in order. */
	g_ncalls = 0;
	OsMemReleasePages((UINTPTR)g_span, (UINTPTR)g_span + sizeof(g_span));
	assert_int_equal(g_ncalls, 2);
	assert_int_equal(g_calls[0].addr, (UINTPTR)g_span);
	assert_int_equal(g_calls[0].pages, 512);
	assert_int_equal(g_calls[1].addr, (UINTPTR)g_span + 512 * PAGE);
	assert_int_equal(g_calls[1].pages, 256);
	/* Partial pages at both ends are left out; one whole page is below the minimum. */
	g_ncalls = 0;
	OsMemReleasePages((UINTPTR)g_span + 1, (UINTPTR)g_span + 3 * PAGE + 5);
	assert_int_equal(g_ncalls, 1);
	assert_int_equal(g_calls[0].addr, (UINTPTR)g_span + PAGE);
	assert_int_equal(g_calls[0].pages, 2);
	g_ncalls = 0;
	OsMemReleasePages((UINTPTR)g_span + 1, (UINTPTR)g_span + 2 * PAGE + 5);
	OsMemReleasePages((UINTPTR)g_span + PAGE, (UINTPTR)g_span);
	assert_int_equal(g_ncalls, 0);
	assert_int_equal(LOS_MemIntegrityCheck(g_mem), LOS_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_small_frees_report_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_large_block_reports_its_whole_pages, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_merging_neighbours_reports_the_joined_pages, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_hook_saying_no_is_not_called_again, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_huge_free_is_split_into_batches, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
