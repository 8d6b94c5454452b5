/* Cache entries, refcounts, warm retention and eviction; pure logic behind platform hooks. */
#include "cache.h"
#include <modvisor/module.h>
#include <modvisor/status.h>
#include <string.h>

/* strnlen is POSIX, not C11: the host build would not see it. */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

void modcache_init(struct modcache *c, const struct modcache_hooks *hooks, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->hooks = hooks;
	c->ctx = ctx;
	for (unsigned i = 0; i < MODCACHE_MAX; i++)
		c->entries[i].id = i;
}

static void drop_text(struct modcache *c, struct mod_entry *e)
{
	c->hooks->free_text(c->ctx, e->text_pa, e->text_pages);
	e->resident = false;
	e->text_pa = 0;
	e->text_pages = 0;
}

/* Called with the lock held. */
static uint64_t evict_locked(struct modcache *c, uint64_t pages, const struct mod_entry *keep)
{
	uint64_t freed = 0;

	while (freed < pages) {
		struct mod_entry *victim = NULL;

		for (unsigned i = 0; i < MODCACHE_MAX; i++) {
			struct mod_entry *e = &c->entries[i];

			if (!e->used || !e->resident || e->refs || (keep && e->id == keep->id))
				continue;
			if (!victim || e->last_use < victim->last_use)
				victim = e;
		}
		if (!victim)
			break;
		freed += victim->text_pages;
		drop_text(c, victim);
	}
	return freed;
}

uint64_t modcache_evict(struct modcache *c, uint64_t pages)
{
	uint64_t freed;

	c->hooks->lock(c->ctx);
	freed = evict_locked(c, pages, NULL);
	c->hooks->unlock(c->ctx);
	return freed;
}

/* Digests compared a word at a time: a load looks its module up on every call. */
static bool same_digest(const uint8_t a[32], const uint8_t b[32])
{
	uint64_t x[4], y[4];

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	return ((x[0] ^ y[0]) | (x[1] ^ y[1]) | (x[2] ^ y[2]) | (x[3] ^ y[3])) == 0;
}

uint64_t modcache_reclaim(struct modcache *c, uint64_t wanted, uint64_t usable)
{
	uint64_t goal = wanted < usable ? wanted : usable, freed;

	if (goal == 0)
		return 0;
	c->hooks->lock(c->ctx);
	freed = evict_locked(c, goal, NULL);
	c->hooks->unlock(c->ctx);
	return freed;
}

static struct mod_entry *find(struct modcache *c, int owner, const char *name,
			      const uint8_t sha256[32])
{
	for (unsigned i = 0; i < MODCACHE_MAX; i++) {
		struct mod_entry *e = &c->entries[i];

		if (e->used && e->owner == owner && same_digest(e->sha256, sha256) &&
		    strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

/* A free entry, or one whose module is neither mapped nor resident, or a warm one evicted. */
static struct mod_entry *free_entry(struct modcache *c)
{
	for (unsigned i = 0; i < MODCACHE_MAX; i++)
		if (!c->entries[i].used)
			return &c->entries[i];
	for (unsigned i = 0; i < MODCACHE_MAX; i++)
		if (!c->entries[i].resident && c->entries[i].refs == 0)
			return &c->entries[i];
	if (evict_locked(c, 1, NULL) == 0)
		return NULL;
	return free_entry(c);
}

/* Checks the image and fills a new entry's description (not its text). */
static int describe(struct mod_entry *e, const char *name, const void *image, size_t size,
		    const uint8_t sha256[32], const char **reason)
{
	struct mv_module_desc desc;
	struct modelf elf;
	int ret = modelf_check_module(image, size, name, &elf, &desc, reason);

	if (ret != MV_OK)
		return ret;
	memset(e->name, 0, sizeof(e->name));
	memcpy(e->name, name, strlen(name));
	e->version = desc.version;
	memcpy(e->sha256, sha256, 32);
	e->image = image;
	e->image_size = size;
	e->elf = elf;
	e->refs = 0;
	e->cold_loads = e->warm_loads = e->releases = 0;
	e->peak_refs = 0;
	e->resident = false;
	return MV_OK;
}

/* Copies the text segment into frames, evicting warm modules if frames run out. */
static int make_resident(struct modcache *c, struct mod_entry *e)
{
	uint64_t pages = modelf_text_pages(&e->elf);
	uint64_t pa;
	uint8_t *va;
	int ret = c->hooks->alloc_text(c->ctx, e->id, pages, &pa);

	if (ret == MV_ERR_NO_MEMORY && evict_locked(c, pages, e) > 0)
		ret = c->hooks->alloc_text(c->ctx, e->id, pages, &pa);
	if (ret != MV_OK)
		return ret;
	va = c->hooks->phys_to_virt(c->ctx, pa);
	memcpy(va, e->image + e->elf.text_offset, (size_t)e->elf.text_filesz);
	memset(va + e->elf.text_filesz, 0, (size_t)(pages * MODELF_PAGE - e->elf.text_filesz));
	c->hooks->sync_code(c->ctx, va, (size_t)(pages * MODELF_PAGE));
	e->text_pa = pa;
	e->text_pages = pages;
	e->resident = true;
	return MV_OK;
}

/* One more (delta +1) or one fewer (-1) VM maps e's text; lock held. */
static void count_mapping(struct modcache_mappings *m, const struct mod_entry *e, int delta)
{
	bool first_or_last = e->refs == (delta > 0 ? 1u : 0u);

	if (delta > 0) {
		m->mappings += e->text_pages;
		m->mapped += first_or_last ? e->text_pages : 0;
	} else {
		m->mappings -= e->text_pages;
		m->mapped -= first_or_last ? e->text_pages : 0;
	}
	if (m->mappings > m->peak_mappings)
		m->peak_mappings = m->mappings;
	if (m->mappings - m->mapped > m->peak_saved)
		m->peak_saved = m->mappings - m->mapped;
}

int modcache_acquire(struct modcache *c, const char *name, const void *image, size_t size,
		     const uint8_t sha256[32], struct mod_entry **out, enum mod_acquire_kind *kind,
		     const char **reason)
{
	return modcache_acquire_for(c, MODCACHE_SHARED, name, image, size, sha256, out, kind,
				    reason);
}

int modcache_acquire_for(struct modcache *c, int owner, const char *name, const void *image,
			 size_t size, const uint8_t sha256[32], struct mod_entry **out,
			 enum mod_acquire_kind *kind, const char **reason)
{
	struct mod_entry *e;
	int ret = MV_OK;

	*reason = "ok";
	if (bounded_len(name, MODCACHE_NAME_MAX) == MODCACHE_NAME_MAX)
		return MV_ERR_INVALID;
	c->hooks->lock(c->ctx);
	e = find(c, owner, name, sha256);
	if (!e) {
		e = free_entry(c);
		if (!e) {
			c->hooks->unlock(c->ctx);
			return MV_ERR_BUSY;
		}
		ret = describe(e, name, image, size, sha256, reason);
		e->used = ret == MV_OK;
		e->owner = owner;
	}
	if (ret == MV_OK) {
		*kind = e->refs ? MOD_SHARED : (e->resident ? MOD_WARM : MOD_COLD);
		if (!e->resident)
			ret = make_resident(c, e);
	}
	if (ret == MV_OK) {
		e->refs++;
		if (e->refs > e->peak_refs)
			e->peak_refs = e->refs;
		count_mapping(&c->maps, e, +1);
		e->last_use = ++c->clock;
		if (*kind == MOD_COLD)
			e->cold_loads++;
		else
			e->warm_loads++;
		*out = e;
	}
	c->hooks->unlock(c->ctx);
	return ret;
}

void modcache_release(struct modcache *c, struct mod_entry *e)
{
	c->hooks->lock(c->ctx);
	if (e->refs > 0) {
		e->refs--;
		e->releases++;
		count_mapping(&c->maps, e, -1);
	}
	e->last_use = ++c->clock;
	c->hooks->unlock(c->ctx);
}

struct modcache_mappings modcache_mappings(struct modcache *c)
{
	struct modcache_mappings m;

	c->hooks->lock(c->ctx);
	m = c->maps;
	c->hooks->unlock(c->ctx);
	return m;
}

void modcache_foreach(struct modcache *c, void (*fn)(const struct mod_entry *e, void *arg),
		      void *arg)
{
	c->hooks->lock(c->ctx);
	for (unsigned i = 0; i < MODCACHE_MAX; i++)
		if (c->entries[i].used)
			fn(&c->entries[i], arg);
	c->hooks->unlock(c->ctx);
}
