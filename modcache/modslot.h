/* One module slot of a VM as a state machine: who may change it, and who owns what it holds. */
#ifndef MODCACHE_MODSLOT_H
#define MODCACHE_MODSLOT_H

#include <stdbool.h>
#include <stdint.h>
#include "cache.h"

/*
 * EMPTY --load_begin--> LOADING --load_commit--> LOADED --unload--> EMPTY
 *                       LOADING --load_abort---> EMPTY
 *                any state --reset--> EMPTY (VM stop or reset)
 *
 * Every call is made with the VM's lock held, and the state is only ever read under it too.
 * While a slot is LOADING nothing is in it yet: the loader holds the cache reference and the
 * data frames itself, outside the lock, and moves them in with load_commit. unload and reset
 * move them out again (the slot is cleared in the same step), so exactly one party owns them
 * at every moment and releases them once. A second load of a LOADING slot is BUSY (there is
 * nothing to return yet); of a LOADED slot it is "already loaded". An unload of a LOADING
 * slot is BUSY, of an EMPTY one NOT_FOUND.
 *
 * load_begin hands out a ticket; commit and abort act only if the ticket is still the slot's
 * current one, so a loader whose slot was reset meanwhile (the VM stopped or was reset under
 * it) finds out, touches nothing, and releases what it holds.
 */
enum modslot_state {
	MODSLOT_EMPTY = 0, /* zeroed memory is an empty slot */
	MODSLOT_LOADING,
	MODSLOT_LOADED,
};

/* What a loaded slot holds; all zero when it holds nothing. */
struct modslot_contents {
	struct mod_entry *entry; /* one cache reference */
	uint64_t base_va;	 /* the address its data was relocated for */
	uint64_t data_pa;	 /* the VM's private data frames */
	uint64_t data_pages;
	enum mod_acquire_kind kind;
};

struct modslot {
	enum modslot_state state;
	uint64_t seq; /* advances whenever a LOADING period ends: a loader's ticket */
	struct modslot_contents c;
};

/*
 * EMPTY: now LOADING, MV_OK with *already false and *ticket set. LOADED: MV_OK with *already
 * true and *cur a copy of what is loaded (nothing changes). LOADING: MV_ERR_BUSY.
 */
int modslot_load_begin(struct modslot *s, uint64_t *ticket, bool *already,
		       struct modslot_contents *cur);
/* Whether `ticket` still owns the LOADING slot (checked under the same lock as the commit). */
bool modslot_owns(const struct modslot *s, uint64_t ticket);
/* LOADING (with this ticket) -> LOADED holding *c: MV_OK. MV_ERR_BUSY if the ticket is stale,
 * MV_ERR_INVALID if *c holds no cache entry; the slot is unchanged then. */
int modslot_load_commit(struct modslot *s, uint64_t ticket, const struct modslot_contents *c);
/* LOADING (with this ticket) -> EMPTY; a stale ticket changes nothing. */
void modslot_load_abort(struct modslot *s, uint64_t ticket);
/* LOADED -> EMPTY, moving what it held to *out: MV_OK. MV_ERR_NOT_FOUND if EMPTY,
 * MV_ERR_BUSY if LOADING. */
int modslot_unload(struct modslot *s, struct modslot_contents *out);
/* Any -> EMPTY. True (and *out filled) if it was LOADED: the caller releases that. A LOADING
 * slot's loader keeps what it holds and releases it when its commit fails. */
bool modslot_reset(struct modslot *s, struct modslot_contents *out);
/* For readers (MOD_LIST, statistics): true and a copy of the contents if LOADED. */
bool modslot_loaded(const struct modslot *s, struct modslot_contents *out);

#endif /* MODCACHE_MODSLOT_H */
