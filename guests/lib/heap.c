/* A small first-fit heap for guest kernels and the modules they host (kservices alloc/free). */
#include "guest.h"
#include <string.h>

#define HEAP_ALIGN 16
#define HEAP_MAGIC 0x68656170u

struct block {
	uint32_t magic;
	uint32_t free;
	size_t size; /* bytes after the header */
	struct block *next;
	uint64_t pad;
};

static struct block *first;
static uintptr_t heap_start, heap_end;
static size_t in_use;
static size_t peak;

/* The heap lives in free RAM after the kernel, not in its bss, so that under the lazy memory
 * policy only the pages really allocated get backed. */
void kheap_init(uintptr_t base, size_t size)
{
	first = (struct block *)ALIGN_UP(base, HEAP_ALIGN);
	heap_start = (uintptr_t)first;
	heap_end = base + size;
	first->magic = HEAP_MAGIC;
	first->free = 1;
	first->size = size - (size_t)((uintptr_t)first - base) - sizeof(struct block);
	first->next = NULL;
}

void *kmalloc_aligned(size_t size, size_t align)
{
	if (!first || size == 0 || align > 4096 || (align & (align - 1)))
		return NULL;
	size = ALIGN_UP(size, HEAP_ALIGN);
	for (struct block *b = first; b; b = b->next) {
		uintptr_t data = (uintptr_t)(b + 1);
		size_t step = MAX(align, HEAP_ALIGN);
		size_t lead = ALIGN_UP(data, step) - data;

		/* The gap in front must hold a free block of its own, or be none at all. */
		while (lead && lead < sizeof(struct block) + HEAP_ALIGN)
			lead += step;
		if (!b->free || b->size < size + lead)
			continue;
		if (lead) {
			/* Split off a free block in front so that the payload is aligned. */
			struct block *n = (struct block *)(data + lead - sizeof(struct block));

			n->magic = HEAP_MAGIC;
			n->free = 1;
			n->size = b->size - lead;
			n->next = b->next;
			b->size = lead - sizeof(struct block);
			b->next = n;
			b = n;
		}
		if (b->size >= size + sizeof(struct block) + HEAP_ALIGN) {
			struct block *rest = (struct block *)((uint8_t *)(b + 1) + size);

			rest->magic = HEAP_MAGIC;
			rest->free = 1;
			rest->size = b->size - size - sizeof(struct block);
			rest->next = b->next;
			b->next = rest;
			b->size = size;
		}
		b->free = 0;
		in_use += b->size;
		peak = MAX(peak, in_use);
		return b + 1;
	}
	return NULL;
}

void *kmalloc(size_t size)
{
	return kmalloc_aligned(size, HEAP_ALIGN);
}

void kfree(void *ptr)
{
	struct block *b;

	if (!ptr)
		return;
	/* Only a pointer inside the heap has a header to look at. */
	if ((uintptr_t)ptr < heap_start + sizeof(struct block) || (uintptr_t)ptr >= heap_end ||
	    (uintptr_t)ptr % HEAP_ALIGN) {
		kprintf("kernel: kfree of a pointer outside the heap %p\n", ptr);
		return;
	}
	b = (struct block *)ptr - 1;
	if (b->magic != HEAP_MAGIC || b->free) {
		kprintf("kernel: kfree of a bad pointer %p\n", ptr);
		return;
	}
	b->free = 1;
	in_use -= b->size;
	/* Merge with free neighbours so that the heap does not fragment for good. */
	for (struct block *p = first; p && p->next;) {
		if (p->free && p->next->free &&
		    (uint8_t *)(p + 1) + p->size == (uint8_t *)p->next) {
			p->size += sizeof(struct block) + p->next->size;
			p->next = p->next->next;
		} else {
			p = p->next;
		}
	}
}

size_t kheap_in_use(void)
{
	return in_use;
}

size_t kheap_peak(void)
{
	return peak;
}
