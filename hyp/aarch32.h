/* AArch32 state of a trapped lower-EL instruction: condition check and ITSTATE advance. */
#ifndef HYP_AARCH32_H
#define HYP_AARCH32_H

#include <stdbool.h>
#include <stdint.h>

/* SPSR_EL2 of an exception taken from AArch32: M[4], T and the IT bits. */
#define PSR_AA32_MODE_RW (1ULL << 4)
#define PSR_AA32_T (1ULL << 5)
#define PSR_AA32_IT_LO_SHIFT 25 /* IT[1:0] at SPSR[26:25] */
#define PSR_AA32_IT_HI_SHIFT 10 /* IT[7:2] at SPSR[15:10] */
#define PSR_AA32_IT_MASK ((3ULL << PSR_AA32_IT_LO_SHIFT) | (0x3fULL << PSR_AA32_IT_HI_SHIFT))

/* ISS of the AArch32 instruction traps (EC 0x1, 0x3..0x6, 0x8, 0xc): CV and COND. */
#define ISS_AA32_CV (1U << 24)
#define ISS_AA32_COND(iss) (((iss) >> 20) & 0xf)

static inline bool aarch32_spsr_is_aarch32(uint64_t spsr)
{
	return spsr & PSR_AA32_MODE_RW;
}

/* False if the trapped instruction failed its condition check: it must act as a NOP. An
 * implementation may trap conditional instructions whatever their condition (ARM ARM D1.11). */
bool aarch32_cond_passed(uint64_t spsr, uint32_t iss);
/* SPSR after one instruction of an IT block retired (ITAdvance()); other SPSRs unchanged. */
uint64_t aarch32_it_advance(uint64_t spsr);

#endif /* HYP_AARCH32_H */
