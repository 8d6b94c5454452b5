/* Unit tests for the module slot state machine (modcache/modslot.c), alone and under races. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modimage.h"
#include "modslot.h"
#include <modvisor/status.h>

static struct mod_entry entry_a, entry_b;

static struct modslot_contents contents(struct mod_entry *e, uint64_t data_pa)
{
	struct modslot_contents c = {e, 0x100000000ULL, data_pa, 1, MOD_COLD};

	return c;
}

static void assert_cleared(const struct modslot *s)
{
	static const struct modslot_contents zero;

	assert_int_equal(s->state, MODSLOT_EMPTY);
	assert_memory_equal(&s->c, &zero, sizeof(zero));
}

static void test_load_unload_cycle(void **state)
{
	struct modslot s = {0};
	struct modslot_contents c = contents(&entry_a, 0x5000), cur, out;
	uint64_t ticket;
	bool already;

	(void)state;
	assert_cleared(&s);
	assert_false(modslot_loaded(&s, &cur));
	assert_int_equal(modslot_load_begin(&s, &ticket, &already, &cur), MV_OK);
	assert_false(already);
	assert_int_equal(s.state, MODSLOT_LOADING);
	assert_true(modslot_owns(&s, ticket));
	assert_false(modslot_loaded(&s, &cur)); /* readers see nothing while loading */
	assert_int_equal(modslot_load_commit(&s, ticket, &c), MV_OK);
	assert_int_equal(s.state, MODSLOT_LOADED);
	assert_false(modslot_owns(&s, ticket));
	assert_true(modslot_loaded(&s, &cur));
	assert_ptr_equal(cur.entry, &entry_a);
	assert_int_equal(cur.data_pa, 0x5000);

	/* a second load of a loaded slot: "already", nothing changes */
	memset(&cur, 0, sizeof(cur));
	assert_int_equal(modslot_load_begin(&s, &ticket, &already, &cur), MV_OK);
	assert_true(already);
	assert_ptr_equal(cur.entry, &entry_a);
	assert_int_equal(s.state, MODSLOT_LOADED);

	/* unload moves the contents out and clears the slot: nothing stale is left to free */
	assert_int_equal(modslot_unload(&s, &out), MV_OK);
	assert_ptr_equal(out.entry, &entry_a);
	assert_int_equal(out.data_pa, 0x5000);
	assert_cleared(&s);
	assert_int_equal(modslot_unload(&s, &out), MV_ERR_NOT_FOUND);
}

static void test_loading_is_busy(void **state)
{
	struct modslot s = {0};
	struct modslot_contents cur, out;
	uint64_t ticket, other = 12345;
	bool already;

	(void)state;
	assert_int_equal(modslot_load_begin(&s, &ticket, &already, &cur), MV_OK);
	/* another vCPU's load or unload of the same slot meanwhile */
	assert_int_equal(modslot_load_begin(&s, &other, &already, &cur), MV_ERR_BUSY);
	assert_false(already);
	assert_int_equal(other, 12345);
	assert_int_equal(modslot_unload(&s, &out), MV_ERR_BUSY);
	assert_true(modslot_owns(&s, ticket));
	/* the load gives up: the slot is empty and the next load gets a fresh ticket */
	modslot_load_abort(&s, ticket);
	assert_cleared(&s);
	assert_int_equal(modslot_load_begin(&s, &other, &already, &cur), MV_OK);
	assert_int_not_equal(other, ticket);
	assert_false(modslot_owns(&s, ticket));
}

static void test_illegal_transitions(void **state)
{
	struct modslot s = {0};
	struct modslot_contents a = contents(&entry_a, 0x5000), b = contents(&entry_b, 0x9000);
	struct modslot_contents none = contents(NULL, 0x5000), cur;
	uint64_t ticket, t2;
	bool already;

	(void)state;
	/* commit or abort of a load that never began */
	assert_int_equal(modslot_load_commit(&s, 0, &a), MV_ERR_BUSY);
	modslot_load_abort(&s, 0);
	assert_cleared(&s);
	/* a commit that would leave a loaded slot without a cache entry */
	assert_int_equal(modslot_load_begin(&s, &ticket, &already, &cur), MV_OK);
	assert_int_equal(modslot_load_commit(&s, ticket, &none), MV_ERR_INVALID);
	assert_int_equal(s.state, MODSLOT_LOADING);
	assert_int_equal(modslot_load_commit(&s, ticket, &a), MV_OK);
	/* the same ticket again: neither a second commit nor an abort touches the loaded slot */
	assert_int_equal(modslot_load_commit(&s, ticket, &b), MV_ERR_BUSY);
	modslot_load_abort(&s, ticket);
	assert_true(modslot_loaded(&s, &cur));
	assert_ptr_equal(cur.entry, &entry_a);
	/* an old ticket after unload and a new load by someone else */
	assert_int_equal(modslot_unload(&s, &cur), MV_OK);
	assert_int_equal(modslot_load_begin(&s, &t2, &already, &cur), MV_OK);
	assert_int_equal(modslot_load_commit(&s, ticket, &b), MV_ERR_BUSY);
	modslot_load_abort(&s, ticket);
	assert_true(modslot_owns(&s, t2));
}

/* VM stop or reset while another vCPU is loading or has loaded. */
static void test_reset(void **state)
{
	struct modslot s = {0};
	struct modslot_contents a = contents(&entry_a, 0x5000), cur, out;
	uint64_t ticket, t2;
	bool already;

	(void)state;
	assert_false(modslot_reset(&s, &out));
	assert_cleared(&s);
	/* loaded: the contents go to the resetter */
	assert_int_equal(modslot_load_begin(&s, &ticket, &already, &cur), MV_OK);
	assert_int_equal(modslot_load_commit(&s, ticket, &a), MV_OK);
	assert_true(modslot_reset(&s, &out));
	assert_ptr_equal(out.entry, &entry_a);
	assert_cleared(&s);
	/* loading: the slot empties, the loader's ticket goes stale, its commit fails and it keeps
	 * (and releases) what it gathered; a load begun after the reset is unaffected */
	assert_int_equal(modslot_load_begin(&s, &ticket, &already, &cur), MV_OK);
	assert_false(modslot_reset(&s, &out));
	assert_cleared(&s);
	assert_false(modslot_owns(&s, ticket));
	assert_int_equal(modslot_load_begin(&s, &t2, &already, &cur), MV_OK);
	assert_int_equal(modslot_load_commit(&s, ticket, &a), MV_ERR_BUSY);
	modslot_load_abort(&s, ticket);
	assert_true(modslot_owns(&s, t2));
}

/*
 * Two vCPUs of one VM race load and unload of one module, a third resets the VM now and then
 * and a fourth reads the slot like MOD_LIST does, all against the real slot, cache and
 * relocation code with the protocol of modcache/vmmod.c. Frames are heap blocks (ASan sees
 * double frees and stale uses); a text mapping count per entry stands for mm_map_ref.
 */
#define STRESS_OPS 20000
#define STRESS_BASE 0x100000000ULL

static struct {
	pthread_mutex_t vm_lock, cache_lock;
	struct modslot slot;
	struct modcache cache;
	uint8_t image[MI_SIZE];
	uint8_t sha[32];
	int text_maps[MODCACHE_MAX]; /* under vm_lock */
	atomic_int data_blocks;
	atomic_int commits, unloads, resets, busy, already, stale;
	atomic_bool stop;
	atomic_int failures;
} sim;

static void check(bool ok)
{
	if (!ok)
		atomic_fetch_add(&sim.failures, 1);
}

static int sim_alloc_text(void *ctx, unsigned id, uint64_t pages, uint64_t *pa)
{
	void *p = aligned_alloc(MODELF_PAGE, pages * MODELF_PAGE);

	(void)ctx;
	(void)id;
	if (!p)
		return MV_ERR_NO_MEMORY;
	memset(p, 0, pages * MODELF_PAGE);
	*pa = (uint64_t)(uintptr_t)p;
	return MV_OK;
}

static void sim_free_text(void *ctx, uint64_t pa, uint64_t pages)
{
	(void)ctx;
	(void)pages;
	free((void *)(uintptr_t)pa);
}

static void *sim_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return (void *)(uintptr_t)pa;
}

static void sim_sync(void *ctx, void *va, size_t len)
{
	(void)ctx;
	(void)va;
	(void)len;
}

static void sim_lock(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&sim.cache_lock);
}

static void sim_unlock(void *ctx)
{
	(void)ctx;
	pthread_mutex_unlock(&sim.cache_lock);
}

static const struct modcache_hooks sim_hooks = {sim_alloc_text, sim_free_text, sim_p2v,
						sim_sync,	sim_lock,      sim_unlock};

static void sim_release(const struct modslot_contents *c)
{
	check(c->entry != NULL && c->data_pa != 0);
	if (!c->entry)
		return;
	free((void *)(uintptr_t)c->data_pa);
	atomic_fetch_sub(&sim.data_blocks, 1);
	modcache_release(&sim.cache, c->entry);
}

/* vmmod_load's protocol: begin under the lock, gather outside it, map and commit under it. */
static void sim_load(void)
{
	struct modslot_contents c, cur;
	struct mv_module_desc desc;
	const char *reason;
	uint64_t ticket;
	bool already;
	uint8_t *data;
	int ret;

	pthread_mutex_lock(&sim.vm_lock);
	ret = modslot_load_begin(&sim.slot, &ticket, &already, &cur);
	if (ret == MV_OK && already)
		check(cur.entry != NULL && cur.data_pa != 0);
	pthread_mutex_unlock(&sim.vm_lock);
	if (ret != MV_OK || already) {
		atomic_fetch_add(ret != MV_OK ? &sim.busy : &sim.already, 1);
		return;
	}
	memset(&c, 0, sizeof(c));
	c.base_va = STRESS_BASE;
	ret = modcache_acquire(&sim.cache, "fatfs", sim.image, sizeof(sim.image), sim.sha, &c.entry,
			       &c.kind, &reason);
	check(ret == MV_OK);
	c.data_pages = modelf_data_pages(&c.entry->elf);
	data = aligned_alloc(MODELF_PAGE, c.data_pages * MODELF_PAGE);
	check(data != NULL);
	memset(data, 0, c.data_pages * MODELF_PAGE);
	atomic_fetch_add(&sim.data_blocks, 1);
	c.data_pa = (uint64_t)(uintptr_t)data;
	check(modelf_relocate(c.entry->image, sim_p2v(NULL, c.entry->text_pa), &c.entry->elf, data,
			      STRESS_BASE) == MV_OK);
	memcpy(&desc, data + (MI_DESC - MI_DATA), sizeof(desc));
	check(modelf_check_entry_points(&c.entry->elf, &desc, STRESS_BASE, &reason) == MV_OK);

	pthread_mutex_lock(&sim.vm_lock);
	if (modslot_owns(&sim.slot, ticket)) {
		sim.text_maps[c.entry->id]++;
		check(modslot_load_commit(&sim.slot, ticket, &c) == MV_OK);
		c.entry = NULL;
		atomic_fetch_add(&sim.commits, 1);
	} else {
		modslot_load_abort(&sim.slot, ticket);
	}
	pthread_mutex_unlock(&sim.vm_lock);
	if (c.entry) {
		atomic_fetch_add(&sim.stale, 1);
		sim_release(&c);
	}
}

/* vmmod_unload's and vmmod_unload_all's: empty the slot and unmap under the lock, release
 * after. */
static void sim_unload(bool reset)
{
	struct modslot_contents out;
	bool held;

	pthread_mutex_lock(&sim.vm_lock);
	held = reset ? modslot_reset(&sim.slot, &out) : modslot_unload(&sim.slot, &out) == MV_OK;
	if (held) {
		check(out.entry != NULL && sim.text_maps[out.entry->id] == 1);
		if (out.entry)
			sim.text_maps[out.entry->id]--;
	}
	pthread_mutex_unlock(&sim.vm_lock);
	if (held) {
		atomic_fetch_add(reset ? &sim.resets : &sim.unloads, 1);
		sim_release(&out);
	}
}

static void *vcpu_thread(void *arg)
{
	uint32_t r = (uint32_t)(uintptr_t)arg;

	for (unsigned i = 0; i < STRESS_OPS; i++) {
		r ^= r << 13; /* xorshift32: rand_r is not C11 */
		r ^= r >> 17;
		r ^= r << 5;

		if (r % 100 == 0)
			sim_unload(true); /* the VM resets */
		else if (r & 1)
			sim_load();
		else
			sim_unload(false);
	}
	return NULL;
}

/* MOD_LIST and the statistics: a loaded slot is whole: a reference and one mapping. */
static void *reader_thread(void *arg)
{
	(void)arg;
	while (!atomic_load(&sim.stop)) {
		struct modslot_contents c;

		pthread_mutex_lock(&sim.vm_lock);
		if (modslot_loaded(&sim.slot, &c)) {
			uint64_t init;

			check(c.entry != NULL && c.data_pa != 0 && c.data_pages == 1);
			check(c.entry && sim.text_maps[c.entry->id] == 1);
			pthread_mutex_lock(&sim.cache_lock);
			check(c.entry && c.entry->refs >= 1 && c.entry->resident);
			pthread_mutex_unlock(&sim.cache_lock);
			memcpy(&init,
			       (uint8_t *)(uintptr_t)c.data_pa + (MI_DESC - MI_DATA) +
				   offsetof(struct mv_module_desc, init),
			       sizeof(init));
			check(init == STRESS_BASE + MI_CODE);
		} else {
			check(sim.slot.c.entry == NULL && sim.slot.c.data_pa == 0);
		}
		pthread_mutex_unlock(&sim.vm_lock);
	}
	return NULL;
}

static void test_racing_vcpus(void **state)
{
	pthread_t vcpu[2], reader;

	(void)state;
	memset(&sim, 0, sizeof(sim));
	pthread_mutex_init(&sim.vm_lock, NULL);
	pthread_mutex_init(&sim.cache_lock, NULL);
	mi_build(sim.image, "fatfs", 0x10000);
	modcache_init(&sim.cache, &sim_hooks, NULL);
	assert_int_equal(pthread_create(&reader, NULL, reader_thread, NULL), 0);
	assert_int_equal(pthread_create(&vcpu[0], NULL, vcpu_thread, (void *)1), 0);
	assert_int_equal(pthread_create(&vcpu[1], NULL, vcpu_thread, (void *)2), 0);
	pthread_join(vcpu[0], NULL);
	pthread_join(vcpu[1], NULL);
	atomic_store(&sim.stop, true);
	pthread_join(reader, NULL);
	sim_unload(true); /* the VM stops */

	assert_int_equal(atomic_load(&sim.failures), 0);
	/* every commit was undone exactly once, and everything was handed back */
	assert_int_equal(atomic_load(&sim.commits),
			 atomic_load(&sim.unloads) + atomic_load(&sim.resets));
	assert_int_equal(atomic_load(&sim.data_blocks), 0);
	assert_cleared(&sim.slot);
	for (unsigned i = 0; i < MODCACHE_MAX; i++) {
		assert_int_equal(sim.text_maps[i], 0);
		assert_int_equal(sim.cache.entries[i].refs, 0);
	}
	/* the race really happened: both outcomes of a contended load were seen */
	assert_true(atomic_load(&sim.commits) > 100);
	assert_true(atomic_load(&sim.busy) + atomic_load(&sim.already) > 100);
	print_message("commits %d unloads %d resets %d busy %d already %d stale %d\n",
		      atomic_load(&sim.commits), atomic_load(&sim.unloads),
		      atomic_load(&sim.resets), atomic_load(&sim.busy), atomic_load(&sim.already),
		      atomic_load(&sim.stale));
	modcache_evict(&sim.cache, UINT64_MAX);
	pthread_mutex_destroy(&sim.vm_lock);
	pthread_mutex_destroy(&sim.cache_lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_load_unload_cycle),	cmocka_unit_test(test_loading_is_busy),
	    cmocka_unit_test(test_illegal_transitions), cmocka_unit_test(test_reset),
	    cmocka_unit_test(test_racing_vcpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
