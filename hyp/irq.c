/* Dispatch of physical interrupts: most only make the current vCPU rescan its interrupts. */
#include "irq.h"
#include "arch/el2timer.h"
#include "arch/gic_hw.h"
#include "arch/sysregs.h"
#include "conmux.h"
#include "vcpu.h"
#include "vgic.h"
#include "vsched.h"

static unsigned console_intid;

void irq_set_console(unsigned intid)
{
	console_intid = intid;
}

void irq_handle(struct vcpu *vcpu)
{
	bool tick = false;

	for (;;) {
		uint32_t intid = gic_hw_ack();

		if (intid >= GIC_SPURIOUS)
			break;
		gic_hw_priority_drop(intid);
		if (intid == VGIC_PPI_VTIMER && vcpu && vcpu->state == VCPU_RUNNABLE) {
			/* Stays active until the guest deactivates the HW-linked virtual one. */
			vgic_inject_vtimer(vcpu);
			continue;
		}
		if (intid == VGIC_PPI_VTIMER) {
			write_sysreg(0, cntv_ctl_el0); /* a stopped guest's timer */
		} else if (intid == EL2TIMER_PPI) {
			vsched_timer_irq(); /* a slice's end or a waiting vCPU's deadline */
			tick = true;
		} else if (intid == console_intid && console_intid) {
			conmux_rx();
		} else if (intid == VGIC_PPI_MAINT) {
			/* Level-sensitive: the list registers must change before it is re-read. */
			if (vcpu) {
				vcpu->vgic.dirty = true;
				vgic_flush(vcpu);
			} else {
				gic_hw_set_hcr(0);
			}
		}
		/* A kick (GIC_SGI_KICK) needs nothing more: its sender marked the vCPU dirty or
		 * stopped, and the flush or state check before entering the vCPU acts on that. */
		gic_hw_deactivate(intid);
	}
	/* On an idle CPU (no vCPU) the idle loop that called us decides instead. */
	if (tick && vcpu)
		vsched_tick(vcpu);
}
