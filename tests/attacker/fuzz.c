/* The attacker's fuzz phases: hypercalls, MMIO, the vGIC, PSCI and the load/unload race. */
#include "attacker.h"
#include <dev/gicv3.h>
#include <dev/pl031.h>
#include <dev/virtio_mmio.h>
#include <modvisor/guest_map.h>
#include <modvisor/hypercall.h>
#include <string.h>

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_FEATURES 0x8400000au

#define GICD_SIZE 0x10000U
#define PL011_SIZE 0x1000U
#define VIRTIO_SIZE 0x200U

/* Names a module call may be pointed at: valid, unknown, malformed, too long. */
static const char *const names[] = {
    "fatfs",	       "signal",	   "ext4", "nosuch", "FATFS", "fat fs", "../x", "fatfs\n",
    "aaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "",
};
/* The names are passed from a writable copy: the same pointer often reaches a call that writes
 * (MEM_STATS, MOD_LIST up to 160 bytes), which must not land in this kernel's image. */
#define NAME_SLOT 256
static char name_pool[ARRAY_SIZE(names)][NAME_SLOT] __aligned(64);

static void refresh_names(void)
{
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		strlcpy(name_pool[i], names[i], NAME_SLOT);
}

static uint64_t name_ptr(unsigned i)
{
	return (uint64_t)(uintptr_t)name_pool[i];
}

uint64_t atk_arg(uint64_t *s)
{
	uint64_t r = rnd(s);
	uint64_t span = atk.scratch_hi - atk.scratch_lo;
	uint64_t wbase = atk.info.module_window_base, wsize = atk.info.module_window_size;

	switch (rnd_below(s, 10)) {
	case 0:
		return r & 63;
	case 1:
		return r;
	case 2:
		return span ? atk.scratch_lo + r % span : atk.ram_hi; /* any alignment */
	case 3:
		return name_ptr((unsigned)(r % ARRAY_SIZE(names)));
	case 4: /* straddling or just past either end of RAM */
		switch (r % 3) {
		case 0:
			return atk.ram_lo - (r >> 8) % 64;
		case 1:
			return atk.ram_hi - (r >> 8) % 64;
		default:
			return atk.ram_hi + (r >> 8) % (1ULL << 32);
		}
	case 5: /* the module window: its slots, its ends */
		if (!wsize)
			return r;
		return r & 1 ? wbase + (r >> 1) % wsize : wbase + wsize - (r >> 1) % 64;
	case 6:
		return GUEST_DEVICE_BASE + r % (GUEST_DEVICE_END - GUEST_DEVICE_BASE);
	case 7: {
		static const uint64_t special[] = {0,
						   ~0ULL,
						   1ULL << 63,
						   0xffff000000000000ULL,
						   0x7fffffffffffffffULL,
						   1ULL << 32,
						   1ULL << 40,
						   (1ULL << 48) - 8,
						   0x3ffff000ULL,
						   0xfffffffffffff000ULL};
		return special[r % ARRAY_SIZE(special)];
	}
	case 8: /* high bits set over a good pointer: SMCCC says the callee must not ignore them */
		return (r & 0xffff000000000000ULL) |
		       (span ? atk.scratch_lo + (r >> 16) % span : atk.ram_lo);
	default: /* the start of RAM, where the device tree was */
		return atk.ram_lo + (r & 1 ? 0 : (r >> 1) % 4096);
	}
}

uint64_t atk_len(uint64_t *s)
{
	static const uint64_t lens[] = {0,	 1,	     5,	    6,		15,
					16,	 40,	     64,    4096,	4097,
					1 << 20, 1ULL << 32, ~0ULL, 1ULL << 63, 0x7fffffffULL};
	uint64_t r = rnd(s);

	return r & 1 ? lens[(r >> 1) % ARRAY_SIZE(lens)] : (r >> 1) % 128;
}

/* PSCI power-state calls stay out of the default fuzz (they would end this VM, or hit the
 * known CPU_OFF and SYSTEM_RESET bugs of issue 11): CPU_SUSPEND, CPU_OFF, SYSTEM_OFF,
 * SYSTEM_RESET, CPU_FREEZE, CPU_DEFAULT_SUSPEND, SYSTEM_SUSPEND, SYSTEM_RESET2. */
static bool psci_power_call(uint32_t fid)
{
	static const uint32_t mask = BIT(0x1) | BIT(0x2) | BIT(0x8) | BIT(0x9) | BIT(0xb) |
				     BIT(0xc) | BIT(0xe) | BIT(0xf) | BIT(0x12);

	return (fid & 0xbfffffe0u) == 0x84000000u && (mask >> (fid & 0x1f) & 1);
}

static uint32_t fid_gen(uint64_t *s)
{
	static const uint32_t known[] = {MV_HVC_VERSION,      MV_HVC_MOD_LOOKUP, MV_HVC_MOD_LOAD,
					 MV_HVC_MOD_UNLOAD,   MV_HVC_MOD_LIST,	 MV_HVC_MEM_STATS,
					 MV_HVC_CALL_UID,     MV_HVC_REVISION,	 SMCCC_VERSION,
					 SMCCC_ARCH_FEATURES, MV_HVC_MEM_RELEASE};
	uint64_t r = rnd(s);

	switch (rnd_below(s, 8)) {
	case 0: /* SMCCC architecture calls and their query range */
		return (r & 1 ? 0x8000ff00u : 0x80000000u) | (uint32_t)((r >> 1) & 0xff);
	case 1: /* standard service (PSCI), SMC32 and SMC64 */
		return (r & 1 ? 0xc4000000u : 0x84000000u) | (uint32_t)((r >> 1) & 0x3f);
	case 2: /* vendor hypervisor, SMC64: modvisor's own range */
		return MV_HVC_BASE | (uint32_t)((r >> 1) & 0xff);
	case 3: /* vendor hypervisor, SMC32, and its query range */
		return (r & 1 ? 0x8600ff00u : 0x86000000u) | (uint32_t)((r >> 1) & 0xff);
	case 4:
	case 5:
		return known[r % ARRAY_SIZE(known)];
	case 6: /* any owner, fast or yielding, SMC32 or SMC64 */
		return (uint32_t)(r & 0xc0000000u) | (uint32_t)(((r >> 32) % 64) << 24) |
		       (uint32_t)(r & 0xffff);
	default:
		return (uint32_t)r;
	}
}

static struct smccc_res hvc_imm(unsigned which, uint64_t fid, const uint64_t a[6])
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a[0];
	register uint64_t x2 __asm__("x2") = a[1];
	register uint64_t x3 __asm__("x3") = a[2];
	register uint64_t x4 __asm__("x4") = a[3];
	register uint64_t x5 __asm__("x5") = a[4];
	register uint64_t x6 __asm__("x6") = a[5];

	/* Other immediates and the SMC conduit must be refused without side effects. */
	switch (which) {
	case 0:
		__asm__ volatile("hvc #1"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
				   "+r"(x6)::"memory");
		break;
	case 1:
		__asm__ volatile("hvc #0xffff"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
				   "+r"(x6)::"memory");
		break;
	default:
		__asm__ volatile("smc #0"
				 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
				   "+r"(x6)::"memory");
		break;
	}
	return (struct smccc_res){(int64_t)x0, x1, x2, x3};
}

/*
 * MEM_RELEASE wants page-aligned RAM: often give it that, so that the call gets past its
 * checks and a lazy attacker really loses pages. Never the kernel image and its stacks,
 * though: releasing live memory would only break the attacker itself (the pages come back
 * zeroed), which tells nothing about the hypervisor.
 */
static void release_args(uint64_t *s, uint64_t a[6])
{
	uint64_t image = atk.ram_lo + SZ_2M, span = atk.scratch_hi - atk.scratch_lo;

	if (rnd_below(s, 2))
		a[0] &= ~(uint64_t)(PAGE_SIZE - 1);
	if (a[0] < atk.scratch_lo && a[0] + a[1] * PAGE_SIZE > image && span)
		a[0] = (atk.scratch_lo + a[0] % span) & ~(uint64_t)(PAGE_SIZE - 1);
}

void atk_hvc_fuzz(unsigned cpu, uint64_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t a[6];
		uint64_t fid;
		struct smccc_res r;

		if (i % 256 == 0)
			refresh_names();

		do {
			fid = fid_gen(s);
		} while (!atk.args.psci_unsafe && psci_power_call((uint32_t)fid));
		if (rnd_below(s, 4) == 0)
			fid |= rnd(s) << 32; /* SMCCC: the callee ignores the upper half */
		for (unsigned k = 0; k < 6; k++)
			a[k] = atk_arg(s);
		/* Often a plausible name, so the module calls get past the first check. */
		if (rnd_below(s, 2)) {
			unsigned k = (unsigned)rnd_below(s, ARRAY_SIZE(names));

			a[0] = name_ptr(k);
			a[1] = rnd_below(s, 4) ? strlen(names[k]) : atk_len(s);
		} else {
			a[1] = atk_len(s);
		}
		if ((uint32_t)fid == MV_HVC_MEM_RELEASE)
			release_args(s, a);
		if (rnd_below(s, 64) == 0)
			r = hvc_imm((unsigned)rnd_below(s, 3), fid, a);
		else
			r = smccc_hvc(fid, a[0], a[1], a[2], a[3], a[4], a[5]);
		atk_count(cpu, PH_HVC, atk_classify(r.a0));
	}
}

/* One access of the given kind; loads return the value read. Plain LDR/STR forms only, so the
 * data abort carries a full syndrome (writeback or pair forms would stop the VM). */
static uint64_t mmio_op(uint64_t addr, unsigned kind, uint64_t v)
{
	volatile void *p = (volatile void *)(uintptr_t)addr;
	uint64_t out = 0;

	switch (kind) {
	case 0:
		__asm__ volatile("ldrb %w0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 1:
		__asm__ volatile("ldrh %w0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 2:
		__asm__ volatile("ldr %w0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 3:
		__asm__ volatile("ldr %0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 4:
		__asm__ volatile("ldrsb %0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 5:
		__asm__ volatile("ldrsh %0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 6:
		__asm__ volatile("ldrsw %0, [%1]" : "=r"(out) : "r"(p) : "memory");
		break;
	case 7:
		__asm__ volatile("strb %w0, [%1]" ::"r"(v), "r"(p) : "memory");
		break;
	case 8:
		__asm__ volatile("strh %w0, [%1]" ::"r"(v), "r"(p) : "memory");
		break;
	case 9:
		__asm__ volatile("str %w0, [%1]" ::"r"(v), "r"(p) : "memory");
		break;
	case 10:
		__asm__ volatile("str %0, [%1]" ::"r"(v), "r"(p) : "memory");
		break;
	case 11:
		__asm__ volatile("str wzr, [%0]" ::"r"(p) : "memory");
		break;
	default:
		__asm__ volatile("ldr wzr, [%0]" ::"r"(p) : "memory");
		break;
	}
	return out;
}

/* Access size in bytes of each kind above. */
static const unsigned kind_size[13] = {1, 2, 4, 8, 1, 2, 4, 1, 2, 4, 8, 4, 4};
static bool kind_writes(unsigned kind)
{
	return kind >= 7 && kind <= 11;
}

static uint64_t rnd_value(uint64_t *s)
{
	switch (rnd_below(s, 4)) {
	case 0:
		return 0;
	case 1:
		return ~0ULL;
	default:
		return rnd(s);
	}
}

/* Picks a kind whose size is at most max_size. */
static unsigned rnd_kind(uint64_t *s, unsigned max_size)
{
	unsigned kind;

	do {
		kind = (unsigned)rnd_below(s, ARRAY_SIZE(kind_size));
	} while (kind_size[kind] > max_size);
	return kind;
}

static void mmio_one(unsigned cpu, enum atk_phase ph, uint64_t addr, unsigned kind, uint64_t v)
{
	uint64_t got = mmio_op(addr, kind, v);

	atk_count(cpu, ph,
		  atk_took_fault()    ? CLS_FAULT
		  : kind_writes(kind) ? CLS_ZERO
		  : got		      ? CLS_POSITIVE
				      : CLS_ZERO);
}

/*
 * Every emulated device, every width, every aligned offset. Left out because the hypervisor
 * stops the VM for them by design (they are finales instead): holes between the devices,
 * 8-byte UART and RTC accesses, non-32-bit virtio registers, QueueReady/QueueNotify with a garbage
 * queue, and misaligned accesses.
 */
void atk_mmio_fuzz(unsigned cpu, uint64_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t base, size, off, v = rnd_value(s);
		unsigned kind;

		switch (rnd_below(s, 5)) {
		case 0:
			base = GUEST_GICD_BASE;
			size = GICD_SIZE;
			kind = rnd_kind(s, 8);
			break;
		case 1:
			base = GUEST_GICR_BASE;
			size = (uint64_t)GICR_STRIDE * atk.cpus;
			kind = rnd_kind(s, 8);
			break;
		case 2:
			base = GUEST_PL011_BASE;
			size = PL011_SIZE;
			kind = rnd_kind(s, 4);
			break;
		case 3:
			/* The RTC: loads of random values set only this VM's clock. */
			base = GUEST_PL031_BASE;
			size = PL031_SIZE;
			kind = rnd_kind(s, 4);
			break;
		default:
			base = GUEST_VIRTIO_BASE;
			size = VIRTIO_SIZE;
			kind = rnd_kind(s, 8);
			break;
		}
		off = rnd_below(s, size) & ~(uint64_t)(kind_size[kind] - 1);
		if (base == GUEST_PL011_BASE && off < 4 && kind_writes(kind) && !atk.args.uart_dr)
			kind = 2; /* no raw bytes on the console unless asked: read DR instead */
		if (base == GUEST_VIRTIO_BASE && off < VIRTIO_MMIO_CONFIG) {
			off &= ~3ULL;
			kind = kind_writes(kind) && off != VIRTIO_MMIO_QUEUE_READY &&
				       off != VIRTIO_MMIO_QUEUE_NOTIFY
				   ? 9
				   : 2;
		}
		mmio_one(cpu, PH_MMIO, base + off, kind, v);
	}
}

static void write_sgi1r(uint64_t v, bool alias)
{
	if (alias)
		__asm__ volatile("msr s3_0_c12_c11_6, %0; isb" ::"r"(v)); /* ICC_ASGI1R_EL1 */
	else
		__asm__ volatile("msr s3_0_c12_c11_5, %0; isb" ::"r"(v)); /* ICC_SGI1R_EL1 */
}

/* The vGIC's state registers, routes and SGIs, with random bits; also acknowledging and
 * ending whatever that makes pending. */
void atk_vgic_fuzz(unsigned cpu, uint64_t *s, uint64_t n)
{
	static const uint32_t banks[] = {GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
					 GICD_ICPENDR,	 GICD_ISACTIVER, GICD_ICACTIVER};
	uint32_t typer = *(volatile uint32_t *)(GUEST_GICD_BASE + GICD_TYPER);
	unsigned nirqs = 32 * ((typer & 0x1f) + 1);

	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = rnd_value(s), r = rnd(s);
		unsigned target = (unsigned)rnd_below(s, atk.cpus);
		uint64_t sgi_frame =
		    GUEST_GICR_BASE + (uint64_t)GICR_STRIDE * target + GICR_SGI_FRAME;

		switch (rnd_below(s, 8)) {
		case 0:
			mmio_one(cpu, PH_VGIC,
				 GUEST_GICD_BASE + banks[r % ARRAY_SIZE(banks)] +
				     4 * ((r >> 8) % (nirqs / 32 + 1)),
				 9, v);
			break;
		case 1:
			mmio_one(cpu, PH_VGIC,
				 sgi_frame + banks[r % ARRAY_SIZE(banks)] + 4 * ((r >> 8) % 2), 9,
				 v);
			break;
		case 2: /* priorities, byte or word */
			mmio_one(cpu, PH_VGIC,
				 (r & 1 ? sgi_frame : GUEST_GICD_BASE) + GICD_IPRIORITYR +
				     ((r >> 1) % nirqs & (r & 2 ? ~3ULL : ~0ULL)),
				 r & 2 ? 9 : 7, v);
			break;
		case 3:
			mmio_one(cpu, PH_VGIC,
				 (r & 1 ? sgi_frame : GUEST_GICD_BASE) + GICD_ICFGR +
				     4 * ((r >> 1) % (nirqs / 16)),
				 9, v);
			break;
		case 4: /* routes, 64 or 32 bits, including affinities no vCPU has */
			mmio_one(cpu, PH_VGIC,
				 GUEST_GICD_BASE + GICD_IROUTER + 8 * ((r >> 2) % (nirqs + 8)) +
				     (r & 1 ? 4 : 0),
				 r & 1 ? 9 : 10, v);
			break;
		case 5: { /* SGIs: any INTID, target list, affinity, broadcast bit */
			uint64_t sgi = (r & 0xffffULL) | (((r >> 16) & 0xf) << 24) |
				       ((r >> 20) & 0xff) << 16 | ((r >> 28) & 1) << 40 |
				       (r & (0xffULL << 32)) | (r & (0xffULL << 48));

			write_sgi1r(rnd_below(s, 8) ? sgi : v, rnd_below(s, 4) == 0);
			atk_count(cpu, PH_VGIC, atk_classify(0));
			break;
		}
		case 6: { /* take whatever came, end it (or end a random INTID) */
			uint64_t iar;

			__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar));
			if ((iar & 0xffffff) < 1020)
				__asm__ volatile("msr icc_eoir1_el1, %0; isb" ::"r"(iar));
			else if (r & 1)
				__asm__ volatile(
				    "msr icc_eoir1_el1, %0; isb" ::"r"(r >> 1 & 0x3ff));
			atk_count(cpu, PH_VGIC, (iar & 0xffffff) < 1020 ? CLS_POSITIVE : CLS_ZERO);
			break;
		}
		default:
			mmio_one(cpu, PH_VGIC, GUEST_GICD_BASE + GICD_CTLR, r & 1 ? 9 : 2, v);
			break;
		}
	}
}

static uint64_t psci_entry(uint64_t *s)
{
	extern char secondary_start[];
	uint64_t r = rnd(s);

	switch (r % 6) {
	case 0:
		return (uint64_t)(uintptr_t)secondary_start; /* good, but every target is on */
	case 1:
		return (uint64_t)(uintptr_t)secondary_start + 1 + (r >> 8) % 3; /* misaligned */
	case 2:
		return atk.ram_hi - 2 + (r >> 8) % 4; /* straddles the end */
	default:
		return atk_arg(s);
	}
}

static uint64_t psci_mpidr(uint64_t *s)
{
	uint64_t r = rnd(s);

	switch (r % 4) {
	case 0:
		return (r >> 8) % atk.cpus; /* an existing vCPU (all of them are on) */
	case 1:
		return atk.cpus + (r >> 8) % 8;
	case 2:
		return (r >> 8) & 0xff00ffffffULL;
	default:
		return r;
	}
}

void atk_psci_fuzz(unsigned cpu, uint64_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		uint64_t r = rnd(s);
		struct smccc_res res;

		switch (r % 5) {
		case 0:
			res = smccc_hvc(r & 8 ? PSCI_VERSION : PSCI_MIGRATE_INFO_TYPE, 0, 0, 0, 0,
					0, 0);
			break;
		case 1:
			res = smccc_hvc(PSCI_FEATURES, r & 8 ? fid_gen(s) : rnd(s), atk_arg(s), 0,
					0, 0, 0);
			break;
		case 2:
			res = smccc_hvc(r & 8 ? PSCI_AFFINITY_INFO_64 : PSCI_AFFINITY_INFO_32,
					psci_mpidr(s), rnd_below(s, 5), 0, 0, 0, 0);
			break;
		default: {
			uint64_t target = psci_mpidr(s), entry = psci_entry(s);

			/* A vCPU that exists is on (ALREADY_ON); were it off, a bad entry that the
			 * hypervisor accepted would run garbage in this VM, not anywhere else. */
			res = smccc_hvc(r & 8 ? PSCI_CPU_ON_64 : PSCI_CPU_ON_32, target, entry,
					atk_arg(s), 0, 0, 0);
			break;
		}
		}
		atk_count(cpu, PH_PSCI, atk_classify(res.a0));
	}
}

/* Every vCPU loads and unloads the same module as fast as it can (issue 11, item 1). */
void atk_race(unsigned cpu, uint64_t n)
{
	static const char name[] = "fatfs";

	for (uint64_t i = 0; i < n; i++) {
		struct smccc_res r =
		    smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t)name, 5, 0, 0, 0, 0);

		atk_count(cpu, PH_RACE, atk_classify(r.a0));
		r = smccc_hvc(MV_HVC_MOD_UNLOAD, (uint64_t)(uintptr_t)name, 5, 0, 0, 0, 0);
		atk_count(cpu, PH_RACE, atk_classify(r.a0));
	}
}
