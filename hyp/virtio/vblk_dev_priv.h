/* State of one VM's emulated virtio-blk device, shared by its register model and its queue. */
#ifndef HYP_VIRTIO_VBLK_DEV_PRIV_H
#define HYP_VIRTIO_VBLK_DEV_PRIV_H

#include <stdbool.h>
#include <stdint.h>
#include "spinlock.h"
#include "vblk_req.h"
#include "virtq.h"

struct vm;
struct vblk_phys;

/* Largest queue a guest may configure; the descriptor-table snapshot is this big. */
#define VBLK_QUEUE_MAX 128U

struct vblk_dev {
	/* Held across a whole register access, including the request it may serve. Lock order:
	 * this lock, then vm->lock (guest copies), the disk's lock and the vGIC's. */
	struct spinlock lock;
	bool attached;
	struct vm *vm;
	struct vblk_phys *disk;
	uint64_t capacity; /* sectors */
	uint8_t *bounce;   /* VBLK_MAX_DATA bytes of FRAME_DEVBUF owned by the VM */
	uint64_t bounce_pa;

	/* Transport registers, as the driver last wrote them. */
	uint32_t status;
	uint32_t dev_features_sel;
	uint32_t drv_features_sel;
	uint64_t drv_features;
	uint32_t queue_sel;
	uint32_t int_status;

	/* Queue 0 (the only one). */
	uint32_t qnum;
	bool qready;
	uint64_t qdesc, qavail, qused;
	uint16_t last_avail; /* next avail entry to consume */
	uint16_t used_idx;   /* our copy of used->idx */

	/* Scratch for one notify: large, so not on the 16 KiB hypervisor stack. */
	struct virtq_desc table[VBLK_QUEUE_MAX];
	struct virtq_chain chain;
	struct virtq_error err; /* why the last refused request was refused */
};

/* The checks' view of a VM's memory: its RAM ranges and vm_copy_from_guest. */
struct virtq_mem vblk_guest_mem(struct vm *vm);

/*
 * Serves every new avail entry of queue 0 (the guest wrote QueueNotify). Called with dev->lock
 * held. MV_OK, or MV_ERR_INVALID with dev->err saying why the VM must be stopped.
 */
int vblk_queue_notify(struct vblk_dev *dev);

#endif /* HYP_VIRTIO_VBLK_DEV_PRIV_H */
