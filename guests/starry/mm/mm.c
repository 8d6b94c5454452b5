/* Process address spaces: creation, fork with copy-on-write, faults, mapping changes. */
#include <string.h>
#include "mm.h"
#include "pgtable.h"
#include "pmm.h"
#include "../fs/vfs.h"
#include "../proc/task.h"

#define MAX_ASIDS 256

uint64_t *mm_kernel_pgd(void);

static uint64_t asid_used[MAX_ASIDS / 64] = {1}; /* ASID 0 is the kernel's */

static int asid_alloc(void)
{
	for (unsigned i = 1; i < MAX_ASIDS; i++)
		if (!(asid_used[i / 64] & (1ULL << (i % 64)))) {
			asid_used[i / 64] |= 1ULL << (i % 64);
			return (int)i;
		}
	return -1;
}

struct vma *vma_alloc_node(void)
{
	return kmalloc(sizeof(struct vma));
}

void vma_free_node(struct vma *node)
{
	kfree(node);
}

struct mm *mm_create(void)
{
	uint64_t *kpgd = mm_kernel_pgd();
	struct mm *mm = kmalloc(sizeof(*mm));
	uint64_t pgd_page, l2_page;
	int asid = asid_alloc();

	if (!mm || asid < 0)
		goto fail;
	memset(mm, 0, sizeof(*mm));
	mm->users = 1;
	pgd_page = pmm_alloc_page();
	l2_page = pgd_page ? pmm_alloc_page() : 0;
	if (!l2_page) {
		if (pgd_page)
			pmm_put_page(pgd_page);
		goto fail;
	}
	mm->pgd = (uint64_t *)(uintptr_t)pgd_page;
	mm->asid = (uint16_t)asid;
	/* The kernel's gibibytes point to its shared tables; the first gibibyte holds user pages
	 * next to the device blocks, so it gets its own copy of the device level. */
	memcpy(mm->pgd, kpgd, PAGE_SIZE);
	memcpy((void *)(uintptr_t)l2_page, (void *)(uintptr_t)(kpgd[0] & ~0xfffULL), PAGE_SIZE);
	mm->pgd[0] = l2_page | 0x3;
	return mm;
fail:
	if (asid >= 0)
		asid_used[asid / 64] &= ~(1ULL << (asid % 64));
	kfree(mm);
	return NULL;
}

static void drop_leaf(uint64_t va, uint64_t *ptep, void *arg)
{
	struct mm *mm = arg;
	struct pte_info info;

	pte_decode(*ptep, &info);
	pte_set(ptep, 0, va, mm->asid);
	pmm_put_page(info.pa);
	mm->rss_pages--;
}

static void unmap_range(uint64_t s, uint64_t e, void *arg)
{
	struct mm *mm = arg;

	pgtable_for_each(mm->pgd, s, e, drop_leaf, mm);
}

void mm_destroy(struct mm *mm)
{
	if (!mm)
		return;
	/* Every leaf, not just those inside regions: a failed exec may have mapped pages before
	 * their region existed. */
	pgtable_for_each(mm->pgd, PAGE_SIZE, USER_TOP, drop_leaf, mm);
	vma_destroy(&mm->vmas);
	pgtable_free_user(mm->pgd);
	tlb_flush_asid(mm->asid);
	asid_used[mm->asid / 64] &= ~(1ULL << (mm->asid % 64));
	kfree(mm);
	pmm_report_free(); /* an exit or exec frees many pages at once */
}

static void rss_inc(struct mm *mm)
{
	if (++mm->rss_pages > mm->peak_rss_pages)
		mm->peak_rss_pages = mm->rss_pages;
}

struct mm *mm_get(struct mm *mm)
{
	mm->users++;
	return mm;
}

void mm_put(struct mm *mm)
{
	if (mm && --mm->users == 0)
		mm_destroy(mm);
}

struct fork_ctx {
	struct mm *src, *dst;
	int err;
};

/* Shares one page with the child: writable private pages become read-only in both, and the
 * first write to either copies it (mm_resolve). */
static void fork_leaf(uint64_t va, uint64_t *ptep, void *arg)
{
	struct fork_ctx *f = arg;
	struct pte_info info;
	uint64_t *child;
	uint32_t prot;

	if (f->err)
		return;
	pte_decode(*ptep, &info);
	child = pgtable_leaf(f->dst->pgd, va, true);
	if (!child) {
		f->err = -ENOMEM;
		return;
	}
	prot = info.prot & ~(uint32_t)PROT_WRITE;
	if (info.prot & PROT_WRITE)
		pte_set(ptep, pte_make(info.pa, prot), va, f->src->asid);
	pmm_get_page(info.pa);
	*child = pte_make(info.pa, prot);
	rss_inc(f->dst);
}

struct mm *mm_fork(struct mm *src)
{
	struct mm *dst = mm_create();
	struct fork_ctx f = {.src = src, .dst = dst};

	if (!dst)
		return NULL;
	if (vma_clone(&dst->vmas, &src->vmas) != 0) {
		mm_destroy(dst);
		return NULL;
	}
	dst->brk_start = src->brk_start;
	dst->brk = src->brk;
	for (struct vma *v = src->vmas.head; v && !f.err; v = v->next)
		pgtable_for_each(src->pgd, v->start, v->end, fork_leaf, &f);
	__asm__ volatile("dsb ishst" ::: "memory");
	if (f.err) {
		mm_destroy(dst);
		return NULL;
	}
	return dst;
}

void mm_activate(struct mm *mm)
{
	uint64_t ttbr = mm ? ((uint64_t)mm->asid << 48) | (uint64_t)(uintptr_t)mm->pgd
			   : (uint64_t)(uintptr_t)mm_kernel_pgd();

	__asm__ volatile("msr ttbr0_el1, %0; isb" ::"r"(ttbr) : "memory");
}

static bool access_allowed(uint32_t prot, unsigned access)
{
	if ((access & ACCESS_WRITE) && !(prot & PROT_WRITE))
		return false;
	if ((access & ACCESS_EXEC) && !(prot & PROT_EXEC))
		return false;
	if ((access & ACCESS_READ) && !(prot & (PROT_READ | PROT_WRITE)))
		return false;
	return true;
}

/* *pa is the page's base address. */
int mm_resolve(struct mm *mm, uint64_t va, unsigned access, uint64_t *pa)
{
	struct vma *v = va < USER_TOP ? vma_find(&mm->vmas, va) : NULL;
	struct pte_info info;
	uint64_t *ptep, page;
	uint32_t want;

	if (!v || !access_allowed(v->prot, access))
		return -EFAULT;
	ptep = pgtable_leaf(mm->pgd, va, true);
	if (!ptep)
		return -ENOMEM;
	pte_decode(*ptep, &info);
	va &= ~(PAGE_SIZE - 1);
	if (!info.present) {
		page = pmm_alloc_page();
		if (!page)
			return -ENOMEM;
		if (v->prot & PROT_EXEC)
			mm_sync_icache(page, PAGE_SIZE);
		pte_set(ptep, pte_make(page, v->prot), va, mm->asid);
		rss_inc(mm);
		info.pa = page;
	} else if (access_allowed(info.prot, access)) {
		/* Mapped as needed already (a kernel copy, or a fault another path fixed). */
	} else if ((access & ACCESS_WRITE) && pmm_page_refs(info.pa) > 1) {
		/* Copy-on-write: this process gets its own copy of a page fork shared. */
		page = pmm_alloc_page();
		if (!page)
			return -ENOMEM;
		memcpy((void *)(uintptr_t)page, (const void *)(uintptr_t)info.pa, PAGE_SIZE);
		if (v->prot & PROT_EXEC)
			mm_sync_icache(page, PAGE_SIZE);
		pte_set(ptep, pte_make(page, v->prot), va, mm->asid);
		pmm_put_page(info.pa);
		info.pa = page;
	} else {
		want = v->prot;
		if (pmm_page_refs(info.pa) > 1)
			want &= ~(uint32_t)PROT_WRITE;
		pte_set(ptep, pte_make(info.pa, want), va, mm->asid);
	}
	*pa = info.pa;
	return 0;
}

int mm_copy_out(struct mm *mm, uint64_t uva, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len) {
		size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		uint64_t pa;

		if (chunk > len)
			chunk = len;
		if (mm_resolve(mm, uva, ACCESS_WRITE, &pa) != 0)
			return -EFAULT;
		memcpy((void *)(uintptr_t)(pa + (uva & (PAGE_SIZE - 1))), s, chunk);
		uva += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

int mm_copy_in(struct mm *mm, void *dst, uint64_t uva, size_t len)
{
	uint8_t *d = dst;

	while (len) {
		size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
		uint64_t pa;

		if (chunk > len)
			chunk = len;
		if (mm_resolve(mm, uva, ACCESS_READ, &pa) != 0)
			return -EFAULT;
		memcpy(d, (const void *)(uintptr_t)(pa + (uva & (PAGE_SIZE - 1))), chunk);
		uva += chunk;
		d += chunk;
		len -= chunk;
	}
	return 0;
}

int mm_map_anon(struct mm *mm, uint64_t start, uint64_t len, uint32_t prot, uint32_t flags)
{
	if (!mm_user_range_ok(start, start + len))
		return -ENOMEM;
	return vma_insert(&mm->vmas, start, start + len, prot, flags);
}

int mm_unmap(struct mm *mm, uint64_t start, uint64_t len)
{
	int ret = vma_remove(&mm->vmas, start, start + len, unmap_range, mm);

	pmm_report_free(); /* cheap unless a batch of pages has been freed since the last pass */
	return ret;
}

int mm_discard(struct mm *mm, uint64_t start, uint64_t len)
{
	uint64_t end = start + len, at = start;

	/* Linux: ENOMEM if part of the range is not mapped; checked before anything goes. */
	while (at < end) {
		struct vma *v = vma_find(&mm->vmas, at);

		if (!v || v->start > at)
			return -ENOMEM;
		at = v->end;
	}
	for (at = start; at < end;) {
		struct vma *v = vma_find(&mm->vmas, at);
		uint64_t e = v->end < end ? v->end : end;

		/* Image pages hold the file's data, which cannot be read back: they stay. */
		if (!(v->flags & VMA_IMAGE))
			unmap_range(at, e, mm);
		at = e;
	}
	return 0;
}

struct move_ctx {
	struct mm *mm;
	uint64_t from, to;
	int err;
};

/* Maps the page of one leaf at its place in the new range; the old mapping goes later. */
static void move_leaf(uint64_t va, uint64_t *ptep, void *arg)
{
	struct move_ctx *c = arg;
	struct pte_info info;

	if (c->err)
		return;
	pte_decode(*ptep, &info);
	pmm_get_page(info.pa); /* mm_map_page takes over this reference */
	c->err = mm_map_page(c->mm, va - c->from + c->to, info.pa, info.prot);
	if (c->err)
		pmm_put_page(info.pa);
}

int mm_remap(struct mm *mm, uint64_t old, uint64_t old_len, uint64_t new_len, bool may_move,
	     uint64_t *out)
{
	struct vma *v = vma_find(&mm->vmas, old);
	struct move_ctx c = {.mm = mm, .from = old};
	uint32_t prot, flags;
	int ret;

	if (!v || v->end < old + old_len)
		return -EFAULT; /* Linux: the old range must be one mapping */
	/* The heap and the stack keep their places: brk and the stack's growth rely on them. */
	if (v->flags & (VMA_STACK | VMA_HEAP))
		return -EINVAL;
	prot = v->prot;
	flags = v->flags;
	*out = old;
	if (new_len <= old_len)
		return new_len < old_len ? mm_unmap(mm, old + new_len, old_len - new_len) : 0;
	if (old + new_len > old && mm_user_range_ok(old + old_len, old + new_len)) {
		ret = vma_insert(&mm->vmas, old + old_len, old + new_len, prot, flags);
		if (ret != -EEXIST)
			return ret; /* grown in place, or out of memory */
	}
	if (!may_move)
		return -ENOMEM;
	c.to = vma_find_free(&mm->vmas, new_len, USER_MMAP_BASE, USER_MMAP_TOP);
	if (!c.to)
		return -ENOMEM;
	ret = vma_insert(&mm->vmas, c.to, c.to + new_len, prot, flags);
	if (ret)
		return ret;
	/* The pages move (no copy): each is mapped at its new address, then the old range goes. */
	pgtable_for_each(mm->pgd, old, old + old_len, move_leaf, &c);
	if (c.err) {
		(void)mm_unmap(mm, c.to, new_len);
		return c.err;
	}
	*out = c.to;
	return mm_unmap(mm, old, old_len);
}

struct protect_ctx {
	struct mm *mm;
	uint32_t prot;
};

static void protect_leaf(uint64_t va, uint64_t *ptep, void *arg)
{
	struct protect_ctx *p = arg;
	struct pte_info info;
	uint32_t prot = p->prot;

	pte_decode(*ptep, &info);
	/* Writes to a shared page still go through copy-on-write. */
	if (pmm_page_refs(info.pa) > 1)
		prot &= ~(uint32_t)PROT_WRITE;
	if ((prot & PROT_EXEC) && !(info.prot & PROT_EXEC))
		mm_sync_icache(info.pa, PAGE_SIZE);
	pte_set(ptep, pte_make(info.pa, prot), va, p->mm->asid);
}

static void protect_range(uint64_t s, uint64_t e, uint32_t prot, void *arg)
{
	struct protect_ctx p = {.mm = arg, .prot = prot};

	pgtable_for_each(p.mm->pgd, s, e, protect_leaf, &p);
}

int mm_protect(struct mm *mm, uint64_t start, uint64_t len, uint32_t prot)
{
	return vma_protect(&mm->vmas, start, start + len, prot, protect_range, mm);
}

int mm_map_page(struct mm *mm, uint64_t va, uint64_t pa, uint32_t prot)
{
	uint64_t *ptep = pgtable_leaf(mm->pgd, va, true);
	struct pte_info old;

	if (!ptep)
		return -ENOMEM;
	pte_decode(*ptep, &old);
	if (old.present)
		pmm_put_page(old.pa);
	else
		rss_inc(mm);
	if (prot & PROT_EXEC)
		mm_sync_icache(pa, PAGE_SIZE);
	pte_set(ptep, pte_make(pa, prot), va, mm->asid);
	return 0;
}

/* For /proc/<pid>/stat and status: the regions' size and the pages mapped. */
void task_mem_usage(const struct task *t, uint64_t *vsize, uint64_t *rss_pages)
{
	*vsize = 0;
	*rss_pages = 0;
	if (!t->mm)
		return;
	for (const struct vma *v = t->mm->vmas.head; v; v = v->next)
		*vsize += v->end - v->start;
	*rss_pages = t->mm->rss_pages;
}

size_t task_cmdline(const struct task *t, char *buf, size_t size)
{
	size_t len = t->arg_end - t->arg_start;

	if (!t->mm || t->arg_end <= t->arg_start)
		return 0;
	if (len > size)
		len = size;
	return mm_copy_in(t->mm, buf, t->arg_start, len) == 0 ? len : 0;
}

void mm_sync_icache(uint64_t pa, size_t len)
{
	for (uint64_t a = pa & ~63ULL; a < pa + len; a += 64)
		__asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb ish; ic ialluis; dsb ish; isb" ::: "memory");
}
