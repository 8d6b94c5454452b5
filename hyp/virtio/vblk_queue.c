/* Serving a VM's virtio-blk queue: snapshot, check, bounce through the disk, complete, interrupt.
 */
#include <string.h>
#include "vblk_dev_priv.h"
#include "vblk_phys.h"
#include "vgic.h"
#include "vio_arch.h"
#include <dev/virtio_mmio.h>
#include "vm.h"
#include <modvisor/status.h>

static bool guest_is_ram(void *ctx, uint64_t addr, uint64_t len)
{
	return vm_ipa_is_ram(ctx, addr, len);
}

static int guest_read(void *ctx, void *dst, uint64_t addr, uint64_t len)
{
	return vm_copy_from_guest(ctx, dst, addr, len);
}

struct virtq_mem vblk_guest_mem(struct vm *vm)
{
	return (struct virtq_mem){guest_is_ram, guest_read, vm};
}

/* Copies between the bounce buffer and the request's data segments, at most `limit` bytes. */
static int bounce_guest(struct vblk_dev *dev, const struct vblk_req *req, bool to_guest,
			uint32_t limit)
{
	uint32_t done = 0;

	for (unsigned i = 0; i < req->data_count && done < limit; i++) {
		const struct virtq_seg *s = &dev->chain.seg[req->first_data + i];
		uint32_t n = s->len < limit - done ? s->len : limit - done;
		int ret = to_guest ? vm_copy_to_guest(dev->vm, s->addr, dev->bounce + done, n)
				   : vm_copy_from_guest(dev->vm, dev->bounce + done, s->addr, n);

		if (ret != MV_OK)
			return virtq_fail(&dev->err, VQ_NOT_RAM,
					  "cannot copy %u bytes %s guest RAM at %#llx (%d)", n,
					  to_guest ? "to" : "from", (unsigned long long)s->addr,
					  ret);
		done += n;
	}
	return MV_OK;
}

/* GET_ID: the disk's serial, NUL-padded to 20 bytes, cut to the driver's buffer. */
static uint32_t fill_id(struct vblk_dev *dev, const struct vblk_req *req)
{
	const char *serial = vblk_phys_serial(dev->disk);
	uint32_t n = req->data_bytes < VBLK_ID_BYTES ? req->data_bytes : VBLK_ID_BYTES;

	memset(dev->bounce, 0, VBLK_ID_BYTES);
	memcpy(dev->bounce, serial, strnlen(serial, VBLK_ID_BYTES));
	return n;
}

/* Performs a well-formed request; *written is what the device wrote into guest buffers. */
static int serve(struct vblk_dev *dev, const struct vblk_req *req, uint8_t *status,
		 uint32_t *written)
{
	int ret;

	*written = 0;
	*status = req->status;
	if (req->status != VBLK_S_OK)
		return MV_OK;
	switch (req->type) {
	case VBLK_T_IN:
		if (vblk_phys_rw(dev->disk, false, req->sector, dev->bounce, req->data_bytes) !=
		    MV_OK) {
			*status = VBLK_S_IOERR;
			return MV_OK;
		}
		*written = req->data_bytes;
		return bounce_guest(dev, req, true, req->data_bytes);
	case VBLK_T_OUT:
		ret = bounce_guest(dev, req, false, req->data_bytes);
		if (ret == MV_OK && vblk_phys_rw(dev->disk, true, req->sector, dev->bounce,
						 req->data_bytes) != MV_OK)
			*status = VBLK_S_IOERR;
		return ret;
	case VBLK_T_FLUSH:
		if (vblk_phys_flush(dev->disk) != MV_OK)
			*status = VBLK_S_IOERR;
		return MV_OK;
	case VBLK_T_GET_ID:
		*written = fill_id(dev, req);
		return bounce_guest(dev, req, true, *written);
	default:
		/* vblk_req_parse marks every other type UNSUPP. */
		*status = VBLK_S_UNSUPP;
		return MV_OK;
	}
}

/* Checks and serves the chain at `head`; *used_len is the used element's len. */
static int handle_chain(struct vblk_dev *dev, unsigned head, uint32_t *used_len)
{
	const struct virtq_mem mem = vblk_guest_mem(dev->vm);
	struct vblk_req req;
	uint32_t written;
	uint8_t status;
	int ret;

	ret = virtq_walk(dev->table, dev->qnum, head, &mem, &dev->chain, &dev->err);
	if (ret == MV_OK)
		ret = vblk_req_parse(&dev->chain, dev->capacity, &mem, &req, &dev->err);
	if (ret == MV_OK)
		ret = serve(dev, &req, &status, &written);
	if (ret != MV_OK)
		return ret;
	if (vm_copy_to_guest(dev->vm, req.status_addr, &status, 1) != MV_OK)
		return virtq_fail(&dev->err, VQ_NOT_RAM, "cannot write the status byte at %#llx",
				  (unsigned long long)req.status_addr);
	*used_len = written + 1;
	return MV_OK;
}

static int ring_fault(struct vblk_dev *dev, const char *ring, uint64_t addr)
{
	return virtq_fail(&dev->err, VQ_RING_NOT_RAM, "%s ring access at %#llx failed", ring,
			  (unsigned long long)addr);
}

/* Publishes one used element, then the index that makes it visible. */
static int push_used(struct vblk_dev *dev, unsigned head, uint32_t len)
{
	struct virtq_used_elem elem = {head, len};
	uint64_t at = dev->qused + VIRTQ_USED_RING_OFF(dev->used_idx % dev->qnum);
	uint16_t idx = (uint16_t)(dev->used_idx + 1);

	if (vm_copy_to_guest(dev->vm, at, &elem, sizeof(elem)) != MV_OK)
		return ring_fault(dev, "used", at);
	vio_wmb();
	at = dev->qused + VIRTQ_USED_IDX_OFF;
	if (vm_copy_to_guest(dev->vm, at, &idx, sizeof(idx)) != MV_OK)
		return ring_fault(dev, "used", at);
	dev->used_idx = idx;
	return MV_OK;
}

int vblk_queue_notify(struct vblk_dev *dev)
{
	struct vm *vm = dev->vm;
	uint16_t avail_idx, avail_flags, head;
	unsigned pending;
	uint64_t at = dev->qavail + VIRTQ_AVAIL_IDX_OFF;
	int ret;

	if (vm_copy_from_guest(vm, &avail_idx, at, sizeof(avail_idx)) != MV_OK)
		return ring_fault(dev, "avail", at);
	ret = virtq_avail_pending(avail_idx, dev->last_avail, dev->qnum, &pending, &dev->err);
	if (ret != MV_OK || pending == 0)
		return ret;
	/* The driver filled descriptors and ring entries before it moved the index. */
	vio_rmb();
	/* One snapshot: the guest cannot change a descriptor between our check and our use. */
	if (vm_copy_from_guest(vm, dev->table, dev->qdesc, VIRTQ_DESC_BYTES(dev->qnum)) != MV_OK)
		return ring_fault(dev, "descriptor", dev->qdesc);
	for (; pending; pending--) {
		uint32_t used_len = 0;

		at = dev->qavail + VIRTQ_AVAIL_RING_OFF(dev->last_avail % dev->qnum);
		if (vm_copy_from_guest(vm, &head, at, sizeof(head)) != MV_OK)
			return ring_fault(dev, "avail", at);
		ret = handle_chain(dev, head, &used_len);
		if (ret == MV_OK)
			ret = push_used(dev, head, used_len);
		if (ret != MV_OK)
			return ret;
		dev->last_avail++;
	}
	at = dev->qavail;
	if (vm_copy_from_guest(vm, &avail_flags, at, sizeof(avail_flags)) != MV_OK)
		return ring_fault(dev, "avail", at);
	if (!(avail_flags & VIRTQ_AVAIL_F_NO_INTERRUPT)) {
		dev->int_status |= VIRTIO_INT_USED_BUFFER;
		vgic_set_level(vm, VGIC_SPI_VIRTIO, true);
	}
	return MV_OK;
}
