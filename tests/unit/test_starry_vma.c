/* Unit tests for Starry's VMA lists (guests/starry/mm/vma.c); ASan reports leaked nodes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mm/vma.h"

#define ENOMEM 12
#define EEXIST 17
#define EINVAL 22
#define PG 4096ULL
#define R 1u
#define W 2u
#define X 4u

/* The node allocator hooks: malloc, with a live count and an injectable failure. */
static int live_nodes;
static int fail_after = -1; /* allocations left before one fails; -1 never */

struct vma *vma_alloc_node(void)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	live_nodes++;
	return malloc(sizeof(struct vma));
}

void vma_free_node(struct vma *v)
{
	live_nodes--;
	free(v);
}

/* What the callbacks saw. */
struct call {
	uint64_t s, e;
	uint32_t prot;
};
static struct call calls[16];
static unsigned ncalls;

static void on_unmap(uint64_t s, uint64_t e, void *arg)
{
	assert_ptr_equal(arg, &ncalls);
	assert_true(ncalls < 16);
	calls[ncalls++] = (struct call){s, e, 0};
}

static void on_changed(uint64_t s, uint64_t e, uint32_t prot, void *arg)
{
	assert_ptr_equal(arg, &ncalls);
	assert_true(ncalls < 16);
	calls[ncalls++] = (struct call){s, e, prot};
}

/* Checks the list against an expected table of {start, end, prot} and the invariants. */
static void expect_list(const struct vma_list *l, const struct call *want, unsigned n)
{
	unsigned i = 0;

	for (const struct vma *v = l->head; v; v = v->next, i++) {
		assert_true(i < n);
		assert_int_equal(v->start, want[i].s);
		assert_int_equal(v->end, want[i].e);
		assert_int_equal(v->prot, want[i].prot);
		assert_true(v->start < v->end);
		if (v->next)
			assert_true(v->end <= v->next->start);
	}
	assert_int_equal(i, n);
}

static int setup(void **state)
{
	(void)state;
	live_nodes = 0;
	fail_after = -1;
	ncalls = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(live_nodes, 0);
	return 0;
}

static void test_insert_find(void **state)
{
	struct vma_list l = VMA_LIST_INIT;

	(void)state;
	assert_int_equal(vma_insert(&l, 0x10 * PG, 0x20 * PG, R | X, VMA_IMAGE), 0);
	assert_int_equal(vma_insert(&l, 0x40 * PG, 0x50 * PG, R | W, VMA_ANON), 0);
	assert_int_equal(vma_insert(&l, 0x30 * PG, 0x38 * PG, R, VMA_ANON), 0); /* in between */
	assert_int_equal(vma_insert(&l, 0x1 * PG, 0x2 * PG, R, VMA_ANON), 0);	/* new head */
	const struct call want[] = {{PG, 2 * PG, R},
				    {0x10 * PG, 0x20 * PG, R | X},
				    {0x30 * PG, 0x38 * PG, R},
				    {0x40 * PG, 0x50 * PG, R | W}};
	expect_list(&l, want, 4);

	/* Overlaps of every shape, and bad ranges. */
	assert_int_equal(vma_insert(&l, 0x1f * PG, 0x21 * PG, R, VMA_ANON), -EEXIST);
	assert_int_equal(vma_insert(&l, 0xf * PG, 0x11 * PG, R, VMA_ANON), -EEXIST);
	assert_int_equal(vma_insert(&l, 0x12 * PG, 0x13 * PG, R, VMA_ANON), -EEXIST);
	assert_int_equal(vma_insert(&l, 0x8 * PG, 0x60 * PG, R, VMA_ANON), -EEXIST);
	assert_int_equal(vma_insert(&l, 0x60 * PG, 0x60 * PG, R, VMA_ANON), -EINVAL);
	assert_int_equal(vma_insert(&l, 0x61 * PG, 0x60 * PG, R, VMA_ANON), -EINVAL);
	assert_int_equal(vma_insert(&l, 0x60 * PG + 1, 0x61 * PG, R, VMA_ANON), -EINVAL);
	assert_int_equal(vma_insert(&l, 0x60 * PG, 0x61 * PG - 1, R, VMA_ANON), -EINVAL);
	fail_after = 0;
	assert_int_equal(vma_insert(&l, 0x60 * PG, 0x61 * PG, R, VMA_ANON), -ENOMEM);
	fail_after = -1;
	expect_list(&l, want, 4);

	assert_null(vma_find(&l, 0));
	assert_null(vma_find(&l, 0xfff));
	assert_int_equal(vma_find(&l, PG)->start, PG);
	assert_int_equal(vma_find(&l, 0x20 * PG - 1)->start, 0x10 * PG);
	assert_null(vma_find(&l, 0x20 * PG));
	assert_int_equal(vma_find(&l, 0x4f * PG + 123)->prot, R | W);
	assert_null(vma_find(&l, 0x50 * PG));
	assert_null(vma_find(&l, UINT64_MAX));
	vma_destroy(&l);
	assert_null(l.head);
}

static void test_merge_rules(void **state)
{
	struct vma_list l = VMA_LIST_INIT;

	(void)state;
	/* Equal anon neighbours merge from both sides. */
	assert_int_equal(vma_insert(&l, 0x10 * PG, 0x11 * PG, R | W, VMA_ANON), 0);
	assert_int_equal(vma_insert(&l, 0x12 * PG, 0x13 * PG, R | W, VMA_ANON), 0);
	assert_int_equal(vma_insert(&l, 0x11 * PG, 0x12 * PG, R | W, VMA_ANON), 0);
	const struct call one[] = {{0x10 * PG, 0x13 * PG, R | W}};
	expect_list(&l, one, 1);
	assert_int_equal(live_nodes, 1);
	/* Different prot or flags, and heap/stack, stay separate. */
	assert_int_equal(vma_insert(&l, 0x13 * PG, 0x14 * PG, R, VMA_ANON), 0);
	assert_int_equal(vma_insert(&l, 0x14 * PG, 0x15 * PG, R, VMA_IMAGE), 0);
	assert_int_equal(vma_insert(&l, 0x20 * PG, 0x21 * PG, R | W, VMA_HEAP), 0);
	assert_int_equal(vma_insert(&l, 0x21 * PG, 0x22 * PG, R | W, VMA_HEAP), 0);
	assert_int_equal(live_nodes, 5);
	vma_destroy(&l);
}

static void test_remove_splits(void **state)
{
	struct vma_list l = VMA_LIST_INIT;

	(void)state;
	assert_int_equal(vma_insert(&l, 0x10 * PG, 0x20 * PG, R | W, VMA_ANON), 0);
	assert_int_equal(vma_insert(&l, 0x30 * PG, 0x40 * PG, R, VMA_IMAGE), 0);

	/* The middle of a region: two remain. */
	assert_int_equal(vma_remove(&l, 0x14 * PG, 0x16 * PG, on_unmap, &ncalls), 0);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].s, 0x14 * PG);
	assert_int_equal(calls[0].e, 0x16 * PG);
	const struct call a[] = {{0x10 * PG, 0x14 * PG, R | W},
				 {0x16 * PG, 0x20 * PG, R | W},
				 {0x30 * PG, 0x40 * PG, R}};
	expect_list(&l, a, 3);
	assert_int_equal(vma_find(&l, 0x17 * PG)->flags, VMA_ANON);

	/* A span across a tail, a gap, a whole region and a head. */
	ncalls = 0;
	assert_int_equal(vma_insert(&l, 0x22 * PG, 0x24 * PG, R, VMA_ANON), 0);
	assert_int_equal(vma_remove(&l, 0x18 * PG, 0x32 * PG, on_unmap, &ncalls), 0);
	assert_int_equal(ncalls, 3);
	assert_int_equal(calls[0].s, 0x18 * PG);
	assert_int_equal(calls[0].e, 0x20 * PG);
	assert_int_equal(calls[1].s, 0x22 * PG);
	assert_int_equal(calls[1].e, 0x24 * PG);
	assert_int_equal(calls[2].s, 0x30 * PG);
	assert_int_equal(calls[2].e, 0x32 * PG);
	const struct call b[] = {{0x10 * PG, 0x14 * PG, R | W},
				 {0x16 * PG, 0x18 * PG, R | W},
				 {0x32 * PG, 0x40 * PG, R}};
	expect_list(&l, b, 3);

	/* Unmapped space: fine, no callback. NULL callback allowed. */
	ncalls = 0;
	assert_int_equal(vma_remove(&l, 0x50 * PG, 0x60 * PG, on_unmap, &ncalls), 0);
	assert_int_equal(vma_remove(&l, 0x20 * PG, 0x30 * PG, on_unmap, &ncalls), 0);
	assert_int_equal(ncalls, 0);
	assert_int_equal(vma_remove(&l, 0x10 * PG, 0x14 * PG, NULL, NULL), 0);
	assert_int_equal(vma_remove(&l, 0, 0, NULL, NULL), -EINVAL);
	assert_int_equal(vma_remove(&l, 1, PG, NULL, NULL), -EINVAL);

	/* A split with no memory changes nothing; without a split no node is needed. */
	fail_after = 0;
	assert_int_equal(vma_remove(&l, 0x34 * PG, 0x35 * PG, NULL, NULL), -ENOMEM);
	const struct call c[] = {{0x16 * PG, 0x18 * PG, R | W}, {0x32 * PG, 0x40 * PG, R}};
	expect_list(&l, c, 2);
	assert_int_equal(vma_remove(&l, 0x32 * PG, 0x34 * PG, NULL, NULL), 0);
	assert_int_equal(vma_remove(&l, 0x3f * PG, 0x40 * PG, NULL, NULL), 0);
	fail_after = -1;

	/* Everything. */
	assert_int_equal(vma_remove(&l, 0, 0x1000 * PG, NULL, NULL), 0);
	assert_null(l.head);
	assert_int_equal(live_nodes, 0);
}

static void test_protect(void **state)
{
	struct vma_list l = VMA_LIST_INIT;

	(void)state;
	assert_int_equal(vma_insert(&l, 0x10 * PG, 0x20 * PG, R | W, VMA_ANON), 0);

	/* The middle: three pieces, one callback. */
	assert_int_equal(vma_protect(&l, 0x14 * PG, 0x18 * PG, R, on_changed, &ncalls), 0);
	assert_int_equal(ncalls, 1);
	assert_int_equal(calls[0].s, 0x14 * PG);
	assert_int_equal(calls[0].e, 0x18 * PG);
	assert_int_equal(calls[0].prot, R);
	const struct call a[] = {{0x10 * PG, 0x14 * PG, R | W},
				 {0x14 * PG, 0x18 * PG, R},
				 {0x18 * PG, 0x20 * PG, R | W}};
	expect_list(&l, a, 3);

	/* Back again: the pieces merge into one. */
	ncalls = 0;
	assert_int_equal(vma_protect(&l, 0x14 * PG, 0x18 * PG, R | W, on_changed, &ncalls), 0);
	assert_int_equal(ncalls, 1);
	const struct call b[] = {{0x10 * PG, 0x20 * PG, R | W}};
	expect_list(&l, b, 1);
	assert_int_equal(live_nodes, 1);

	/* Across two adjacent regions with different flags: a head and a tail split. */
	assert_int_equal(vma_insert(&l, 0x20 * PG, 0x30 * PG, R | X, VMA_IMAGE), 0);
	ncalls = 0;
	assert_int_equal(vma_protect(&l, 0x1c * PG, 0x24 * PG, R, on_changed, &ncalls), 0);
	assert_int_equal(ncalls, 2);
	assert_int_equal(calls[0].s, 0x1c * PG);
	assert_int_equal(calls[0].e, 0x20 * PG);
	assert_int_equal(calls[1].s, 0x20 * PG);
	assert_int_equal(calls[1].e, 0x24 * PG);
	const struct call c[] = {{0x10 * PG, 0x1c * PG, R | W},
				 {0x1c * PG, 0x20 * PG, R},
				 {0x20 * PG, 0x24 * PG, R},
				 {0x24 * PG, 0x30 * PG, R | X}};
	expect_list(&l, c, 4);

	/* All or nothing: a hole, or a start or end outside, changes nothing. */
	assert_int_equal(vma_insert(&l, 0x40 * PG, 0x50 * PG, R, VMA_ANON), 0);
	ncalls = 0;
	assert_int_equal(vma_protect(&l, 0x10 * PG, 0x48 * PG, 0, on_changed, &ncalls), -ENOMEM);
	assert_int_equal(vma_protect(&l, 0x8 * PG, 0x12 * PG, 0, on_changed, &ncalls), -ENOMEM);
	assert_int_equal(vma_protect(&l, 0x4f * PG, 0x51 * PG, 0, on_changed, &ncalls), -ENOMEM);
	assert_int_equal(vma_protect(&l, 0x60 * PG, 0x61 * PG, 0, on_changed, &ncalls), -ENOMEM);
	assert_int_equal(ncalls, 0);
	const struct call d[] = {{0x10 * PG, 0x1c * PG, R | W},
				 {0x1c * PG, 0x20 * PG, R},
				 {0x20 * PG, 0x24 * PG, R},
				 {0x24 * PG, 0x30 * PG, R | X},
				 {0x40 * PG, 0x50 * PG, R}};
	expect_list(&l, d, 5);

	/* Out of nodes for the second split: nothing changes, the first node is given back. */
	fail_after = 1;
	assert_int_equal(vma_protect(&l, 0x41 * PG, 0x42 * PG, 0, on_changed, &ncalls), -ENOMEM);
	fail_after = -1;
	expect_list(&l, d, 5);
	assert_int_equal(live_nodes, 5);

	/* Unchanged pieces are neither split nor reported; bad ranges are EINVAL. */
	assert_int_equal(vma_protect(&l, 0x44 * PG, 0x45 * PG, R, on_changed, &ncalls), 0);
	assert_int_equal(ncalls, 0);
	expect_list(&l, d, 5);
	assert_int_equal(vma_protect(&l, 0x44 * PG, 0x44 * PG, R, NULL, NULL), -EINVAL);
	assert_int_equal(vma_protect(&l, 0x44 * PG + 8, 0x45 * PG, R, NULL, NULL), -EINVAL);
	vma_destroy(&l);
}

static void test_find_free(void **state)
{
	struct vma_list l = VMA_LIST_INIT;
	const uint64_t lo = 0x100 * PG, hi = 0x200 * PG;

	(void)state;
	assert_int_equal(vma_find_free(&l, PG, lo, hi), hi - PG);
	assert_int_equal(vma_find_free(&l, 1, lo, hi), hi - PG); /* rounded up */
	assert_int_equal(vma_find_free(&l, 0x100 * PG, lo, hi), lo);
	assert_int_equal(vma_find_free(&l, 0x101 * PG, lo, hi), 0);
	assert_int_equal(vma_find_free(&l, 0, lo, hi), 0);
	assert_int_equal(vma_find_free(&l, UINT64_MAX, lo, hi), 0);

	assert_int_equal(vma_insert(&l, 0x1f0 * PG, 0x300 * PG, R, VMA_STACK), 0); /* over hi */
	assert_int_equal(vma_insert(&l, 0x180 * PG, 0x1e0 * PG, R, VMA_ANON), 0);
	assert_int_equal(vma_insert(&l, 0x80 * PG, 0x110 * PG, R, VMA_IMAGE), 0); /* over lo */
	/* Gaps inside [lo,hi): [0x110,0x180) (0x70 pages) and [0x1e0,0x1f0) (0x10 pages). */
	assert_int_equal(vma_find_free(&l, 0x10 * PG, lo, hi), 0x1e0 * PG);
	assert_int_equal(vma_find_free(&l, 0x11 * PG, lo, hi), 0x180 * PG - 0x11 * PG);
	assert_int_equal(vma_find_free(&l, 0x70 * PG, lo, hi), 0x110 * PG);
	assert_int_equal(vma_find_free(&l, 0x71 * PG, lo, hi), 0);
	/* Above the last region up to a high limit. */
	assert_int_equal(vma_find_free(&l, PG, lo, 0x400 * PG), 0x3ff * PG);
	/* Below the first region. */
	assert_int_equal(vma_find_free(&l, 0x10 * PG, 0x10 * PG, 0x80 * PG), 0x70 * PG);
	assert_int_equal(vma_find_free(&l, PG, 0x300 * PG, 0x300 * PG), 0);
	vma_destroy(&l);
}

static void test_resize(void **state)
{
	struct vma_list l = VMA_LIST_INIT;
	struct vma other = {0};

	(void)state;
	assert_int_equal(vma_insert(&l, 0x10 * PG, 0x11 * PG, R | W, VMA_HEAP), 0);
	assert_int_equal(vma_insert(&l, 0x20 * PG, 0x21 * PG, R | W, VMA_ANON), 0);
	struct vma *heap = vma_find(&l, 0x10 * PG);

	assert_int_equal(vma_resize(&l, heap, 0x18 * PG), 0);
	assert_int_equal(heap->end, 0x18 * PG);
	assert_ptr_equal(vma_find(&l, 0x17 * PG), heap);
	assert_int_equal(vma_resize(&l, heap, 0x20 * PG), 0); /* exactly up to the next */
	assert_int_equal(vma_resize(&l, heap, 0x21 * PG), -ENOMEM);
	assert_int_equal(heap->end, 0x20 * PG);
	assert_int_equal(vma_resize(&l, heap, 0x12 * PG), 0); /* shrink */
	assert_null(vma_find(&l, 0x12 * PG));
	assert_int_equal(vma_resize(&l, heap, 0x10 * PG), -EINVAL);
	assert_int_equal(vma_resize(&l, heap, 0x13 * PG + 1), -EINVAL);
	assert_int_equal(vma_resize(&l, &other, 0x13 * PG), -EINVAL);
	/* The last region grows without limit from the list. */
	struct vma *top = vma_find(&l, 0x20 * PG);
	assert_int_equal(vma_resize(&l, top, 0x1000 * PG), 0);
	/* A heap next to an equal anon region is not merged away under the caller. */
	assert_int_equal(vma_insert(&l, 0x12 * PG, 0x13 * PG, R | W, VMA_ANON), 0);
	assert_ptr_equal(vma_find(&l, 0x11 * PG), heap);
	assert_int_equal(heap->end, 0x12 * PG);
	vma_destroy(&l);
}

static void test_clone_destroy(void **state)
{
	struct vma_list src = VMA_LIST_INIT, dst = VMA_LIST_INIT;

	(void)state;
	assert_int_equal(vma_clone(&dst, &src), 0);
	assert_null(dst.head);
	for (uint64_t i = 0; i < 10; i++)
		assert_int_equal(
		    vma_insert(&src, (0x10 + 4 * i) * PG, (0x12 + 4 * i) * PG, R | (uint32_t)i, 0),
		    0);
	assert_int_equal(vma_clone(&dst, &src), 0);
	assert_int_equal(live_nodes, 20);
	const struct vma *a = src.head, *b = dst.head;
	for (; a && b; a = a->next, b = b->next) {
		assert_ptr_not_equal(a, b);
		assert_int_equal(a->start, b->start);
		assert_int_equal(a->end, b->end);
		assert_int_equal(a->prot, b->prot);
		assert_int_equal(a->flags, b->flags);
	}
	assert_null(a);
	assert_null(b);
	/* The copy is independent. */
	assert_int_equal(vma_remove(&dst, 0x10 * PG, 0x11 * PG, NULL, NULL), 0);
	assert_int_equal(src.head->start, 0x10 * PG);
	vma_destroy(&dst);
	assert_int_equal(live_nodes, 10);

	/* Failing part way leaves dst empty and frees what it had made. */
	fail_after = 4;
	assert_int_equal(vma_clone(&dst, &src), -ENOMEM);
	fail_after = -1;
	assert_null(dst.head);
	assert_int_equal(live_nodes, 10);
	vma_destroy(&src);
	vma_destroy(&src); /* idempotent */
}

/* Random operations against a page bitmap model: the list must always agree with it. */
static void test_random_against_model(void **state)
{
	enum { NPAGES = 64 };
	struct vma_list l = VMA_LIST_INIT;
	uint8_t model[NPAGES]; /* 0 unmapped, else prot + 1 */
	unsigned seed = 12345;

	(void)state;
	memset(model, 0, sizeof(model));
	for (int iter = 0; iter < 20000; iter++) {
		seed = seed * 1103515245u + 12345u;
		unsigned op = (seed >> 16) % 3;
		seed = seed * 1103515245u + 12345u;
		unsigned s = (seed >> 16) % NPAGES;
		seed = seed * 1103515245u + 12345u;
		unsigned e = s + 1 + (seed >> 16) % 8;
		uint32_t prot = (seed >> 8) % 3;
		int rc;

		if (e > NPAGES)
			e = NPAGES;
		if (op == 0) {
			int busy = 0;
			for (unsigned p = s; p < e; p++)
				busy |= model[p] != 0;
			rc = vma_insert(&l, s * PG, e * PG, prot, VMA_ANON);
			assert_int_equal(rc, busy ? -EEXIST : 0);
			if (!busy)
				memset(model + s, (int)prot + 1, e - s);
		} else if (op == 1) {
			assert_int_equal(vma_remove(&l, s * PG, e * PG, NULL, NULL), 0);
			memset(model + s, 0, e - s);
		} else {
			int hole = 0;
			for (unsigned p = s; p < e; p++)
				hole |= model[p] == 0;
			rc = vma_protect(&l, s * PG, e * PG, prot, NULL, NULL);
			assert_int_equal(rc, hole ? -ENOMEM : 0);
			if (!hole)
				memset(model + s, (int)prot + 1, e - s);
		}
		for (unsigned p = 0; p < NPAGES; p++) {
			const struct vma *v = vma_find(&l, p * PG + 5);
			assert_int_equal(v ? v->prot + 1 : 0, model[p]);
		}
		unsigned count = 0;
		for (const struct vma *v = l.head; v; v = v->next) {
			count++;
			assert_true(v->start < v->end);
			/* Merging keeps the list minimal: no equal neighbours touch. */
			if (v->next)
				assert_true(v->end < v->next->start || v->prot != v->next->prot);
		}
		assert_int_equal(count, (unsigned)live_nodes);
	}
	vma_destroy(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_insert_find, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_merge_rules, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_remove_splits, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_protect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_find_free, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_resize, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clone_destroy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_random_against_model, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
