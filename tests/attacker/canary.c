/* The canary: a well-behaved VM beside the attacker that checks its memory, disk, module text
 * and timer keep what they should, and prints PASS or FAIL. */
#include "attacker.h"
#include "virtio_blk.h"
#include <modvisor/hypercall.h>
#include <sha256.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TICK_HZ 100
#define DISK_SECTORS 64
#define DEFAULT_MS 4000
#define MAX_ROUNDS 1000000
/* Ticks count as "still arriving" if none is missing for this long and at least a quarter come
 * (the guest timer re-arms relative to each tick, and the host may be loaded:
 * without -icount, virtual time is host time and a vCPU thread can wait for a host core). */
#define MAX_GAP_MS 1000

static uint64_t last_tick, max_gap;

static void on_tick(uint64_t n)
{
	uint64_t now = cntvct();

	if (n > 1 && now - last_tick > max_gap)
		max_gap = now - last_tick;
	last_tick = now;
}

static struct gvblk disk;
static uint8_t sectors[DISK_SECTORS][512] __aligned(64);
static uint8_t back[DISK_SECTORS][512] __aligned(64);
static unsigned failures;

static __printf(1, 2) void fail(const char *fmt, ...)
{
	char buf[160];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kprintf("canary: FAIL: %s\n", buf);
	failures++;
}

/* Bootargs value of key=..., or def. */
static uint64_t arg_value(const char *args, const char *key, uint64_t def)
{
	size_t n = strlen(key);

	for (const char *p = args; *p;) {
		while (*p == ' ')
			p++;
		if (strncmp(p, key, n) == 0 && p[n] == '=')
			return strtoul(p + n + 1, NULL, 0);
		while (*p && *p != ' ')
			p++;
	}
	return def;
}

static uint64_t pattern(uint64_t addr, uint64_t round)
{
	return addr * 0x9e3779b97f4a7c15ULL ^ (round << 32 | round);
}

static void fill(uint64_t lo, uint64_t hi, uint64_t round)
{
	for (uint64_t a = lo; a < hi; a += 8)
		*(volatile uint64_t *)(uintptr_t)a = pattern(a, round);
}

static bool verify(uint64_t lo, uint64_t hi, uint64_t round)
{
	for (uint64_t a = lo; a < hi; a += 8) {
		uint64_t v = *(volatile uint64_t *)(uintptr_t)a;

		if (v != pattern(a, round)) {
			fail("memory at %#lx holds %#lx, wrote %#lx in round %lu", (unsigned long)a,
			     (unsigned long)v, (unsigned long)pattern(a, round),
			     (unsigned long)round);
			return false;
		}
	}
	return true;
}

static bool disk_check(uint64_t first)
{
	if (gvblk_read(&disk, first, back, DISK_SECTORS) != 0) {
		fail("disk read of sectors %lu..%lu failed", (unsigned long)first,
		     (unsigned long)(first + DISK_SECTORS - 1));
		return false;
	}
	for (unsigned i = 0; i < DISK_SECTORS; i++)
		if (memcmp(sectors[i], back[i], 512) != 0) {
			fail("disk sector %lu does not hold what was written",
			     (unsigned long)(first + i));
			return false;
		}
	return true;
}

static void hash_text(uint64_t base, uint64_t bytes, uint8_t out[SHA256_DIGEST_SIZE])
{
	sha256((const void *)(uintptr_t)base, bytes, out);
}

void canary_main(const struct boot_info *info)
{
	extern char __stack_top[];
	uint64_t lo = ALIGN_UP((uint64_t)(uintptr_t)__stack_top, SZ_2M);
	uint64_t hi = info->ram_base + info->ram_size;
	uint64_t ms = arg_value(info->bootargs, "canary-ms", DEFAULT_MS);
	uint64_t freq, t0, deadline, first = 0, text = 0, base = 0, rounds = 0, elapsed_ms;
	uint8_t h0[SHA256_DIGEST_SIZE], h[SHA256_DIGEST_SIZE];
	char hex[SHA256_HEX_SIZE] = "-";
	struct smccc_res r;
	uint64_t expect_ticks, ticks, gap_ms;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	gic_init();
	last_tick = cntvct();
	timer_start(TICK_HZ, on_tick);
	uart_rx_start();
	irq_enable();
	if (lo >= hi)
		fail("no RAM to check beyond the kernel");
	/* Module text: load fatfs, hash its text pages now, again every round and at the end. */
	r = smccc_hvc(MV_HVC_MOD_LOOKUP, (uint64_t)(uintptr_t) "fatfs", 5, 0, 0, 0, 0);
	if (r.a0 == MV_OK) {
		text = r.a2;
		r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t) "fatfs", 5, 0, 0, 0, 0);
		base = r.a1;
	}
	if (r.a0 != MV_OK || !text) {
		fail("cannot load module fatfs (%ld)", (long)r.a0);
		text = 0;
	} else {
		hash_text(base, text, h0);
		sha256_to_hex(h0, hex);
	}
	/* Disk: the raw space past the filesystem, the last 1 MiB. */
	if (!info->has_disk || gvblk_init(&disk, GVBLK_BASE) != 0) {
		fail("no disk");
	} else {
		first = gvblk_capacity(&disk) - 2048;
		for (unsigned i = 0; i < DISK_SECTORS; i++)
			for (unsigned k = 0; k < 512; k += 8)
				*(uint64_t *)&sectors[i][k] = pattern(first + i, k);
		if (gvblk_write(&disk, first, sectors, DISK_SECTORS) != 0 ||
		    gvblk_flush(&disk) != 0)
			fail("disk write of sectors %lu.. failed", (unsigned long)first);
	}
	kprintf(
	    "canary: checking %lu MiB of RAM, %u disk sectors from %lu, fatfs text %lu bytes at "
	    "%#lx, %u Hz timer, for %lu ms\n",
	    (unsigned long)((hi - lo) >> 20), DISK_SECTORS, (unsigned long)first,
	    (unsigned long)text, (unsigned long)base, TICK_HZ, (unsigned long)ms);
	t0 = cntvct();
	deadline = t0 + ms * freq / 1000;
	/* Until the deadline, or until told "stop" on the console (the test does so once the
	 * attacker has exited), but at least two rounds. */
	while (failures == 0 && rounds < MAX_ROUNDS && (rounds < 2 || cntvct() < deadline)) {
		const char *line = uart_rx_line();

		if (line && strcmp(line, "stop") == 0 && rounds >= 2)
			break;
		rounds++;
		fill(lo, hi, rounds);
		if (!verify(lo, hi, rounds))
			break;
		if (info->has_disk && !disk_check(first))
			break;
		if (text) {
			hash_text(base, text, h);
			if (memcmp(h, h0, sizeof(h)) != 0)
				fail("fatfs text changed in round %lu", (unsigned long)rounds);
		}
	}
	elapsed_ms = (cntvct() - t0) * 1000 / freq;
	ticks = timer_ticks();
	expect_ticks = (cntvct() - t0) * TICK_HZ / freq;
	gap_ms = max_gap * 1000 / freq;
	if (ticks * 4 + 2 < expect_ticks || gap_ms > MAX_GAP_MS)
		fail("%lu timer ticks in %lu ms (expected about %lu), longest gap %lu ms",
		     (unsigned long)ticks, (unsigned long)elapsed_ms, (unsigned long)expect_ticks,
		     (unsigned long)gap_ms);
	if (text) {
		struct mv_mod_info mods[4];

		r = smccc_hvc(MV_HVC_MOD_LIST, (uint64_t)(uintptr_t)mods, sizeof(mods), 0, 0, 0, 0);
		if (r.a0 != MV_OK || r.a1 != 1 || strcmp(mods[0].name, "fatfs") != 0 ||
		    !(mods[0].flags & MV_MOD_INFO_LOADED) || mods[0].base != base)
			fail("the hypervisor no longer lists fatfs as loaded at %#lx",
			     (unsigned long)base);
		r = smccc_hvc(MV_HVC_MOD_UNLOAD, (uint64_t)(uintptr_t) "fatfs", 5, 0, 0, 0, 0);
		if (r.a0 != MV_OK)
			fail("unloading fatfs returned %ld", (long)r.a0);
	}
	if (failures == 0)
		kprintf(
		    "canary: PASS: %lu rounds in %lu ms: RAM %lu MiB, disk %u sectors, fatfs text "
		    "sha256 %.16s.. intact; %lu of %lu ticks, gap %lu ms\n",
		    (unsigned long)rounds, (unsigned long)elapsed_ms,
		    (unsigned long)((hi - lo) >> 20), info->has_disk ? DISK_SECTORS : 0, hex,
		    (unsigned long)ticks, (unsigned long)expect_ticks, (unsigned long)gap_ms);
	else
		kprintf("canary: FAIL: %u check(s) failed\n", failures);
	psci_system_off();
}
