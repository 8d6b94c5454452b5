/* Self-test probe "release-memory": free page reporting (MV_HVC_MEM_RELEASE) seen by a guest. */
#include "guest.h"
#include <modvisor/hypercall.h>

#define HEAP_BYTES (4UL << 20) /* what selftest.c's heap_setup takes after the stack */
#define PROBE_PAGES 256UL      /* 1 MiB: well above the noise of the guest's own use */
#define RACE_ROUNDS 300
/* What cpu 1 writes: a tag no other VM and no zeroed frame holds, and a counter. */
#define RACE_TAG 0x5e1ea5e000000000ULL

void guest_release_probes(const char *tag, const struct boot_info *info);
void guest_start_cpu1(void (*job)(void)); /* selftest.c */

static uint64_t ram_backed(void)
{
	struct mv_mem_stats s;
	struct smccc_res r =
	    smccc_hvc(MV_HVC_MEM_STATS, (uint64_t)(uintptr_t)&s, sizeof(s), 0, 0, 0, 0);

	return r.a0 == 0 ? s.ram : 0;
}

static struct smccc_res release(uint64_t ipa, uint64_t pages)
{
	return smccc_hvc(MV_HVC_MEM_RELEASE, ipa, pages, 0, 0, 0, 0);
}

static void fill(uintptr_t start, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		volatile uint64_t *p = (volatile uint64_t *)(start + i * PAGE_SIZE);

		p[0] = start + i * PAGE_SIZE;
		p[PAGE_SIZE / 8 - 1] = ~(start + i * PAGE_SIZE);
	}
}

/* Words that are not zero in the range; each page is read whole. */
static unsigned long nonzero_words(uintptr_t start, unsigned long pages)
{
	unsigned long n = 0;

	for (uintptr_t p = start; p < start + pages * PAGE_SIZE; p += 8)
		n += *(volatile uint64_t *)p != 0;
	return n;
}

static bool filled(uintptr_t start, unsigned long pages)
{
	for (unsigned long i = 0; i < pages; i++) {
		const volatile uint64_t *p = (const volatile uint64_t *)(start + i * PAGE_SIZE);

		if (p[0] != start + i * PAGE_SIZE ||
		    p[PAGE_SIZE / 8 - 1] != ~(start + i * PAGE_SIZE))
			return false;
	}
	return true;
}

static void bad_arguments(const char *tag, const struct boot_info *info, uintptr_t start)
{
	uint64_t ram_end = info->ram_base + info->ram_size;

	kprintf("%s: release unaligned returned %ld\n", tag, (long)release(start + 8, 1).a0);
	kprintf("%s: release of 0 pages returned %ld\n", tag, (long)release(start, 0).a0);
	kprintf("%s: release of %u pages returned %ld\n", tag, MV_MEM_RELEASE_MAX_PAGES + 1,
		(long)release(info->ram_base, MV_MEM_RELEASE_MAX_PAGES + 1).a0);
	kprintf("%s: release past the end of RAM returned %ld\n", tag,
		(long)release(ram_end - PAGE_SIZE, 2).a0);
	kprintf("%s: release below RAM returned %ld\n", tag,
		(long)release(info->ram_base - PAGE_SIZE, 2).a0);
	kprintf("%s: release of the UART returned %ld\n", tag, (long)release(0x09000000, 1).a0);
	kprintf("%s: release of a wrapping range returned %ld\n", tag,
		(long)release(~(uint64_t)(PAGE_SIZE - 1), 2).a0);
	if (info->module_window_size)
		kprintf("%s: release of the module window returned %ld\n", tag,
			(long)release(info->module_window_base, 1).a0);
}

static volatile uint64_t *race_word;
static volatile bool race_stop, race_running;
static volatile uint64_t race_bad, race_zero, race_writes, race_bad_value;

/* cpu 1: writes and reads back one word of a page cpu 0 keeps releasing. */
static void race_writer(void)
{
	uint64_t v = RACE_TAG;
	race_running = true;
	while (!race_stop) {
		uint64_t seen;

		*race_word = ++v;
		seen = *race_word;
		/* Its own last value (the old frame, or the new one after a refault), or 0 (a fresh
		 * frame): never another VM's data or a stale frame of its own. */
		if (seen == 0) {
			race_zero++;
		} else if (seen != v) {
			race_bad++;
			race_bad_value = seen;
		}
		race_writes++;
	}
	race_running = false;
}

/*
 * cpu 0, after a release returned: waits until cpu 1 has written twice more (the first of
 * those may have begun before the release returned; the second began after it), without
 * touching the page itself: a fault of its own could flush cpu 1's TLB and hide a stale one.
 */
static void let_writer_run(void)
{
	uint64_t w0 = race_writes;

	for (unsigned long spin = 0; race_writes < w0 + 2 && spin < 100000000UL; spin++)
		;
}

static void race(const char *tag, uintptr_t page)
{
	unsigned long given_back = 0, refused = 0, stale = 0;
	long last_error = 0;

	race_word = (volatile uint64_t *)(page + 64);
	guest_start_cpu1(race_writer);
	/* From a steady state: the writer has its translation cached. */
	while (race_writes < 10000)
		;
	/*
	 * cpu 1 wrote the page on since the previous release returned, so its first write after
	 * that faulted a fresh frame in and this release has a page to give back. Nothing to give
	 * back means cpu 1 went on writing the frame the previous release freed, which the
	 * hypervisor may have handed to another VM (docs/security.md).
	 */
	for (unsigned i = 0; i < RACE_ROUNDS; i++) {
		struct smccc_res r = release(page, 1);

		if (r.a0 == 0) {
			given_back += r.a1;
			stale += i > 0 && r.a1 == 0;
		} else {
			refused++;
			last_error = (long)r.a0;
		}
		let_writer_run();
	}
	/* The writer wrote on after the last release returned: what cpu 1 wrote last is in the
	 * page cpu 0 reads. */
	race_stop = true;
	while (race_running)
		;
	kprintf("%s: race: cpu 1 wrote %#lx last, cpu 0 reads %#lx\n", tag,
		(unsigned long)(RACE_TAG + race_writes), (unsigned long)*race_word);
	kprintf("%s: race: %u releases gave back %lu pages (%lu refused, last %ld) while cpu 1 "
		"wrote %lu times; read zero %lu times, a foreign value %lu times (%#lx)\n",
		tag, RACE_ROUNDS, given_back, refused, last_error, (unsigned long)race_writes,
		(unsigned long)race_zero, (unsigned long)race_bad, (unsigned long)race_bad_value);
	kprintf("%s: race: cpu 1 went on writing a frame it had lost after %lu of %u releases\n",
		tag, stale, RACE_ROUNDS - 1);
}

void guest_release_probes(const char *tag, const struct boot_info *info)
{
	extern char __stack_top[];
	uintptr_t start = ALIGN_UP((uintptr_t)__stack_top, SZ_2M) + HEAP_BYTES;
	uint64_t before, touched, after;
	struct smccc_res r;

	if (!bootarg_has(info, "release-memory"))
		return;
	if (start + PROBE_PAGES * PAGE_SIZE > info->ram_base + info->ram_size) {
		kprintf("%s: no room for the release probe\n", tag);
		return;
	}
	before = ram_backed();
	fill(start, PROBE_PAGES);
	touched = ram_backed();
	r = release(start, PROBE_PAGES);
	after = ram_backed();
	kprintf("%s: release of %lu written pages returned %ld, %lu given back; RAM backed %lu KiB "
		"-> %lu KiB written -> %lu KiB released\n",
		tag, PROBE_PAGES, (long)r.a0, (unsigned long)r.a1, (unsigned long)(before >> 10),
		(unsigned long)(touched >> 10), (unsigned long)(after >> 10));
	kprintf("%s: released pages read back with %lu non-zero words\n", tag,
		nonzero_words(start, PROBE_PAGES));
	r = release(start, PROBE_PAGES);
	kprintf("%s: releasing them again (read, not written) returned %ld, %lu given back\n", tag,
		(long)r.a0, (unsigned long)r.a1);
	r = release(start, PROBE_PAGES);
	kprintf("%s: releasing them a third time returned %ld, %lu given back\n", tag, (long)r.a0,
		(unsigned long)r.a1);
	fill(start, PROBE_PAGES);
	kprintf("%s: written again: contents %s\n", tag,
		filled(start, PROBE_PAGES) ? "intact" : "LOST");
	bad_arguments(tag, info, start);
	kprintf("%s: after the refused calls: contents %s\n", tag,
		filled(start, PROBE_PAGES) ? "intact" : "LOST");
	if (bootarg_has(info, "release-race") && info->cpus > 1)
		race(tag, start);
}
