/* A process's address-space regions: a sorted list of disjoint page-aligned VMAs (pure C). */
#include <stdbool.h>
#include <stddef.h>

#include "vma.h"

#ifndef ENOMEM
#define ENOMEM 12
#endif
#ifndef EEXIST
#define EEXIST 17
#endif
#ifndef EINVAL
#define EINVAL 22
#endif

#define VMA_PAGE 4096ULL
#define VMA_PINNED (VMA_STACK | VMA_HEAP) /* never merged: the kernel keeps pointers to them */

static bool range_ok(uint64_t start, uint64_t end)
{
	return start < end && start % VMA_PAGE == 0 && end % VMA_PAGE == 0;
}

static bool mergeable(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->prot == b->prot && a->flags == b->flags &&
	       !(a->flags & VMA_PINNED);
}

/* Folds v's mergeable successors into v. */
static void merge_next(struct vma *v)
{
	while (v->next && mergeable(v, v->next)) {
		struct vma *n = v->next;

		v->end = n->end;
		v->next = n->next;
		vma_free_node(n);
	}
}

/* Merges every mergeable neighbour pair in [from, to]: the pieces an operation touched. */
static void merge_range(struct vma_list *l, uint64_t from, uint64_t to)
{
	for (struct vma *v = l->head; v && v->start <= to; v = v->next)
		if (v->end >= from)
			merge_next(v);
}

/* Splits v at addr (v->start < addr < v->end) using the spare node n: v keeps the low part. */
static void split(struct vma *v, struct vma *n, uint64_t addr)
{
	*n = *v;
	n->start = addr;
	v->end = addr;
	v->next = n;
}

int vma_insert(struct vma_list *l, uint64_t start, uint64_t end, uint32_t prot, uint32_t flags)
{
	struct vma **link = &l->head;
	struct vma *n;

	if (!range_ok(start, end))
		return -EINVAL;
	while (*link && (*link)->end <= start)
		link = &(*link)->next;
	if (*link && (*link)->start < end)
		return -EEXIST;
	n = vma_alloc_node();
	if (!n)
		return -ENOMEM;
	*n = (struct vma){.start = start, .end = end, .prot = prot, .flags = flags, .next = *link};
	*link = n;
	merge_range(l, start, end);
	return 0;
}

struct vma *vma_find(struct vma_list *l, uint64_t addr)
{
	for (struct vma *v = l->head; v && v->start <= addr; v = v->next)
		if (addr < v->end)
			return v;
	return NULL;
}

int vma_remove(struct vma_list *l, uint64_t start, uint64_t end,
	       void (*unmap)(uint64_t s, uint64_t e, void *arg), void *arg)
{
	struct vma **link = &l->head;
	struct vma *spare = NULL;

	if (!range_ok(start, end))
		return -EINVAL;
	/* Only a region strictly containing the range needs a new node; get it before changing
	 * anything so failure leaves the list intact. */
	struct vma *c = vma_find(l, start);
	if (c && c->start < start && c->end > end) {
		spare = vma_alloc_node();
		if (!spare)
			return -ENOMEM;
	}

	while (*link && (*link)->start < end) {
		struct vma *v = *link;

		if (v->end <= start) {
			link = &v->next;
			continue;
		}
		uint64_t s = v->start > start ? v->start : start;
		uint64_t e = v->end < end ? v->end : end;

		if (v->start < start && v->end > end) {
			split(v, spare, end);
			spare = NULL;
			v->end = start;
			link = &v->next;
		} else if (v->start < start) {
			v->end = start;
			link = &v->next;
		} else if (v->end > end) {
			v->start = end;
		} else {
			*link = v->next;
			vma_free_node(v);
		}
		if (unmap)
			unmap(s, e, arg);
	}
	return 0;
}

int vma_protect(struct vma_list *l, uint64_t start, uint64_t end, uint32_t prot,
		void (*changed)(uint64_t s, uint64_t e, uint32_t prot, void *arg), void *arg)
{
	struct vma *spare[2] = {NULL, NULL};
	unsigned need = 0;

	if (!range_ok(start, end))
		return -EINVAL;
	/* All or nothing: check coverage and get split nodes before touching a region. */
	struct vma *first = vma_find(l, start);
	if (!first)
		return -ENOMEM;
	uint64_t covered = first->start;
	for (struct vma *v = first; covered < end; v = v->next) {
		if (!v || v->start != covered)
			return -ENOMEM;
		if (v->prot != prot) {
			need += v->start < start;
			need += v->end > end;
		}
		covered = v->end;
	}
	for (unsigned i = 0; i < need; i++) {
		spare[i] = vma_alloc_node();
		if (!spare[i]) {
			if (i)
				vma_free_node(spare[0]);
			return -ENOMEM;
		}
	}

	for (struct vma *v = first; v && v->start < end; v = v->next) {
		if (v->prot == prot)
			continue;
		if (v->start < start) {
			split(v, spare[--need], start);
			continue; /* the high half is next */
		}
		if (v->end > end)
			split(v, spare[--need], end);
		v->prot = prot;
		if (changed)
			changed(v->start, v->end, prot, arg);
	}
	merge_range(l, start, end);
	return 0;
}

uint64_t vma_find_free(const struct vma_list *l, uint64_t len, uint64_t lo, uint64_t hi)
{
	uint64_t best = 0;
	uint64_t gap_start = 0;

	if (len == 0 || len > UINT64_MAX - (VMA_PAGE - 1))
		return 0;
	len = (len + VMA_PAGE - 1) & ~(VMA_PAGE - 1);
	if (lo > UINT64_MAX - (VMA_PAGE - 1))
		return 0;
	lo = (lo + VMA_PAGE - 1) & ~(VMA_PAGE - 1);
	hi &= ~(VMA_PAGE - 1);
	/* The list is ascending, so the last gap that fits is the highest one. */
	for (const struct vma *v = l->head;; v = v->next) {
		uint64_t gap_end = v ? v->start : UINT64_MAX;
		uint64_t s = gap_start > lo ? gap_start : lo;
		uint64_t e = gap_end < hi ? gap_end : hi;

		if (s < e && e - s >= len)
			best = e - len;
		if (!v || v->end >= hi)
			break;
		gap_start = v->end;
	}
	return best;
}

int vma_resize(struct vma_list *l, struct vma *v, uint64_t new_end)
{
	const struct vma *p = l->head;

	while (p && p != v)
		p = p->next;
	if (!p || new_end <= v->start || new_end % VMA_PAGE != 0)
		return -EINVAL;
	if (v->next && new_end > v->next->start)
		return -ENOMEM;
	v->end = new_end;
	return 0;
}

int vma_clone(struct vma_list *dst, const struct vma_list *src)
{
	struct vma **tail = &dst->head;

	dst->head = NULL;
	for (const struct vma *v = src->head; v; v = v->next) {
		struct vma *n = vma_alloc_node();

		if (!n) {
			vma_destroy(dst);
			return -ENOMEM;
		}
		*n = *v;
		n->next = NULL;
		*tail = n;
		tail = &n->next;
	}
	return 0;
}

void vma_destroy(struct vma_list *l)
{
	struct vma *v = l->head;

	while (v) {
		struct vma *n = v->next;

		vma_free_node(v);
		v = n;
	}
	l->head = NULL;
}
