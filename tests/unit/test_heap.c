/* Unit tests for the guests' heap (guests/lib/heap.c): alignment, no overlap, coalescing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "guest.h"

static int bad_frees;

int kprintf(const char *fmt, ...)
{
	(void)fmt;
	bad_frees++;
	return 0;
}

#define ARENA (256 * 1024)
static uint8_t arena[ARENA] __attribute__((aligned(4096)));

static int setup(void **state)
{
	(void)state;
	bad_frees = 0;
	kheap_init((uintptr_t)arena + 8, ARENA - 8); /* deliberately unaligned start */
	return 0;
}

static void test_alignment_and_contents(void **state)
{
	static const size_t aligns[] = {16, 64, 512, 4096};
	void *p[16];

	(void)state;
	for (unsigned i = 0; i < 16; i++) {
		size_t align = aligns[i % 4];

		p[i] = kmalloc_aligned(100 + i * 37, align);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % align, 0);
		memset(p[i], (int)i, 100 + i * 37);
	}
	for (unsigned i = 0; i < 16; i++)
		for (size_t j = 0; j < 100 + i * 37; j++)
			assert_int_equal(((uint8_t *)p[i])[j], (uint8_t)i);
	for (unsigned i = 0; i < 16; i++)
		kfree(p[i]);
	assert_int_equal(kheap_in_use(), 0);
	assert_int_equal(bad_frees, 0);
}

static void test_coalescing_gives_memory_back(void **state)
{
	void *big;

	(void)state;
	for (int round = 0; round < 3; round++) {
		void *p[64];

		for (int i = 0; i < 64; i++) {
			p[i] = kmalloc_aligned(1000, i % 3 ? 16 : 4096);
			assert_non_null(p[i]);
		}
		for (int i = 0; i < 64; i += 2)
			kfree(p[i]);
		for (int i = 1; i < 64; i += 2)
			kfree(p[i]);
	}
	/* After everything was freed, one allocation of almost the whole arena fits again. */
	big = kmalloc(ARENA - 4096);
	assert_non_null(big);
	kfree(big);
}

static void test_bad_input(void **state)
{
	int x;

	(void)state;
	assert_null(kmalloc(0));
	assert_null(kmalloc_aligned(16, 3));
	assert_null(kmalloc(ARENA * 2));
	kfree(NULL);
	kfree(&x); /* not from the heap: reported, ignored */
	assert_int_equal(bad_frees, 1);
	void *p = kmalloc(32);

	kfree(p);
	kfree(p); /* double free: reported, ignored */
	assert_int_equal(bad_frees, 2);
}

/* Random allocations checked against a model: blocks never overlap, contents survive. */
static void test_random_trace(void **state)
{
	struct {
		uint8_t *p;
		size_t size;
		uint8_t tag;
	} live[64] = {{0}};

	(void)state;
	srand(7);
	for (int step = 0; step < 20000; step++) {
		int i = rand() % 64;

		if (live[i].p) {
			for (size_t j = 0; j < live[i].size; j++)
				assert_int_equal(live[i].p[j], live[i].tag);
			kfree(live[i].p);
			live[i].p = NULL;
		} else {
			size_t size = 1 + (size_t)(rand() % 3000);
			size_t align = (size_t)16 << (rand() % 9);

			live[i].p = kmalloc_aligned(size, align);
			if (!live[i].p)
				continue;
			assert_int_equal((uintptr_t)live[i].p % align, 0);
			live[i].size = size;
			live[i].tag = (uint8_t)step;
			memset(live[i].p, live[i].tag, size);
		}
	}
	for (int i = 0; i < 64; i++)
		kfree(live[i].p);
	assert_int_equal(kheap_in_use(), 0);
	assert_int_equal(bad_frees, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_alignment_and_contents, setup),
	    cmocka_unit_test_setup(test_coalescing_gives_memory_back, setup),
	    cmocka_unit_test_setup(test_bad_input, setup),
	    cmocka_unit_test_setup(test_random_trace, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
