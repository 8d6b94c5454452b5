/* Trap-and-emulate MMIO: decoding a guest's stage-2 data abort and routing it to a device model. */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

#define MMIO_MAX_REGIONS 6

/* A device model's register access; returns MV_OK or an error that stops the VM. */
typedef int (*mmio_access_fn)(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size,
			      bool write, uint64_t *value);

struct mmio_region {
	uint64_t base;
	uint64_t size;
	mmio_access_fn access;
	void *dev;
	const char *name;
};

struct mmio_bus {
	struct mmio_region regions[MMIO_MAX_REGIONS];
	unsigned count;
};

int mmio_register(struct mmio_bus *bus, uint64_t base, uint64_t size, mmio_access_fn access,
		  void *dev, const char *name);
const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa);

/* A decoded data abort: what the instruction wanted to do. */
struct mmio_access {
	uint64_t ipa;
	unsigned size; /* bytes: 1, 2, 4 or 8 */
	unsigned reg;  /* 0..30, 31 = xzr */
	bool write;
	bool sign_extend;
	bool sixty_four; /* the register is Xn, not Wn */
};

/* MV_ERR_NOT_SUPPORTED when the syndrome carries no instruction details (ISV clear). */
int mmio_decode(uint64_t esr, uint64_t ipa, struct mmio_access *out);
/* Performs a decoded access on the vCPU's registers through the matching region. */
int mmio_emulate(const struct mmio_bus *bus, struct vcpu *vcpu, const struct mmio_access *acc);
/* The same on a region already found (the trap handler has looked it up). */
int mmio_emulate_region(const struct mmio_region *r, struct vcpu *vcpu,
			const struct mmio_access *acc);

#endif /* HYP_MMIO_H */
