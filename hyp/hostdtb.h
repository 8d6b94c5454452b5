/* What the hypervisor learns about the machine from the device tree the firmware passed. */
#ifndef HYP_HOSTDTB_H
#define HYP_HOSTDTB_H

#include <stdint.h>
#include <fdt_cells.h>
#include "arch/asm_offsets.h"
#include "arch/mmu.h"

#define PLATFORM_MAX_RAM 8
#define PLATFORM_MAX_RESERVED 16
#define PLATFORM_MAX_VIRTIO 32

/* A virtio-mmio transport of the machine (QEMU virt has 32, most of them empty). */
struct virtio_mmio_slot {
	uint64_t base;
	uint64_t size;
	unsigned intid; /* GIC INTID of its interrupt */
};

struct platform {
	struct mem_range ram[PLATFORM_MAX_RAM];
	unsigned ram_count;
	struct mem_range reserved[PLATFORM_MAX_RESERVED]; /* /memreserve/ and /reserved-memory */
	unsigned reserved_count;
	uint64_t cpu_mpidr[HYP_MAX_CPUS];
	unsigned cpu_count;
	uint64_t uart_base;
	uint64_t uart_size;
	unsigned uart_intid;
	uint64_t rtc_base; /* the PL031 the vRTCs are seeded from; 0 if none */
	uint64_t rtc_size;
	uint64_t gicd_base;
	uint64_t gicd_size;
	uint64_t gicr_base;
	uint64_t gicr_size;
	uint64_t initrd_start;
	uint64_t initrd_end;
	struct virtio_mmio_slot virtio[PLATFORM_MAX_VIRTIO];
	unsigned virtio_count;
	uint64_t dtb_pa;
	uint64_t dtb_size;
};

/* Fills *p from the host DTB; returns MV_ERR_INVALID with a printed reason if unusable. */
int platform_parse(const void *fdt, struct platform *p);
uint64_t platform_ram_bytes(const struct platform *p);
/* The MMIO ranges the hypervisor drives (GIC, UART, RTC, virtio-mmio), page-rounded, for its EL2
 * map; returns how many were written to out (at most max). */
unsigned platform_device_ranges(const struct platform *p, struct mem_range *out, unsigned max);

#endif /* HYP_HOSTDTB_H */
