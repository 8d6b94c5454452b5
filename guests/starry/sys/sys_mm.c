/* Memory syscalls: brk, anonymous private mmap, mremap, munmap, mprotect, madvise. */
#include "syscalls.h"
#include "../mm/mm.h"
#include "../proc/task.h"

#define MAP_SHARED 0x01
#define MAP_PRIVATE 0x02
#define MAP_FIXED 0x10
#define MAP_ANONYMOUS 0x20
#define MAP_NORESERVE 0x4000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_FAILED_ERR(e) (-(long)(e))
#define HEAP_MAX (256ULL << 20)

SYSCALL(brk)
{
	struct mm *mm = current->mm;
	uint64_t want = a->arg[0], old_end = ALIGN_UP(mm->brk, PAGE_SIZE), new_end;
	struct vma *heap;

	if (want < mm->brk_start || want > mm->brk_start + HEAP_MAX)
		return (long)mm->brk;
	new_end = ALIGN_UP(want, PAGE_SIZE);
	heap = vma_find(&mm->vmas, mm->brk_start);
	if (new_end > old_end) {
		if (!mm_user_range_ok(mm->brk_start, new_end))
			return (long)mm->brk;
		if (heap ? vma_resize(&mm->vmas, heap, new_end)
			 : mm_map_anon(mm, mm->brk_start, new_end - mm->brk_start,
				       PROT_READ | PROT_WRITE, VMA_HEAP | VMA_ANON))
			return (long)mm->brk;
	} else if (new_end < old_end && heap) {
		if (mm_unmap(mm, new_end, old_end - new_end))
			return (long)mm->brk;
	}
	mm->brk = want;
	return (long)want;
}

SYSCALL(mmap)
{
	struct mm *mm = current->mm;
	uint64_t addr = a->arg[0], len = ALIGN_UP(a->arg[1], PAGE_SIZE);
	uint32_t prot = (uint32_t)a->arg[2], flags = (uint32_t)a->arg[3];
	bool fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	int ret;

	if (!a->arg[1] || len < a->arg[1] || (fixed && (addr & (PAGE_SIZE - 1))) ||
	    (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	/* Only anonymous private memory: there is no page cache to map files from. */
	if (!(flags & MAP_ANONYMOUS) || (flags & MAP_SHARED) || !(flags & MAP_PRIVATE))
		return -ENODEV;
	if (fixed) {
		if (!mm_user_range_ok(addr, addr + len))
			return -ENOMEM;
		if (flags & MAP_FIXED_NOREPLACE) {
			if (vma_find_free(&mm->vmas, len, addr, addr + len) != addr)
				return -EEXIST;
		} else if (mm_unmap(mm, addr, len)) {
			return -ENOMEM;
		}
	} else {
		/* A hint, rounded up to a page, is taken where it is free, as Linux does; elsewhere
		 * the mapping goes where it would without one. */
		uint64_t hint = ALIGN_UP(addr, PAGE_SIZE);

		if (hint && hint + len > hint && mm_user_range_ok(hint, hint + len) &&
		    vma_find_free(&mm->vmas, len, hint, hint + len) == hint)
			addr = hint;
		else
			addr = vma_find_free(&mm->vmas, len, USER_MMAP_BASE, USER_MMAP_TOP);
		if (!addr)
			return -ENOMEM;
	}
	ret = mm_map_anon(mm, addr, len, prot, VMA_ANON);
	return ret ? MAP_FAILED_ERR(-ret == EEXIST ? ENOMEM : -ret) : (long)addr;
}

#define MREMAP_MAYMOVE 1

/* mremap(old, old_size, new_size, flags): MREMAP_FIXED and MREMAP_DONTUNMAP are refused. */
SYSCALL(mremap)
{
	uint64_t old = a->arg[0], old_len = ALIGN_UP(a->arg[1], PAGE_SIZE);
	uint64_t new_len = ALIGN_UP(a->arg[2], PAGE_SIZE), out = 0;
	int ret;

	if ((old & (PAGE_SIZE - 1)) || (a->arg[3] & ~(uint64_t)MREMAP_MAYMOVE) || !new_len ||
	    new_len < a->arg[2] || old_len < a->arg[1] || !old_len)
		return -EINVAL;
	ret = mm_remap(current->mm, old, old_len, new_len, a->arg[3] & MREMAP_MAYMOVE, &out);
	return ret ? ret : (long)out;
}

SYSCALL(munmap)
{
	uint64_t addr = a->arg[0], len = ALIGN_UP(a->arg[1], PAGE_SIZE);

	if ((addr & (PAGE_SIZE - 1)) || !len || addr + len < addr || addr + len > USER_TOP)
		return -EINVAL;
	return mm_unmap(current->mm, addr, len);
}

SYSCALL(mprotect)
{
	uint64_t addr = a->arg[0], len = ALIGN_UP(a->arg[1], PAGE_SIZE);
	uint32_t prot = (uint32_t)a->arg[2];

	if ((addr & (PAGE_SIZE - 1)) || addr + len < addr ||
	    (prot & ~(uint32_t)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (!len)
		return 0;
	return mm_protect(current->mm, addr, len, prot);
}

#define MADV_DONTNEED 4
#define MADV_FREE 8

/* Advice is accepted and ignored, except MADV_DONTNEED (and MADV_FREE, which may act as it),
 * whose zeroing programs rely on. */
SYSCALL(madvise)
{
	uint64_t addr = a->arg[0], len = (a->arg[1] + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);

	if ((addr & (PAGE_SIZE - 1)) || addr + len < addr || len < a->arg[1])
		return -EINVAL;
	if (!len)
		return 0;
	if (a->arg[2] == MADV_DONTNEED || a->arg[2] == MADV_FREE)
		return mm_discard(current->mm, addr, len);
	return 0;
}
