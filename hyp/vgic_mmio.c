/* Trap-and-emulate of the guest's GICv3 distributor and redistributor registers. */
#include <dev/gicv3.h>
#include "vgic_internal.h"
#include "vm.h"
#include <modvisor/status.h>

#define GICD_CTLR_ENABLE_MASK 0x3U

enum bit_op {
	BIT_SET_ENABLE,
	BIT_CLEAR_ENABLE,
	BIT_SET_PEND,
	BIT_CLEAR_PEND,
	BIT_SET_ACT,
	BIT_CLEAR_ACT
};

/* Which 1-bit-per-interrupt register an offset (relative to ISENABLER) names. */
static const enum bit_op bit_ops[] = {BIT_SET_ENABLE, BIT_CLEAR_ENABLE, BIT_SET_PEND,
				      BIT_CLEAR_PEND, BIT_SET_ACT,	BIT_CLEAR_ACT};

static bool bit_get(const struct virq *v, enum bit_op op)
{
	switch (op) {
	case BIT_SET_ENABLE:
	case BIT_CLEAR_ENABLE:
		return v->enabled;
	case BIT_SET_PEND:
	case BIT_CLEAR_PEND:
		return v->pending;
	default:
		return v->active;
	}
}

static void bit_apply(struct virq *v, enum bit_op op)
{
	switch (op) {
	case BIT_SET_ENABLE:
		v->enabled = true;
		break;
	case BIT_CLEAR_ENABLE:
		v->enabled = false;
		break;
	case BIT_SET_PEND:
		v->pending = true;
		v->latched = !v->edge;
		v->again = v->lr >= 0; /* see sync_lrs(): not lost while the guest has it active */
		break;
	case BIT_CLEAR_PEND:
		v->pending = false;
		v->latched = v->again = false;
		break;
	case BIT_SET_ACT:
		v->active = true;
		break;
	case BIT_CLEAR_ACT:
		v->active = false;
		break;
	}
}

/* 32 interrupts from `first`, one bit each. */
static uint32_t bits_access(struct vm *vm, struct vcpu *vcpu, unsigned first, enum bit_op op,
			    bool write, uint32_t value)
{
	uint32_t out = 0;

	for (unsigned i = 0; i < 32; i++) {
		struct virq *v = vgic_get(vm, vcpu, first + i);

		if (!v)
			break;
		if (write && (value & (1U << i)))
			bit_apply(v, op);
		if (bit_get(v, op))
			out |= 1U << i;
	}
	return out;
}

static uint32_t priority_access(struct vm *vm, struct vcpu *vcpu, unsigned first, unsigned size,
				bool write, uint32_t value)
{
	uint32_t out = 0;

	for (unsigned i = 0; i < size; i++) {
		struct virq *v = vgic_get(vm, vcpu, first + i);

		if (!v)
			break;
		if (write)
			v->priority = (uint8_t)(value >> (8 * i));
		out |= (uint32_t)v->priority << (8 * i);
	}
	return out;
}

/* ICFGR: two bits per interrupt, bit 1 of each pair set for edge-triggered. SGIs are edge. */
static uint32_t config_access(struct vm *vm, struct vcpu *vcpu, unsigned first, bool write,
			      uint32_t value)
{
	uint32_t out = 0;

	for (unsigned i = 0; i < 16; i++) {
		struct virq *v = vgic_get(vm, vcpu, first + i);

		if (!v)
			break;
		if (write && first + i >= 16)
			v->edge = value & (2U << (2 * i));
		if (v->edge)
			out |= 2U << (2 * i);
	}
	return out;
}

/* The registers a distributor and a redistributor's SGI frame share, relative to 0. */
static bool common_access(struct vm *vm, struct vcpu *vcpu, unsigned base_intid, uint64_t off,
			  unsigned size, bool write, uint64_t *value)
{
	uint32_t v32 = (uint32_t)*value;

	if (off >= GICD_IGROUPR && off < GICD_ISENABLER) {
		*value = ~0U; /* every interrupt is group 1 */
		return true;
	}
	if (off >= GICD_ISENABLER && off < GICD_IPRIORITYR && size == 4) {
		unsigned reg = (unsigned)(off - GICD_ISENABLER) / 0x80;
		unsigned first = base_intid + 32 * ((unsigned)(off & 0x7f) / 4);

		*value = bits_access(vm, vcpu, first, bit_ops[reg], write, v32);
		return true;
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 0x400 && size <= 4) {
		*value = priority_access(vm, vcpu, base_intid + (unsigned)(off - GICD_IPRIORITYR),
					 size, write, v32);
		return true;
	}
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100 && size == 4) {
		*value = config_access(
		    vm, vcpu, base_intid + 16 * (unsigned)((off - GICD_ICFGR) / 4), write, v32);
		return true;
	}
	return false;
}

/* The part of a register bank that covers INTIDs 0..31 (the redistributor's, with ARE). */
static bool private_reg(uint64_t off)
{
	return (off >= GICD_IGROUPR && off < GICD_IPRIORITYR && (off & 0x7f) < 4) ||
	       (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 32) ||
	       (off >= GICD_ICFGR && off < GICD_ICFGR + 8);
}

static void mark_all_dirty(struct vm *vm)
{
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		vgic_kick(&vm->vcpus[i]);
}

static unsigned vcpu_for_affinity(struct vm *vm, uint64_t irouter)
{
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		if ((vm->vcpus[i].vmpidr & 0xff00ffffffULL) == (irouter & 0xff00ffffffULL))
			return i;
	return 0;
}

static int dist_access(void *dev, struct vcpu *vcpu, uint64_t off, unsigned size, bool write,
		       uint64_t *value)
{
	struct vm *vm = dev;
	struct vgic *g = &vm->vgic;

	spin_lock(&g->lock);
	if (off == GICD_CTLR && size == 4) {
		if (write)
			g->gicd_ctlr = (uint32_t)*value & GICD_CTLR_ENABLE_MASK;
		*value = g->gicd_ctlr | GICD_CTLR_ARE | GICD_CTLR_DS;
	} else if (off == GICD_TYPER && size == 4) {
		*value = (VGIC_NR_IRQS / 32 - 1) | (9U << 19); /* 10 INTID bits */
	} else if (off == GICD_IIDR && size == 4) {
		*value = GIC_IIDR_ARM;
	} else if (off == GICD_PIDR2 && size == 4) {
		*value = GIC_PIDR2_V3;
	} else if (off >= GICD_IROUTER + 8 * 32 && off < GICD_IROUTER + 8 * VGIC_NR_IRQS &&
		   (size == 8 || size == 4)) {
		unsigned spi = (unsigned)(off - GICD_IROUTER) / 8 - 32;
		unsigned shift = (off & 4) ? 32 : 0;

		if (write) {
			uint64_t mask = (size == 8 ? ~0ULL : 0xffffffffULL) << shift;

			g->irouter[spi] = (g->irouter[spi] & ~mask) | ((*value << shift) & mask);
			g->irouter[spi] &= 0xff80ffffffULL; /* Aff3..0 and IRM */
			g->spis[spi].target = (uint8_t)vcpu_for_affinity(vm, g->irouter[spi]);
		}
		*value = g->irouter[spi] >> shift;
	} else if (off < GICD_IROUTER && off >= GICD_IGROUPR) {
		/* Below INTID 32 these registers live in the redistributors (ARE is set). */
		if (private_reg(off) || !common_access(vm, vcpu, 0, off, size, write, value))
			*value = 0;
	} else {
		/* Reserved offsets, and registers this GIC's configuration makes RAZ/WI:
		 * IGRPMODR and NSACR (DS=1), ITARGETSR and SGIR (ARE=1), SETSPI/CLRSPI
		 * (TYPER.MBIS=0); TYPER2 and STATUSR are zero without those features. */
		*value = 0;
	}
	spin_unlock(&g->lock);
	if (write)
		mark_all_dirty(vm);
	return MV_OK;
}

static int redist_access(void *dev, struct vcpu *vcpu, uint64_t off, unsigned size, bool write,
			 uint64_t *value)
{
	struct vm *vm = dev;
	unsigned index = (unsigned)(off / VGIC_REDIST_STRIDE);
	struct vcpu *target = &vm->vcpus[index];
	struct vgic_cpu *vc = &target->vgic;
	uint64_t reg = off % VGIC_REDIST_STRIDE;

	(void)vcpu;
	spin_lock(&vm->vgic.lock);
	if (reg == GICR_CTLR && size == 4) {
		*value = 0; /* no LPIs */
	} else if (reg == GICR_IIDR && size == 4) {
		*value = GIC_IIDR_ARM;
	} else if ((reg == GICR_TYPER && (size == 8 || size == 4)) || (reg == GICR_TYPER + 4)) {
		uint64_t aff = target->vmpidr & 0xffffff;
		uint64_t typer = (aff << 32) | ((uint64_t)index << 8) |
				 (index + 1 == vm->vcpu_count ? GICR_TYPER_LAST : 0);

		*value = reg == GICR_TYPER ? typer : typer >> 32;
		if (size == 4 && reg == GICR_TYPER)
			*value &= 0xffffffffULL;
	} else if (reg == GICR_WAKER && size == 4) {
		if (write) {
			/* ChildrenAsleep follows ProcessorSleep at once. */
			vc->gicr_waker =
			    ((uint32_t)*value & GICR_WAKER_SLEEP) ? GICR_WAKER_ASLEEP : 0;
		}
		*value = vc->gicr_waker;
	} else if (reg == GICR_PIDR2 && size == 4) {
		*value = GIC_PIDR2_V3;
	} else if (reg >= GICR_SGI_FRAME) {
		/* Only the first register of each bank (INTIDs 0..31) exists in the SGI frame. */
		if (!private_reg(reg - GICR_SGI_FRAME) ||
		    !common_access(vm, target, 0, reg - GICR_SGI_FRAME, size, write, value))
			*value = 0;
	} else {
		/* PROPBASER, PENDBASER and the LPI registers: RAZ/WI, as TYPER.LPIS is 0. */
		*value = 0;
	}
	spin_unlock(&vm->vgic.lock);
	if (write)
		vgic_kick(target);
	return MV_OK;
}

void vgic_mmio_register(struct vm *vm)
{
	mmio_register(&vm->mmio, VGIC_DIST_BASE, VGIC_DIST_SIZE, dist_access, vm, "gicd");
	mmio_register(&vm->mmio, VGIC_REDIST_BASE, VGIC_REDIST_STRIDE * vm->vcpu_count,
		      redist_access, vm, "gicr");
}
