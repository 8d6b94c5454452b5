/* Builds the EL2 stage-1 identity map (4 KiB granule, 39-bit VA) from a layout; pure C. */
#include "el2map.h"
#include <modvisor/status.h>
#include <string.h>

#define DESC_VALID 0x1ULL
#define DESC_TABLE 0x3ULL
#define DESC_BLOCK 0x1ULL
#define DESC_PAGE 0x3ULL
#define DESC_TYPE_MASK 0x3ULL
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_ATTR_MASK (7ULL << 2)
#define DESC_AP_RO (1ULL << 7)
#define DESC_AP1_RES1 (1ULL << 6) /* single-privilege regime: AP[1] is RES1 */
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AF (1ULL << 10)
#define DESC_XN (1ULL << 54)
#define DESC_ADDR_MASK 0x0000fffffffff000ULL

#define MAIR_IDX_DEVICE 0
#define MAIR_IDX_NORMAL 1

#define SZ_4K 0x1000ULL
#define SZ_2M 0x200000ULL
#define SZ_1G 0x40000000ULL

static const uint64_t prot_bits[] = {
    [EL2MAP_DEVICE] = DESC_AF | DESC_ATTR(MAIR_IDX_DEVICE) | DESC_XN | DESC_AP1_RES1,
    [EL2MAP_RW] = DESC_AF | DESC_ATTR(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_XN | DESC_AP1_RES1,
    [EL2MAP_RO] =
	DESC_AF | DESC_ATTR(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_XN | DESC_AP_RO | DESC_AP1_RES1,
    [EL2MAP_RX] = DESC_AF | DESC_ATTR(MAIR_IDX_NORMAL) | DESC_SH_INNER | DESC_AP_RO | DESC_AP1_RES1,
};

uint64_t el2map_mair(void)
{
	return (0x04ULL << (8 * MAIR_IDX_DEVICE)) | (0xffULL << (8 * MAIR_IDX_NORMAL));
}

static uint64_t *next_table(uint64_t desc)
{
	return (uint64_t *)(uintptr_t)(desc & DESC_ADDR_MASK);
}

/* The table below *entry, taken from pool when the entry is empty; NULL if the pool is empty. */
static uint64_t *table_below(uint64_t *entry, uint64_t (*pool)[512], unsigned *used, unsigned max)
{
	if (*entry & DESC_VALID)
		return next_table(*entry);
	if (*used == max)
		return NULL;
	uint64_t *table = pool[(*used)++];

	*entry = (uint64_t)(uintptr_t)table | DESC_TABLE;
	return table;
}

/* Maps [start, end) where nothing is mapped yet: 2 MiB blocks where they fit, pages otherwise. */
static int map_range(struct el2map_tables *t, uint64_t start, uint64_t end, enum el2map_prot prot)
{
	uint64_t va = start;

	if ((start | end) & (SZ_4K - 1) || end < start || start < EL2MAP_GUARD ||
	    end > (1ULL << EL2MAP_VA_BITS))
		return MV_ERR_INVALID;
	while (va < end) {
		uint64_t *l2 = table_below(&t->l1[va >> 30], t->l2, &t->l2_used, EL2MAP_L2_TABLES);

		if (!l2)
			return MV_ERR_NO_MEMORY;
		uint64_t *l2e = &l2[(va >> 21) & 511];

		if ((*l2e & DESC_TYPE_MASK) == DESC_BLOCK) {
			va = (va | (SZ_2M - 1)) + 1; /* already mapped by a block */
			continue;
		}
		if (!(*l2e & DESC_VALID) && !(va & (SZ_2M - 1)) && end - va >= SZ_2M) {
			*l2e = va | prot_bits[prot] | DESC_BLOCK;
			va += SZ_2M;
			continue;
		}
		uint64_t *l3 = table_below(l2e, t->l3, &t->l3_used, EL2MAP_L3_TABLES);

		if (!l3)
			return MV_ERR_NO_MEMORY;
		do {
			uint64_t *l3e = &l3[(va >> 12) & 511];

			if (!(*l3e & DESC_VALID))
				*l3e = va | prot_bits[prot] | DESC_PAGE;
			va += SZ_4K;
		} while (va < end && (va & (SZ_2M - 1)));
	}
	return 0;
}

static int map_ranges(struct el2map_tables *t, const struct mem_range *r, unsigned count,
		      enum el2map_prot prot)
{
	for (unsigned i = 0; i < count; i++) {
		if (r[i].base + r[i].size < r[i].base)
			return MV_ERR_INVALID;
		int ret = map_range(t, r[i].base, r[i].base + r[i].size, prot);

		if (ret)
			return ret;
	}
	return 0;
}

int el2map_build(struct el2map_tables *t, const struct el2map_layout *l)
{
	int ret;

	memset(t, 0, sizeof(*t));
	ret = map_range(t, l->text_start, l->text_end, EL2MAP_RX);
	if (!ret)
		ret = map_range(t, l->text_end, l->ro_end, EL2MAP_RO);
	if (!ret)
		ret = map_ranges(t, l->ram, l->ram_count, EL2MAP_RW);
	if (!ret)
		ret = map_ranges(t, l->dev, l->dev_count, EL2MAP_DEVICE);
	return ret;
}

uint64_t el2map_lookup(const struct el2map_tables *t, uint64_t va, enum el2map_prot *prot)
{
	uint64_t desc;

	if (va >= (1ULL << EL2MAP_VA_BITS) || !(t->l1[va >> 30] & DESC_VALID))
		return 0;
	desc = next_table(t->l1[va >> 30])[(va >> 21) & 511];
	if ((desc & DESC_TYPE_MASK) == DESC_TABLE)
		desc = next_table(desc)[(va >> 12) & 511];
	if (!(desc & DESC_VALID))
		return 0;
	if (prot) {
		uint64_t bits = desc & (DESC_ATTR_MASK | DESC_AP_RO | DESC_XN);

		*prot = EL2MAP_RW;
		for (unsigned p = 0; p < sizeof(prot_bits) / sizeof(prot_bits[0]); p++)
			if ((prot_bits[p] & (DESC_ATTR_MASK | DESC_AP_RO | DESC_XN)) == bits)
				*prot = (enum el2map_prot)p;
	}
	return desc;
}
