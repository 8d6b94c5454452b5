/* AArch32 state of a trapped lower-EL instruction: condition check and ITSTATE advance. */
#include "aarch32.h"

/* The IT field IT[7:0] from its two places in the SPSR. */
static unsigned it_bits(uint64_t spsr)
{
	return (unsigned)(((spsr >> PSR_AA32_IT_HI_SHIFT) & 0x3f) << 2 |
			  ((spsr >> PSR_AA32_IT_LO_SHIFT) & 3));
}

static uint64_t with_it_bits(uint64_t spsr, unsigned it)
{
	spsr &= ~PSR_AA32_IT_MASK;
	return spsr | ((uint64_t)(it >> 2) << PSR_AA32_IT_HI_SHIFT) |
	       ((uint64_t)(it & 3) << PSR_AA32_IT_LO_SHIFT);
}

/* ConditionHolds() of the ARM ARM for cond 0..15 against the N, Z, C and V flags. */
static bool cond_holds(unsigned cond, uint64_t spsr)
{
	bool n = spsr & (1ULL << 31), z = spsr & (1ULL << 30), c = spsr & (1ULL << 29),
	     v = spsr & (1ULL << 28);
	bool result;

	switch (cond >> 1) {
	case 0:
		result = z;
		break;
	case 1:
		result = c;
		break;
	case 2:
		result = n;
		break;
	case 3:
		result = v;
		break;
	case 4:
		result = c && !z;
		break;
	case 5:
		result = n == v;
		break;
	case 6:
		result = n == v && !z;
		break;
	default:
		return true; /* AL, and 0b1111 which also always executes */
	}
	return (cond & 1) ? !result : result;
}

bool aarch32_cond_passed(uint64_t spsr, uint32_t iss)
{
	unsigned cond;

	if (iss & ISS_AA32_CV) {
		cond = ISS_AA32_COND(iss);
	} else {
		/* Only a T32 instruction may come without COND: its condition is the IT block's. */
		unsigned it = it_bits(spsr);

		if ((it & 0xf) == 0)
			return true; /* not in an IT block */
		cond = it >> 4;
	}
	return cond_holds(cond, spsr);
}

uint64_t aarch32_it_advance(uint64_t spsr)
{
	unsigned it = it_bits(spsr);

	if (!(spsr & PSR_AA32_T) || (it & 0xf) == 0)
		return spsr;
	/* ITAdvance(): the last instruction of the block clears IT, else the mask shifts. */
	if ((it & 7) == 0)
		it = 0;
	else
		it = (it & 0xe0) | ((it << 1) & 0x1f);
	return with_it_bits(spsr, it);
}
