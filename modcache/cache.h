/* The shared module cache: one resident copy of each module's text, refcounted by the VMs. */
#ifndef MODCACHE_CACHE_H
#define MODCACHE_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "modelf.h"

#define MODCACHE_MAX 32
#define MODCACHE_NAME_MAX 16
#define MODCACHE_SHARED (-1)

/* Where text frames come from; at EL2 the frame pool, on the host a test double. */
struct modcache_hooks {
	/* Contiguous zeroed pages for a module's text, owned by cache entry `id`. */
	int (*alloc_text)(void *ctx, unsigned id, uint64_t pages, uint64_t *pa);
	void (*free_text)(void *ctx, uint64_t pa, uint64_t pages);
	void *(*phys_to_virt)(void *ctx, uint64_t pa);
	/* New code was written at va: make it visible to instruction fetch everywhere. */
	void (*sync_code)(void *ctx, void *va, size_t len);
	void (*lock)(void *ctx);
	void (*unlock)(void *ctx);
};

struct mod_entry {
	bool used;
	bool resident; /* text frames hold the module's code */
	unsigned id;   /* index in the cache, also the frame owner id of its text */
	int owner;     /* MODCACHE_SHARED, or the one VM this copy belongs to (sharing off) */
	char name[MODCACHE_NAME_MAX];
	uint32_t version;
	uint8_t sha256[32];
	const uint8_t *image; /* the ELF in the boot bundle */
	size_t image_size;
	struct modelf elf;
	uint64_t text_pa;
	uint64_t text_pages;
	unsigned refs;	    /* VMs mapping the text now */
	uint64_t last_use;  /* for least-recently-used eviction of warm entries */
	unsigned peak_refs; /* most VMs that mapped the text at once */
	unsigned cold_loads;
	unsigned warm_loads;
	unsigned releases; /* unloads (and VM stops) that dropped a mapping of this text */
};

/* Text pages mapped into VMs, kept up to date by acquire and release (like KSM's counters). */
struct modcache_mappings {
	uint64_t mapped;	/* text pages mapped by at least one VM */
	uint64_t mappings;	/* sum over modules of text pages x VMs mapping them */
	uint64_t peak_mappings; /* the most `mappings` ever was */
	uint64_t peak_saved;	/* the most pages sharing ever saved (mappings - mapped) */
};

struct modcache {
	struct mod_entry entries[MODCACHE_MAX];
	uint64_t clock;
	struct modcache_mappings maps;
	const struct modcache_hooks *hooks;
	void *ctx;
};

/* How acquiring went, for the caller's report. */
enum mod_acquire_kind {
	MOD_COLD,   /* text read from the image into new frames */
	MOD_WARM,   /* text was resident with no VM mapping it (kept warm) */
	MOD_SHARED, /* text was resident and mapped by another VM already */
};

void modcache_init(struct modcache *c, const struct modcache_hooks *hooks, void *ctx);
/*
 * Takes a reference on the module `name` whose ELF image is `image` (digest `sha256`): finds it
 * by name, version and digest, or checks the ELF rules and copies its text into new frames,
 * evicting warm modules when frames run out. MV_ERR_INVALID with *reason for an image that
 * breaks a rule, MV_ERR_NO_MEMORY, MV_ERR_BUSY if every entry is in use.
 */
int modcache_acquire(struct modcache *c, const char *name, const void *image, size_t size,
		     const uint8_t sha256[32], struct mod_entry **out, enum mod_acquire_kind *kind,
		     const char **reason);
/* The same, for a private copy of the text owned by `owner` (module sharing switched off). */
int modcache_acquire_for(struct modcache *c, int owner, const char *name, const void *image,
			 size_t size, const uint8_t sha256[32], struct mod_entry **out,
			 enum mod_acquire_kind *kind, const char **reason);
/* Drops a reference; the text stays resident (warm) until memory is needed. */
void modcache_release(struct modcache *c, struct mod_entry *e);
/* Frees the text of warm entries, least recently used first, until `pages` pages were freed
 * or none is left; returns the pages freed. */
uint64_t modcache_evict(struct modcache *c, uint64_t pages);
/* The mapping counters, read under the lock. */
struct modcache_mappings modcache_mappings(struct modcache *c);
/*
 * The frame pool's reclaim policy, for an allocation of `wanted` frames by another owner that
 * found none free: frees warm text (no VM maps it), least recently used first, but only while
 * that gives the pool frames anyone may use: `usable` is how many of the cache's frames lie
 * above its reservation (frames freed within it stay reserved for module text, so evicting
 * those would only make the next load cold). Never text a VM maps. Returns the pages freed.
 */
uint64_t modcache_reclaim(struct modcache *c, uint64_t wanted, uint64_t usable);
/* Calls fn on every entry in use, under the lock. */
void modcache_foreach(struct modcache *c, void (*fn)(const struct mod_entry *e, void *arg),
		      void *arg);

#endif /* MODCACHE_CACHE_H */
