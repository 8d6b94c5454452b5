/* The virtio-blk device each VM sees: emulated virtio-mmio v2 registers backed by a real disk. */
#ifndef HYP_VIRTIO_VBLK_DEV_H
#define HYP_VIRTIO_VBLK_DEV_H

#include <modvisor/guest_map.h>

struct vm;

/* Where every guest finds it (the first virtio-mmio transport of QEMU virt); its interrupt is
 * VGIC_SPI_VIRTIO, level-sensitive. */
#define VBLK_DEV_BASE GUEST_VIRTIO_BASE
#define VBLK_DEV_SIZE 0x200ULL

/*
 * Binds the host disk whose serial is vm->cfg->disk to the VM: allocates its bounce buffer and
 * registers the MMIO window. Does nothing for a VM without a disk. On failure prints why
 * ("hyp: vm NAME not started: ...") and returns MV_ERR_NOT_FOUND (no such disk), MV_ERR_BUSY
 * (another VM has it) or MV_ERR_NO_MEMORY.
 */
int vblk_attach(struct vm *vm);

/* Undoes vblk_attach: frees the bounce buffer and releases the disk. Safe without a disk. Do
 * not call with vm->lock held (a request in flight on another vCPU takes it). */
void vblk_detach(struct vm *vm);

/* Puts the device back in its reset state, as when the VM restarts. Same locking rule. */
void vblk_reset(struct vm *vm);

#endif /* HYP_VIRTIO_VBLK_DEV_H */
