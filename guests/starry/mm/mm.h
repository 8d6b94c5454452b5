/* Address spaces: one per process, its stage-1 tables, its regions, faults and fork copies. */
#ifndef STARRY_MM_MM_H
#define STARRY_MM_MM_H

#include "../kernel.h"
#include "vma.h"

/* The user half of the 39-bit address space, minus what the kernel maps there: its device
 * window [0x0800_0000, 0x0A20_0000), its RAM gibibyte and the module window gibibyte. */
#define USER_TOP 0x8000000000ULL
#define USER_STACK_TOP 0x7ffffe0000ULL
#define USER_STACK_SIZE (8ULL << 20)
#define USER_SIGTRAMP 0x7ffffff000ULL /* one read+exec page: the rt_sigreturn trampoline */
#define USER_MMAP_BASE 0x1000000000ULL
#define USER_MMAP_TOP 0x7f00000000ULL
#define USER_PIE_BASE 0x0555550000ULL

/* What an access wants, for faults and user copies. */
#define ACCESS_READ 1u
#define ACCESS_WRITE 2u
#define ACCESS_EXEC 4u

struct mm {
	uint64_t *pgd; /* level-1 table (39-bit VA, 4 KiB granule) */
	uint16_t asid;
	struct vma_list vmas;
	uint64_t brk_start, brk; /* the heap: [brk_start, brk) */
	uint64_t rss_pages;	 /* pages mapped (shared ones counted in each) */
	uint64_t peak_rss_pages; /* the most rss_pages ever was (getrusage's maxrss) */
	unsigned users;		 /* the threads sharing it (CLONE_VM) */
};

/* The kernel's own tables (boot) and the MMU switched on with them. */
void mm_kernel_init(uint64_t ram_base, uint64_t ram_size, uint64_t modwin_base,
		    uint64_t modwin_size);

struct mm *mm_create(void);	/* kernel mappings only; NULL when out of memory or ASIDs */
void mm_destroy(struct mm *mm); /* frees it whatever its users: for one never shared */
/* A thread sharing mm takes a reference; the last mm_put destroys it. NULL is ignored. */
struct mm *mm_get(struct mm *mm);
void mm_put(struct mm *mm);
/* fork: regions copied; private writable pages shared copy-on-write. NULL when out of memory. */
struct mm *mm_fork(struct mm *src);
void mm_activate(struct mm *mm); /* NULL: the kernel-only tables */

/* True if [start, end) is a user range that avoids the kernel's holes. */
bool mm_user_range_ok(uint64_t start, uint64_t end);

/* Finds (faulting in, breaking copy-on-write for writes) the page behind va for an access.
 * *pa gets the page base (physical = kernel virtual), not the byte.
 * 0, -EFAULT (no such mapping or access), or -ENOMEM (no page left for it). */
int mm_resolve(struct mm *mm, uint64_t va, unsigned access, uint64_t *pa);
/* Copies to/from user addresses of mm (not necessarily the current one). 0 or -EFAULT. */
int mm_copy_out(struct mm *mm, uint64_t uva, const void *src, size_t len);
int mm_copy_in(struct mm *mm, void *dst, uint64_t uva, size_t len);

/* Maps a new zeroed region (mmap, brk, the stack); pages come on first touch. */
int mm_map_anon(struct mm *mm, uint64_t start, uint64_t len, uint32_t prot, uint32_t flags);
int mm_unmap(struct mm *mm, uint64_t start, uint64_t len);
int mm_protect(struct mm *mm, uint64_t start, uint64_t len, uint32_t prot);
/* mremap: shrinks, grows in place, or (may_move) moves [old, old + old_len) to a new range of
 * new_len bytes, its pages going along; *out gets the address. 0 or -errno (-EFAULT: not one
 * region; -ENOMEM: no room; -EINVAL: the heap or the stack). */
int mm_remap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
	     uint64_t *out);
/* madvise(MADV_DONTNEED): the pages of anonymous regions go; the next touch reads zeros. 0 or
 * -ENOMEM (part of the range unmapped). */
int mm_discard(struct mm *mm, uint64_t start, uint64_t len);
/* Maps one given page (exec's image and stack pages, the trampoline); takes a reference. */
int mm_map_page(struct mm *mm, uint64_t va, uint64_t pa, uint32_t prot);
/* Makes written instructions visible to instruction fetch for [pa, pa + len). */
void mm_sync_icache(uint64_t pa, size_t len);

#endif /* STARRY_MM_MM_H */
