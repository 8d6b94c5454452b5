/* The attacker's virtio queue: odd but well-framed requests, and the lethal finales. */
#include "attacker.h"
#include <dev/virtio_mmio.h>
#include <modvisor/guest_map.h>
#include <modvisor/hypercall.h>
#include <string.h>

#define F_BLK_FLUSH (1U << 9)
#define DESC_F_NEXT 1U
#define DESC_F_WRITE 2U
#define T_IN 0U
#define T_OUT 1U
#define T_FLUSH 4U
#define T_GET_ID 8U

#define Q 8U
#define MAX_DATA (128U * 1024)
#define NO_STATUS 0xeeU

struct desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

static struct desc q_desc[Q] __aligned(16);
static volatile struct {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[Q];
} q_avail __aligned(4);
static volatile struct {
	uint16_t flags;
	uint16_t idx;
	struct {
		uint32_t id;
		uint32_t len;
	} ring[Q];
} q_used __aligned(8);
static struct {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
} q_hdr __aligned(16);
static volatile uint8_t q_status;
static uint64_t capacity;

static uint32_t rd(unsigned off)
{
	return *(volatile uint32_t *)(GUEST_VIRTIO_BASE + off);
}

static void wr(unsigned off, uint32_t v)
{
	__asm__ volatile("dsb sy" ::: "memory");
	*(volatile uint32_t *)(GUEST_VIRTIO_BASE + off) = v;
}

static void wr_addr(unsigned low, const volatile void *p)
{
	wr(low, (uint32_t)(uintptr_t)p);
	wr(low + 4, (uint32_t)((uint64_t)(uintptr_t)p >> 32));
}

/* The ordinary driver set-up, on this file's own queue. */
static bool vq_setup(void)
{
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1); /* VIRTIO_F_VERSION_1 */
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, F_BLK_FLUSH);
	wr(VIRTIO_MMIO_STATUS,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	if (!(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return false;
	memset(q_desc, 0, sizeof(q_desc));
	memset((void *)&q_avail, 0, sizeof(q_avail));
	memset((void *)&q_used, 0, sizeof(q_used));
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	wr(VIRTIO_MMIO_QUEUE_NUM, Q);
	wr_addr(VIRTIO_MMIO_QUEUE_DESC_LOW, q_desc);
	wr_addr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, &q_avail);
	wr_addr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, &q_used);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
				   VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
	capacity = (uint64_t)rd(VIRTIO_MMIO_CONFIG) | (uint64_t)rd(VIRTIO_MMIO_CONFIG + 4) << 32;
	return true;
}

/* Puts chain `head` in the avail ring `times` times, notifies, and returns the status byte of
 * the last completion (NO_STATUS if nothing completed). */
static unsigned submit(unsigned head, unsigned times)
{
	uint16_t used_before = q_used.idx;

	q_status = NO_STATUS;
	for (unsigned t = 0; t < times; t++)
		q_avail.ring[(q_avail.idx + t) % Q] = (uint16_t)head;
	__asm__ volatile("dsb sy" ::: "memory");
	q_avail.idx = (uint16_t)(q_avail.idx + times);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	__asm__ volatile("dsb sy" ::: "memory");
	return q_used.idx != used_before ? q_status : NO_STATUS;
}

/* A buffer of len bytes somewhere in scratch RAM, at any alignment. */
static uint64_t scratch_buf(uint64_t *s, uint32_t len)
{
	uint64_t span = atk.scratch_hi - atk.scratch_lo;

	if (span <= len)
		return atk.scratch_lo;
	return atk.scratch_lo + rnd_below(s, span - len);
}

static uint64_t rnd_sector(uint64_t *s)
{
	switch (rnd_below(s, 4)) {
	case 0: /* the last 1 MiB: raw space past the filesystem */
		return capacity > 2048 ? capacity - 2048 + rnd_below(s, 2048) : 0;
	case 1:
		return capacity + rnd_below(s, 64); /* past the end */
	case 2:
		return capacity - rnd_below(s, 4); /* straddling the end */
	default:
		return rnd(s); /* anywhere, overflowing sector + count too */
	}
}

/* One request: header, 0..5 data buffers (split at random), status; framing always right, the
 * contents anything. Returns the status byte. */
static unsigned one_request(uint64_t *s)
{
	static const uint32_t types[] = {T_IN, T_OUT, T_FLUSH, T_GET_ID};
	uint32_t type = rnd_below(s, 8) ? types[rnd_below(s, 4)] : (uint32_t)rnd(s);
	bool dev_writes = type == T_IN || type == T_GET_ID;
	unsigned head = (unsigned)rnd_below(s, Q), nbufs = 0, cur;
	uint32_t total = 0;

	if (type == T_IN || type == T_OUT)
		total = 512U * (1 + (uint32_t)rnd_below(s, MAX_DATA / 512));
	else if (type == T_GET_ID)
		total = 1 + (uint32_t)rnd_below(s, 64);
	else if (type != T_FLUSH && rnd_below(s, 2))
		total = 1 + (uint32_t)rnd_below(s, 4096);
	q_hdr.type = type;
	q_hdr.reserved = (uint32_t)rnd(s);
	q_hdr.sector = rnd_sector(s);
	q_desc[head] = (struct desc){(uint64_t)(uintptr_t)&q_hdr, sizeof(q_hdr), DESC_F_NEXT, 0};
	cur = head;
	while (total) {
		uint32_t part = nbufs == 4 || total < 2 ? total : 1 + (uint32_t)rnd_below(s, total);
		unsigned next = (cur + 1) % Q;

		q_desc[cur].next = (uint16_t)next;
		q_desc[next] =
		    (struct desc){scratch_buf(s, part), part,
				  (uint16_t)(DESC_F_NEXT | (dev_writes ? DESC_F_WRITE : 0)), 0};
		cur = next;
		total -= part;
		nbufs++;
	}
	q_desc[cur].next = (uint16_t)((cur + 1) % Q);
	q_desc[(cur + 1) % Q] = (struct desc){(uint64_t)(uintptr_t)&q_status, 1, DESC_F_WRITE, 0};
	q_avail.flags = (uint16_t)rnd_below(s, 2); /* VIRTQ_AVAIL_F_NO_INTERRUPT or not */
	return submit(head, rnd_below(s, 16) ? 1 : 2);
}

void atk_virtio_fuzz(uint64_t *s, uint64_t n)
{
	if (!vq_setup()) {
		kprintf("attacker: virtio: the device refused the features\n");
		return;
	}
	for (uint64_t i = 0; i < n; i++) {
		unsigned st = one_request(s);

		atk_count(0, PH_VIRTIO,
			  st == NO_STATUS ? CLS_OTHER_NEG : atk_classify(-(int64_t)st));
		if (rnd_below(s, 4) == 0)
			wr(VIRTIO_MMIO_INTERRUPT_ACK,
			   rd(VIRTIO_MMIO_INTERRUPT_STATUS) | (uint32_t)rnd(s));
		if (rnd_below(s, 64) == 0) {
			/* Registers the device must ignore while the queue is live, then a reset.
			 */
			wr(VIRTIO_MMIO_QUEUE_NUM, (uint32_t)rnd(s));
			wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)rnd(s));
			wr(VIRTIO_MMIO_QUEUE_SEL, (uint32_t)rnd(s));
			wr(VIRTIO_MMIO_QUEUE_READY, 1);
			wr(VIRTIO_MMIO_QUEUE_SEL, 0);
			if (rnd_below(s, 2) && !vq_setup())
				return;
		}
	}
}

/* --- lethal finales: the hypervisor must stop this VM, and only it --- */

static void chain_finale(const char *what)
{
	unsigned st;

	if (!vq_setup())
		return;
	q_hdr.type = T_IN;
	q_hdr.reserved = 0;
	q_hdr.sector = 0;
	q_desc[0] = (struct desc){(uint64_t)(uintptr_t)&q_hdr, sizeof(q_hdr), DESC_F_NEXT, 1};
	q_desc[1] = (struct desc){atk.scratch_lo, 512, DESC_F_NEXT | DESC_F_WRITE, 2};
	q_desc[2] = (struct desc){(uint64_t)(uintptr_t)&q_status, 1, DESC_F_WRITE, 0};
	if (strcmp(what, "virtio-loop") == 0) {
		q_desc[1].next = 1; /* the data buffer points at itself */
	} else if (strcmp(what, "virtio-oob") == 0) {
		q_desc[1].addr = 0x20000000; /* below RAM: not this VM's */
	} else if (strcmp(what, "virtio-huge") == 0) {
		q_desc[1].len = 0xffffffffU;
	} else if (strcmp(what, "virtio-index") == 0) {
		q_desc[1].next = 200;
	} else if (strcmp(what, "virtio-avail") == 0) {
		q_avail.idx = (uint16_t)(q_avail.idx + 1000 - 1);
	}
	st = submit(0, 1);
	kprintf("attacker: %s completed with status %#x\n", what, st);
}

bool atk_finale(const char *name)
{
	if (strcmp(name, "hole") == 0) {
		(void)*(volatile uint32_t *)(GUEST_PL011_BASE + 0x1000);
	} else if (strcmp(name, "unmapped") == 0) {
		(void)*(volatile uint32_t *)0x20000000UL;
	} else if (strcmp(name, "uart64") == 0) {
		(void)*(volatile uint64_t *)GUEST_PL011_BASE;
	} else if (strcmp(name, "rtc64") == 0) {
		*(volatile uint64_t *)(GUEST_PL031_BASE + 8) = ~0ULL; /* RTCLR and RTCCR at once */
	} else if (strcmp(name, "virtio-width") == 0) {
		(void)*(volatile uint16_t *)(GUEST_VIRTIO_BASE + VIRTIO_MMIO_STATUS);
	} else if (strcmp(name, "virtio-geometry") == 0) {
		wr(VIRTIO_MMIO_STATUS, 0);
		wr(VIRTIO_MMIO_QUEUE_SEL, 0);
		wr(VIRTIO_MMIO_QUEUE_NUM, 3); /* not a power of two */
		wr(VIRTIO_MMIO_QUEUE_DESC_LOW, 0x20000000);
		wr(VIRTIO_MMIO_QUEUE_READY, 1);
	} else if (strncmp(name, "virtio-", 7) == 0) {
		chain_finale(name);
	} else if (strcmp(name, "mmio-misaligned") == 0) {
		(void)*(volatile uint32_t *)(GUEST_GICD_BASE + 2);
	} else if (strcmp(name, "text-write") == 0) {
		struct smccc_res r =
		    smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t) "fatfs", 5, 0, 0, 0, 0);

		kprintf("attacker: fatfs loaded: %ld at %#lx; writing to its text\n", (long)r.a0,
			(unsigned long)r.a1);
		if (r.a0 == MV_OK)
			*(volatile uint64_t *)(uintptr_t)r.a1 = 0xdeadbeefULL;
	} else {
		return false;
	}
	return true;
}
