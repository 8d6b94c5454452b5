/* Loading and unloading modules for VMs: the EL2 side of the module cache. */
#include "vmmod.h"
#include "account.h"
#include "arch/cache.h"
#include "bundle.h"
#include "console.h"
#include "mm.h"
#include "modsig.h"
#include "panic.h"
#include "spinlock.h"
#include "vm.h"
#include <fmt.h>
#include <modvisor/hypercall.h>
#include <modvisor/module.h>
#include <string.h>

#define TEXT_MODE (S2_READ | S2_EXEC | S2_SHARED)
#define DATA_MODE (S2_READ | S2_WRITE)

static struct modcache cache;
static struct spinlock cache_lock = SPINLOCK_INIT;
static const struct bundle *boot_bundle;
/* The modules the bundle holds, read from their descriptors at boot (vmmod_scan_bundle). */
static struct scenario_module_set bundle_modules;
/* The image of each of them, by its index in bundle_modules: loads find it without a search. */
static const struct bundle_image *module_images[SCENARIO_MAX_BUNDLE_MODULES];

static int alloc_text(void *ctx, unsigned id, uint64_t pages, uint64_t *pa)
{
	(void)ctx;
	/* The cache lock is held: frames may not be reclaimed from the cache itself here. */
	return mm_alloc_noreclaim(pages, 1, FRAME_MOD_TEXT, id, pa);
}

static void free_text(void *ctx, uint64_t pa, uint64_t pages)
{
	(void)ctx;
	mm_free(pa, pages);
}

static void *cache_phys_to_virt(void *ctx, uint64_t pa)
{
	(void)ctx;
	return phys_to_virt(pa);
}

static void sync_code(void *ctx, void *va, size_t len)
{
	(void)ctx;
	dcache_clean_range(va, len);
	icache_inval_all();
}

static void cache_lock_fn(void *ctx)
{
	(void)ctx;
	spin_lock(&cache_lock);
}

static void cache_unlock_fn(void *ctx)
{
	(void)ctx;
	spin_unlock(&cache_lock);
}

static const struct modcache_hooks hooks = {
    .alloc_text = alloc_text,
    .free_text = free_text,
    .phys_to_virt = cache_phys_to_virt,
    .sync_code = sync_code,
    .lock = cache_lock_fn,
    .unlock = cache_unlock_fn,
};

/* mm_alloc's hook when the pool ran dry for a VM (the cache's own allocations evict inside the
 * cache): only text above the cache's reservation gives the VM anything. */
static uint64_t reclaim(uint64_t frames)
{
	struct frame_quota q = mm_quota_get(FRAME_ACCOUNT_TEXT);

	return modcache_reclaim(&cache, frames, q.used > q.reserved ? q.used - q.reserved : 0);
}

void vmmod_init(const struct bundle *bundle)
{
	boot_bundle = bundle;
	modcache_init(&cache, &hooks, NULL);
	mm_set_reclaim(reclaim);
}

/* The bundle's "mod-<name>" image, as bundle_find() answers (its status if it is refused). */
static int find_image(const char *name, const struct bundle_image **img)
{
	const struct scenario_module *m = scenario_module_find(&bundle_modules, name);

	if (!m)
		return MV_ERR_NOT_FOUND;
	*img = module_images[m - bundle_modules.mods];
	return (*img)->status;
}

/* Each module image's signature is verified once, at its first load (it is ~2e7 instructions);
 * the verdict stands for the boot, as the bundle never changes. Under modsig_lock: mbedtls
 * works in one static heap. */
struct sig_verdict {
	bool checked;
	int status;
	const char *reason;
};
static struct sig_verdict verdicts[BUNDLE_MAX_IMAGES];
static struct spinlock modsig_lock = SPINLOCK_INIT;

void modsig_heap_corrupt(int status)
{
	panic("mbedtls found its heap corrupted (%d)", status);
}

static int check_signature(const struct bundle_image *img, const char *name, const char **reason)
{
	static const struct modsig_trust trust = {.pubkey = modsig_trusted_pubkey,
						  .build_id = modsig_trusted_build_id};
	struct sig_verdict *v = &verdicts[img - boot_bundle->images];

	spin_lock(&modsig_lock);
	if (!v->checked) {
		v->status = modsig_verify(&trust, name, img->sha256,
					  img->has_sig ? &img->sig : NULL, &v->reason);
		v->checked = true;
	}
	spin_unlock(&modsig_lock);
	*reason = v->reason;
	return v->status;
}

/* Whether loads of `name` are refused for what its image is (hash, signature). */
static bool image_refused(const char *name)
{
	const struct bundle_image *img;
	bool refused;

	if (find_image(name, &img) != MV_OK)
		return true;
	spin_lock(&modsig_lock);
	refused = verdicts[img - boot_bundle->images].checked &&
		  verdicts[img - boot_bundle->images].status != MV_OK;
	spin_unlock(&modsig_lock);
	return refused;
}

/* What a checked image takes: modelf_check bounds its span by a slot, so these fit. */
static struct scenario_module_pages module_pages_of(const struct modelf *elf)
{
	struct scenario_module_pages p = {(uint32_t)modelf_text_pages(elf),
					  (uint32_t)modelf_data_pages(elf),
					  (uint32_t)(elf->span / PAGE_SIZE)};

	return p;
}

/* The bundle's "mod-<name>" images, described by their descriptors; a refused image is still
 * held (its loads are refused by name, with the reason). */
const struct scenario_module_set *vmmod_scan_bundle(void)
{
	static const char kinds[][8] = {"?", "fs", "signal"};

	memset(&bundle_modules, 0, sizeof(bundle_modules));
	for (unsigned i = 0; i < boot_bundle->count; i++) {
		const struct bundle_image *img = &boot_bundle->images[i];
		const char *name = img->name + 4, *reason = "";
		struct mv_module_desc desc;
		struct modelf elf;
		int ret = MV_ERR_INVALID;

		if (strncmp(img->name, "mod-", 4) != 0)
			continue;
		struct scenario_module_pages pages;

		if (img->status == MV_OK)
			ret = modelf_check_module(img->data, img->size, name, &elf, &desc, &reason);
		if (ret == MV_OK)
			pages = module_pages_of(&elf);
		if (scenario_module_add(&bundle_modules, name, ret == MV_OK ? &desc : NULL,
					ret == MV_OK ? &pages : NULL) != MV_OK) {
			hyp_printf(
			    "hyp: bundle: image '%s' ignored: not a module name, or too many "
			    "modules (at most %u)\n",
			    img->name, SCENARIO_MAX_BUNDLE_MODULES);
			continue;
		}
		module_images[bundle_modules.count - 1] = img;
		if (ret == MV_OK)
			hyp_printf("hyp: bundle: module %s %u.%u (%s), needs %s%s%s%s%s\n", name,
				   desc.version >> 16, desc.version & 0xffff,
				   kinds[desc.kind < 3 ? desc.kind : 0],
				   desc.needs[0][0] ? desc.needs[0] : "nothing",
				   desc.needs[1][0] ? ", " : "", desc.needs[1],
				   desc.needs[2][0] ? ", " : "", desc.needs[2]);
		else if (img->status == MV_OK)
			hyp_printf("hyp: bundle: module %s refused: %s\n", name, reason);
	}
	return &bundle_modules;
}

/* The slot of `name` in the VM's window: its position in the scenario's list, or -1. */
static int slot_of(const struct vm *vm, const char *name)
{
	for (unsigned i = 0; i < vm->cfg->module_count; i++)
		if (strcmp(vm->cfg->modules[i], name) == 0)
			return (int)i;
	return -1;
}

/* A reader of a const VM still takes its lock: the lock guards the VM, it is not part of it. */
static struct spinlock *lock_of(const struct vm *vm)
{
	return (struct spinlock *)&vm->lock;
}

static uint64_t slot_ipa(const struct vm *vm, unsigned slot)
{
	return vm->cfg->module_window_base + (uint64_t)slot * SCENARIO_MODULE_SLOT;
}

/* Hands back what an emptied slot held (or what a failed load had gathered). */
static void release_contents(const struct modslot_contents *c)
{
	BUG_ON(!c->entry);
	if (c->data_pages)
		BUG_ON(mm_free(c->data_pa, c->data_pages) != MV_OK);
	modcache_release(&cache, c->entry);
}

/*
 * Everything a load needs before it touches the VM, done without the VM's lock: the cache
 * reference, the data frames, relocation and the descriptor check. On success *c holds them
 * (the caller now owns them); on failure nothing is held. Refusals are logged.
 */
static int prepare(struct vm *vm, const char *name, uint64_t base_va, struct modslot_contents *c)
{
	const struct bundle_image *img;
	const struct modelf *elf;
	struct mv_module_desc desc;
	const char *reason;
	uint8_t *data;
	int ret;

	memset(c, 0, sizeof(*c));
	c->base_va = base_va;
	ret = find_image(name, &img);
	if (ret != MV_OK) {
		hyp_printf("hyp: vm %s: module '%s' refused: %s\n", vm->name, name,
			   ret == MV_ERR_NOT_FOUND ? "not in the bundle" : img->reason);
		return ret == MV_ERR_NOT_FOUND ? MV_ERR_NOT_FOUND : MV_ERR_DENIED;
	}
	ret = check_signature(img, name, &reason);
	if (ret != MV_OK) {
		hyp_printf("hyp: vm %s: module '%s' refused: %s\n", vm->name, name, reason);
		return MV_ERR_DENIED;
	}
	ret = modcache_acquire_for(&cache, vm->cfg->module_sharing ? MODCACHE_SHARED : (int)vm->id,
				   name, img->data, img->size, img->sha256, &c->entry, &c->kind,
				   &reason);
	if (ret == MV_ERR_INVALID) {
		hyp_printf("hyp: vm %s: module '%s' refused: %s\n", vm->name, name, reason);
		return MV_ERR_DENIED;
	}
	if (ret != MV_OK)
		return ret;
	elf = &c->entry->elf;
	ret = mm_alloc(modelf_data_pages(elf), 1, FRAME_VM_MODDATA, vm->id, &c->data_pa);
	if (ret != MV_OK) {
		modcache_release(&cache, c->entry);
		memset(c, 0, sizeof(*c));
		return ret;
	}
	c->data_pages = modelf_data_pages(elf);
	data = phys_to_virt(c->data_pa);
	reason = "a relocation is out of bounds";
	/* Fresh frames, freed below if it fails: one pass, every target still checked. */
	ret = modelf_relocate_fresh(c->entry->image, phys_to_virt(c->entry->text_pa), elf, data,
				    base_va);
	if (ret == MV_OK) {
		memcpy(&desc, data + (elf->desc_vaddr - elf->data_vaddr), sizeof(desc));
		ret = modelf_check_entry_points(elf, &desc, base_va, &reason);
	}
	if (ret != MV_OK) {
		hyp_printf("hyp: vm %s: module '%s' refused: %s\n", vm->name, name, reason);
		release_contents(c);
		memset(c, 0, sizeof(*c));
		return MV_ERR_DENIED;
	}
	dcache_clean_range(data, c->data_pages * PAGE_SIZE);
	return MV_OK;
}

/*
 * Maps what prepare() gathered and commits the slot, all under the VM's lock, if the load
 * still owns the slot (a VM stop or reset may have emptied it meanwhile: MV_ERR_BUSY). On
 * failure the slot is EMPTY again and the caller still owns *c.
 */
static int install(struct vm *vm, unsigned slot, uint64_t ticket, const struct modslot_contents *c)
{
	struct modslot *s = &vm->modules[slot].slot;
	const struct mod_entry *e = c->entry;
	uint64_t base_ipa = slot_ipa(vm, slot);
	int ret = MV_ERR_BUSY;

	spin_lock(&vm->lock);
	if (modslot_owns(s, ticket))
		ret = s2_map(&vm->s2, base_ipa, e->text_pa, e->text_pages * PAGE_SIZE, TEXT_MODE);
	if (ret == MV_OK) {
		ret = s2_map(&vm->s2, base_ipa + e->elf.data_vaddr, c->data_pa,
			     c->data_pages * PAGE_SIZE, DATA_MODE);
		if (ret != MV_OK)
			BUG_ON(s2_unmap_keep(&vm->s2, base_ipa, e->text_pages * PAGE_SIZE) !=
			       MV_OK);
	}
	if (ret == MV_OK) {
		BUG_ON(mm_map_ref(e->text_pa, e->text_pages, +1) != MV_OK);
		/* Owned under this same lock hold, with an entry: cannot fail. */
		BUG_ON(modslot_load_commit(s, ticket, c) != MV_OK);
	} else {
		modslot_load_abort(s, ticket);
	}
	spin_unlock(&vm->lock);
	return ret;
}

/* The part of a slot that install() mapped: the text, up to the end of the data frames. */
static uint64_t mapped_span(const struct modslot_contents *c)
{
	return c->entry->elf.data_vaddr + c->data_pages * PAGE_SIZE;
}

/*
 * Undoes install()'s mappings for contents just moved out of a slot; VM lock held. The slot
 * was mapped page by page, so the unmap splits nothing and cannot fail, and the mapping counts
 * it drops are the ones install() raised: a failure is a broken invariant. Either way one TLB
 * flush covers the slot. An unload keeps the slot's table pages (the module is likely to come
 * back: the next load maps into them directly); a VM stop or reset drops the whole slot, and
 * its tables with it.
 */
static void unmap_locked(struct vm *vm, unsigned slot, const struct modslot_contents *c,
			 bool keep_tables)
{
	BUG_ON(!c->entry);
	if (keep_tables)
		BUG_ON(s2_unmap_keep(&vm->s2, slot_ipa(vm, slot), mapped_span(c)) != MV_OK);
	else
		BUG_ON(s2_unmap(&vm->s2, slot_ipa(vm, slot), SCENARIO_MODULE_SLOT) != MV_OK);
	BUG_ON(mm_map_ref(c->entry->text_pa, c->entry->text_pages, -1) != MV_OK);
}

static void sum_entry(const struct mod_entry *e, void *arg)
{
	struct vmmod_cache_stats *s = arg;

	if (!e->resident)
		return;
	s->text_resident += e->text_pages;
	if (e->refs) {
		s->text_mapped += e->text_pages;
		s->text_mappings += e->text_pages * e->refs;
	}
}

void vmmod_cache_stats(struct vmmod_cache_stats *s)
{
	struct modcache_mappings m;

	memset(s, 0, sizeof(*s));
	modcache_foreach(&cache, sum_entry, s);
	m = modcache_mappings(&cache);
	s->peak_mappings = m.peak_mappings;
	s->peak_saved = m.peak_saved;
}

uint64_t vmmod_text_bytes(const struct vm *vm, uint64_t *shared_bytes, uint64_t *private_bytes,
			  unsigned *loaded)
{
	uint64_t pss = 0;

	*shared_bytes = *private_bytes = 0;
	*loaded = 0;
	/* VM lock, then cache lock (the order loads take them in): the slots cannot change, and
	 * the mapping counts are read consistently. */
	spin_lock(lock_of(vm));
	spin_lock(&cache_lock);
	for (unsigned i = 0; i < SCENARIO_MAX_MODULES; i++) {
		struct modslot_contents c;
		uint64_t bytes;

		if (!modslot_loaded(&vm->modules[i].slot, &c))
			continue;
		(*loaded)++;
		bytes = c.entry->text_pages * PAGE_SIZE;
		if (c.entry->owner != MODCACHE_SHARED) {
			*private_bytes += bytes;
			continue;
		}
		*shared_bytes += bytes;
		pss += bytes / (c.entry->refs ? c.entry->refs : 1);
	}
	spin_unlock(&cache_lock);
	spin_unlock(lock_of(vm));
	return pss;
}

static const char *const kind_names[] = {
    "cold: text copied from the bundle", "warm: text was cached, 0 pages copied",
    "shared: text mapped from another VM's frames, 0 pages copied"};

/* Names of the modules loaded in this VM; VM lock held. */
static unsigned loaded_names_locked(const struct vm *vm, const char **names)
{
	unsigned n = 0;

	for (unsigned i = 0; i < vm->cfg->module_count; i++) {
		struct modslot_contents c;

		if (modslot_loaded(&vm->modules[i].slot, &c))
			names[n++] = vm->cfg->modules[i];
	}
	return n;
}

/* A module this one needs that the VM has not loaded, or NULL; VM lock held, so the answer
 * holds until the slot is taken (an unload of a needed module is refused under the lock). */
static const char *unmet_need_locked(const struct vm *vm, const char *name)
{
	const struct scenario_module *m = scenario_module_find(&bundle_modules, name);
	const char *names[SCENARIO_MAX_MODULES];

	if (!m)
		return NULL; /* not in the bundle: prepare() refuses it by name */
	return scenario_unmet_need(m, names, loaded_names_locked(vm, names));
}

/* A loaded module of this VM that needs `name`, or NULL; VM lock held. */
static const char *needed_by_locked(const struct vm *vm, const char *name)
{
	const char *names[SCENARIO_MAX_MODULES];
	unsigned n = loaded_names_locked(vm, names);

	for (unsigned i = 0; i < n; i++) {
		const struct scenario_module *m = scenario_module_find(&bundle_modules, names[i]);

		if (m && scenario_module_needs(m, name))
			return names[i];
	}
	return NULL;
}

void vmmod_prepare_slots(struct vm *vm)
{
	for (unsigned i = 0; i < vm->cfg->module_count; i++) {
		uint64_t span = (uint64_t)vm->cfg->module_pages[i].span * PAGE_SIZE;

		/* Counted in the VM's quota (its module slots' tables); out of memory is fine. */
		if (span)
			(void)s2_prepare(&vm->s2, slot_ipa(vm, i), span);
	}
}

int vmmod_load(struct vm *vm, const char *name, uint64_t window_va, struct vmmod_load_result *r)
{
	struct modslot_contents c;
	int slot = slot_of(vm, name), ret;
	uint64_t ticket, base_va;
	uint32_t version;
	uint64_t text_pages;
	bool already = false;
	const char *need;

	if (slot < 0) {
		hyp_printf("hyp: vm %s: module '%s' denied: not allowed by the scenario\n",
			   vm->name, name);
		return MV_ERR_DENIED;
	}
	base_va = (window_va ? window_va : vm->cfg->module_window_base) +
		  (uint64_t)slot * SCENARIO_MODULE_SLOT;
	spin_lock(&vm->lock);
	need = unmet_need_locked(vm, name);
	ret = need ? MV_ERR_DENIED
		   : modslot_load_begin(&vm->modules[slot].slot, &ticket, &already, &c);
	if (ret == MV_OK && already) {
		/* Read under the lock: the slot's reference keeps the entry what it is. */
		r->base_va = c.base_va;
		r->desc_va = c.base_va + c.entry->elf.desc_vaddr;
		r->flags = MV_MOD_F_ALREADY | MV_MOD_F_RESIDENT;
	}
	spin_unlock(&vm->lock);
	if (need)
		hyp_printf("hyp: vm %s: module '%s' refused: it needs module '%s', not loaded\n",
			   vm->name, name, need);
	if (ret != MV_OK || already)
		return ret;

	ret = prepare(vm, name, base_va, &c);
	if (ret != MV_OK) {
		spin_lock(&vm->lock);
		modslot_load_abort(&vm->modules[slot].slot, ticket);
		spin_unlock(&vm->lock);
		return ret;
	}
	/* Still ours until install() commits: once it has, another vCPU may unload it. */
	r->base_va = base_va;
	r->desc_va = base_va + c.entry->elf.desc_vaddr;
	r->flags = (c.kind != MOD_COLD ? MV_MOD_F_RESIDENT : 0) |
		   (c.kind == MOD_SHARED ? MV_MOD_F_SHARED : 0);
	version = c.entry->version;
	text_pages = c.entry->text_pages;
	ret = install(vm, (unsigned)slot, ticket, &c);
	if (ret != MV_OK) {
		release_contents(&c);
		return ret;
	}
	account_vm_module_loaded(vm, c.kind != MOD_COLD);
	/* Only the first (cold) load is logged: later loads are a hot path, and the guest logs
	 * them itself; the console's Ctrl-A m shows every mapping. */
	if (c.kind == MOD_COLD)
		hyp_printf("hyp: vm %s: module %s %u.%u at %#lx, %lu text + %lu data pages (%s)\n",
			   vm->name, name, version >> 16, version & 0xffff,
			   (unsigned long)slot_ipa(vm, (unsigned)slot), (unsigned long)text_pages,
			   (unsigned long)c.data_pages, kind_names[c.kind]);
	return MV_OK;
}

int vmmod_unload(struct vm *vm, const char *name)
{
	struct modslot_contents c;
	int slot = slot_of(vm, name), ret;
	const char *user;

	if (slot < 0)
		return MV_ERR_DENIED;
	spin_lock(&vm->lock);
	user = needed_by_locked(vm, name);
	ret = user ? MV_ERR_BUSY : modslot_unload(&vm->modules[slot].slot, &c);
	if (ret == MV_OK)
		unmap_locked(vm, (unsigned)slot, &c, true);
	spin_unlock(&vm->lock);
	if (user)
		hyp_printf("hyp: vm %s: module %s not unloaded: module %s needs it\n", vm->name,
			   name, user);
	if (ret != MV_OK)
		return ret;
	/* The slot let go of them above: this caller alone releases them. */
	release_contents(&c);
	account_vm_module_unloaded(vm);
	/* A hot path, like warm loads: counted (Ctrl-A m), printed only at log-level "debug". */
	if (vm->cfg->log_debug)
		hyp_printf("hyp: vm %s: module %s unloaded\n", vm->name, name);
	return MV_OK;
}

void vmmod_unload_all(struct vm *vm)
{
	struct modslot_contents gone[SCENARIO_MAX_MODULES];
	bool held[SCENARIO_MAX_MODULES];

	spin_lock(&vm->lock);
	for (unsigned i = 0; i < SCENARIO_MAX_MODULES; i++) {
		held[i] = modslot_reset(&vm->modules[i].slot, &gone[i]);
		if (held[i])
			unmap_locked(vm, i, &gone[i], false);
	}
	spin_unlock(&vm->lock);
	for (unsigned i = 0; i < SCENARIO_MAX_MODULES; i++)
		if (held[i])
			release_contents(&gone[i]);
}

const char *vmmod_text_at(const struct vm *vm, uint64_t ipa)
{
	const char *name = NULL;

	spin_lock(lock_of(vm));
	for (unsigned i = 0; i < vm->cfg->module_count && !name; i++) {
		struct modslot_contents c;

		if (modslot_loaded(&vm->modules[i].slot, &c) && ipa >= slot_ipa(vm, i) &&
		    ipa - slot_ipa(vm, i) < c.entry->text_pages * PAGE_SIZE)
			name = vm->cfg->modules[i]; /* the scenario's copy outlives any unload */
	}
	spin_unlock(lock_of(vm));
	return name;
}

int vmmod_lookup(const struct vm *vm, const char *name, uint32_t *version, uint64_t *text,
		 uint64_t *data)
{
	const struct bundle_image *img;
	struct modelf elf;
	struct mv_module_desc desc;
	const char *reason;

	if (slot_of(vm, name) < 0)
		return MV_ERR_DENIED;
	if (find_image(name, &img) != MV_OK)
		return MV_ERR_NOT_FOUND;
	if (modelf_check_module(img->data, img->size, name, &elf, &desc, &reason) != MV_OK)
		return MV_ERR_DENIED;
	*version = desc.version;
	*text = modelf_text_pages(&elf) * PAGE_SIZE;
	*data = modelf_data_pages(&elf) * PAGE_SIZE;
	return MV_OK;
}

/* The records of vm's list that m needs, one bit each (MV_MOD_INFO_NEEDS). */
static uint32_t needs_mask(const struct vm *vm, const struct scenario_module *m)
{
	uint32_t mask = 0;

	for (unsigned i = 0; i < vm->cfg->module_count; i++)
		if (scenario_module_needs(m, vm->cfg->modules[i]))
			mask |= 1U << i;
	return mask;
}

unsigned vmmod_list(const struct vm *vm, void *records, unsigned max)
{
	struct mv_mod_info *out = records;
	unsigned n = vm->cfg->module_count;

	for (unsigned i = 0; i < n && i < max; i++) {
		struct modslot_contents c;
		struct mv_mod_info info;

		const struct scenario_module *m =
		    scenario_module_find(&bundle_modules, vm->cfg->modules[i]);

		memset(&info, 0, sizeof(info));
		memcpy(info.name, vm->cfg->modules[i], strlen(vm->cfg->modules[i]));
		info.base = slot_ipa(vm, i);
		/* What the bundle's descriptor says, loaded or not (the boot check put it there).
		 */
		if (m) {
			info.version = m->version;
			info.flags =
			    (m->kind << MV_MOD_INFO_KIND_SHIFT) |
			    (m->refused || image_refused(m->name) ? MV_MOD_INFO_REFUSED : 0) |
			    needs_mask(vm, m) << MV_MOD_INFO_NEEDS_SHIFT;
		}
		spin_lock(lock_of(vm));
		if (modslot_loaded(&vm->modules[i].slot, &c)) {
			info.version = c.entry->version;
			info.flags |= MV_MOD_INFO_LOADED | MV_MOD_INFO_RESIDENT;
			info.text_pages = (uint32_t)c.entry->text_pages;
			info.data_pages = (uint32_t)c.data_pages;
		}
		spin_unlock(lock_of(vm));
		memcpy(&out[i], &info, sizeof(info));
	}
	return n;
}

/* Which VMs map each cache entry: bit i of mappers[id] for VM i, gathered under each VM's lock
 * before the cache lock is taken (the order loads take them in). */
static void print_entry(const struct mod_entry *e, void *arg)
{
	const uint32_t *mappers = arg;
	char vms[VM_MAX * SCENARIO_NAME_MAX] = ""; /* every VM's name and a comma */
	unsigned pos = 0;

	for (unsigned i = 0; i < vm_count() && pos < sizeof(vms); i++)
		if (mappers[e->id] & (1u << i))
			pos += (unsigned)fmt_snprintf(vms + pos, sizeof(vms) - pos, "%s%s",
						      pos ? "," : "", vm_by_index(i)->name);
	hyp_printf("hyp: module %s %u.%u: %s, %lu text pages, refs %u, mapped by [%s], at most %u "
		   "VMs at once, %u cold + %u warm loads, %u unloads\n",
		   e->name, e->version >> 16, e->version & 0xffff,
		   e->resident ? "resident once" : "not resident", (unsigned long)e->text_pages,
		   e->refs, vms, e->peak_refs, e->cold_loads, e->warm_loads, e->releases);
}

void vmmod_print_cache(void)
{
	uint32_t mappers[MODCACHE_MAX] = {0};

	for (unsigned i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);

		spin_lock(lock_of(vm));
		for (unsigned s = 0; s < SCENARIO_MAX_MODULES; s++) {
			struct modslot_contents c;

			if (modslot_loaded(&vm->modules[s].slot, &c))
				mappers[c.entry->id] |= 1u << i;
		}
		spin_unlock(lock_of(vm));
	}
	hyp_printf("hyp: module cache:\n");
	modcache_foreach(&cache, print_entry, mappers);
}
