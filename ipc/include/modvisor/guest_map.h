/* The guest physical address map every modvisor VM sees (docs/abi.md): one definition for the
 * hypervisor, which emulates these devices, and for the guest kernels, which use them. */
#ifndef MODVISOR_GUEST_MAP_H
#define MODVISOR_GUEST_MAP_H

/* Emulated devices; all of them lie in [GUEST_DEVICE_BASE, GUEST_DEVICE_END). */
#define GUEST_DEVICE_BASE 0x08000000ULL
#define GUEST_GICD_BASE 0x08000000ULL	/* GICv3 distributor, 64 KiB */
#define GUEST_GICR_BASE 0x080a0000ULL	/* redistributors, 128 KiB per vCPU */
#define GUEST_PL011_BASE 0x09000000ULL	/* PL011 UART, 4 KiB */
#define GUEST_PL031_BASE 0x09010000ULL	/* PL031 real-time clock, 4 KiB */
#define GUEST_VIRTIO_BASE 0x0a000000ULL /* virtio-mmio block device, 0x200 bytes */
#define GUEST_DEVICE_END 0x0b000000ULL

/* Their interrupts (INTIDs), as on QEMU virt: the UART is SPI 1, the disk SPI 16. */
#define GUEST_PL011_INTID 33U
#define GUEST_VIRTIO_INTID 48U

/* In the VM's RAM: its device tree at the start, its kernel 2 MiB in. */
#define GUEST_DTB_OFFSET 0x0ULL
#define GUEST_KERNEL_OFFSET 0x200000ULL

#endif /* MODVISOR_GUEST_MAP_H */
