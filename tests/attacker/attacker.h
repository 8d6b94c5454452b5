/* The attacker and canary test guest: shared state, the PRNG, outcome counting, phases. */
#ifndef TESTS_ATTACKER_ATTACKER_H
#define TESTS_ATTACKER_ATTACKER_H

#include <stdbool.h>
#include <stdint.h>
#include "guest.h"

#define ATK_MAX_CPUS 4

/* Outcome classes of a call: x0 >= 0 split in zero and positive, the errors -1..-9 one by one
 * (modvisor's enum and PSCI's codes), any other negative value, and a synchronous exception
 * the guest took instead of a result (alignment fault, undefined instruction). */
enum atk_class {
	CLS_ZERO,
	CLS_POSITIVE,
	CLS_ERR1,
	CLS_ERR9 = CLS_ERR1 + 8,
	CLS_OTHER_NEG,
	CLS_FAULT,
	CLS_COUNT
};

enum atk_phase { PH_HVC, PH_MMIO, PH_VGIC, PH_PSCI, PH_RACE, PH_VIRTIO, PH_COUNT };

struct atk_stats {
	uint64_t calls[PH_COUNT];
	uint64_t cls[PH_COUNT][CLS_COUNT];
};

/* What bootargs asked for (key=value words; see docs/security.md). */
struct atk_args {
	uint64_t seed;
	uint64_t n[PH_COUNT]; /* iterations per vCPU of each phase (virtio: vCPU 0 only) */
	bool uart_dr;	      /* random writes to the UART data register (console flooding) */
	bool psci_unsafe;     /* let the fuzzed IDs reach CPU_OFF, SYSTEM_RESET and friends */
	const char *finale;   /* a lethal last act after the counts are printed, or "" */
};

struct atk_env {
	struct boot_info info;
	struct atk_args args;
	unsigned cpus;
	uint64_t scratch_lo, scratch_hi; /* RAM the fuzz may let the hypervisor write */
	uint64_t ram_lo, ram_hi;
	struct atk_stats stats[ATK_MAX_CPUS];
};

extern struct atk_env atk;

/* splitmix64: small, fast and good enough to spread the cases; one stream per vCPU. */
static inline uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline uint64_t rnd_below(uint64_t *s, uint64_t n)
{
	return n ? rnd(s) % n : 0;
}

static inline unsigned this_cpu(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned)(mpidr & 0xff);
}

static inline uint64_t cntvct(void)
{
	uint64_t v;

	__asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
	return v;
}

enum atk_class atk_classify(int64_t x0);
void atk_count(unsigned cpu, enum atk_phase ph, enum atk_class c);
/* A synchronous exception the last access raised (cleared by reading it). */
bool atk_took_fault(void);
/* An argument of the kind a hostile caller would pass: pointers in, around and outside RAM. */
uint64_t atk_arg(uint64_t *s);
uint64_t atk_len(uint64_t *s);

void atk_hvc_fuzz(unsigned cpu, uint64_t *s, uint64_t n);
void atk_mmio_fuzz(unsigned cpu, uint64_t *s, uint64_t n);
void atk_vgic_fuzz(unsigned cpu, uint64_t *s, uint64_t n);
void atk_psci_fuzz(unsigned cpu, uint64_t *s, uint64_t n);
void atk_race(unsigned cpu, uint64_t n);
void atk_virtio_fuzz(uint64_t *s, uint64_t n);
/* Lethal acts: each must get this VM stopped by the hypervisor; false if the name is unknown. */
bool atk_finale(const char *name);

void canary_main(const struct boot_info *info);

#endif /* TESTS_ATTACKER_ATTACKER_H */
