/* virtio-blk requests: the wire format and the checks of a guest request against it. */
#ifndef HYP_VIRTIO_VBLK_REQ_H
#define HYP_VIRTIO_VBLK_REQ_H

#include <stdint.h>
#include "virtq.h"

/* Pure C like virtq.c: unit-tested on the host. */

#define VBLK_SECTOR_SIZE 512U
#define VBLK_HDR_SIZE 16U
#define VBLK_ID_BYTES 20U
/* Largest data transfer of one request: the size of each VM's bounce buffer. */
#define VBLK_MAX_DATA (128U * 1024U)

/* Request types (virtio 1.x, 5.2.6). */
#define VBLK_T_IN 0U
#define VBLK_T_OUT 1U
#define VBLK_T_FLUSH 4U
#define VBLK_T_GET_ID 8U

/* Status byte values. */
#define VBLK_S_OK 0U
#define VBLK_S_IOERR 1U
#define VBLK_S_UNSUPP 2U

/* Feature bits. */
#define VIRTIO_F_VERSION_1 32U
#define VIRTIO_BLK_F_RO 5U
#define VIRTIO_BLK_F_FLUSH 9U

/* The request header as the driver writes it. */
struct vblk_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* A request that is well formed; `status` says whether it can be served. */
struct vblk_req {
	uint32_t type;
	uint64_t sector;
	/* VBLK_S_OK: serve it. IOERR (beyond the disk) or UNSUPP (unknown type): complete it at
	 * once with this status and no data. */
	uint8_t status;
	unsigned
	    first_data; /* data segments are chain->seg[first_data .. first_data + data_count) */
	unsigned data_count;
	uint32_t data_bytes;
	uint64_t status_addr;
};

/*
 * Checks the framing of a walked chain (16-byte device-readable header first, 1-byte
 * device-writable status last, data in between in the direction the type needs, whole sectors
 * for IN/OUT, at most VBLK_MAX_DATA) and reads the header through mem. A sector range beyond
 * `capacity` (in sectors) or an unknown type is not malformed: the request completes with an
 * error status. MV_OK or MV_ERR_INVALID with err filled in.
 */
int vblk_req_parse(const struct virtq_chain *chain, uint64_t capacity, const struct virtq_mem *mem,
		   struct vblk_req *req, struct virtq_error *err);

#endif /* HYP_VIRTIO_VBLK_REQ_H */
