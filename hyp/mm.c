/* Sets up the frame pool over the largest RAM range and serialises access to it. */
#include "mm.h"
#include "arch/cache.h"
#include "console.h"
#include "panic.h"
#include "spinlock.h"
#include <modvisor/status.h>
#include <mv_compiler.h>
#include <string.h>

extern char _start_image[], _end[];

static struct frame_pool pool;
static struct spinlock pool_lock = SPINLOCK_INIT;

static bool overlaps(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return a < b + blen && b < a + alen;
}

/* Finds room for the pool's metadata: after the image, clear of the DTB, initrd and reservations.
 */
static uint64_t place_metadata(const struct platform *plat, const struct mem_range *ram,
			       uint64_t bytes)
{
	uint64_t cand = ALIGN_UP((uint64_t)_end, PAGE_SIZE);
	bool moved = true;

	while (moved) {
		moved = false;
		const struct mem_range busy[] = {
		    {plat->dtb_pa, plat->dtb_size},
		    {plat->initrd_start, plat->initrd_end - plat->initrd_start},
		};
		for (unsigned i = 0; i < ARRAY_SIZE(busy); i++) {
			if (busy[i].size && overlaps(cand, bytes, busy[i].base, busy[i].size)) {
				cand = ALIGN_UP(busy[i].base + busy[i].size, PAGE_SIZE);
				moved = true;
			}
		}
		for (unsigned i = 0; i < plat->reserved_count; i++) {
			if (overlaps(cand, bytes, plat->reserved[i].base, plat->reserved[i].size)) {
				cand = ALIGN_UP(plat->reserved[i].base + plat->reserved[i].size,
						PAGE_SIZE);
				moved = true;
			}
		}
	}
	if (cand + bytes > ram->base + ram->size)
		panic("no room for the frame metadata (%lu bytes)", (unsigned long)bytes);
	return cand;
}

int mm_init(const struct platform *plat)
{
	const struct mem_range *ram = &plat->ram[0];

	for (unsigned i = 1; i < plat->ram_count; i++)
		if (plat->ram[i].size > ram->size)
			ram = &plat->ram[i];

	uint64_t nframes = ram->size >> PAGE_SHIFT;
	uint64_t meta_bytes = ALIGN_UP((uint64_t)frame_meta_bytes(nframes), PAGE_SIZE);
	uint64_t meta = place_metadata(plat, ram, meta_bytes);

	memset(phys_to_virt(meta), 0, meta_bytes);
	frame_pool_init(&pool, ram->base, nframes, phys_to_virt(meta));
	frame_reserve(&pool, (uint64_t)_start_image, (uint64_t)_end - (uint64_t)_start_image,
		      FRAME_HYP);
	frame_reserve(&pool, meta, meta_bytes, FRAME_HYP);
	frame_reserve(&pool, ALIGN_DOWN(plat->dtb_pa, PAGE_SIZE),
		      ALIGN_UP(plat->dtb_pa + plat->dtb_size, PAGE_SIZE) -
			  ALIGN_DOWN(plat->dtb_pa, PAGE_SIZE),
		      FRAME_RESERVED);
	if (plat->initrd_end > plat->initrd_start)
		frame_reserve(&pool, ALIGN_DOWN(plat->initrd_start, PAGE_SIZE),
			      ALIGN_UP(plat->initrd_end, PAGE_SIZE) -
				  ALIGN_DOWN(plat->initrd_start, PAGE_SIZE),
			      FRAME_RESERVED);
	for (unsigned i = 0; i < plat->reserved_count; i++)
		frame_reserve(&pool, ALIGN_DOWN(plat->reserved[i].base, PAGE_SIZE),
			      ALIGN_UP(plat->reserved[i].size, PAGE_SIZE), FRAME_RESERVED);
	return MV_OK;
}

static uint64_t (*reclaim_hook)(uint64_t frames);

void mm_set_reclaim(uint64_t (*reclaim)(uint64_t frames))
{
	reclaim_hook = reclaim;
}

int mm_alloc_noreclaim(unsigned long count, unsigned long align, enum frame_owner owner,
		       unsigned owner_id, uint64_t *pa)
{
	int ret;

	spin_lock(&pool_lock);
	ret = frame_alloc(&pool, count, align, owner, (uint8_t)owner_id, pa);
	spin_unlock(&pool_lock);
	if (ret == MV_OK)
		zero_range(phys_to_virt(*pa), count << PAGE_SHIFT);
	return ret;
}

int mm_alloc(unsigned long count, unsigned long align, enum frame_owner owner, unsigned owner_id,
	     uint64_t *pa)
{
	int ret = mm_alloc_noreclaim(count, align, owner, owner_id, pa);
	bool over_quota;

	if (ret != MV_ERR_NO_MEMORY || !reclaim_hook)
		return ret;
	spin_lock(&pool_lock);
	over_quota = frame_over_quota(&pool, owner, (uint8_t)owner_id, count);
	spin_unlock(&pool_lock);
	/* Warm module text is kept only while nobody needs the memory; it cannot lift a quota. */
	if (!over_quota && reclaim_hook(count) > 0)
		ret = mm_alloc_noreclaim(count, align, owner, owner_id, pa);
	return ret;
}

int mm_quota_set(unsigned account, uint64_t limit, uint64_t reserved)
{
	int ret;

	spin_lock(&pool_lock);
	ret = frame_quota_set(&pool, account, (size_t)limit, (size_t)reserved);
	spin_unlock(&pool_lock);
	return ret;
}

struct frame_quota mm_quota_get(unsigned account)
{
	struct frame_quota q;

	spin_lock(&pool_lock);
	q = frame_quota_get(&pool, account);
	spin_unlock(&pool_lock);
	return q;
}

int mm_map_ref(uint64_t pa, unsigned long count, int delta)
{
	int ret = MV_OK;

	spin_lock(&pool_lock);
	for (unsigned long i = 0; i < count && ret == MV_OK; i++) {
		uint64_t frame = pa + (i << PAGE_SHIFT);

		ret = delta > 0 ? frame_map_inc(&pool, frame, NULL)
				: frame_map_dec(&pool, frame, NULL);
	}
	spin_unlock(&pool_lock);
	return ret;
}

int mm_free(uint64_t pa, unsigned long count)
{
	int ret;

	spin_lock(&pool_lock);
	ret = frame_free(&pool, pa, count);
	spin_unlock(&pool_lock);
	return ret;
}

void mm_with_pool(void (*fn)(struct frame_pool *pool, void *arg), void *arg)
{
	spin_lock(&pool_lock);
	fn(&pool, arg);
	spin_unlock(&pool_lock);
}

uint64_t mm_frames_total(void)
{
	return pool.nframes;
}

uint64_t mm_frames_free(void)
{
	return frame_count_kind(&pool, FRAME_FREE);
}
