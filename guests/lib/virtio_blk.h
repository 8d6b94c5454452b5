/* Guest driver for the modern (virtio-mmio version 2) block device the hypervisor emulates. */
#ifndef GUESTS_LIB_VIRTIO_BLK_H
#define GUESTS_LIB_VIRTIO_BLK_H

#include <modvisor/guest_map.h>
#include <stdbool.h>
#include <stdint.h>

#define GVBLK_BASE GUEST_VIRTIO_BASE
#define GVBLK_INTID GUEST_VIRTIO_INTID /* level-sensitive */
#define GVBLK_SECTOR_SIZE 512U
#define GVBLK_ID_BYTES 20U

/*
 * One device per guest: the queue lives in static memory inside the driver. Requests are
 * synchronous and one at a time; callers serialise them (the guests here are single-threaded
 * where they do I/O). Functions return 0 or a negative MV_ERR_* code (modvisor/status.h):
 * MV_ERR_NOT_FOUND no device, MV_ERR_NOT_SUPPORTED legacy device, feature or request refused
 * (UNSUPP), MV_ERR_INVALID bad arguments or an I/O error status (IOERR, e.g. past the end of
 * the disk), MV_ERR_BUSY no completion seen.
 */
struct gvblk {
	uintptr_t base;
	uint64_t capacity; /* in 512-byte sectors */
	bool flush;	   /* VIRTIO_BLK_F_FLUSH negotiated */
	uint16_t qsize;
	uint16_t avail_idx;
	uint16_t used_seen;
	volatile unsigned irqs; /* interrupts taken through gvblk_irq */
	unsigned completions;	/* requests completed */
};

int gvblk_init(struct gvblk *d, uintptr_t base);
/* count sectors from `sector`; buffers may be any size in RAM (split into requests here). */
int gvblk_read(struct gvblk *d, uint64_t sector, void *buf, unsigned count);
int gvblk_write(struct gvblk *d, uint64_t sector, const void *buf, unsigned count);
int gvblk_flush(struct gvblk *d);
/* The device's serial (VIRTIO_BLK_T_GET_ID), NUL-terminated. */
int gvblk_get_id(struct gvblk *d, char id[GVBLK_ID_BYTES + 1]);
uint64_t gvblk_capacity(const struct gvblk *d);
/* A read into any address, unchecked: for tests of how the hypervisor treats bad requests. */
int gvblk_read_into(struct gvblk *d, uint64_t sector, uintptr_t addr, uint32_t bytes);
/* For the guest's interrupt handler on GVBLK_INTID: acknowledges and counts. */
void gvblk_irq(struct gvblk *d);

#endif /* GUESTS_LIB_VIRTIO_BLK_H */
