/* Emulated virtio-mmio v2 transport of each VM's block device, and binding VMs to disks. */
#include "vblk_dev.h"
#include <string.h>
#include "console.h"
#include "mm.h"
#include "panic.h"
#include "vblk_dev_priv.h"
#include "vblk_phys.h"
#include "vgic.h"
#include <dev/virtio_mmio.h>
#include "vm.h"
#include <fmt.h>
#include <modvisor/status.h>

#define VBLK_VENDOR_ID 0x56444f4dU /* "MODV" */
/* Offer only what is implemented: no indirect descriptors, no event index, no other blk
 * features. */
#define VBLK_FEATURES ((1ULL << VIRTIO_F_VERSION_1) | (1ULL << VIRTIO_BLK_F_FLUSH))
#define BOUNCE_FRAMES (VBLK_MAX_DATA >> PAGE_SHIFT)

static struct vblk_dev devs[VM_MAX];

static void set_line(struct vblk_dev *dev)
{
	vgic_set_level(dev->vm, VGIC_SPI_VIRTIO, dev->int_status != 0);
}

/* Writing 0 to Status: everything the driver configured is forgotten. */
static void device_reset(struct vblk_dev *dev)
{
	bool was_raised = dev->int_status != 0;

	dev->status = 0;
	dev->dev_features_sel = 0;
	dev->drv_features_sel = 0;
	dev->drv_features = 0;
	dev->queue_sel = 0;
	dev->int_status = 0;
	dev->qnum = 0;
	dev->qready = false;
	dev->qdesc = dev->qavail = dev->qused = 0;
	dev->last_avail = 0;
	dev->used_idx = 0;
	if (was_raised)
		set_line(dev);
}

static void write_status(struct vblk_dev *dev, uint32_t v)
{
	if (v == 0) {
		device_reset(dev);
		return;
	}
	/* FEATURES_OK sticks only for a subset of what we offer that includes VERSION_1: this
	 * device has no legacy interface. */
	if ((v & VIRTIO_STATUS_FEATURES_OK) && !(dev->status & VIRTIO_STATUS_FEATURES_OK) &&
	    ((dev->drv_features & ~VBLK_FEATURES) ||
	     !(dev->drv_features & (1ULL << VIRTIO_F_VERSION_1))))
		v &= ~VIRTIO_STATUS_FEATURES_OK;
	dev->status = v & 0xff;
}

static void set_half(uint64_t *reg, bool high, uint32_t v)
{
	if (high)
		*reg = (*reg & 0xffffffffULL) | ((uint64_t)v << 32);
	else
		*reg = (*reg & ~0xffffffffULL) | v;
}

static int write_queue_ready(struct vblk_dev *dev, uint32_t v)
{
	const struct virtq_mem mem = vblk_guest_mem(dev->vm);
	int ret;

	if (!(v & 1)) {
		dev->qready = false;
		return MV_OK;
	}
	if (dev->qready)
		return MV_OK;
	ret = virtq_check_rings(dev->qnum, VBLK_QUEUE_MAX, dev->qdesc, dev->qavail, dev->qused,
				&mem, &dev->err);
	if (ret != MV_OK)
		return ret;
	dev->qready = true;
	dev->last_avail = 0;
	dev->used_idx = 0;
	return MV_OK;
}

/* Queue registers while queue 0 is live are ignored, as are those of queues we lack. */
static void write_queue_reg(struct vblk_dev *dev, uint64_t off, uint32_t v)
{
	bool high = off & 4;

	if (dev->queue_sel != 0 || dev->qready)
		return;
	switch (off & ~4ULL) {
	case VIRTIO_MMIO_QUEUE_NUM:
		if (!high)
			dev->qnum = v;
		break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
		set_half(&dev->qdesc, high, v);
		break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
		set_half(&dev->qavail, high, v);
		break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
		set_half(&dev->qused, high, v);
		break;
	default:
		break;
	}
}

static int reg_write(struct vblk_dev *dev, uint64_t off, uint32_t v)
{
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
		dev->dev_features_sel = v;
		return MV_OK;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		/* Features are fixed once FEATURES_OK is accepted. */
		if (!(dev->status & VIRTIO_STATUS_FEATURES_OK) && dev->drv_features_sel < 2)
			set_half(&dev->drv_features, dev->drv_features_sel == 1, v);
		return MV_OK;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
		dev->drv_features_sel = v;
		return MV_OK;
	case VIRTIO_MMIO_QUEUE_SEL:
		dev->queue_sel = v;
		return MV_OK;
	case VIRTIO_MMIO_QUEUE_NUM:
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		write_queue_reg(dev, off, v);
		return MV_OK;
	case VIRTIO_MMIO_QUEUE_READY:
		return dev->queue_sel == 0 ? write_queue_ready(dev, v) : MV_OK;
	case VIRTIO_MMIO_QUEUE_NOTIFY:
		/* Buffers are not ours to touch before DRIVER_OK; other queues do not exist. */
		if (v == 0 && dev->qready && (dev->status & VIRTIO_STATUS_DRIVER_OK))
			return vblk_queue_notify(dev);
		return MV_OK;
	case VIRTIO_MMIO_INTERRUPT_ACK:
		if (dev->int_status & v) {
			dev->int_status &= ~v;
			if (dev->int_status == 0)
				set_line(dev);
		}
		return MV_OK;
	case VIRTIO_MMIO_STATUS:
		write_status(dev, v);
		return MV_OK;
	default:
		return MV_OK; /* read-only or reserved: ignored */
	}
}

static uint32_t reg_read(const struct vblk_dev *dev, uint64_t off)
{
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE:
		return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION:
		return VIRTIO_MMIO_VERSION_MODERN;
	case VIRTIO_MMIO_DEVICE_ID:
		return VIRTIO_ID_BLOCK;
	case VIRTIO_MMIO_VENDOR_ID:
		return VBLK_VENDOR_ID;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		if (dev->dev_features_sel >= 2)
			return 0;
		return (uint32_t)(VBLK_FEATURES >> (32 * dev->dev_features_sel));
	case VIRTIO_MMIO_QUEUE_NUM_MAX:
		return dev->queue_sel == 0 ? VBLK_QUEUE_MAX : 0;
	case VIRTIO_MMIO_QUEUE_READY:
		return dev->queue_sel == 0 && dev->qready;
	case VIRTIO_MMIO_INTERRUPT_STATUS:
		return dev->int_status;
	case VIRTIO_MMIO_STATUS:
		return dev->status;
	case VIRTIO_MMIO_CONFIG_GENERATION:
		return 0; /* the configuration never changes */
	default:
		return 0; /* write-only or reserved */
	}
}

/* Configuration space: capacity (little-endian u64) then zeroes; any width, writes ignored. */
static uint64_t config_read(const struct vblk_dev *dev, uint64_t off, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size; i++) {
		uint64_t at = off + i;
		uint64_t byte = at < 8 ? (dev->capacity >> (8 * at)) & 0xff : 0;

		v |= byte << (8 * i);
	}
	return v;
}

static int vblk_access(void *opaque, struct vcpu *vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *value)
{
	struct vblk_dev *dev = opaque;
	char why[VIRTQ_WHY_MAX];
	int ret = MV_OK;

	(void)vcpu;
	spin_lock(&dev->lock);
	if (!dev->attached) {
		ret = MV_ERR_NOT_FOUND;
	} else if (off >= VIRTIO_MMIO_CONFIG) {
		if (!write)
			*value = config_read(dev, off - VIRTIO_MMIO_CONFIG, size);
	} else if (size != 4) {
		/* The transport defines only 32-bit register accesses. */
		fmt_snprintf(why, sizeof(why), "%u-byte access to register %#lx", size,
			     (unsigned long)off);
		ret = MV_ERR_INVALID;
	} else if (write) {
		ret = reg_write(dev, off, (uint32_t)*value);
		if (ret == MV_ERR_INVALID)
			memcpy(why, dev->err.why, sizeof(why));
	} else {
		*value = reg_read(dev, off);
	}
	spin_unlock(&dev->lock);
	/* Stopping never returns: the device lock must be free by now. */
	if (ret == MV_ERR_INVALID)
		vm_stop(dev->vm, "virtio-blk: %s", why);
	return ret;
}

int vblk_attach(struct vm *vm)
{
	const char *name = vm->cfg->disk;
	struct vblk_phys *disk;
	struct vblk_dev *dev;
	uint64_t pa;
	int ret;

	if (name[0] == '\0')
		return MV_OK;
	BUG_ON(vm->id >= VM_MAX);
	dev = &devs[vm->id];
	/* The slot of a VM that failed to start is reused by the next one. */
	vblk_detach(vm);
	disk = vblk_phys_find(name);
	if (!disk) {
		hyp_printf("hyp: vm %s not started: disk '%s' not found (no virtio-blk device has "
			   "that serial)\n",
			   vm->name, name);
		return MV_ERR_NOT_FOUND;
	}
	if (vblk_phys_bind(disk, vm->id) != MV_OK) {
		hyp_printf("hyp: vm %s not started: disk '%s' belongs to another vm\n", vm->name,
			   name);
		return MV_ERR_BUSY;
	}
	ret = mm_alloc(BOUNCE_FRAMES, 1, FRAME_DEVBUF, vm->id, &pa);
	if (ret == MV_OK) {
		ret = mmio_register(&vm->mmio, VBLK_DEV_BASE, VBLK_DEV_SIZE, vblk_access, dev,
				    "virtio-blk");
		if (ret != MV_OK)
			mm_free(pa, BOUNCE_FRAMES);
	}
	if (ret != MV_OK) {
		vblk_phys_unbind(disk, vm->id);
		hyp_printf("hyp: vm %s not started: no room for its disk '%s' (%d)\n", vm->name,
			   name, ret);
		return ret;
	}
	spin_lock(&dev->lock);
	dev->vm = vm;
	dev->int_status = 0; /* nothing to lower in a new VM's vGIC */
	device_reset(dev);
	dev->disk = disk;
	dev->capacity = vblk_phys_capacity(disk);
	dev->bounce_pa = pa;
	dev->bounce = phys_to_virt(pa);
	dev->attached = true;
	spin_unlock(&dev->lock);
	return MV_OK;
}

void vblk_detach(struct vm *vm)
{
	struct vblk_dev *dev;

	if (vm->id >= VM_MAX)
		return;
	dev = &devs[vm->id];
	spin_lock(&dev->lock);
	if (dev->attached) {
		mm_free(dev->bounce_pa, BOUNCE_FRAMES);
		vblk_phys_unbind(dev->disk, vm->id);
		dev->attached = false;
		dev->bounce = NULL;
	}
	spin_unlock(&dev->lock);
}

void vblk_reset(struct vm *vm)
{
	struct vblk_dev *dev;

	if (vm->id >= VM_MAX)
		return;
	dev = &devs[vm->id];
	spin_lock(&dev->lock);
	if (dev->attached)
		device_reset(dev);
	spin_unlock(&dev->lock);
}
