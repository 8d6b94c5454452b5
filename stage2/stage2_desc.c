/* Translation between arch-neutral modes and stage-2 descriptor bits, and the VTCR_EL2 value. */
#include "stage2.h"
#include "stage2_desc.h"

#define VTCR_T0SZ_SHIFT 0
#define VTCR_SL0_SHIFT 6
#define VTCR_IRGN0_WBWA (UINT64_C(1) << 8)
#define VTCR_ORGN0_WBWA (UINT64_C(1) << 10)
#define VTCR_SH0_INNER (UINT64_C(3) << 12)
#define VTCR_TG0_4K (UINT64_C(0) << 14)
#define VTCR_PS_SHIFT 16
#define VTCR_RES1 (UINT64_C(1) << 31)

/* PARange 0b0101; with a 4 KiB granule and no FEAT_LPA2, 52-bit PS would act as 48-bit anyway. */
#define PARANGE_48_BITS 5u

unsigned s2_ipa_bits_from_parange(unsigned parange_field)
{
	static const unsigned char bits[] = {32, 36, 40, 42, 44, 48};

	if (parange_field > PARANGE_48_BITS)
		return S2_MAX_IPA_BITS;
	return bits[parange_field];
}

uint64_t s2_vtcr(unsigned ipa_bits, unsigned pa_range_field)
{
	uint64_t sl0;

	if (pa_range_field > PARANGE_48_BITS)
		pa_range_field = PARANGE_48_BITS;
	/* An IPA space wider than the PA range is not a configuration the architecture defines. */
	if (ipa_bits < S2_MIN_IPA_BITS || ipa_bits > S2_MAX_IPA_BITS ||
	    ipa_bits > s2_ipa_bits_from_parange(pa_range_field))
		return 0;

	/* With 4 KiB granules SL0 counts down from level 2: 0 = L2, 1 = L1, 2 = L0. */
	sl0 = 2 - s2_start_level(ipa_bits);
	return ((uint64_t)(64 - ipa_bits) << VTCR_T0SZ_SHIFT) | (sl0 << VTCR_SL0_SHIFT) |
	       VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
	       ((uint64_t)pa_range_field << VTCR_PS_SHIFT) | VTCR_RES1;
}

enum mv_status s2_mode_to_desc(unsigned mode, uint64_t *attrs_out)
{
	uint64_t attrs = S2_DESC_AF;

	if (mode & ~S2_MODE_MASK)
		return MV_ERR_INVALID;
	if (!(mode & (S2_READ | S2_WRITE)))
		return MV_ERR_INVALID;
	/* Executable device memory invites speculative instruction fetches from registers. */
	if ((mode & S2_DEVICE) && (mode & S2_EXEC))
		return MV_ERR_INVALID;

	if (mode & S2_READ)
		attrs |= S2_DESC_S2AP_READ;
	if (mode & S2_WRITE)
		attrs |= S2_DESC_S2AP_WRITE;
	if (mode & S2_DEVICE)
		attrs |= S2_DESC_MEMATTR_DEVICE_NGNRE;
	else
		attrs |= S2_DESC_MEMATTR_NORMAL_WB | S2_DESC_SH_INNER;
	if (!(mode & S2_EXEC))
		attrs |= S2_DESC_XN;
	if (mode & S2_SHARED)
		attrs |= S2_DESC_SW_SHARED;

	*attrs_out = attrs;
	return MV_OK;
}

unsigned s2_desc_to_mode(uint64_t desc)
{
	unsigned mode = 0;

	if (!s2_desc_valid(desc))
		return 0;
	if (desc & S2_DESC_S2AP_READ)
		mode |= S2_READ;
	if (desc & S2_DESC_S2AP_WRITE)
		mode |= S2_WRITE;
	if (!(desc & S2_DESC_XN))
		mode |= S2_EXEC;
	if (!(desc & S2_DESC_MEMATTR_NORMAL_BITS))
		mode |= S2_DEVICE;
	if (desc & S2_DESC_SW_SHARED)
		mode |= S2_SHARED;
	return mode;
}
