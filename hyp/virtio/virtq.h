/* Split virtqueues: walking and checking a guest's descriptor chain before anything trusts it. */
#ifndef HYP_VIRTIO_VIRTQ_H
#define HYP_VIRTIO_VIRTQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Pure C with no hypervisor dependencies, so that the host unit tests run it as it is. Every
 * structure that mirrors guest memory is little-endian, like the CPUs this runs on.
 */

#define VIRTQ_DESC_F_NEXT 1U
#define VIRTQ_DESC_F_WRITE 2U
#define VIRTQ_DESC_F_INDIRECT 4U
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1U

#define VIRTQ_SIZE_LIMIT 32768U /* the largest split queue the spec allows */
/* A chain may not have more segments or bytes than this, whatever the queue size. */
#define VIRTQ_MAX_SEGS 64U
#define VIRTQ_MAX_BYTES (1UL << 20)

/* One descriptor-table entry, as the driver lays it out in memory. */
struct virtq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

/* A used-ring element. */
struct virtq_used_elem {
	uint32_t id;
	uint32_t len;
};

/* Ring sizes in bytes for a queue of `n` entries (without the event-index fields). */
#define VIRTQ_DESC_BYTES(n) (16ULL * (n))
#define VIRTQ_AVAIL_BYTES(n) (4ULL + 2ULL * (n))
#define VIRTQ_USED_BYTES(n) (4ULL + 8ULL * (n))
/* Where the fields of the avail and used rings sit. */
#define VIRTQ_AVAIL_IDX_OFF 2U
#define VIRTQ_AVAIL_RING_OFF(i) (4ULL + 2ULL * (i))
#define VIRTQ_USED_IDX_OFF 2U
#define VIRTQ_USED_RING_OFF(i) (4ULL + 8ULL * (i))

/* One buffer of a checked chain: the whole range is RAM and does not wrap. */
struct virtq_seg {
	uint64_t addr;
	uint32_t len;
	bool write; /* device-writable */
};

struct virtq_chain {
	struct virtq_seg seg[VIRTQ_MAX_SEGS];
	unsigned count;
	uint64_t bytes;
};

/*
 * How the checks reach memory: is_ram() says whether a whole range is the guest's RAM, read()
 * copies from it (0 on success). Tests fake both; the hypervisor passes the VM's.
 */
struct virtq_mem {
	bool (*is_ram)(void *ctx, uint64_t addr, uint64_t len);
	int (*read)(void *ctx, void *dst, uint64_t addr, uint64_t len);
	void *ctx;
};

/* Why a queue or a request was refused. Stable names: the tests assert on them. */
enum virtq_fault {
	VQ_OK,
	/* queue set-up */
	VQ_BAD_QSIZE,	 /* zero, not a power of two, or above the device's maximum */
	VQ_RING_ALIGN,	 /* a ring address breaks its required alignment */
	VQ_RING_NOT_RAM, /* a ring is not entirely in guest RAM */
	/* descriptor chains */
	VQ_HEAD_RANGE,	     /* head index >= queue size */
	VQ_NEXT_RANGE,	     /* next index >= queue size */
	VQ_LOOP,	     /* more hops than the queue has descriptors */
	VQ_TOO_MANY_SEGS,    /* more than VIRTQ_MAX_SEGS descriptors */
	VQ_TOO_MANY_BYTES,   /* more than VIRTQ_MAX_BYTES in total */
	VQ_INDIRECT,	     /* VIRTIO_F_INDIRECT_DESC was never offered */
	VQ_BAD_FLAGS,	     /* reserved flag bits set */
	VQ_ZERO_LEN,	     /* a buffer of no bytes */
	VQ_ADDR_WRAP,	     /* addr + len passes 2^64 */
	VQ_NOT_RAM,	     /* a buffer outside the guest's RAM */
	VQ_READ_AFTER_WRITE, /* device-readable buffer after a device-writable one */
	VQ_AVAIL_OVERRUN,    /* the avail index moved by more than the queue size */
	/* virtio-blk requests */
	VQ_BLK_SHORT,	     /* fewer than two descriptors (header and status) */
	VQ_BLK_HDR_DIR,	     /* header is device-writable */
	VQ_BLK_HDR_SIZE,     /* header is not 16 bytes */
	VQ_BLK_STATUS_DIR,   /* status is device-readable */
	VQ_BLK_STATUS_SIZE,  /* status is not 1 byte */
	VQ_BLK_NO_DATA,	     /* IN/OUT/GET_ID without a data buffer */
	VQ_BLK_DATA_DIR,     /* data buffer in the wrong direction for the type */
	VQ_BLK_DATA_SIZE,    /* IN/OUT data not a whole number of sectors */
	VQ_BLK_DATA_TOO_BIG, /* more data than the device's bounce buffer */
	VQ_BLK_FLUSH_DATA,   /* FLUSH with data buffers */
	VQ_FAULT_COUNT
};

#define VIRTQ_WHY_MAX 112

struct virtq_error {
	enum virtq_fault fault;
	char why[VIRTQ_WHY_MAX]; /* one human-readable sentence, for the stop message */
};

/*
 * Checks a queue's geometry when the driver makes it ready: size a power of two in
 * [1, max_size], rings aligned (16, 2, 4 bytes) and wholly in RAM. MV_OK or MV_ERR_INVALID.
 */
int virtq_check_rings(unsigned qsize, unsigned max_size, uint64_t desc, uint64_t avail,
		      uint64_t used, const struct virtq_mem *mem, struct virtq_error *err);

/*
 * Follows the chain starting at `head` in a snapshot of the descriptor table (never in memory
 * the guest can still change) and fills `out` with its checked segments. MV_OK or
 * MV_ERR_INVALID with err filled in; out is then partial and must not be used.
 */
int virtq_walk(const struct virtq_desc *table, unsigned qsize, unsigned head,
	       const struct virtq_mem *mem, struct virtq_chain *out, struct virtq_error *err);

/* How many avail entries are new; VQ_AVAIL_OVERRUN if the driver claims more than qsize. */
int virtq_avail_pending(uint16_t avail_idx, uint16_t last_seen, unsigned qsize, unsigned *pending,
			struct virtq_error *err);

const char *virtq_fault_name(enum virtq_fault fault);

/* Records a refusal; returns MV_ERR_INVALID so that callers can `return virtq_fail(...)`. */
__attribute__((format(printf, 3, 4))) int virtq_fail(struct virtq_error *err,
						     enum virtq_fault fault, const char *fmt, ...);

#endif /* HYP_VIRTIO_VIRTQ_H */
