/* Unit tests for the module cache: refcounts, cold/warm/shared loads, eviction, concurrency. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cache.h"
#include "modimage.h"
#include <modvisor/status.h>

#define POOL_PAGES 8

/* Simulated frames: a small pool of pages with a limit, and counters to check the cache. */
struct fake {
	uint8_t *pages;
	bool used[POOL_PAGES];
	unsigned limit; /* pages the pool may hand out */
	unsigned in_use;
	unsigned allocs, frees, syncs;
	pthread_mutex_t mutex;
	unsigned lock_depth;
};

static struct fake fake;

static int fake_alloc(void *ctx, unsigned id, uint64_t pages, uint64_t *pa)
{
	(void)ctx;
	(void)id;
	for (unsigned i = 0; i + pages <= POOL_PAGES; i++) {
		bool free_run = fake.in_use + pages <= fake.limit;

		for (unsigned j = 0; free_run && j < pages; j++)
			free_run = !fake.used[i + j];
		if (!free_run)
			continue;
		for (unsigned j = 0; j < pages; j++)
			fake.used[i + j] = true;
		fake.in_use += (unsigned)pages;
		fake.allocs++;
		*pa = 0x80000000ULL + (uint64_t)i * 4096;
		return MV_OK;
	}
	return MV_ERR_NO_MEMORY;
}

static void fake_free(void *ctx, uint64_t pa, uint64_t pages)
{
	unsigned first = (unsigned)((pa - 0x80000000ULL) / 4096);

	(void)ctx;
	for (unsigned j = 0; j < pages; j++) {
		assert_true(fake.used[first + j]);
		fake.used[first + j] = false;
	}
	fake.in_use -= (unsigned)pages;
	fake.frees++;
}

static void *fake_p2v(void *ctx, uint64_t pa)
{
	(void)ctx;
	return fake.pages + (pa - 0x80000000ULL);
}

static void fake_sync(void *ctx, void *va, size_t len)
{
	(void)ctx;
	(void)va;
	(void)len;
	fake.syncs++;
}

static void fake_lock(void *ctx)
{
	(void)ctx;
	pthread_mutex_lock(&fake.mutex);
	fake.lock_depth++;
}

static void fake_unlock(void *ctx)
{
	(void)ctx;
	fake.lock_depth--;
	pthread_mutex_unlock(&fake.mutex);
}

static const struct modcache_hooks hooks = {fake_alloc, fake_free, fake_p2v,
					    fake_sync,	fake_lock, fake_unlock};

static uint8_t img_a[MI_SIZE], img_b[MI_SIZE], img_c[MI_SIZE];
static const uint8_t sha_a[32] = {1}, sha_b[32] = {2}, sha_c[32] = {3};
static struct modcache cache;

static int setup(void **state)
{
	(void)state;
	memset(&fake, 0, sizeof(fake));
	fake.pages = calloc(POOL_PAGES, 4096);
	fake.limit = POOL_PAGES;
	pthread_mutex_init(&fake.mutex, NULL);
	mi_build(img_a, "fatfs", 0x10000);
	mi_build(img_b, "signal", 0x10000);
	mi_build(img_c, "extra", 0x10000);
	modcache_init(&cache, &hooks, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	assert_int_equal(fake.lock_depth, 0);
	free(fake.pages);
	pthread_mutex_destroy(&fake.mutex);
	return 0;
}

static struct mod_entry *acquire(const char *name, const uint8_t *img, const uint8_t *sha,
				 enum mod_acquire_kind expect)
{
	struct mod_entry *e = NULL;
	enum mod_acquire_kind kind;
	const char *reason;

	assert_int_equal(modcache_acquire(&cache, name, img, MI_SIZE, sha, &e, &kind, &reason),
			 MV_OK);
	assert_int_equal(kind, expect);
	return e;
}

static void test_cold_then_shared_then_warm(void **state)
{
	struct mod_entry *a1, *a2, *a3;

	(void)state;
	a1 = acquire("fatfs", img_a, sha_a, MOD_COLD);
	assert_true(a1->resident);
	assert_int_equal(a1->refs, 1);
	assert_int_equal(a1->version, 0x10000);
	/* The text was copied once, and made coherent for instruction fetch. */
	assert_int_equal(fake.allocs, 1);
	assert_int_equal(fake.syncs, 1);
	assert_memory_equal(fake_p2v(NULL, a1->text_pa), img_a, MI_TEXT_END);
	a2 = acquire("fatfs", img_a, sha_a, MOD_SHARED);
	assert_ptr_equal(a1, a2);
	assert_int_equal(a1->refs, 2);
	assert_int_equal(fake.allocs, 1); /* nothing copied for the second VM */
	modcache_release(&cache, a1);
	modcache_release(&cache, a2);
	assert_int_equal(a1->refs, 0);
	assert_true(a1->resident); /* kept warm */
	assert_int_equal(fake.frees, 0);
	a3 = acquire("fatfs", img_a, sha_a, MOD_WARM);
	assert_ptr_equal(a1, a3);
	assert_int_equal(fake.allocs, 1);
	assert_int_equal(a1->cold_loads, 1);
	assert_int_equal(a1->warm_loads, 2);
	assert_int_equal(a1->peak_refs, 2);
}

/* The KSM-like counters follow every acquire and release; the peaks stay. */
static void test_mapping_counters_and_peaks(void **state)
{
	struct mod_entry *a1, *a2, *b;
	struct modcache_mappings m;
	uint64_t pa, pb;

	(void)state;
	a1 = acquire("fatfs", img_a, sha_a, MOD_COLD);
	pa = a1->text_pages;
	m = modcache_mappings(&cache);
	assert_int_equal(m.mapped, pa);
	assert_int_equal(m.mappings, pa);
	assert_int_equal(m.peak_saved, 0);
	a2 = acquire("fatfs", img_a, sha_a, MOD_SHARED);
	b = acquire("signal", img_b, sha_b, MOD_COLD);
	pb = b->text_pages;
	m = modcache_mappings(&cache);
	assert_int_equal(m.mapped, pa + pb);
	assert_int_equal(m.mappings, 2 * pa + pb);
	assert_int_equal(m.peak_mappings, 2 * pa + pb);
	assert_int_equal(m.peak_saved, pa);
	modcache_release(&cache, a1);
	modcache_release(&cache, a2);
	modcache_release(&cache, b);
	m = modcache_mappings(&cache);
	assert_int_equal(m.mapped, 0);
	assert_int_equal(m.mappings, 0);
	assert_int_equal(m.peak_mappings, 2 * pa + pb);
	assert_int_equal(m.peak_saved, pa);
	assert_int_equal(a1->releases, 2);
	assert_int_equal(b->releases, 1);
	/* A release of an entry nobody maps changes nothing. */
	modcache_release(&cache, b);
	assert_int_equal(b->releases, 1);
	assert_int_equal(modcache_mappings(&cache).mappings, 0);
}

static void test_key_includes_digest(void **state)
{
	struct mod_entry *a, *b;
	static const uint8_t other[32] = {9};

	(void)state;
	a = acquire("fatfs", img_a, sha_a, MOD_COLD);
	b = acquire("fatfs", img_a, other, MOD_COLD); /* same name, another image: another copy */
	assert_ptr_not_equal(a, b);
	assert_int_equal(fake.in_use, 2);
}

static void test_eviction_frees_warm_only_lru_first(void **state)
{
	struct mod_entry *a, *b, *c;

	(void)state;
	fake.limit = 2;
	a = acquire("fatfs", img_a, sha_a, MOD_COLD);
	b = acquire("signal", img_b, sha_b, MOD_COLD);
	/* Both mapped: nothing can be evicted, so a third module cannot come in. */
	{
		struct mod_entry *e;
		enum mod_acquire_kind kind;
		const char *reason;

		assert_int_equal(
		    modcache_acquire(&cache, "extra", img_c, MI_SIZE, sha_c, &e, &kind, &reason),
		    MV_ERR_NO_MEMORY);
		assert_int_equal(a->refs, 1);
		assert_true(a->resident && b->resident);
	}
	modcache_release(&cache, b); /* released first: least recently used */
	modcache_release(&cache, a);
	c = acquire("extra", img_c, sha_c, MOD_COLD); /* evicts exactly one: b */
	assert_true(c->resident);
	assert_false(b->resident);
	assert_true(a->resident);
	assert_int_equal(fake.in_use, 2);
	modcache_release(&cache, c);
	assert_int_equal(modcache_evict(&cache, 10), 2);
	assert_int_equal(fake.in_use, 0);
	assert_false(a->resident);
	/* An evicted module comes back cold. */
	acquire("fatfs", img_a, sha_a, MOD_COLD);
}

/*
 * The pool's reclaim: warm text only, least recently used first, and only as much as lies above
 * the cache's reservation (frames freed inside it would stay reserved: no use to the caller).
 */
static void test_reclaim_frees_only_usable_warm_text(void **state)
{
	struct mod_entry *a, *b, *c;

	(void)state;
	a = acquire("fatfs", img_a, sha_a, MOD_COLD);
	b = acquire("signal", img_b, sha_b, MOD_COLD);
	c = acquire("extra", img_c, sha_c, MOD_COLD);
	/* All mapped: nothing to take, however much is asked for and may be freed. */
	assert_int_equal(modcache_reclaim(&cache, 10, 10), 0);
	modcache_release(&cache, c);
	modcache_release(&cache, a); /* a is now the most recently used */
	/* Nothing above the reservation: warm text stays. */
	assert_int_equal(modcache_reclaim(&cache, 10, 0), 0);
	assert_true(a->resident && c->resident);
	/* One page usable: the least recently used warm module goes, and only it. */
	assert_int_equal(modcache_reclaim(&cache, 10, 1), 1);
	assert_false(c->resident);
	assert_true(a->resident && b->resident);
	/* Asked for nothing: nothing. */
	assert_int_equal(modcache_reclaim(&cache, 0, 10), 0);
	assert_true(a->resident);
	assert_int_equal(modcache_reclaim(&cache, 5, 5), 1);
	assert_false(a->resident);
	assert_true(b->resident && b->refs == 1); /* mapped text is never taken */
	assert_int_equal(fake.in_use, 1);
	modcache_release(&cache, b);
}

static void test_bad_image_is_refused_with_reason(void **state)
{
	uint8_t bad[MI_SIZE];
	struct mod_entry *e = NULL;
	enum mod_acquire_kind kind;
	const char *reason = NULL;

	(void)state;
	memcpy(bad, img_a, sizeof(bad));
	mi_rela(bad, 0)->info = 257;
	assert_int_equal(modcache_acquire(&cache, "fatfs", bad, MI_SIZE, sha_a, &e, &kind, &reason),
			 MV_ERR_INVALID);
	assert_non_null(strstr(reason, "RELATIVE"));
	assert_int_equal(fake.allocs, 0);
	/* A descriptor naming another module is refused too. */
	assert_int_equal(
	    modcache_acquire(&cache, "signal", img_a, MI_SIZE, sha_a, &e, &kind, &reason),
	    MV_ERR_INVALID);
	assert_non_null(strstr(reason, "another module"));
	assert_int_equal(modcache_acquire(&cache, "a-name-far-too-long", img_a, MI_SIZE, sha_a, &e,
					  &kind, &reason),
			 MV_ERR_INVALID);
	/* Failures leave no entry behind: a good load still works and is cold. */
	acquire("fatfs", img_a, sha_a, MOD_COLD);
}

static void test_entries_run_out_busy(void **state)
{
	uint8_t imgs[MODCACHE_MAX + 1][MI_SIZE];
	uint8_t shas[MODCACHE_MAX + 1][32];
	struct mod_entry *e;
	enum mod_acquire_kind kind;
	const char *reason;

	(void)state;
	fake.limit = POOL_PAGES;
	for (unsigned i = 0; i <= MODCACHE_MAX; i++) {
		char name[8] = "m0";

		name[1] = (char)('0' + i);
		mi_build(imgs[i], name, 1);
		memset(shas[i], (int)i + 1, 32);
		int ret =
		    modcache_acquire(&cache, name, imgs[i], MI_SIZE, shas[i], &e, &kind, &reason);

		if (i < POOL_PAGES)
			assert_int_equal(ret, MV_OK);
		else
			assert_int_not_equal(ret,
					     MV_OK); /* out of frames or entries, never a crash */
	}
}

struct racer {
	struct mod_entry *got;
	enum mod_acquire_kind kind;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	const char *reason;

	for (int i = 0; i < 200; i++) {
		struct mod_entry *e;
		enum mod_acquire_kind kind;

		if (modcache_acquire(&cache, "fatfs", img_a, MI_SIZE, sha_a, &e, &kind, &reason))
			return NULL;
		if (i == 0) {
			r->got = e;
			r->kind = kind;
		}
		if (i < 199)
			modcache_release(&cache, e);
	}
	return NULL;
}

static void test_concurrent_loads_one_copy(void **state)
{
	pthread_t threads[4];
	struct racer r[4];

	(void)state;
	memset(r, 0, sizeof(r));
	for (int i = 0; i < 4; i++)
		pthread_create(&threads[i], NULL, race, &r[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(threads[i], NULL);
	for (int i = 0; i < 4; i++)
		assert_ptr_equal(r[i].got, r[0].got);
	/* Exactly one copy was made, by exactly one of the threads. */
	assert_int_equal(fake.allocs, 1);
	assert_int_equal(r[0].got->cold_loads, 1);
	assert_int_equal(r[0].got->refs, 4);
	assert_int_equal(fake.in_use, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cold_then_shared_then_warm, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_key_includes_digest, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mapping_counters_and_peaks, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_eviction_frees_warm_only_lru_first, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reclaim_frees_only_usable_warm_text, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_bad_image_is_refused_with_reason, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_entries_run_out_busy, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_concurrent_loads_one_copy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
