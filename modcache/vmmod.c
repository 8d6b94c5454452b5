/* Loading and unloading modules for VMs: the EL2 side of the module cache. */
#include "vmmod.h"
#include "arch/cache.h"
#include "bundle.h"
#include "console.h"
#include "mm.h"
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

static uint64_t reclaim(uint64_t frames)
{
	return modcache_evict(&cache, frames);
}

void vmmod_init(const struct bundle *bundle)
{
	boot_bundle = bundle;
	modcache_init(&cache, &hooks, NULL);
	mm_set_reclaim(reclaim);
}

/* The slot of `name` in the VM's window: its position in the scenario's list, or -1. */
static int slot_of(const struct vm *vm, const char *name)
{
	for (unsigned i = 0; i < vm->cfg->module_count; i++)
		if (strcmp(vm->cfg->modules[i], name) == 0)
			return (int)i;
	return -1;
}

/* The bundle names module images "mod-<name>". */
static int find_image(const char *name, const struct bundle_image **img)
{
	char image_name[BUNDLE_NAME_MAX];

	fmt_snprintf(image_name, sizeof(image_name), "mod-%s", name);
	return bundle_find(boot_bundle, image_name, img);
}

static uint64_t text_bytes(const struct mod_entry *e)
{
	return modelf_text_pages(&e->elf) * PAGE_SIZE;
}

/* Maps text and data for a VM; called with vm->lock held. */
static int map_module(struct vm *vm, struct vm_module *m, uint64_t base_va)
{
	const struct modelf *elf = &m->entry->elf;
	int ret;

	ret = s2_map(&vm->s2, m->base_ipa, m->entry->text_pa, m->entry->text_pages * PAGE_SIZE,
		     TEXT_MODE);
	if (ret != MV_OK)
		return ret;
	mm_map_ref(m->entry->text_pa, m->entry->text_pages, +1);
	m->data_pages = modelf_data_pages(elf);
	ret = mm_alloc(m->data_pages, 1, FRAME_VM_MODDATA, vm->id, &m->data_pa);
	if (ret == MV_OK) {
		modelf_relocate(m->entry->image, phys_to_virt(m->entry->text_pa), elf,
				phys_to_virt(m->data_pa), base_va);
		dcache_clean_range(phys_to_virt(m->data_pa), m->data_pages * PAGE_SIZE);
		ret = s2_map(&vm->s2, m->base_ipa + elf->data_vaddr, m->data_pa,
			     m->data_pages * PAGE_SIZE, DATA_MODE);
		if (ret != MV_OK)
			mm_free(m->data_pa, m->data_pages);
	}
	if (ret != MV_OK) {
		s2_unmap(&vm->s2, m->base_ipa, m->entry->text_pages * PAGE_SIZE);
		mm_map_ref(m->entry->text_pa, m->entry->text_pages, -1);
		return ret;
	}
	m->base_va = base_va;
	return MV_OK;
}

/* The relocated descriptor must point its entry points into the module's own text. */
static bool descriptor_sane(const struct vm_module *m, uint64_t *desc_va)
{
	const struct modelf *elf = &m->entry->elf;
	const struct mv_module_desc *d = (const void *)((const uint8_t *)phys_to_virt(m->data_pa) +
							(elf->desc_vaddr - elf->data_vaddr));
	uint64_t text_end = m->base_va + elf->text_filesz;

	*desc_va = m->base_va + elf->desc_vaddr;
	return (uint64_t)(uintptr_t)d->init >= m->base_va &&
	       (uint64_t)(uintptr_t)d->init < text_end &&
	       (!d->exit || ((uint64_t)(uintptr_t)d->exit >= m->base_va &&
			     (uint64_t)(uintptr_t)d->exit < text_end));
}

static void unmap_module(struct vm *vm, struct vm_module *m)
{
	s2_unmap(&vm->s2, m->base_ipa, m->entry->elf.span);
	mm_map_ref(m->entry->text_pa, m->entry->text_pages, -1);
	mm_free(m->data_pa, m->data_pages);
	modcache_release(&cache, m->entry);
	m->entry = NULL;
}

static uint64_t peak_mappings, peak_saved;

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
	memset(s, 0, sizeof(*s));
	modcache_foreach(&cache, sum_entry, s);
	s->peak_mappings = peak_mappings;
	s->peak_saved = peak_saved;
}

static void update_peaks(void)
{
	struct vmmod_cache_stats s;

	vmmod_cache_stats(&s);
	if (s.text_mappings > peak_mappings)
		peak_mappings = s.text_mappings;
	if (s.text_mappings - s.text_mapped > peak_saved)
		peak_saved = s.text_mappings - s.text_mapped;
}

uint64_t vmmod_text_bytes(const struct vm *vm, uint64_t *shared_bytes, uint64_t *private_bytes,
			  unsigned *loaded)
{
	uint64_t pss = 0;

	*shared_bytes = *private_bytes = 0;
	*loaded = 0;
	for (unsigned i = 0; i < SCENARIO_MAX_MODULES; i++) {
		const struct vm_module *m = &vm->modules[i];
		uint64_t bytes;
		unsigned refs;

		if (!m->entry)
			continue;
		(*loaded)++;
		bytes = m->entry->text_pages * PAGE_SIZE;
		if (m->entry->owner != MODCACHE_SHARED) {
			*private_bytes += bytes;
			continue;
		}
		refs = m->entry->refs ? m->entry->refs : 1;
		*shared_bytes += bytes;
		pss += bytes / refs;
	}
	return pss;
}

static const char *const kind_names[] = {
    "cold: text copied from the bundle", "warm: text was cached, 0 pages copied",
    "shared: text mapped from another VM's frames, 0 pages copied"};

int vmmod_load(struct vm *vm, const char *name, uint64_t window_va, struct vmmod_load_result *r)
{
	const struct bundle_image *img;
	struct vm_module *m;
	const char *reason;
	int slot = slot_of(vm, name), ret;

	if (slot < 0) {
		hyp_printf("hyp: vm %s: module '%s' denied: not allowed by the scenario\n",
			   vm->name, name);
		return MV_ERR_DENIED;
	}
	m = &vm->modules[slot];
	uint64_t base_ipa = vm->cfg->module_window_base + (uint64_t)slot * SCENARIO_MODULE_SLOT;
	uint64_t base_va = (window_va ? window_va : vm->cfg->module_window_base) +
			   (uint64_t)slot * SCENARIO_MODULE_SLOT;

	if (m->entry) {
		r->base_va = m->base_va;
		r->desc_va = m->base_va + m->entry->elf.desc_vaddr;
		r->flags = MV_MOD_F_ALREADY | MV_MOD_F_RESIDENT;
		return MV_OK;
	}
	ret = find_image(name, &img);
	if (ret != MV_OK) {
		hyp_printf("hyp: vm %s: module '%s' refused: %s\n", vm->name, name,
			   ret == MV_ERR_NOT_FOUND ? "not in the bundle" : img->reason);
		return ret == MV_ERR_NOT_FOUND ? MV_ERR_NOT_FOUND : MV_ERR_DENIED;
	}
	ret = modcache_acquire_for(&cache, vm->cfg->module_sharing ? MODCACHE_SHARED : (int)vm->id,
				   name, img->data, img->size, img->sha256, &m->entry, &m->kind,
				   &reason);
	if (ret == MV_ERR_INVALID) {
		hyp_printf("hyp: vm %s: module '%s' refused: %s\n", vm->name, name, reason);
		return MV_ERR_DENIED;
	}
	if (ret != MV_OK)
		return ret;
	m->base_ipa = base_ipa;
	spin_lock(&vm->lock);
	ret = map_module(vm, m, base_va);
	spin_unlock(&vm->lock);
	if (ret != MV_OK) {
		modcache_release(&cache, m->entry);
		m->entry = NULL;
		return ret;
	}
	if (!descriptor_sane(m, &r->desc_va)) {
		hyp_printf("hyp: vm %s: module '%s' refused: descriptor entry points outside its "
			   "text\n",
			   vm->name, name);
		spin_lock(&vm->lock);
		unmap_module(vm, m);
		spin_unlock(&vm->lock);
		return MV_ERR_DENIED;
	}
	update_peaks();
	r->base_va = base_va;
	r->flags = (m->kind != MOD_COLD ? MV_MOD_F_RESIDENT : 0) |
		   (m->kind == MOD_SHARED ? MV_MOD_F_SHARED : 0);
	/* Only the first (cold) load is logged: later loads are a hot path, and the guest logs
	 * them itself; the console's Ctrl-A m shows every mapping. */
	if (m->kind == MOD_COLD)
		hyp_printf("hyp: vm %s: module %s %u.%u at %#lx, %lu text + %lu data pages (%s)\n",
			   vm->name, name, m->entry->version >> 16, m->entry->version & 0xffff,
			   (unsigned long)base_ipa, (unsigned long)m->entry->text_pages,
			   (unsigned long)m->data_pages, kind_names[m->kind]);
	return MV_OK;
}

int vmmod_unload(struct vm *vm, const char *name)
{
	int slot = slot_of(vm, name);

	if (slot < 0)
		return MV_ERR_DENIED;
	if (!vm->modules[slot].entry)
		return MV_ERR_NOT_FOUND;
	spin_lock(&vm->lock);
	unmap_module(vm, &vm->modules[slot]);
	spin_unlock(&vm->lock);
	hyp_printf("hyp: vm %s: module %s unloaded\n", vm->name, name);
	return MV_OK;
}

void vmmod_unload_all(struct vm *vm)
{
	spin_lock(&vm->lock);
	for (unsigned i = 0; i < SCENARIO_MAX_MODULES; i++)
		if (vm->modules[i].entry)
			unmap_module(vm, &vm->modules[i]);
	spin_unlock(&vm->lock);
}

const char *vmmod_text_at(const struct vm *vm, uint64_t ipa)
{
	for (unsigned i = 0; i < SCENARIO_MAX_MODULES; i++) {
		const struct vm_module *m = &vm->modules[i];

		if (m->entry && ipa >= m->base_ipa && ipa - m->base_ipa < text_bytes(m->entry))
			return m->entry->name;
	}
	return NULL;
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
	if (modelf_check(img->data, img->size, &elf, &reason) != MV_OK)
		return MV_ERR_DENIED;
	memcpy(&desc,
	       (const uint8_t *)img->data + elf.data_offset + (elf.desc_vaddr - elf.data_vaddr),
	       sizeof(desc));
	*version = desc.version;
	*text = modelf_text_pages(&elf) * PAGE_SIZE;
	*data = modelf_data_pages(&elf) * PAGE_SIZE;
	return MV_OK;
}

unsigned vmmod_list(const struct vm *vm, void *records, unsigned max)
{
	struct mv_mod_info *out = records;
	unsigned n = vm->cfg->module_count;

	for (unsigned i = 0; i < n && i < max; i++) {
		const struct vm_module *m = &vm->modules[i];
		struct mv_mod_info info;

		memset(&info, 0, sizeof(info));
		memcpy(info.name, vm->cfg->modules[i], strlen(vm->cfg->modules[i]));
		info.base = vm->cfg->module_window_base + (uint64_t)i * SCENARIO_MODULE_SLOT;
		if (m->entry) {
			info.version = m->entry->version;
			info.flags = MV_MOD_INFO_LOADED | MV_MOD_INFO_RESIDENT;
			info.text_pages = (uint32_t)m->entry->text_pages;
			info.data_pages = (uint32_t)m->data_pages;
		}
		memcpy(&out[i], &info, sizeof(info));
	}
	return n;
}

static void print_entry(const struct mod_entry *e, void *arg)
{
	char vms[64] = "";
	unsigned pos = 0;

	(void)arg;
	for (unsigned i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);

		for (unsigned s = 0; s < SCENARIO_MAX_MODULES; s++)
			if (vm->modules[s].entry == e)
				pos += (unsigned)fmt_snprintf(vms + pos, sizeof(vms) - pos, "%s%s",
							      pos ? "," : "", vm->name);
	}
	hyp_printf("hyp: module %s %u.%u: %s, %lu text pages, refs %u, mapped by [%s], at most %u "
		   "VMs at once, %u cold + %u warm loads\n",
		   e->name, e->version >> 16, e->version & 0xffff,
		   e->resident ? "resident once" : "not resident", (unsigned long)e->text_pages,
		   e->refs, vms, e->peak_refs, e->cold_loads, e->warm_loads);
}

void vmmod_print_cache(void)
{
	hyp_printf("hyp: module cache:\n");
	modcache_foreach(&cache, print_entry, NULL);
}
