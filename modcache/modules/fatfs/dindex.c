/* Directory index: per directory, hashed long and 8.3 names, a slot map and the cluster chain. */
#include <string.h>
#include "fatfs.h"

/*
 * Without it every lookup, create and unlink scans the whole directory (three times for a
 * create: the name, the alias's ~N tails, a free run), through an 8-sector cache, so a create
 * costs O(entries) sector reads. The index is built by one scan the first time a directory
 * is used and then kept in step by dir.c on every add and remove; anything it cannot follow
 * (a failed write, a restore, an entry it does not hold) drops it, and the next use rebuilds
 * it. It is only ever a shortcut: names it finds are checked against the disk, and a
 * directory without one is scanned as before. Memory is bounded per mount (dix_budget):
 * least recently used directories are dropped, and one too big on its own is scanned.
 */

#define DIX_NIL 0xFFFFU
#define DIX_MAX_ENTS 0xFFFEU
#define DIX_TAILS 4U
#define DIX_BIG_RETRY 64U   /* removals after which a too-big directory is tried again */
#define DIX_SMALL_RETRY 16U /* additions after which a small directory is looked at again */
/* Up to its end marker a directory this small is 4 sectors: a scan costs about what an index
 * saves, and the guest's heap keeps no blocks for it. */
#define DIX_MIN_SLOTS 64U
#define DIX_MIN_ENTS 16U
#define TAIL_MAX 999999U

#define ENT_LFN 0x01U	   /* the entry has a valid long name (lhash is its hash) */
#define ENT_NOLOOKUP 0x02U /* volume label or dot entry: counts as a short name, never found */
#define ENT_FREE 0x04U	   /* on the free list (through lnext) */

struct dix_ent {
	uint32_t lhash;
	uint32_t shash;
	uint16_t first; /* first slot: the first LFN slot, or the 8.3 slot */
	uint16_t sfn;	/* the 8.3 slot */
	uint16_t lnext; /* next in the long-name bucket; also the free list */
	uint16_t snext; /* next in the short-name bucket */
	uint8_t name[11];
	uint8_t flags;
};

/* "Every basis~N below lo is taken": where the next tail search for basis starts. */
struct dix_tail {
	uint8_t basis[11];
	bool used;
	uint32_t lo;
};

struct fat_dix {
	uint32_t dir_clus;
	uint64_t stamp;
	uint32_t nslots;     /* slots the directory has now */
	uint32_t end;	     /* the end marker's slot (nslots if none): every later slot is free */
	uint32_t first_free; /* no free slot below it */
	uint32_t nclus, cap_clus;
	uint32_t *chain; /* chain[i]: the directory's i-th cluster (FAT12/16 root: none) */
	uint64_t *used;	 /* one bit per slot below end: not deleted (LFN slots included) */
	uint32_t cap_slots;
	uint32_t spc; /* slots per cluster */
	uint32_t geo_bytes;
	/* Entries and their two hash tables: heads[0..nb) long names, heads[nb..2nb) short. */
	struct dix_ent *ents;
	uint16_t *heads;
	uint32_t nb, cap_ents, nents, free_ent;
	uint32_t names_bytes;
	struct dix_tail tails[DIX_TAILS];
	uint32_t tail_next;
};

static uint16_t fold(uint16_t c)
{
	return (c >= 'a' && c <= 'z') ? (uint16_t)(c - 'a' + 'A') : c;
}

/* FNV-1a over the case-folded units: equal for names name_eq() calls equal. */
uint32_t dix_name_hash(const uint16_t *name, uint32_t len)
{
	uint32_t h = 2166136261U;

	for (uint32_t i = 0; i < len; i++) {
		uint16_t c = fold(name[i]);

		h = (h ^ (c & 0xFFU)) * 16777619U;
		h = (h ^ (c >> 8)) * 16777619U;
	}
	return h;
}

/* The hash of the 8.3 name as a path component spells it, so lookups by alias hit it. */
uint32_t dix_sfn_hash(const uint8_t *sfn)
{
	uint8_t raw[FAT_SLOT];
	uint16_t disp[13];

	memset(raw, 0, sizeof(raw));
	memcpy(raw, sfn, 11);
	return dix_name_hash(disp, name_sfn_display(raw, disp));
}

static bool bit(const struct fat_dix *x, uint32_t i)
{
	return (x->used[i / 64] >> (i % 64)) & 1U;
}

static void set_bits(struct fat_dix *x, uint32_t from, uint32_t to, bool on)
{
	for (uint32_t i = from; i < to; i++) {
		if (on)
			x->used[i / 64] |= 1ULL << (i % 64);
		else
			x->used[i / 64] &= ~(1ULL << (i % 64));
	}
}

static bool slot_free(const struct fat_dix *x, uint32_t i)
{
	return i >= x->end || !bit(x, i);
}

static uint32_t next_free_from(const struct fat_dix *x, uint32_t i)
{
	while (i < x->end && bit(x, i))
		i++;
	return i;
}

static void free_dix(struct mv_fs *fs, struct fat_dix *x)
{
	fs->dix_hot_valid = false;
	fs->dix_bytes -= x->geo_bytes + x->names_bytes;
	fat_free_mem(fs, x->ents);
	fat_free_mem(fs, x);
}

static struct fat_dix_note *note_of(struct mv_fs *fs, uint32_t dir_clus)
{
	for (uint32_t i = 0; i < FAT_DIX_NOTES; i++) {
		if (fs->dix_note[i].used && fs->dix_note[i].dir_clus == dir_clus)
			return &fs->dix_note[i];
	}
	return NULL;
}

static void note(struct mv_fs *fs, uint32_t dir_clus, bool big)
{
	struct fat_dix_note *n = note_of(fs, dir_clus);

	/* A free place, else the note most likely out of date (the most changes since). */
	for (uint32_t i = 0; !n && i < FAT_DIX_NOTES; i++) {
		if (!fs->dix_note[i].used)
			n = &fs->dix_note[i];
	}
	if (!n) {
		n = &fs->dix_note[0];
		for (uint32_t i = 1; i < FAT_DIX_NOTES; i++) {
			if (fs->dix_note[i].changes > n->changes)
				n = &fs->dix_note[i];
		}
	}
	n->used = true;
	n->dir_clus = dir_clus;
	n->big = big;
	n->changes = 0;
	fs->dix_hot_valid = false;
}

/* Counts a change to a noted directory; enough of them and it is looked at again. */
static void note_change(struct mv_fs *fs, uint32_t dir_clus, bool removal)
{
	struct fat_dix_note *n = note_of(fs, dir_clus);

	if (n && n->big == removal && ++n->changes >= (removal ? DIX_BIG_RETRY : DIX_SMALL_RETRY)) {
		n->used = false;
		fs->dix_hot_valid = false;
	}
}

void dix_forget(struct mv_fs *fs, uint32_t dir_clus)
{
	struct fat_dix_note *n = note_of(fs, dir_clus);

	for (uint32_t i = 0; i < FAT_DIX_DIRS; i++) {
		if (fs->dix[i] && fs->dix[i]->dir_clus == dir_clus) {
			free_dix(fs, fs->dix[i]);
			fs->dix[i] = NULL;
		}
	}
	if (n)
		n->used = false;
	fs->dix_hot_valid = false;
}

void dix_destroy_all(struct mv_fs *fs)
{
	for (uint32_t i = 0; i < FAT_DIX_DIRS; i++) {
		if (fs->dix[i])
			free_dix(fs, fs->dix[i]);
		fs->dix[i] = NULL;
	}
	memset(fs->dix_note, 0, sizeof(fs->dix_note));
	fs->dix_hot_valid = false;
}

void dix_added_unindexed(struct mv_fs *fs, uint32_t dir_clus)
{
	note_change(fs, dir_clus, false);
}

struct fat_dix *dix_find(struct mv_fs *fs, uint32_t dir_clus)
{
	for (uint32_t i = 0; i < FAT_DIX_DIRS; i++) {
		struct fat_dix *x = fs->dix[i];

		if (x && x->dir_clus == dir_clus) {
			x->stamp = ++fs->dix_stamp;
			return x;
		}
	}
	return NULL;
}

/* Drops least recently used indexes (never keep) until bytes more fit and a place is free. */
static bool make_room(struct mv_fs *fs, const struct fat_dix *keep, uint32_t bytes)
{
	for (;;) {
		struct fat_dix **victim = NULL, **hole = NULL;

		for (uint32_t i = 0; i < FAT_DIX_DIRS; i++) {
			struct fat_dix *x = fs->dix[i];

			if (!x)
				hole = hole ? hole : &fs->dix[i];
			else if (x != keep && (!victim || x->stamp < (*victim)->stamp))
				victim = &fs->dix[i];
		}
		if (fs->dix_bytes + (uint64_t)bytes <= fs->dix_budget && (hole || keep))
			return true;
		if (!victim)
			return false;
		free_dix(fs, *victim);
		*victim = NULL;
	}
}

static uint32_t names_size(uint32_t cap_ents, uint32_t nb)
{
	return cap_ents * (uint32_t)sizeof(struct dix_ent) + 2 * nb * (uint32_t)sizeof(uint16_t);
}

static void link_ent(struct fat_dix *x, uint16_t k)
{
	struct dix_ent *e = &x->ents[k];
	uint32_t s = x->nb + (e->shash & (x->nb - 1));

	if (e->flags & ENT_LFN) {
		uint32_t l = e->lhash & (x->nb - 1);

		e->lnext = x->heads[l];
		x->heads[l] = k;
	} else {
		e->lnext = DIX_NIL;
	}
	e->snext = x->heads[s];
	x->heads[s] = k;
}

/* Room for one more entry: the table doubles, within the budget. */
static bool grow_names(struct mv_fs *fs, struct fat_dix *x)
{
	uint32_t cap = x->cap_ents ? x->cap_ents * 2 : DIX_MIN_ENTS, nb = 1, bytes;
	struct dix_ent *ents;

	if (cap > DIX_MAX_ENTS)
		cap = DIX_MAX_ENTS;
	if (cap <= x->cap_ents)
		return false;
	while (nb < cap)
		nb *= 2;
	bytes = names_size(cap, nb);
	/* The new table replaces the old one: only the difference is charged. */
	if (!make_room(fs, x, bytes - x->names_bytes))
		return false;
	ents = fat_alloc_mem(fs, bytes);
	if (!ents)
		return false;
	if (x->nents)
		memcpy(ents, x->ents, x->nents * sizeof(*ents));
	fat_free_mem(fs, x->ents);
	fs->dix_bytes += bytes - x->names_bytes;
	x->ents = ents;
	x->heads = (uint16_t *)(void *)(ents + cap);
	x->nb = nb;
	x->cap_ents = cap;
	x->names_bytes = bytes;
	memset(x->heads, 0xFF, 2 * nb * sizeof(uint16_t));
	/* Freed entries stay on the free list (through lnext); live ones are linked again. */
	for (uint32_t k = 0; k < x->nents; k++) {
		if (!(x->ents[k].flags & ENT_FREE))
			link_ent(x, (uint16_t)k);
	}
	return true;
}

static bool add_ent(struct mv_fs *fs, struct fat_dix *x, const uint8_t *raw, uint32_t first,
		    uint32_t sfn, const uint16_t *lname, uint32_t llen)
{
	struct dix_ent *e;
	uint16_t k;

	if (x->free_ent != DIX_NIL) {
		k = (uint16_t)x->free_ent;
		x->free_ent = x->ents[k].lnext;
	} else {
		if (x->nents == x->cap_ents && !grow_names(fs, x))
			return false;
		k = (uint16_t)x->nents++;
	}
	e = &x->ents[k];
	memcpy(e->name, raw, 11);
	e->first = (uint16_t)first;
	e->sfn = (uint16_t)sfn;
	e->flags = 0;
	if ((raw[DE_ATTR] & FAT_ATTR_VOLUME) || raw[0] == '.')
		e->flags |= ENT_NOLOOKUP;
	e->lhash = 0;
	if (lname) {
		e->flags |= ENT_LFN;
		e->lhash = dix_name_hash(lname, llen);
	}
	e->shash = dix_sfn_hash(raw);
	link_ent(x, k);
	return true;
}

static void unlink_from(struct fat_dix *x, uint16_t *head, uint16_t k, bool lchain)
{
	for (uint16_t *pp = head; *pp != DIX_NIL;) {
		struct dix_ent *e = &x->ents[*pp];

		if (*pp == k) {
			*pp = lchain ? e->lnext : e->snext;
			return;
		}
		pp = lchain ? &e->lnext : &e->snext;
	}
}

static void del_ent(struct fat_dix *x, uint16_t k)
{
	struct dix_ent *e = &x->ents[k];

	if (e->flags & ENT_LFN)
		unlink_from(x, &x->heads[e->lhash & (x->nb - 1)], k, true);
	unlink_from(x, &x->heads[x->nb + (e->shash & (x->nb - 1))], k, false);
	e->flags = ENT_FREE;
	e->lnext = (uint16_t)x->free_ent;
	x->free_ent = k;
}

/* The entry whose 8.3 slot is sfn_idx, or DIX_NIL. */
static uint16_t ent_at(const struct fat_dix *x, const uint8_t *raw, uint32_t sfn_idx)
{
	uint32_t h = dix_sfn_hash(raw);

	for (uint16_t k = x->heads[x->nb + (h & (x->nb - 1))]; k != DIX_NIL; k = x->ents[k].snext) {
		if (x->ents[k].sfn == sfn_idx)
			return k;
	}
	return DIX_NIL;
}

static uint32_t max_dir_clusters(const struct mv_fs *fs)
{
	uint32_t m = FAT_MAX_DIR_SLOTS / fs->slots_per_clus;

	return m ? m : 1;
}

/* Clusters and slots first, with room to grow; the names table grows as the scan finds them. */
static struct fat_dix *alloc_geo(struct mv_fs *fs, uint32_t dir_clus, uint32_t nclus)
{
	uint32_t cap_clus = 0, cap_slots = fs->root_slots, words, bytes;
	struct fat_dix *x;

	if (dir_clus != 0) {
		cap_clus = nclus < 2 ? 4 : nclus * 2;
		if (cap_clus > max_dir_clusters(fs))
			cap_clus = max_dir_clusters(fs);
		cap_slots = cap_clus * fs->slots_per_clus;
	}
	words = (cap_slots + 63) / 64;
	bytes = (uint32_t)sizeof(*x) + cap_clus * 4 + words * 8;
	bytes = (bytes + 7) & ~7U;
	if (bytes > fs->dix_budget) {
		note(fs, dir_clus, true);
		return NULL;
	}
	if (!make_room(fs, NULL, bytes))
		return NULL;
	x = fat_alloc_mem(fs, bytes);
	if (!x)
		return NULL;
	memset(x, 0, bytes);
	fs->dix_bytes += bytes;
	x->geo_bytes = bytes;
	x->dir_clus = dir_clus;
	x->used = (uint64_t *)(void *)(x + 1);
	x->chain = (uint32_t *)(void *)(x->used + words);
	x->cap_clus = cap_clus;
	x->cap_slots = cap_slots;
	x->spc = fs->slots_per_clus;
	x->free_ent = DIX_NIL;
	return x;
}

/* The chain, the slot map and every short-name slot up to the end marker. */
static int fill(struct mv_fs *fs, struct fat_dix *x, uint32_t nclus)
{
	struct dir_iter it;
	uint32_t c = x->dir_clus;
	int ret;

	for (uint32_t i = 0; i < nclus; i++) {
		x->chain[i] = c;
		ret = fat_next(fs, c, &c);
		if (ret != 0)
			return ret;
	}
	x->nclus = nclus;
	x->nslots = x->dir_clus ? nclus * fs->slots_per_clus : fs->root_slots;
	x->end = x->nslots;
	x->first_free = UINT32_MAX; /* none seen yet */
	ret = dir_iter_init(fs, &it, x->dir_clus);
	for (uint32_t i = 0; ret == 0 && i < x->nslots; i++) {
		uint8_t raw[FAT_SLOT];
		uint32_t in = x->dir_clus ? i % fs->slots_per_clus : i;
		uint64_t sector = x->dir_clus
				      ? fat_clus_sector(fs, x->chain[i / fs->slots_per_clus]) +
					    in / FAT_SLOTS_PER_SECTOR
				      : fs->root_start + i / FAT_SLOTS_PER_SECTOR;

		it.idx = i;
		ret = cache_read(fs, sector, (in % FAT_SLOTS_PER_SECTOR) * FAT_SLOT, raw, FAT_SLOT);
		if (ret != 0)
			break;
		if (raw[0] == FAT_SLOT_END) {
			x->end = i;
			break;
		}
		if (raw[0] == FAT_SLOT_FREE) {
			it.lfn_count = 0;
			if (x->first_free > i)
				x->first_free = i;
			continue;
		}
		set_bits(x, i, i + 1, true);
		if ((raw[DE_ATTR] & FAT_ATTR_LFN_MASK) == FAT_ATTR_LFN) {
			dir_lfn_take(fs, &it, raw);
		} else {
			struct fat_dirent de;

			dir_decode(fs, &it, raw, &de);
			it.lfn_count = 0;
			if (!add_ent(fs, x, raw, de.first_idx, i, de.has_lfn ? fs->lfn : NULL,
				     fs->lfn_len))
				return -MV_ENOMEM;
		}
	}
	if (x->first_free > x->end)
		x->first_free = x->end;
	return ret;
}

/* Whether the end marker comes within the first DIX_MIN_SLOTS slots (reads only those). */
static bool is_small(struct mv_fs *fs, uint32_t dir_clus)
{
	struct dir_iter it;
	struct fat_dirent de;
	int ret = dir_iter_init(fs, &it, dir_clus);

	while (ret == 0 && it.idx < DIX_MIN_SLOTS) {
		ret = dir_next(fs, &it, &de);
		if (ret == 0)
			return it.idx < DIX_MIN_SLOTS;
		ret = ret > 0 ? 0 : ret;
	}
	return false;
}

static struct fat_dix *build(struct mv_fs *fs, uint32_t dir_clus);

struct fat_dix *dix_get(struct mv_fs *fs, uint32_t dir_clus)
{
	struct fat_dix *x;

	/* The same directory as last time: the common case, kept to a compare. */
	if (fs->dix_hot_valid && fs->dix_hot_clus == dir_clus)
		return fs->dix_hot;
	x = dix_find(fs, dir_clus);
	if (!x && fs->dix_budget != 0 && !note_of(fs, dir_clus)) {
		if (is_small(fs, dir_clus))
			note(fs, dir_clus, false);
		else
			x = build(fs, dir_clus);
	}
	fs->dix_hot = x;
	fs->dix_hot_clus = dir_clus;
	fs->dix_hot_valid = true;
	return x;
}

static struct fat_dix *build(struct mv_fs *fs, uint32_t dir_clus)
{
	struct fat_dix *x;
	uint32_t nclus = 0, last;

	/* A broken directory is left to the scan, which reports it where it always did. */
	if (dir_clus == 0 ? fs->type == FAT32
			  : fat_chain_len(fs, dir_clus, max_dir_clusters(fs), &nclus, &last) != 0)
		return NULL;
	x = alloc_geo(fs, dir_clus, nclus);
	if (!x)
		return NULL;
	for (uint32_t i = 0; i < FAT_DIX_DIRS; i++) {
		if (!fs->dix[i]) {
			fs->dix[i] = x;
			break;
		}
	}
	x->stamp = ++fs->dix_stamp;
	if (!grow_names(fs, x)) {
		dix_forget(fs, dir_clus);
		return NULL;
	}
	if (fill(fs, x, nclus) != 0) {
		/* Too many names for the budget is the one failure worth remembering. */
		bool big = x->cap_ents * 2 > DIX_MAX_ENTS ||
			   x->geo_bytes + names_size(x->cap_ents * 2, x->nb * 2) > fs->dix_budget;

		dix_forget(fs, dir_clus);
		if (big)
			note(fs, dir_clus, true);
		return NULL;
	}
	return x;
}

bool dix_slot_clus(const struct fat_dix *x, uint32_t idx, uint32_t *clus)
{
	if (x->dir_clus == 0 || idx >= x->nslots)
		return false;
	*clus = x->chain[idx / x->spc];
	return true;
}

uint32_t dix_slots(const struct fat_dix *x)
{
	return x->nslots;
}

uint32_t dix_last_clus(const struct fat_dix *x)
{
	return x->nclus ? x->chain[x->nclus - 1] : 0;
}

/* Reads the entry back and checks it is what the index says; 1, DIX_STALE or an error. */
static int read_ent(struct mv_fs *fs, const struct fat_dix *x, const struct dix_ent *e,
		    struct fat_dirent *de)
{
	struct dir_iter it;
	int ret = dir_iter_init(fs, &it, x->dir_clus);

	if (ret != 0)
		return ret;
	it.idx = e->first;
	if (x->dir_clus != 0 && !dix_slot_clus(x, e->first, &it.clus))
		return DIX_STALE;
	ret = dir_next(fs, &it, de);
	if (ret < 0)
		return ret;
	if (ret == 0 || de->sfn_idx != e->sfn || memcmp(de->raw, e->name, 11) != 0 ||
	    de->has_lfn != ((e->flags & ENT_LFN) != 0))
		return DIX_STALE;
	return 1;
}

int dix_lookup(struct mv_fs *fs, struct fat_dix *x, const uint16_t *name, uint32_t len,
	       struct fat_dirent *de)
{
	uint32_t h = dix_name_hash(name, len), best = DIX_NIL;
	int ret;

	/*
	 * The scan returns the first entry whose long name or alias matches: among the matches
	 * here, the lowest slot. An alias match is certain from the stored 8.3 name; a long-name
	 * match only once the slots are read back.
	 */
	for (uint16_t k = x->heads[x->nb + (h & (x->nb - 1))]; k != DIX_NIL; k = x->ents[k].snext) {
		const struct dix_ent *e = &x->ents[k];
		uint8_t raw[FAT_SLOT];
		uint16_t disp[13];

		if (e->shash != h || (e->flags & ENT_NOLOOKUP) ||
		    (best != DIX_NIL && e->sfn >= x->ents[best].sfn))
			continue;
		memset(raw, 0, sizeof(raw));
		memcpy(raw, e->name, 11);
		if (name_eq(disp, name_sfn_display(raw, disp), name, len))
			best = k;
	}
	for (uint16_t k = x->heads[h & (x->nb - 1)]; k != DIX_NIL; k = x->ents[k].lnext) {
		const struct dix_ent *e = &x->ents[k];

		if (e->lhash != h || (e->flags & ENT_NOLOOKUP) ||
		    (best != DIX_NIL && e->sfn >= x->ents[best].sfn))
			continue;
		ret = read_ent(fs, x, e, de);
		if (ret != 1)
			return ret;
		if (name_eq(fs->lfn, fs->lfn_len, name, len))
			best = k;
	}
	if (best == DIX_NIL)
		return 0;
	return read_ent(fs, x, &x->ents[best], de);
}

bool dix_sfn_exists(const struct fat_dix *x, const uint8_t *sfn)
{
	uint32_t h = dix_sfn_hash(sfn);

	for (uint16_t k = x->heads[x->nb + (h & (x->nb - 1))]; k != DIX_NIL; k = x->ents[k].snext) {
		if (x->ents[k].shash == h && memcmp(x->ents[k].name, sfn, 11) == 0)
			return true;
	}
	return false;
}

int dix_pick_tail(struct fat_dix *x, const uint8_t *basis, uint8_t *sfn)
{
	struct dix_tail *t = NULL;

	for (uint32_t i = 0; i < DIX_TAILS; i++) {
		if (x->tails[i].used && memcmp(x->tails[i].basis, basis, 11) == 0)
			t = &x->tails[i];
	}
	if (!t) {
		t = &x->tails[x->tail_next++ % DIX_TAILS];
		t->used = true;
		memcpy(t->basis, basis, 11);
		t->lo = 1;
	}
	for (uint32_t n = t->lo; n <= TAIL_MAX; n++) {
		name_apply_tail(basis, n, sfn);
		if (!dix_sfn_exists(x, sfn)) {
			t->lo = n;
			return 0;
		}
	}
	t->lo = TAIL_MAX + 1;
	return -MV_ENOSPC;
}

int dix_find_free(const struct fat_dix *x, uint32_t n, uint32_t *first, bool *past_end)
{
	uint32_t run = 0, start = 0, i = x->first_free;

	while (i < x->nslots) {
		if (i >= x->end) {
			/* Everything from here on is free: the run completes or reaches the end. */
			if (run == 0)
				start = i;
			if (start + n <= x->nslots) {
				*first = start;
				*past_end = true;
				return 1;
			}
			break;
		}
		if (!bit(x, i)) {
			if (run++ == 0)
				start = i;
			if (run == n) {
				*first = start;
				*past_end = false;
				return 1;
			}
		} else {
			run = 0;
		}
		i++;
	}
	/* The free run at the end of the directory, where growing continues it. */
	i = x->end < x->nslots ? x->end : x->nslots;
	while (i > x->first_free && slot_free(x, i - 1))
		i--;
	*first = i;
	return 0;
}

bool dix_grown(struct fat_dix *x, const uint32_t *clus, uint32_t count)
{
	if (x->dir_clus == 0 || x->nclus + count > x->cap_clus)
		return false;
	for (uint32_t i = 0; i < count; i++)
		x->chain[x->nclus++] = clus[i];
	/* New clusters are zeroed: if the old slots had no end marker, the first new one is it,
	 * and end (== the old slot count) already says so. */
	x->nslots = x->nclus * x->spc;
	return true;
}

bool dix_added(struct mv_fs *fs, struct fat_dix *x, const struct fat_dirent *de,
	       const uint16_t *lname, uint32_t llen, bool past_end)
{
	uint32_t first = de->first_idx, stop = de->sfn_idx + 1;

	if (stop > x->nslots)
		return false;
	if (past_end || stop > x->end) {
		/* The end marker moved just after the entry (or the directory ends there). */
		if (stop > x->end)
			set_bits(x, x->end, stop, false);
		x->end = stop;
	}
	set_bits(x, first, stop, true);
	if (x->first_free >= first && x->first_free < stop)
		x->first_free = next_free_from(x, stop);
	if (x->first_free > x->end)
		x->first_free = x->end;
	return add_ent(fs, x, de->raw, first, de->sfn_idx, lname, llen);
}

static void tails_removed(struct fat_dix *x, const uint8_t *raw)
{
	for (uint32_t i = 0; i < DIX_TAILS; i++) {
		struct dix_tail *t = &x->tails[i];
		uint32_t n = t->used ? name_tail_number(t->basis, raw) : 0;

		if (n != 0 && n < t->lo)
			t->lo = n;
	}
}

bool dix_removed(struct mv_fs *fs, struct fat_dix *x, const struct fat_dirent *de)
{
	uint16_t k;

	if (!x) {
		note_change(fs, de->dir_clus, true);
		return true;
	}
	k = ent_at(x, de->raw, de->sfn_idx);
	if (k == DIX_NIL || x->ents[k].first != de->first_idx || de->sfn_idx >= x->end)
		return false;
	del_ent(x, k);
	set_bits(x, de->first_idx, de->sfn_idx + 1, false);
	if (de->first_idx < x->first_free)
		x->first_free = de->first_idx;
	tails_removed(x, de->raw);
	return true;
}
