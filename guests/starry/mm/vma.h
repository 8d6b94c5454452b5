/* A process's address-space regions: a sorted list of disjoint page-aligned VMAs (pure C). */
#ifndef STARRY_MM_VMA_H
#define STARRY_MM_VMA_H

#include <stdint.h>

#define VMA_ANON 1u  /* zero-filled on first touch */
#define VMA_STACK 2u /* the main stack (grows down: lazily faulted within its reserved range) */
#define VMA_HEAP 4u  /* brk */
#define VMA_IMAGE 8u /* loaded from the executable (already populated) */

struct vma {
	uint64_t start, end; /* [start, end), page-aligned, start < end */
	uint32_t prot;	     /* PROT_* */
	uint32_t flags;	     /* VMA_* */
	struct vma *next;    /* the next region up */
};

/* Sorted by start, non-overlapping. Empty: {NULL}. */
struct vma_list {
	struct vma *head;
};
#define VMA_LIST_INIT                                                                              \
	{                                                                                          \
		NULL                                                                               \
	}

/* Node memory, provided by the user of this module (the kernel: kmalloc; unit tests: malloc).
 * vma_alloc_node returns uninitialised room for one struct vma, or NULL. */
struct vma *vma_alloc_node(void);
void vma_free_node(struct vma *v);

/* Adjacent regions with equal prot and flags are merged, except VMA_STACK and VMA_HEAP regions,
 * which are never merged (nor freed by anything but vma_remove/vma_destroy) so the kernel may
 * keep pointers to them. Any other struct vma pointer is valid only until the next call that
 * changes the list. */

/* 0, -EINVAL (unaligned or empty), -EEXIST (overlaps a region) or -ENOMEM. */
int vma_insert(struct vma_list *l, uint64_t start, uint64_t end, uint32_t prot, uint32_t flags);
/* The region containing addr, or NULL. */
struct vma *vma_find(struct vma_list *l, uint64_t addr);
/* Removes [start,end) wherever mapped, splitting regions, and calls unmap(s, e, arg) (if not
 * NULL) for each removed piece so the caller frees its pages. 0, -EINVAL (unaligned or empty),
 * or -ENOMEM (a split needs a node; nothing was changed). Removing unmapped space is fine. */
int vma_remove(struct vma_list *l, uint64_t start, uint64_t end,
	       void (*unmap)(uint64_t s, uint64_t e, void *arg), void *arg);
/* Sets prot over [start,end), splitting regions, and calls changed(s, e, prot, arg) (if not NULL)
 * for each piece whose prot actually changed. 0, -EINVAL (unaligned or empty), or -ENOMEM when
 * part of the range is unmapped (Linux mprotect) or a split needs a node: then nothing changed. */
int vma_protect(struct vma_list *l, uint64_t start, uint64_t end, uint32_t prot,
		void (*changed)(uint64_t s, uint64_t e, uint32_t prot, void *arg), void *arg);
/* The start of the highest free gap of len bytes (rounded up to pages) inside [lo, hi), or 0. */
uint64_t vma_find_free(const struct vma_list *l, uint64_t len, uint64_t lo, uint64_t hi);
/* Moves v's end to new_end (brk). 0, -EINVAL (unaligned, new_end <= v->start, v not in l) or
 * -ENOMEM if it would overlap the next region. Shrinking does not free pages: the caller unmaps
 * [new_end, old end) itself. */
int vma_resize(struct vma_list *l, struct vma *v, uint64_t new_end);
/* Copies src into dst (fork); dst must be empty. -ENOMEM leaves dst empty. */
int vma_clone(struct vma_list *dst, const struct vma_list *src);
/* Frees every region; the list is empty afterwards. */
void vma_destroy(struct vma_list *l);

#endif /* STARRY_MM_VMA_H */
