/* VMSAv8-64 stage-2 descriptor layout for the 4 KiB granule; private to the stage-2 library. */
#ifndef MODVISOR_STAGE2_DESC_H
#define MODVISOR_STAGE2_DESC_H

#include <stdbool.h>
#include <stdint.h>

#define S2_LAST_LEVEL 3u
/* Level 0 entries can only point to tables with a 4 KiB granule (no FEAT_LPA2). */
#define S2_FIRST_BLOCK_LEVEL 1u
/* Past this IPA size level 1 would need more than 8 concatenated root pages. */
#define S2_MAX_LEVEL1_IPA_BITS 42u

#define S2_DESC_VALID (UINT64_C(1) << 0)
/* With VALID: a table at levels 0-2, a page at level 3; clear means a block (levels 1-2). */
#define S2_DESC_TABLE_OR_PAGE (UINT64_C(1) << 1)
#define S2_DESC_TYPE_MASK (S2_DESC_VALID | S2_DESC_TABLE_OR_PAGE)

#define S2_DESC_MEMATTR_MASK (UINT64_C(0xf) << 2)
#define S2_DESC_MEMATTR_NORMAL_WB (UINT64_C(0xf) << 2)
#define S2_DESC_MEMATTR_DEVICE_NGNRE (UINT64_C(0x1) << 2)
/* MemAttr[3:2] == 0 selects one of the Device types. */
#define S2_DESC_MEMATTR_NORMAL_BITS (UINT64_C(0xc) << 2)
#define S2_DESC_S2AP_READ (UINT64_C(1) << 6)
#define S2_DESC_S2AP_WRITE (UINT64_C(1) << 7)
#define S2_DESC_SH_INNER (UINT64_C(3) << 8)
#define S2_DESC_AF (UINT64_C(1) << 10)
#define S2_DESC_XN (UINT64_C(1) << 54)
/* First software-defined bit: the walker ignores it, so it can record sharing for accounting. */
#define S2_DESC_SW_SHARED (UINT64_C(1) << 55)

#define S2_DESC_OA_MASK UINT64_C(0x0000fffffffff000)
/* Lower attributes [11:2] and upper attributes [63:50] of block and page descriptors. */
#define S2_DESC_LEAF_ATTR_MASK UINT64_C(0xfffc000000000ffc)

static inline unsigned s2_start_level(unsigned ipa_bits)
{
	return ipa_bits > S2_MAX_LEVEL1_IPA_BITS ? 0 : 1;
}

static inline bool s2_desc_valid(uint64_t desc)
{
	return (desc & S2_DESC_VALID) != 0;
}

static inline bool s2_desc_is_table(uint64_t desc, unsigned level)
{
	return level < S2_LAST_LEVEL && (desc & S2_DESC_TYPE_MASK) == S2_DESC_TYPE_MASK;
}

static inline bool s2_desc_is_leaf(uint64_t desc, unsigned level)
{
	if (level == S2_LAST_LEVEL)
		return (desc & S2_DESC_TYPE_MASK) == S2_DESC_TYPE_MASK;
	return level >= S2_FIRST_BLOCK_LEVEL && (desc & S2_DESC_TYPE_MASK) == S2_DESC_VALID;
}

static inline uint64_t s2_desc_oa(uint64_t desc)
{
	return desc & S2_DESC_OA_MASK;
}

static inline uint64_t s2_desc_attrs(uint64_t desc)
{
	return desc & S2_DESC_LEAF_ATTR_MASK;
}

static inline uint64_t s2_desc_leaf(uint64_t oa, uint64_t attrs, unsigned level)
{
	uint64_t type = level == S2_LAST_LEVEL ? S2_DESC_TYPE_MASK : S2_DESC_VALID;

	return oa | attrs | type;
}

static inline uint64_t s2_desc_table(uint64_t table_pa)
{
	return table_pa | S2_DESC_TYPE_MASK;
}

#endif /* MODVISOR_STAGE2_DESC_H */
