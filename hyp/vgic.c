/* Virtual interrupt delivery: software state per interrupt, list registers per physical CPU. */
#include "vgic.h"
#include <dev/gicv3.h>
#include "vgic_internal.h"
#include "arch/gic_hw.h"
#include "cpu.h"
#include "vm.h"
#include "vsched.h"
#include <mv_compiler.h>

#define LR_STATE(lr) ((lr) >> LR_STATE_SHIFT)

struct virq *vgic_get(struct vm *vm, struct vcpu *vcpu, unsigned intid)
{
	if (intid < 32)
		return &vcpu->vgic.private_irqs[intid];
	if (intid < VGIC_NR_IRQS)
		return &vm->vgic.spis[intid - 32];
	return NULL;
}

/* The vCPU an interrupt is delivered to. */
static struct vcpu *owner_of(struct vm *vm, struct vcpu *vcpu, unsigned intid)
{
	if (intid < 32)
		return vcpu;
	return &vm->vcpus[vm->vgic.spis[intid - 32].target];
}

/* Makes `target` rescan its interrupts: a vCPU on another CPU is kicked with an SGI, a waiting
 * one on a time-shared CPU is woken. The flag first: vsched_wfi checks it under its lock. */
void vgic_kick(struct vcpu *target)
{
	WRITE_ONCE(target->vgic.dirty, true);
	vsched_kick(target);
}

static void reset_virq(struct virq *v, bool edge)
{
	*v = (struct virq){.priority = 0xa0, .edge = edge, .lr = -1};
}

void vgic_vm_init(struct vm *vm)
{
	struct vgic *g = &vm->vgic;

	g->lock = (struct spinlock)SPINLOCK_INIT;
	g->gicd_ctlr = 0;
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++) {
		reset_virq(&g->spis[i], false);
		g->irouter[i] = 0;
	}
	for (unsigned c = 0; c < vm->vcpu_count; c++) {
		struct vgic_cpu *vc = &vm->vcpus[c].vgic;

		for (unsigned i = 0; i < 32; i++)
			reset_virq(&vc->private_irqs[i], i < 16);
		vc->lr_used = 0;
		vc->dirty = false;
		vc->gicr_waker = GICR_WAKER_ASLEEP; /* as after reset */
	}
}

void vgic_set_level(struct vm *vm, unsigned intid, bool level)
{
	struct vcpu *owner;
	struct virq *v;

	if (intid < 32 || intid >= VGIC_NR_IRQS)
		return;
	spin_lock(&vm->vgic.lock);
	v = vgic_get(vm, NULL, intid);
	if (v->edge) {
		if (level && !v->line) {
			v->again = v->lr >= 0;
			v->pending = true;
		}
	} else if (level) {
		v->pending = true;
	} else if (v->lr < 0) {
		v->pending = v->latched;
	}
	v->line = level;
	owner = owner_of(vm, NULL, intid);
	spin_unlock(&vm->vgic.lock);
	vgic_kick(owner);
}

void vgic_inject(struct vm *vm, struct vcpu *vcpu, unsigned intid)
{
	struct vcpu *owner;
	struct virq *v;

	if (intid >= VGIC_NR_IRQS || (intid < 32 && !vcpu))
		return;
	spin_lock(&vm->vgic.lock);
	v = vgic_get(vm, vcpu, intid);
	v->again = v->lr >= 0;
	if (!v->edge)
		v->latched = true;
	v->pending = true;
	owner = owner_of(vm, vcpu, intid);
	spin_unlock(&vm->vgic.lock);
	vgic_kick(owner);
}

void vgic_inject_vtimer(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct virq *v = &vcpu->vgic.private_irqs[VGIC_PPI_VTIMER];

	spin_lock(&vm->vgic.lock);
	v->hw = true;
	v->pending = true;
	/* A tick while the previous one is still in a list register (the guest deactivated it,
	 * the timer fired again, and no trap came between) must not be lost at the next sync. */
	v->again = v->lr >= 0;
	vcpu->vgic.dirty = true;
	spin_unlock(&vm->vgic.lock);
}

void vgic_send_sgi(struct vcpu *vcpu, uint64_t sgi1r)
{
	struct vm *vm = vcpu->vm;
	unsigned intid = (sgi1r >> 24) & 0xf;
	bool all_but_self = sgi1r & (1ULL << 40);
	uint64_t aff = ((sgi1r >> 16) & 0xff) << 8 | ((sgi1r >> 32) & 0xff) << 16 |
		       ((sgi1r >> 48) & 0xffULL) << 32;
	unsigned range = (sgi1r >> 44) & 0xf;

	for (unsigned i = 0; i < vm->vcpu_count; i++) {
		struct vcpu *t = &vm->vcpus[i];
		uint64_t mpidr = t->vmpidr & 0xff00ffffffULL;
		unsigned aff0 = mpidr & 0xff;

		if (all_but_self) {
			if (t == vcpu)
				continue;
		} else if ((mpidr & ~0xffULL) != aff || aff0 / 16 != range ||
			   !(sgi1r & (1ULL << (aff0 % 16)))) {
			continue;
		}
		vgic_inject(vm, t, intid);
	}
}

static uint64_t make_lr(unsigned intid, const struct virq *v)
{
	uint64_t lr = intid | ((uint64_t)v->priority << LR_PRIO_SHIFT) | LR_GROUP1 |
		      (LR_STATE_PENDING << LR_STATE_SHIFT);

	if (v->hw)
		lr |= LR_HW | ((uint64_t)intid << LR_PINTID_SHIFT);
	else if (!v->edge)
		lr |= LR_EOI; /* a maintenance interrupt re-samples the line after the EOI */
	return lr;
}

/*
 * Reads back what the guest did with the interrupts in list registers and frees finished ones.
 * `again` is a pend the list register does not carry (it came after the LR was written, or was
 * taken out of it): merged while the LR is still pending, otherwise made the LR's pending state
 * next to its active one, as GICv3 does (an SGI the guest sends itself from its handler, an
 * ISPENDR write, a new edge), so that the guest takes it right after it deactivates the first
 * one, with no trap in between and nothing lost.
 */
static bool sync_lrs(struct vm *vm, struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	bool freed = false;

	for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
		if (!(vc->lr_used & (1U << i)))
			continue;
		uint64_t lr = gic_hw_lr_read(i);
		uint64_t state = LR_STATE(lr);
		struct virq *v = vgic_get(vm, vcpu, vc->lr_intid[i]);

		if (state & LR_STATE_PENDING)
			v->again = false; /* merges with the pending the LR still holds */
		else
			v->latched = v->latched && v->again; /* the guest took the LR's pending */
		/* A level line that dropped (or ICPENDR) before the guest took the interrupt. */
		if (!v->edge && !v->hw && !v->line && !v->latched)
			state &= ~LR_STATE_PENDING;
		if (!v->enabled && (state & LR_STATE_PENDING)) {
			/* Disabled while waiting: keep it pending in software only. */
			state &= ~LR_STATE_PENDING;
			v->again = true;
		}
		v->pending = (state & LR_STATE_PENDING) || v->again;
		v->active = state & LR_STATE_ACTIVE;
		/* The HW-linked timer cannot be both: its pending state is the physical one's. */
		if (state == LR_STATE_ACTIVE && v->again && v->enabled && !v->hw) {
			state |= LR_STATE_PENDING;
			v->again = false;
		}
		if (state == 0) {
			gic_hw_lr_write(i, 0);
			vc->lr_used &= ~(1U << i);
			v->lr = -1;
			v->again = false;
			if (!v->edge && !v->hw && v->line)
				v->pending = true;
			freed = true;
		} else if (state != LR_STATE(lr)) {
			gic_hw_lr_write(i, (lr & ~(3ULL << LR_STATE_SHIFT)) |
					       (state << LR_STATE_SHIFT));
		}
	}
	return freed;
}

/* Highest-priority interrupt for this vCPU that is enabled, pending and not yet in an LR. */
static int best_candidate(struct vm *vm, struct vcpu *vcpu)
{
	int best = -1;
	unsigned best_prio = 0x100;

	for (unsigned intid = 0; intid < VGIC_NR_IRQS; intid++) {
		struct virq *v = vgic_get(vm, vcpu, intid);

		if (!v->enabled || !v->pending || v->lr >= 0 || v->active)
			continue;
		if (intid >= 32 && (v->target != vcpu->id || !(vm->vgic.gicd_ctlr & 2)))
			continue;
		if (v->priority < best_prio) {
			best = (int)intid;
			best_prio = v->priority;
		}
	}
	return best;
}

/* Puts waiting interrupts into free list registers, best first; true if some did not fit. */
static bool fill_lrs(struct vm *vm, struct vcpu *vcpu)
{
	struct vgic_cpu *vc = &vcpu->vgic;
	unsigned all = (1U << gic_hw_lr_count()) - 1;
	int intid;

	while ((intid = best_candidate(vm, vcpu)) >= 0) {
		unsigned free = ~vc->lr_used & all;
		struct virq *v = vgic_get(vm, vcpu, (unsigned)intid);

		if (!free)
			return true;
		unsigned n = (unsigned)__builtin_ctz(free);

		gic_hw_lr_write(n, make_lr((unsigned)intid, v));
		vc->lr_used |= 1U << n;
		vc->lr_intid[n] = (uint16_t)intid;
		v->lr = (int8_t)n;
	}
	return false;
}

void vgic_flush(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *vc = &vcpu->vgic;
	bool overflow = false;

	if (!vgic_needs_flush(vc))
		return;
	spin_lock(&vm->vgic.lock);
	if (sync_lrs(vm, vcpu))
		vc->dirty = true;
	if (vc->dirty) {
		/* No interrupt is lost: on overflow the underflow interrupt brings us back. */
		overflow = fill_lrs(vm, vcpu);
		vc->dirty = overflow;
	}
	gic_hw_set_hcr(ICH_HCR_EN | (overflow ? ICH_HCR_UIE : 0));
	spin_unlock(&vm->vgic.lock);
}

bool vgic_has_pending(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	bool pending = false;

	spin_lock(&vm->vgic.lock);
	for (unsigned i = 0; i < VGIC_MAX_LRS && !pending; i++)
		if ((vcpu->vgic.lr_used & (1U << i)) &&
		    (LR_STATE(gic_hw_lr_read(i)) & LR_STATE_PENDING))
			pending = true;
	if (!pending)
		pending = best_candidate(vm, vcpu) >= 0;
	spin_unlock(&vm->vgic.lock);
	return pending;
}

void vgic_vcpu_release(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct vgic_cpu *vc = &vcpu->vgic;
	struct virq *timer = &vc->private_irqs[VGIC_PPI_VTIMER];

	spin_lock(&vm->vgic.lock);
	sync_lrs(vm, vcpu); /* what the guest finished stays finished */
	if (timer->hw && (timer->pending || timer->active))
		gic_hw_deactivate(VGIC_PPI_VTIMER);
	timer->pending = timer->active = false;
	/* What the list registers still hold goes back to software, to be delivered again. */
	for (unsigned i = 0; i < VGIC_MAX_LRS; i++) {
		if (vc->lr_used & (1U << i)) {
			struct virq *v = vgic_get(vm, vcpu, vc->lr_intid[i]);

			v->lr = -1;
			v->active = false;
		}
	}
	vc->lr_used = 0;
	for (unsigned i = 0; i < gic_hw_lr_count(); i++)
		gic_hw_lr_write(i, 0);
	gic_hw_set_hcr(ICH_HCR_EN);
	spin_unlock(&vm->vgic.lock);
}
