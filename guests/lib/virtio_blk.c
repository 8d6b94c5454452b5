/* Guest virtio-blk driver: modern virtio-mmio set-up, one static split queue, polled requests. */
#include "virtio_blk.h"
#include <mv_compiler.h>
#include <modvisor/status.h>

/* virtio-mmio version 2 registers. */
#define REG_MAGIC 0x000
#define REG_VERSION 0x004
#define REG_DEVICE_ID 0x008
#define REG_DEVICE_FEATURES 0x010
#define REG_DEVICE_FEATURES_SEL 0x014
#define REG_DRIVER_FEATURES 0x020
#define REG_DRIVER_FEATURES_SEL 0x024
#define REG_QUEUE_SEL 0x030
#define REG_QUEUE_NUM_MAX 0x034
#define REG_QUEUE_NUM 0x038
#define REG_QUEUE_READY 0x044
#define REG_QUEUE_NOTIFY 0x050
#define REG_INTERRUPT_STATUS 0x060
#define REG_INTERRUPT_ACK 0x064
#define REG_STATUS 0x070
#define REG_QUEUE_DESC_LOW 0x080
#define REG_QUEUE_DRIVER_LOW 0x090
#define REG_QUEUE_DEVICE_LOW 0x0a0
#define REG_CONFIG_GENERATION 0x0fc
#define REG_CONFIG 0x100

#define MAGIC 0x74726976U
#define DEVICE_ID_BLOCK 2U
#define ST_ACKNOWLEDGE 1U
#define ST_DRIVER 2U
#define ST_DRIVER_OK 4U
#define ST_FEATURES_OK 8U
#define ST_FAILED 128U
#define F_VERSION_1_HI (1U << 0) /* bit 32: bit 0 of the high word */
#define F_BLK_FLUSH (1U << 9)

#define DESC_F_NEXT 1U
#define DESC_F_WRITE 2U
#define T_IN 0U
#define T_OUT 1U
#define T_FLUSH 4U
#define T_GET_ID 8U
#define S_OK 0U
#define S_UNSUPP 2U

#define QSIZE 16U
/* Per request; the hypervisor's device takes up to 128 KiB, stay well inside it. */
#define MAX_SECTORS_PER_REQ 128U
/* modvisor completes a request inside the notify write; this only guards against a device
 * that never answers. */
#define POLL_LIMIT 10000000UL

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct req_hdr {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

/* The queue: descriptor table (16-byte aligned), avail ring (2), used ring (4). No event-index
 * fields: VIRTIO_F_EVENT_IDX is not negotiated. */
static struct desc q_desc[QSIZE] __aligned(16);
static struct {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[QSIZE];
} q_avail __aligned(2);
static struct {
	uint16_t flags;
	uint16_t idx;
	struct {
		uint32_t id;
		uint32_t len;
	} ring[QSIZE];
} q_used __aligned(4);
static struct req_hdr q_hdr;
static volatile uint8_t q_status;

static uint32_t rd(const struct gvblk *d, unsigned off)
{
	return *(volatile uint32_t *)(d->base + off);
}

static void wr(const struct gvblk *d, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(d->base + off) = v;
}

static void write_addr(const struct gvblk *d, unsigned low_off, const volatile void *p)
{
	uint64_t pa = (uint64_t)(uintptr_t)p; /* identity-mapped: VA == IPA */

	wr(d, low_off, (uint32_t)pa);
	wr(d, low_off + 4, (uint32_t)(pa >> 32));
}

static int fail(struct gvblk *d, int err)
{
	wr(d, REG_STATUS, rd(d, REG_STATUS) | ST_FAILED);
	return err;
}

static uint64_t read_capacity(const struct gvblk *d)
{
	uint32_t gen, lo, hi;

	/* A 64-bit field read in two halves is consistent only if the generation held. */
	do {
		gen = rd(d, REG_CONFIG_GENERATION);
		lo = rd(d, REG_CONFIG);
		hi = rd(d, REG_CONFIG + 4);
	} while (rd(d, REG_CONFIG_GENERATION) != gen);
	return ((uint64_t)hi << 32) | lo;
}

static int setup_queue(struct gvblk *d)
{
	uint32_t max;

	wr(d, REG_QUEUE_SEL, 0);
	if (rd(d, REG_QUEUE_READY) != 0)
		return MV_ERR_BUSY;
	max = rd(d, REG_QUEUE_NUM_MAX);
	if (max == 0)
		return MV_ERR_NOT_SUPPORTED;
	d->qsize = QSIZE;
	while (d->qsize > max)
		d->qsize /= 2;
	d->avail_idx = 0;
	d->used_seen = 0;
	q_avail.flags = 0;
	q_avail.idx = 0;
	q_used.idx = 0;
	wr(d, REG_QUEUE_NUM, d->qsize);
	write_addr(d, REG_QUEUE_DESC_LOW, q_desc);
	write_addr(d, REG_QUEUE_DRIVER_LOW, &q_avail);
	write_addr(d, REG_QUEUE_DEVICE_LOW, &q_used);
	__asm__ volatile("dsb sy" ::: "memory");
	wr(d, REG_QUEUE_READY, 1);
	return 0;
}

int gvblk_init(struct gvblk *d, uintptr_t base)
{
	uint32_t status = ST_ACKNOWLEDGE | ST_DRIVER;
	uint32_t feat_lo, feat_hi;
	int ret;

	d->base = base;
	d->irqs = 0;
	d->completions = 0;
	if (rd(d, REG_MAGIC) != MAGIC || rd(d, REG_DEVICE_ID) != DEVICE_ID_BLOCK)
		return MV_ERR_NOT_FOUND;
	if (rd(d, REG_VERSION) != 2)
		return MV_ERR_NOT_SUPPORTED;
	wr(d, REG_STATUS, 0);
	for (unsigned long spins = 0; rd(d, REG_STATUS) != 0; spins++)
		if (spins == POLL_LIMIT)
			return MV_ERR_BUSY;
	wr(d, REG_STATUS, ST_ACKNOWLEDGE);
	wr(d, REG_STATUS, status);

	wr(d, REG_DEVICE_FEATURES_SEL, 1);
	feat_hi = rd(d, REG_DEVICE_FEATURES);
	wr(d, REG_DEVICE_FEATURES_SEL, 0);
	feat_lo = rd(d, REG_DEVICE_FEATURES);
	if (!(feat_hi & F_VERSION_1_HI))
		return fail(d, MV_ERR_NOT_SUPPORTED);
	d->flush = feat_lo & F_BLK_FLUSH;
	wr(d, REG_DRIVER_FEATURES_SEL, 1);
	wr(d, REG_DRIVER_FEATURES, F_VERSION_1_HI);
	wr(d, REG_DRIVER_FEATURES_SEL, 0);
	wr(d, REG_DRIVER_FEATURES, feat_lo & F_BLK_FLUSH);
	status |= ST_FEATURES_OK;
	wr(d, REG_STATUS, status);
	if (!(rd(d, REG_STATUS) & ST_FEATURES_OK))
		return fail(d, MV_ERR_NOT_SUPPORTED);

	ret = setup_queue(d);
	if (ret != 0)
		return fail(d, ret);
	d->capacity = read_capacity(d);
	wr(d, REG_STATUS, status | ST_DRIVER_OK);
	return 0;
}

uint64_t gvblk_capacity(const struct gvblk *d)
{
	return d->capacity;
}

void gvblk_irq(struct gvblk *d)
{
	uint32_t pending = rd(d, REG_INTERRUPT_STATUS);

	if (pending)
		wr(d, REG_INTERRUPT_ACK, pending);
	d->irqs++;
}

/* Header, optional data, status in descriptors 0..2; waits for the used ring to move. */
static int submit(struct gvblk *d, uint32_t type, uint64_t sector, const volatile void *data,
		  uint32_t bytes, bool device_writes, uint32_t *written)
{
	unsigned n = 0;
	unsigned long spins = 0;
	uint32_t pending, head;

	q_hdr.type = type;
	q_hdr.reserved = 0;
	q_hdr.sector = sector;
	q_status = 0xff;
	q_desc[n] = (struct desc){(uintptr_t)&q_hdr, sizeof(q_hdr), DESC_F_NEXT, 1};
	n++;
	if (bytes) {
		q_desc[n] = (struct desc){(uintptr_t)data, bytes,
					  DESC_F_NEXT | (device_writes ? DESC_F_WRITE : 0),
					  (uint16_t)(n + 1)};
		n++;
	}
	q_desc[n] = (struct desc){(uintptr_t)&q_status, 1, DESC_F_WRITE, 0};
	q_avail.ring[d->avail_idx % d->qsize] = 0;
	/* The device must see the descriptors and the ring entry before the index. */
	__asm__ volatile("dmb ishst" ::: "memory");
	q_avail.idx = ++d->avail_idx;
	/* ... and the index before the notify, which is a Device-memory store. */
	__asm__ volatile("dsb sy" ::: "memory");
	wr(d, REG_QUEUE_NOTIFY, 0);

	while (*(volatile uint16_t *)&q_used.idx == d->used_seen)
		if (++spins == POLL_LIMIT)
			return MV_ERR_BUSY;
	__asm__ volatile("dmb ishld" ::: "memory");
	head = q_used.ring[d->used_seen % d->qsize].id;
	*written = q_used.ring[d->used_seen % d->qsize].len;
	d->used_seen++;
	d->completions++;
	/* Polling found the completion: lower the interrupt unless a handler already did. */
	pending = rd(d, REG_INTERRUPT_STATUS);
	if (pending)
		wr(d, REG_INTERRUPT_ACK, pending);
	/* Chain 0 is the only one we publish: anything else is a broken device. */
	if (head != 0)
		return MV_ERR_INVALID;
	if (q_status == S_OK)
		return 0;
	return q_status == S_UNSUPP ? MV_ERR_NOT_SUPPORTED : MV_ERR_INVALID;
}

static int transfer(struct gvblk *d, uint32_t type, uint64_t sector, const volatile void *buf,
		    unsigned count)
{
	const volatile uint8_t *p = buf;

	if (count == 0 || sector > d->capacity || count > d->capacity - sector)
		return MV_ERR_INVALID;
	while (count) {
		unsigned n = count < MAX_SECTORS_PER_REQ ? count : MAX_SECTORS_PER_REQ;
		uint32_t written;
		int ret = submit(d, type, sector, p, n * GVBLK_SECTOR_SIZE, type == T_IN, &written);

		if (ret != 0)
			return ret;
		sector += n;
		p += n * GVBLK_SECTOR_SIZE;
		count -= n;
	}
	return 0;
}

int gvblk_read(struct gvblk *d, uint64_t sector, void *buf, unsigned count)
{
	return transfer(d, T_IN, sector, buf, count);
}

int gvblk_write(struct gvblk *d, uint64_t sector, const void *buf, unsigned count)
{
	return transfer(d, T_OUT, sector, buf, count);
}

int gvblk_flush(struct gvblk *d)
{
	uint32_t written;

	if (!d->flush)
		return 0; /* without the feature the device writes through */
	return submit(d, T_FLUSH, 0, 0, 0, false, &written);
}

int gvblk_get_id(struct gvblk *d, char id[GVBLK_ID_BYTES + 1])
{
	static volatile char buf[GVBLK_ID_BYTES];
	uint32_t written = 0;
	int ret = submit(d, T_GET_ID, 0, buf, GVBLK_ID_BYTES, true, &written);

	/* The used length counts the status byte too; bytes the device did not write are not
	 * part of the serial. */
	for (unsigned i = 0; i < GVBLK_ID_BYTES; i++)
		id[i] = ret == 0 && i + 1 < written ? buf[i] : '\0';
	id[GVBLK_ID_BYTES] = '\0';
	return ret;
}

int gvblk_read_into(struct gvblk *d, uint64_t sector, uintptr_t addr, uint32_t bytes)
{
	uint32_t written;

	/* No checks on purpose: tests use it to hand the device an address outside our RAM. */
	return submit(d, T_IN, sector, (const volatile void *)addr, bytes, true, &written);
}
