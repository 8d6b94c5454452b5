/* The PL031 RTC each VM sees at IPA 0x0901_0000: its own wall clock, seeded from the machine's. */
#ifndef HYP_VRTC_H
#define HYP_VRTC_H

#include <modvisor/guest_map.h>
#include <stdbool.h>
#include <stdint.h>
#include "spinlock.h"
#include "vrtc_model.h"

struct vcpu;

#define VRTC_BASE GUEST_PL031_BASE
#define VRTC_SIZE 0x1000ULL

struct vrtc {
	struct spinlock lock; /* the VM's vCPUs race on it */
	struct vrtc_model model;
};

/* Reads the machine's RTC (base 0: none) once; VMs created later start from that time. */
void vrtc_seed_from_host(uint64_t base);
/* A VM's clock at the host's current time; kept across the VM's resets, as a real RTC is. */
void vrtc_init(struct vrtc *rtc);
/* The mmio_access_fn of the device. */
int vrtc_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		uint64_t *value);

#endif /* HYP_VRTC_H */
