/* Split-virtqueue checks: ring geometry, descriptor chains and the avail index, all guest input. */
#include "virtq.h"
#include <fmt.h>
#include <stdarg.h>
#include <modvisor/status.h>

static const char *const fault_names[VQ_FAULT_COUNT] = {
    [VQ_OK] = "ok",
    [VQ_BAD_QSIZE] = "bad queue size",
    [VQ_RING_ALIGN] = "misaligned ring",
    [VQ_RING_NOT_RAM] = "ring outside RAM",
    [VQ_HEAD_RANGE] = "head index out of range",
    [VQ_NEXT_RANGE] = "next index out of range",
    [VQ_LOOP] = "descriptor loop",
    [VQ_TOO_MANY_SEGS] = "chain too long",
    [VQ_TOO_MANY_BYTES] = "chain too large",
    [VQ_INDIRECT] = "indirect descriptor",
    [VQ_BAD_FLAGS] = "reserved descriptor flags",
    [VQ_ZERO_LEN] = "zero-length descriptor",
    [VQ_ADDR_WRAP] = "descriptor wraps",
    [VQ_NOT_RAM] = "buffer outside RAM",
    [VQ_READ_AFTER_WRITE] = "readable after writable",
    [VQ_AVAIL_OVERRUN] = "avail index overrun",
    [VQ_BLK_SHORT] = "request too short",
    [VQ_BLK_HDR_DIR] = "writable header",
    [VQ_BLK_HDR_SIZE] = "bad header size",
    [VQ_BLK_STATUS_DIR] = "readable status",
    [VQ_BLK_STATUS_SIZE] = "bad status size",
    [VQ_BLK_NO_DATA] = "no data buffer",
    [VQ_BLK_DATA_DIR] = "data in wrong direction",
    [VQ_BLK_DATA_SIZE] = "data not whole sectors",
    [VQ_BLK_DATA_TOO_BIG] = "data too large",
    [VQ_BLK_FLUSH_DATA] = "flush with data",
};

const char *virtq_fault_name(enum virtq_fault fault)
{
	return (unsigned)fault < VQ_FAULT_COUNT && fault_names[fault] ? fault_names[fault]
								      : "unknown fault";
}

int virtq_fail(struct virtq_error *err, enum virtq_fault fault, const char *fmt, ...)
{
	va_list ap;

	err->fault = fault;
	va_start(ap, fmt);
	fmt_vsnprintf(err->why, sizeof(err->why), fmt, ap);
	va_end(ap);
	return MV_ERR_INVALID;
}

/* The guest chooses addresses and lengths: a range whose end does not fit in 64 bits must never
 * reach is_ram(), whose own arithmetic would wrap. */
static bool range_wraps(uint64_t addr, uint64_t len)
{
	return addr > UINT64_MAX - len;
}

static int check_ring(const char *name, uint64_t addr, uint64_t bytes, uint64_t align,
		      const struct virtq_mem *mem, struct virtq_error *err)
{
	if (addr & (align - 1))
		return virtq_fail(err, VQ_RING_ALIGN, "%s ring at %#llx is not %llu-byte aligned",
				  name, (unsigned long long)addr, (unsigned long long)align);
	if (range_wraps(addr, bytes) || !mem->is_ram(mem->ctx, addr, bytes))
		return virtq_fail(err, VQ_RING_NOT_RAM, "%s ring at %#llx (+%llu) is not RAM", name,
				  (unsigned long long)addr, (unsigned long long)bytes);
	return MV_OK;
}

int virtq_check_rings(unsigned qsize, unsigned max_size, uint64_t desc, uint64_t avail,
		      uint64_t used, const struct virtq_mem *mem, struct virtq_error *err)
{
	int ret;

	if (qsize == 0 || (qsize & (qsize - 1)) != 0 || qsize > max_size ||
	    qsize > VIRTQ_SIZE_LIMIT)
		return virtq_fail(err, VQ_BAD_QSIZE,
				  "queue size %u is not a power of two in [1, %u]", qsize,
				  max_size);
	ret = check_ring("descriptor", desc, VIRTQ_DESC_BYTES(qsize), 16, mem, err);
	if (ret == MV_OK)
		ret = check_ring("avail", avail, VIRTQ_AVAIL_BYTES(qsize), 2, mem, err);
	if (ret == MV_OK)
		ret = check_ring("used", used, VIRTQ_USED_BYTES(qsize), 4, mem, err);
	if (ret == MV_OK)
		err->fault = VQ_OK;
	return ret;
}

/* The checks of one descriptor on its own, before it joins the chain. */
static int check_desc(const struct virtq_desc *d, unsigned idx, const struct virtq_mem *mem,
		      struct virtq_error *err)
{
	if (d->flags & VIRTQ_DESC_F_INDIRECT)
		return virtq_fail(err, VQ_INDIRECT,
				  "descriptor %u is indirect (VIRTIO_F_INDIRECT_DESC not offered)",
				  idx);
	if (d->flags & ~(VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE))
		return virtq_fail(err, VQ_BAD_FLAGS, "descriptor %u has reserved flags %#x", idx,
				  d->flags);
	if (d->len == 0)
		return virtq_fail(err, VQ_ZERO_LEN, "descriptor %u has length 0", idx);
	if (range_wraps(d->addr, d->len))
		return virtq_fail(err, VQ_ADDR_WRAP, "descriptor %u: %#llx + %u wraps around", idx,
				  (unsigned long long)d->addr, d->len);
	if (!mem->is_ram(mem->ctx, d->addr, d->len))
		return virtq_fail(err, VQ_NOT_RAM, "descriptor %u: %#llx + %u is not RAM", idx,
				  (unsigned long long)d->addr, d->len);
	return MV_OK;
}

int virtq_walk(const struct virtq_desc *table, unsigned qsize, unsigned head,
	       const struct virtq_mem *mem, struct virtq_chain *out, struct virtq_error *err)
{
	unsigned idx = head;
	unsigned hops = 0;
	bool seen_write = false;

	out->count = 0;
	out->bytes = 0;
	if (qsize == 0 || qsize > VIRTQ_SIZE_LIMIT)
		return virtq_fail(err, VQ_BAD_QSIZE, "queue size %u", qsize);
	if (head >= qsize)
		return virtq_fail(err, VQ_HEAD_RANGE, "head index %u, queue size %u", head, qsize);
	for (;;) {
		const struct virtq_desc *d = &table[idx];
		bool write = d->flags & VIRTQ_DESC_F_WRITE;
		int ret;

		/* A chain without a loop visits each descriptor at most once. */
		if (hops++ == qsize)
			return virtq_fail(err, VQ_LOOP,
					  "chain from head %u loops (more than %u hops)", head,
					  qsize);
		ret = check_desc(d, idx, mem, err);
		if (ret != MV_OK)
			return ret;
		if (!write && seen_write)
			return virtq_fail(err, VQ_READ_AFTER_WRITE,
					  "descriptor %u is device-readable after a writable one",
					  idx);
		if (out->count == VIRTQ_MAX_SEGS)
			return virtq_fail(err, VQ_TOO_MANY_SEGS,
					  "chain from head %u has more than %u descriptors", head,
					  VIRTQ_MAX_SEGS);
		if (out->bytes + d->len > VIRTQ_MAX_BYTES)
			return virtq_fail(err, VQ_TOO_MANY_BYTES,
					  "chain from head %u has more than %lu bytes", head,
					  (unsigned long)VIRTQ_MAX_BYTES);
		seen_write |= write;
		out->seg[out->count++] = (struct virtq_seg){d->addr, d->len, write};
		out->bytes += d->len;
		if (!(d->flags & VIRTQ_DESC_F_NEXT))
			break;
		if (d->next >= qsize)
			return virtq_fail(err, VQ_NEXT_RANGE,
					  "descriptor %u: next index %u, queue size %u", idx,
					  d->next, qsize);
		idx = d->next;
	}
	err->fault = VQ_OK;
	return MV_OK;
}

int virtq_avail_pending(uint16_t avail_idx, uint16_t last_seen, unsigned qsize, unsigned *pending,
			struct virtq_error *err)
{
	/* Both indexes run freely modulo 2^16; the difference is what the driver added. */
	unsigned n = (uint16_t)(avail_idx - last_seen);

	*pending = 0;
	if (n > qsize)
		return virtq_fail(err, VQ_AVAIL_OVERRUN,
				  "avail index moved from %u to %u, queue size %u", last_seen,
				  avail_idx, qsize);
	*pending = n;
	err->fault = VQ_OK;
	return MV_OK;
}
