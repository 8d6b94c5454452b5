/* virtio-blk request checks: header, data and status segments of a walked descriptor chain. */
#include "vblk_req.h"
#include <modvisor/status.h>

static const char *type_name(uint32_t type)
{
	switch (type) {
	case VBLK_T_IN:
		return "read";
	case VBLK_T_OUT:
		return "write";
	case VBLK_T_FLUSH:
		return "flush";
	case VBLK_T_GET_ID:
		return "get-id";
	default:
		return "unknown";
	}
}

static int check_data(const struct virtq_chain *chain, struct vblk_req *req, bool device_writes,
		      struct virtq_error *err)
{
	if (req->data_count == 0)
		return virtq_fail(err, VQ_BLK_NO_DATA, "%s request without a data buffer",
				  type_name(req->type));
	for (unsigned i = 0; i < req->data_count; i++)
		if (chain->seg[req->first_data + i].write != device_writes)
			return virtq_fail(
			    err, VQ_BLK_DATA_DIR, "%s request: data buffer %u must be device-%s",
			    type_name(req->type), i, device_writes ? "writable" : "readable");
	if (req->data_bytes > VBLK_MAX_DATA)
		return virtq_fail(err, VQ_BLK_DATA_TOO_BIG, "%s request of %u bytes, more than %u",
				  type_name(req->type), req->data_bytes, VBLK_MAX_DATA);
	return MV_OK;
}

/* The checks that depend on the request type, once the framing is known to be right. */
static int check_type(const struct virtq_chain *chain, uint64_t capacity, struct vblk_req *req,
		      struct virtq_error *err)
{
	uint64_t sectors;
	int ret;

	switch (req->type) {
	case VBLK_T_IN:
	case VBLK_T_OUT:
		ret = check_data(chain, req, req->type == VBLK_T_IN, err);
		if (ret != MV_OK)
			return ret;
		if (req->data_bytes % VBLK_SECTOR_SIZE)
			return virtq_fail(err, VQ_BLK_DATA_SIZE,
					  "%s request of %u bytes, not whole sectors",
					  type_name(req->type), req->data_bytes);
		sectors = req->data_bytes / VBLK_SECTOR_SIZE;
		/* Written so that a huge sector number cannot wrap the sum. */
		if (req->sector > capacity || sectors > capacity - req->sector)
			req->status = VBLK_S_IOERR;
		return MV_OK;
	case VBLK_T_GET_ID:
		return check_data(chain, req, true, err);
	case VBLK_T_FLUSH:
		if (req->data_count != 0)
			return virtq_fail(err, VQ_BLK_FLUSH_DATA,
					  "flush request with %u data buffers", req->data_count);
		return MV_OK;
	default:
		/* A feature we never offered: the driver learns it from the status byte. */
		req->status = VBLK_S_UNSUPP;
		return MV_OK;
	}
}

int vblk_req_parse(const struct virtq_chain *chain, uint64_t capacity, const struct virtq_mem *mem,
		   struct vblk_req *req, struct virtq_error *err)
{
	const struct virtq_seg *hdr_seg, *status_seg;
	struct vblk_hdr hdr;
	int ret;

	if (chain->count < 2)
		return virtq_fail(err, VQ_BLK_SHORT,
				  "request of %u descriptor: needs a header and a status byte",
				  chain->count);
	hdr_seg = &chain->seg[0];
	status_seg = &chain->seg[chain->count - 1];
	if (hdr_seg->write)
		return virtq_fail(err, VQ_BLK_HDR_DIR, "request header is device-writable");
	if (hdr_seg->len != VBLK_HDR_SIZE)
		return virtq_fail(err, VQ_BLK_HDR_SIZE, "request header is %u bytes, not %u",
				  hdr_seg->len, VBLK_HDR_SIZE);
	if (!status_seg->write)
		return virtq_fail(err, VQ_BLK_STATUS_DIR, "request status is device-readable");
	if (status_seg->len != 1)
		return virtq_fail(err, VQ_BLK_STATUS_SIZE, "request status is %u bytes, not 1",
				  status_seg->len);
	if (mem->read(mem->ctx, &hdr, hdr_seg->addr, sizeof(hdr)) != 0)
		return virtq_fail(err, VQ_NOT_RAM, "request header at %#llx cannot be read",
				  (unsigned long long)hdr_seg->addr);

	req->type = hdr.type;
	req->sector = hdr.sector;
	req->status = VBLK_S_OK;
	req->first_data = 1;
	req->data_count = chain->count - 2;
	req->status_addr = status_seg->addr;
	/* The walk capped the chain at VIRTQ_MAX_BYTES, so this fits in 32 bits. */
	req->data_bytes = (uint32_t)(chain->bytes - hdr_seg->len - status_seg->len);
	ret = check_type(chain, capacity, req, err);
	if (ret == MV_OK)
		err->fault = VQ_OK;
	return ret;
}
