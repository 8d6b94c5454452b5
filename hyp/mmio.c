/* Decodes data-abort syndromes and performs the access on the guest's registers. */
#include "mmio.h"
#include <stddef.h>
#include "arch/sysregs.h"
#include "vcpu.h"
#include <modvisor/status.h>

int mmio_register(struct mmio_bus *bus, uint64_t base, uint64_t size, mmio_access_fn access,
		  void *dev, const char *name)
{
	if (bus->count == MMIO_MAX_REGIONS)
		return MV_ERR_NO_MEMORY;
	bus->regions[bus->count++] = (struct mmio_region){base, size, access, dev, name};
	return MV_OK;
}

const struct mmio_region *mmio_find(const struct mmio_bus *bus, uint64_t ipa)
{
	for (unsigned i = 0; i < bus->count; i++)
		if (ipa >= bus->regions[i].base &&
		    ipa - bus->regions[i].base < bus->regions[i].size)
			return &bus->regions[i];
	return NULL;
}

int mmio_decode(uint64_t esr, uint64_t ipa, struct mmio_access *out)
{
	uint32_t iss = (uint32_t)ESR_ISS(esr);

	if (!(iss & ISS_ISV))
		return MV_ERR_NOT_SUPPORTED;
	out->ipa = ipa;
	out->size = 1U << ISS_SAS(iss);
	out->reg = ISS_SRT(iss);
	out->write = iss & ISS_WNR;
	out->sign_extend = iss & ISS_SSE;
	out->sixty_four = iss & ISS_SF;
	return MV_OK;
}

int mmio_emulate(const struct mmio_bus *bus, struct vcpu *vcpu, const struct mmio_access *acc)
{
	const struct mmio_region *r = mmio_find(bus, acc->ipa);

	return r ? mmio_emulate_region(r, vcpu, acc) : MV_ERR_NOT_FOUND;
}

int mmio_emulate_region(const struct mmio_region *r, struct vcpu *vcpu,
			const struct mmio_access *acc)
{
	uint64_t value = 0;
	uint64_t mask = acc->size == 8 ? ~0ULL : ((1ULL << (acc->size * 8)) - 1);
	int ret;

	if (acc->ipa + acc->size > r->base + r->size || (acc->ipa & (acc->size - 1)))
		return MV_ERR_INVALID;
	if (acc->write)
		value = acc->reg == 31 ? 0 : (vcpu->regs.x[acc->reg] & mask);
	ret = r->access(r->dev, vcpu, acc->ipa - r->base, acc->size, acc->write, &value);
	if (ret != MV_OK)
		return ret;
	if (!acc->write && acc->reg != 31) {
		value &= mask;
		if (acc->sign_extend && acc->size < 8 && (value & (1ULL << (acc->size * 8 - 1))))
			value |= ~mask;
		if (!acc->sixty_four)
			value &= 0xffffffffULL;
		vcpu->regs.x[acc->reg] = value;
	}
	return MV_OK;
}
