/* The hypervisor's EL2 identity map as data: page tables built by pure C from a layout. */
#ifndef HYP_EL2MAP_H
#define HYP_EL2MAP_H

#include <stdint.h>

/*
 * Nothing below this address is ever mapped at EL2, so a NULL pointer (or a small offset from
 * one, such as a field of a NULL struct pointer) faults and panics instead of reaching memory.
 */
#define EL2MAP_GUARD 0x200000ULL
#define EL2MAP_VA_BITS 39
/* Level-2 tables: one per GiB that holds RAM or a device (16 GiB of RAM plus devices). */
#define EL2MAP_L2_TABLES 20
/* Level-3 tables: the image's 2 MiB block and device ranges smaller than 2 MiB. */
#define EL2MAP_L3_TABLES 12

struct mem_range {
	uint64_t base;
	uint64_t size;
};

enum el2map_prot {
	EL2MAP_DEVICE, /* device-nGnRE, execute-never */
	EL2MAP_RW,     /* normal memory, read-write, execute-never */
	EL2MAP_RO,     /* normal memory, read-only, execute-never */
	EL2MAP_RX,     /* normal memory, read-only, executable */
};

/* What to map: device ranges, RAM ranges, and the image's text and rodata (inside RAM). */
struct el2map_layout {
	const struct mem_range *dev;
	unsigned dev_count;
	const struct mem_range *ram;
	unsigned ram_count;
	uint64_t text_start, text_end; /* executable, read-only */
	uint64_t ro_end;	       /* [text_end, ro_end): read-only */
};

/* Table pages from fixed pools; table descriptors hold the tables' addresses (identity map). */
struct el2map_tables {
	_Alignas(4096) uint64_t l1[512];
	uint64_t l2[EL2MAP_L2_TABLES][512];
	uint64_t l3[EL2MAP_L3_TABLES][512];
	unsigned l2_used, l3_used;
};

/* MAIR_EL2 matching the attribute indexes the descriptors use. */
uint64_t el2map_mair(void);
/*
 * Builds the tables from scratch. The first range to cover a page decides its attributes (text
 * and rodata before RAM). MV_ERR_INVALID if a range is unaligned to 4 KiB, touches the guard
 * below EL2MAP_GUARD or leaves the 39-bit space; MV_ERR_NO_MEMORY if a table pool runs out.
 */
int el2map_build(struct el2map_tables *t, const struct el2map_layout *layout);
/* The leaf descriptor mapping va (0 if unmapped) and, if mapped, its protection in *prot. */
uint64_t el2map_lookup(const struct el2map_tables *t, uint64_t va, enum el2map_prot *prot);

#endif /* HYP_EL2MAP_H */
