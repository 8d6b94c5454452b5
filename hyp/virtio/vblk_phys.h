/* The hypervisor's own driver for the machine's virtio-mmio block devices (the real disks). */
#ifndef HYP_VIRTIO_VBLK_PHYS_H
#define HYP_VIRTIO_VBLK_PHYS_H

#include <stdbool.h>
#include <stdint.h>
#include "hostdtb.h"

/* One disk per VM at most (SCENARIO_MAX_VMS), each on its own virtio-mmio transport. */
#define VBLK_PHYS_MAX 16
#define VBLK_PHYS_NO_OWNER (-1)

struct vblk_phys;

/*
 * Initialises every virtio-blk device among the platform's virtio-mmio transports (modern,
 * Version 2, only) and reads its capacity and serial. Prints one line per disk; returns how
 * many disks are usable. Call once at boot, after mm_init.
 */
int vblk_phys_probe(const struct platform *plat);

/* The disk whose virtio-blk serial (GET_ID) is exactly `serial`, or NULL. */
struct vblk_phys *vblk_phys_find(const char *serial);

/* A disk serves one VM for good: MV_ERR_BUSY if another VM already has it. */
int vblk_phys_bind(struct vblk_phys *d, unsigned vm_id);
void vblk_phys_unbind(struct vblk_phys *d, unsigned vm_id);

uint64_t vblk_phys_capacity(const struct vblk_phys *d); /* in 512-byte sectors */
const char *vblk_phys_serial(const struct vblk_phys *d);

/*
 * Synchronous transfer of `bytes` (a non-zero multiple of 512) between the disk and `buf`,
 * which must be physically contiguous (hypervisor memory is identity-mapped). MV_ERR_INVALID
 * for a bad range, MV_ERR_DENIED for a write to a read-only disk, MV_ERR_BUSY if the device
 * stopped answering (the disk is then disabled), MV_ERR_NOT_SUPPORTED/MV_ERR_INVALID if the
 * device reported UNSUPP/IOERR.
 */
int vblk_phys_rw(struct vblk_phys *d, bool write, uint64_t sector, void *buf, uint32_t bytes);

/* Makes completed writes durable; a no-op for disks without VIRTIO_BLK_F_FLUSH, which are
 * write-through. */
int vblk_phys_flush(struct vblk_phys *d);

#endif /* HYP_VIRTIO_VBLK_PHYS_H */
