/* Physical virtio-blk disks: modern virtio-mmio set-up and synchronous, polled requests. */
#include "vblk_phys.h"
#include <string.h>
#include "console.h"
#include "frame.h"
#include "mm.h"
#include "spinlock.h"
#include "arch/gic_hw.h"
#include "cpu.h"
#include "vblk_req.h"
#include "vio_arch.h"
#include <dev/virtio_mmio.h>
#include "virtq.h"
#include <modvisor/status.h>

/* One request at a time needs three descriptors; eight leaves the ring a power of two. */
#define PQ_SIZE 8U
/* Generous for a disk behind QEMU: a slow host must not make us declare the device dead. */
#define REQUEST_TIMEOUT_SEC 10U
#define RESET_TIMEOUT_SEC 1U
#define CONFIG_RETRIES 100U

/* The queue and the request's own header, status and ID buffer, in one device-visible frame. */
struct pq_page {
	struct virtq_desc desc[PQ_SIZE];
	/* No event-index fields: VIRTIO_F_EVENT_IDX is not negotiated. */
	struct {
		uint16_t flags;
		uint16_t idx;
		uint16_t ring[PQ_SIZE];
	} avail;
	struct {
		/* Written by the device; we notify regardless (see submit_and_wait). */
		// cppcheck-suppress unusedStructMember
		uint16_t flags;
		uint16_t idx;
		struct virtq_used_elem ring[PQ_SIZE];
	} used __attribute__((aligned(4)));
	struct vblk_hdr hdr;
	uint8_t status;
	char id[VBLK_ID_BYTES];
};
_Static_assert(sizeof(struct pq_page) <= FRAME_SIZE, "the physical queue fits in one frame");

struct vblk_phys {
	struct spinlock lock; /* one request in flight per disk */
	uint64_t base;
	uint64_t capacity;
	bool flush;
	bool read_only;
	bool broken;	/* stopped answering: refused for good */
	int owner;	/* VM id, or VBLK_PHYS_NO_OWNER */
	unsigned intid; /* its interrupt: it only wakes the waiting CPU, never handled */
	int routed_cpu; /* the CPU its interrupt is routed to, or -1 */
	char serial[VBLK_ID_BYTES + 1];
	/* The device writes this page behind the compiler's back. */
	volatile struct pq_page *q;
	uint16_t avail_idx;
	uint16_t used_seen;
};

static struct vblk_phys disks[VBLK_PHYS_MAX];
static unsigned disk_count;
static struct spinlock bind_lock = SPINLOCK_INIT;

static uint32_t rd(const struct vblk_phys *d, unsigned off)
{
	return vio_read32(d->base, off);
}

static void wr(const struct vblk_phys *d, unsigned off, uint32_t v)
{
	vio_write32(d->base, off, v);
}

static uint64_t deadline_after(unsigned seconds)
{
	return vio_ticks() + vio_ticks_per_sec() * seconds;
}

/* Writing 0 resets; the device is back in its initial state once Status reads 0 again. */
static int device_reset(const struct vblk_phys *d)
{
	uint64_t deadline = deadline_after(RESET_TIMEOUT_SEC);

	wr(d, VIRTIO_MMIO_STATUS, 0);
	while (rd(d, VIRTIO_MMIO_STATUS) != 0)
		if (vio_ticks() > deadline)
			return MV_ERR_BUSY;
	return MV_OK;
}

static int status_to_mv(uint8_t status)
{
	switch (status) {
	case VBLK_S_OK:
		return MV_OK;
	case VBLK_S_UNSUPP:
		return MV_ERR_NOT_SUPPORTED;
	default:
		return MV_ERR_INVALID;
	}
}

/* Publishes descriptor chain 0 and waits, bounded, for the device to hand it back. We notify
 * even when the device sets VIRTQ_USED_F_NO_NOTIFY: with one request in flight a missed
 * notify would cost a timeout, an extra one costs nothing. */
static int submit_and_wait(struct vblk_phys *d)
{
	volatile struct pq_page *q = d->q;
	uint64_t deadline;
	uint32_t head;

	/* The device's interrupt wakes this CPU from WFI; it is never taken (IRQs are masked at
	 * EL2), only acknowledged at the device, which drops the level again. */
	if (d->routed_cpu != (int)cpu_index()) {
		d->routed_cpu = (int)cpu_index();
		gic_hw_enable_spi(d->intid, cpu_mpidr(cpu_index()));
	}
	q->avail.ring[d->avail_idx % PQ_SIZE] = 0;
	vio_wmb();
	q->avail.idx = ++d->avail_idx;
	vio_mb();
	wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);

	/*
	 * Sleeping instead of spinning executes nothing while the host does the I/O, so that a
	 * guest's instruction counts do not depend on how fast the host disk is (benchmarks).
	 * The hypervisor's physical timer bounds the wait.
	 */
	deadline = deadline_after(REQUEST_TIMEOUT_SEC);
	vio_watchdog_arm(deadline);
	/* At least one WFI even if the answer is already there: its interrupt is pending then,
	 * so WFI returns at once, and both cases execute the same instructions. */
	do {
		vio_wait_for_interrupt();
		if (q->used.idx != d->used_seen)
			break;
		if (vio_ticks() > deadline) {
			vio_watchdog_disarm();
			/* The device may still write our buffers later: reset it and never use it
			 * again rather than risk a late DMA into reused memory. */
			d->broken = true;
			device_reset(d);
			hyp_printf("hyp: disk '%s' at %#lx: no answer in %u s, disabled\n",
				   d->serial, (unsigned long)d->base, REQUEST_TIMEOUT_SEC);
			return MV_ERR_BUSY;
		}
	} while (true);
	vio_watchdog_disarm();
	vio_rmb();
	head = q->used.ring[d->used_seen % PQ_SIZE].id;
	d->used_seen++;
	/* Lower the interrupt line before anything can take it. */
	wr(d, VIRTIO_MMIO_INTERRUPT_ACK, rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
	/* Chain 0 is the only one we ever publish. */
	if (head != 0)
		return MV_ERR_INVALID;
	return status_to_mv(q->status);
}

/* One request of `type`: header, an optional data buffer, status. The caller holds d->lock. */
static int request(struct vblk_phys *d, uint32_t type, uint64_t sector, void *data, uint32_t bytes,
		   bool device_writes)
{
	volatile struct pq_page *q = d->q;
	unsigned n = 0;

	if (d->broken)
		return MV_ERR_BUSY;
	q->hdr.type = type;
	q->hdr.reserved = 0;
	q->hdr.sector = sector;
	q->status = 0xff;

	q->desc[n].addr = virt_to_phys((const void *)&q->hdr);
	q->desc[n].len = sizeof(q->hdr);
	q->desc[n].flags = VIRTQ_DESC_F_NEXT;
	q->desc[n].next = (uint16_t)(n + 1);
	n++;
	if (bytes) {
		q->desc[n].addr = virt_to_phys(data);
		q->desc[n].len = bytes;
		q->desc[n].flags = VIRTQ_DESC_F_NEXT | (device_writes ? VIRTQ_DESC_F_WRITE : 0);
		q->desc[n].next = (uint16_t)(n + 1);
		n++;
	}
	q->desc[n].addr = virt_to_phys((const void *)&q->status);
	q->desc[n].len = 1;
	q->desc[n].flags = VIRTQ_DESC_F_WRITE;
	q->desc[n].next = 0;
	return submit_and_wait(d);
}

static int read_capacity(const struct vblk_phys *d, uint64_t *capacity)
{
	for (unsigned i = 0; i < CONFIG_RETRIES; i++) {
		uint32_t gen = rd(d, VIRTIO_MMIO_CONFIG_GENERATION);
		uint32_t lo = rd(d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY);
		uint32_t hi = rd(d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY + 4);

		/* A 64-bit field read in two halves is only consistent if the generation held. */
		if (rd(d, VIRTIO_MMIO_CONFIG_GENERATION) == gen) {
			*capacity = ((uint64_t)hi << 32) | lo;
			return MV_OK;
		}
	}
	return MV_ERR_BUSY;
}

static uint64_t read_features(const struct vblk_phys *d)
{
	uint64_t f;

	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	f = (uint64_t)rd(d, VIRTIO_MMIO_DEVICE_FEATURES) << 32;
	wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	return f | rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
}

static void write_features(const struct vblk_phys *d, uint64_t f)
{
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
}

static void write_addr(const struct vblk_phys *d, unsigned low_off, uint64_t pa)
{
	wr(d, low_off, (uint32_t)pa);
	wr(d, low_off + 4, (uint32_t)(pa >> 32));
}

/* Queue 0 in the frame at `pa`. */
static const char *setup_queue(struct vblk_phys *d, uint64_t pa)
{
	uint32_t max;

	wr(d, VIRTIO_MMIO_QUEUE_SEL, 0);
	if (rd(d, VIRTIO_MMIO_QUEUE_READY) != 0)
		return "queue 0 is already live after reset";
	max = rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
	if (max < PQ_SIZE)
		return "queue 0 is too small";
	d->q = phys_to_virt(pa);
	/* We poll; the device need not interrupt us. */
	/* Interrupts on: the CPU waiting for a request sleeps in WFI until the device answers. */
	d->q->avail.flags = 0;
	wr(d, VIRTIO_MMIO_QUEUE_NUM, PQ_SIZE);
	write_addr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, virt_to_phys((const void *)d->q->desc));
	write_addr(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, virt_to_phys((const void *)&d->q->avail));
	write_addr(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, virt_to_phys((const void *)&d->q->used));
	vio_wmb();
	wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
	return NULL;
}

/* The modern initialisation sequence (virtio 1.x, 3.1.1); NULL or why the device is unusable.
 */
static const char *device_init(struct vblk_phys *d, uint64_t queue_pa)
{
	uint32_t status = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER;
	uint64_t offered, wanted;
	const char *why;

	if (device_reset(d) != MV_OK)
		return "does not reset";
	wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(d, VIRTIO_MMIO_STATUS, status);
	offered = read_features(d);
	if (!(offered & (1ULL << VIRTIO_F_VERSION_1)))
		return "does not offer VIRTIO_F_VERSION_1";
	wanted = (1ULL << VIRTIO_F_VERSION_1) | (offered & (1ULL << VIRTIO_BLK_F_FLUSH));
	write_features(d, wanted);
	status |= VIRTIO_STATUS_FEATURES_OK;
	wr(d, VIRTIO_MMIO_STATUS, status);
	if (!(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
		return "refused our features";
	why = setup_queue(d, queue_pa);
	if (why)
		return why;
	status |= VIRTIO_STATUS_DRIVER_OK;
	wr(d, VIRTIO_MMIO_STATUS, status);
	if (rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_NEEDS_RESET)
		return "needs a reset right after set-up";
	if (read_capacity(d, &d->capacity) != MV_OK)
		return "configuration space keeps changing";
	d->flush = offered & (1ULL << VIRTIO_BLK_F_FLUSH);
	d->read_only = offered & (1ULL << VIRTIO_BLK_F_RO);
	return NULL;
}

/* GET_ID answers up to 20 bytes, NUL-padded only when shorter. */
static const char *read_serial(struct vblk_phys *d)
{
	volatile struct pq_page *q = d->q;

	if (request(d, VBLK_T_GET_ID, 0, (void *)q->id, VBLK_ID_BYTES, true) != MV_OK)
		return "GET_ID failed";
	for (unsigned i = 0; i < VBLK_ID_BYTES; i++)
		d->serial[i] = q->id[i];
	d->serial[VBLK_ID_BYTES] = '\0';
	if (d->serial[0] == '\0')
		return "has no serial (add serial=NAME to -device virtio-blk-device)";
	for (unsigned i = 0; i < disk_count; i++)
		if (strcmp(disks[i].serial, d->serial) == 0)
			return "has the serial of another disk";
	return NULL;
}

static void probe_one(const struct virtio_mmio_slot *slot)
{
	struct vblk_phys *d = &disks[disk_count];
	const char *why;
	uint64_t pa;

	if (vio_read32(slot->base, VIRTIO_MMIO_MAGIC_VALUE) != VIRTIO_MMIO_MAGIC ||
	    vio_read32(slot->base, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_ID_BLOCK)
		return; /* an empty transport or another kind of device */
	if (vio_read32(slot->base, VIRTIO_MMIO_VERSION) != VIRTIO_MMIO_VERSION_MODERN) {
		hyp_printf("hyp: virtio-blk at %#lx is legacy (virtio-mmio version 1), ignored: "
			   "start QEMU with -global virtio-mmio.force-legacy=false\n",
			   (unsigned long)slot->base);
		return;
	}
	if (disk_count == VBLK_PHYS_MAX) {
		hyp_printf("hyp: virtio-blk at %#lx ignored: more than %u disks\n",
			   (unsigned long)slot->base, VBLK_PHYS_MAX);
		return;
	}
	if (mm_alloc(1, 1, FRAME_DEVBUF, FRAME_ID_NONE, &pa) != MV_OK) {
		hyp_printf("hyp: virtio-blk at %#lx ignored: no memory for its queue\n",
			   (unsigned long)slot->base);
		return;
	}
	memset(d, 0, sizeof(*d));
	d->lock = (struct spinlock)SPINLOCK_INIT;
	d->base = slot->base;
	d->intid = slot->intid;
	d->routed_cpu = -1;
	d->owner = VBLK_PHYS_NO_OWNER;
	why = device_init(d, pa);
	if (!why)
		why = read_serial(d);
	if (why) {
		hyp_printf("hyp: virtio-blk at %#lx ignored: it %s\n", (unsigned long)d->base, why);
		if (device_reset(d) == MV_OK)
			mm_free(pa, 1);
		/* else the device may still own the frame: leave it allocated. */
		return;
	}
	disk_count++;
	hyp_printf("hyp: disk '%s': virtio-blk at %#lx, %lu sectors%s\n", d->serial,
		   (unsigned long)d->base, (unsigned long)d->capacity,
		   d->read_only ? ", read-only" : "");
}

int vblk_phys_probe(const struct platform *plat)
{
	for (unsigned i = 0; i < plat->virtio_count; i++)
		probe_one(&plat->virtio[i]);
	return (int)disk_count;
}

struct vblk_phys *vblk_phys_find(const char *serial)
{
	for (unsigned i = 0; i < disk_count; i++)
		if (strcmp(disks[i].serial, serial) == 0)
			return &disks[i];
	return NULL;
}

int vblk_phys_bind(struct vblk_phys *d, unsigned vm_id)
{
	int ret = MV_OK;

	spin_lock(&bind_lock);
	if (d->owner != VBLK_PHYS_NO_OWNER && d->owner != (int)vm_id)
		ret = MV_ERR_BUSY;
	else
		d->owner = (int)vm_id;
	spin_unlock(&bind_lock);
	return ret;
}

void vblk_phys_unbind(struct vblk_phys *d, unsigned vm_id)
{
	spin_lock(&bind_lock);
	if (d->owner == (int)vm_id)
		d->owner = VBLK_PHYS_NO_OWNER;
	spin_unlock(&bind_lock);
}

uint64_t vblk_phys_capacity(const struct vblk_phys *d)
{
	return d->capacity;
}

const char *vblk_phys_serial(const struct vblk_phys *d)
{
	return d->serial;
}

int vblk_phys_rw(struct vblk_phys *d, bool write, uint64_t sector, void *buf, uint32_t bytes)
{
	uint64_t sectors = bytes / VBLK_SECTOR_SIZE;
	int ret;

	if (bytes == 0 || bytes % VBLK_SECTOR_SIZE || sector > d->capacity ||
	    sectors > d->capacity - sector)
		return MV_ERR_INVALID;
	if (write && d->read_only)
		return MV_ERR_DENIED;
	spin_lock(&d->lock);
	ret = request(d, write ? VBLK_T_OUT : VBLK_T_IN, sector, buf, bytes, !write);
	spin_unlock(&d->lock);
	return ret;
}

int vblk_phys_flush(struct vblk_phys *d)
{
	int ret;

	if (!d->flush)
		return d->broken ? MV_ERR_BUSY : MV_OK;
	spin_lock(&d->lock);
	ret = request(d, VBLK_T_FLUSH, 0, NULL, 0, false);
	spin_unlock(&d->lock);
	return ret;
}
