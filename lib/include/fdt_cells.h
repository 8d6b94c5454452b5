/* Reads big-endian device-tree cells without assuming alignment (hypervisor, tools, guests). */
#ifndef LIB_FDT_CELLS_H
#define LIB_FDT_CELLS_H

#include <stdint.h>

/* `count` 32-bit cells (1 or 2) at `cells`, as one number. */
static inline uint64_t fdt_cells_read(const void *cells, int count)
{
	const uint8_t *b = cells;
	uint64_t v = 0;

	for (int i = 0; i < count * 4; i++)
		v = (v << 8) | b[i];
	return v;
}

#endif /* LIB_FDT_CELLS_H */
