/* Guest GICv3 driver: distributor, this CPU's redistributor, system-register CPU interface. */
#include <modvisor/guest_map.h>
#include <dev/gicv3.h>
#include "guest.h"

#define GICD_BASE GUEST_GICD_BASE
#define GICR_BASE GUEST_GICR_BASE

#define MAX_IRQS 96

static irq_handler_fn handlers[MAX_IRQS];

static inline volatile uint32_t *reg32(uintptr_t addr)
{
	return (volatile uint32_t *)addr;
}

/* This CPU's redistributor: modvisor gives vCPU n the n-th frame (Aff0 = n). */
static uintptr_t this_gicr(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return GICR_BASE + (mpidr & 0xff) * GICR_STRIDE;
}

void gic_init(void)
{
	*reg32(GICD_BASE + GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1;
	gic_init_cpu();
}

void gic_init_cpu(void)
{
	uintptr_t gicr = this_gicr();

	*reg32(gicr + GICR_WAKER) &= ~GICR_WAKER_SLEEP;
	while (*reg32(gicr + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP)
		;
	__asm__ volatile("msr icc_sre_el1, %0; isb" ::"r"(7UL));
	__asm__ volatile("msr icc_pmr_el1, %0" ::"r"(0xffUL));
	__asm__ volatile("msr icc_bpr1_el1, %0" ::"r"(0UL));
	__asm__ volatile("msr icc_ctlr_el1, %0" ::"r"(0UL));
	__asm__ volatile("msr icc_igrpen1_el1, %0; isb" ::"r"(1UL));
}

void gic_enable_irq(unsigned intid, irq_handler_fn fn)
{
	if (intid >= MAX_IRQS)
		return;
	handlers[intid] = fn;
	if (intid < 32) {
		*(volatile uint8_t *)(this_gicr() + GICR_SGI_FRAME + GICD_IPRIORITYR + intid) =
		    0x80;
		*reg32(this_gicr() + GICR_SGI_FRAME + GICD_ISENABLER) = 1U << intid;
	} else {
		*(volatile uint8_t *)(GICD_BASE + GICD_IPRIORITYR + intid) = 0x80;
		*(volatile uint64_t *)(GICD_BASE + GICD_IROUTER + 8UL * intid) = 0; /* vCPU 0 */
		*reg32(GICD_BASE + GICD_ISENABLER + 4 * (intid / 32)) = 1U << (intid % 32);
	}
}

void gic_handle_irq(void)
{
	for (;;) {
		uint64_t iar;

		__asm__ volatile("mrs %0, icc_iar1_el1" : "=r"(iar));
		unsigned intid = (unsigned)(iar & 0xffffff);

		if (intid >= 1020)
			return;
		if (intid < MAX_IRQS && handlers[intid])
			handlers[intid](intid);
		__asm__ volatile("msr icc_eoir1_el1, %0; isb" ::"r"(iar));
	}
}

void gic_send_sgi(unsigned intid, unsigned cpu)
{
	uint64_t v = ((uint64_t)intid << 24) | (1ULL << cpu);

	__asm__ volatile("dsb ishst; msr icc_sgi1r_el1, %0; isb" ::"r"(v) : "memory");
}

void irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2" ::: "memory");
}

void irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}
