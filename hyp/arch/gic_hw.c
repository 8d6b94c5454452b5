/* Programming of the physical GICv3: affinity routing, group 1, split priority drop/deactivate. */
#include <dev/gicv3.h>
#include "arch/gic_hw.h"
#include "arch/sysregs.h"
#include "panic.h"
#include <mv_compiler.h>

#define ICC_SRE_SRE (1ULL << 0)
#define ICC_SRE_DFB (1ULL << 1)
#define ICC_SRE_DIB (1ULL << 2)
#define ICC_SRE_ENABLE (1ULL << 3)
#define ICC_CTLR_EOIMODE (1ULL << 1)

#define DEFAULT_PRIORITY 0xa0

static uint64_t gicd;
static uint64_t gicr;
static unsigned lr_count;

static inline uint32_t rd32(uint64_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void wr32(uint64_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint64_t rd64(uint64_t addr)
{
	return *(volatile uint64_t *)addr;
}

static inline void wr64(uint64_t addr, uint64_t v)
{
	*(volatile uint64_t *)addr = v;
}

static void wait_rwp(void)
{
	unsigned spins = 1000000;

	while ((rd32(gicd + GICD_CTLR) & GICD_CTLR_RWP) && --spins)
		;
	BUG_ON(spins == 0);
}

void gic_hw_init_distributor(uint64_t gicd_base, uint64_t gicr_base)
{
	unsigned lines;

	gicd = gicd_base;
	gicr = gicr_base;
	wr32(gicd + GICD_CTLR, 0);
	wait_rwp();
	lines = 32 * ((rd32(gicd + GICD_TYPER) & 0x1f) + 1);
	for (unsigned i = 32; i < lines; i += 32) {
		wr32(gicd + GICD_IGROUPR + i / 8, ~0U);
		wr32(gicd + GICD_ICENABLER + i / 8, ~0U);
		wr32(gicd + GICD_ICPENDR + i / 8, ~0U);
	}
	for (unsigned i = 32; i < lines; i += 4)
		wr32(gicd + GICD_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101U);
	for (unsigned i = 32; i < lines; i += 16)
		wr32(gicd + GICD_ICFGR + i / 4, 0); /* level-sensitive */
	wait_rwp();
	wr32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	wait_rwp();
}

/* This CPU's redistributor: the frame whose GICR_TYPER affinity matches MPIDR. */
static uint64_t this_redistributor(void)
{
	uint64_t mpidr = read_sysreg(mpidr_el1);
	uint64_t aff = ((mpidr >> 8) & 0xff000000ULL) | (mpidr & 0xffffffULL);

	for (uint64_t rd = gicr;; rd += GICR_STRIDE) {
		uint64_t typer = rd64(rd + GICR_TYPER);

		if ((typer >> 32) == aff)
			return rd;
		BUG_ON(typer & GICR_TYPER_LAST);
	}
}

void gic_hw_init_cpu(void)
{
	uint64_t rd = this_redistributor();
	uint64_t sgi = rd + GICR_SGI_FRAME;
	unsigned spins = 1000000;

	wr32(rd + GICR_WAKER, rd32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while ((rd32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) && --spins)
		;
	BUG_ON(spins == 0);

	wr32(sgi + GICD_IGROUPR, ~0U);
	wr32(sgi + GICD_ICENABLER, ~0U);
	wr32(sgi + GICD_ICPENDR, ~0U);
	for (unsigned i = 0; i < 32; i += 4)
		wr32(sgi + GICD_IPRIORITYR + i, DEFAULT_PRIORITY * 0x01010101U);
	wr32(sgi + GICD_ICFGR + 4, 0); /* PPIs level-sensitive */
	/* The kick SGI, the maintenance interrupt, the hypervisor's own timer (a watchdog for
	 * device waits) and the guest's virtual timer. */
	wr32(sgi + GICD_ISENABLER, BIT(GIC_SGI_KICK) | BIT(25) | BIT(26) | BIT(27));

	write_sysreg(ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB | ICC_SRE_ENABLE, icc_sre_el2);
	isb();
	write_sysreg(0xff, icc_pmr_el1);
	write_sysreg(0, icc_bpr1_el1);
	/* Priority drop and deactivation apart: a guest deactivates HW-linked interrupts. */
	write_sysreg(ICC_CTLR_EOIMODE, icc_ctlr_el1);
	write_sysreg(1, icc_igrpen1_el1);
	isb();

	lr_count = (unsigned)(read_sysreg(ich_vtr_el2) & 0x1f) + 1;
	for (unsigned i = 0; i < lr_count; i++)
		gic_hw_lr_write(i, 0);
	write_sysreg(0, ich_vmcr_el2);
	write_sysreg(ICH_HCR_EN, ich_hcr_el2);
	isb();
}

void gic_hw_enable_spi(unsigned intid, uint64_t mpidr)
{
	/* IROUTER holds Aff3 at [39:32] and Aff2..Aff0 at [23:0], as MPIDR does. */
	uint64_t aff = mpidr & 0xff00ffffffULL;

	wr64(gicd + GICD_IROUTER + 8ULL * intid, aff);
	wr32(gicd + GICD_ISENABLER + (intid / 32) * 4, BIT(intid % 32));
	wait_rwp();
}

uint32_t gic_hw_ack(void)
{
	uint32_t iar = (uint32_t)read_sysreg(icc_iar1_el1);

	dsb(sy);
	return iar & 0xffffff;
}

void gic_hw_priority_drop(uint32_t intid)
{
	write_sysreg(intid, icc_eoir1_el1);
	isb();
}

void gic_hw_deactivate(uint32_t intid)
{
	write_sysreg(intid, icc_dir_el1);
	isb();
}

void gic_hw_send_sgi(uint64_t target_mpidr, unsigned sgi)
{
	uint64_t aff1 = (target_mpidr >> 8) & 0xff, aff2 = (target_mpidr >> 16) & 0xff;
	uint64_t aff3 = (target_mpidr >> 32) & 0xff, aff0 = target_mpidr & 0xf;
	uint64_t v =
	    (aff3 << 48) | (aff2 << 32) | ((uint64_t)sgi << 24) | (aff1 << 16) | (1ULL << aff0);

	dsb(ishst);
	write_sysreg(v, icc_sgi1r_el1);
	isb();
}

unsigned gic_hw_lr_count(void)
{
	return lr_count;
}

#define LR_CASE(n)                                                                                 \
	case n:                                                                                    \
		if (write)                                                                         \
			write_sysreg(value, ich_lr##n##_el2);                                      \
		else                                                                               \
			value = read_sysreg(ich_lr##n##_el2);                                      \
		break

static uint64_t lr_access(unsigned n, bool write, uint64_t value)
{
	switch (n) {
		LR_CASE(0);
		LR_CASE(1);
		LR_CASE(2);
		LR_CASE(3);
		LR_CASE(4);
		LR_CASE(5);
		LR_CASE(6);
		LR_CASE(7);
		LR_CASE(8);
		LR_CASE(9);
		LR_CASE(10);
		LR_CASE(11);
		LR_CASE(12);
		LR_CASE(13);
		LR_CASE(14);
		LR_CASE(15);
	default:
		BUG_ON(1);
	}
	return value;
}

uint64_t gic_hw_lr_read(unsigned n)
{
	return lr_access(n, false, 0);
}

void gic_hw_lr_write(unsigned n, uint64_t value)
{
	lr_access(n, true, value);
}

void gic_hw_set_hcr(uint64_t hcr)
{
	write_sysreg(hcr, ich_hcr_el2);
}

uint64_t gic_hw_get_hcr(void)
{
	return read_sysreg(ich_hcr_el2);
}

bool gic_hw_ppi_active(unsigned intid)
{
	uint64_t sgi = this_redistributor() + GICR_SGI_FRAME;

	return rd32(sgi + GICD_ISACTIVER) & BIT(intid % 32);
}

void gic_hw_ppi_set_active(unsigned intid)
{
	uint64_t sgi = this_redistributor() + GICR_SGI_FRAME;

	wr32(sgi + GICD_ISACTIVER, BIT(intid % 32));
	dsb(sy);
}

unsigned gic_hw_apr_count(void)
{
	/* ICH_VTR_EL2.PREbits + 1 preemption bits: 5 -> 1 register, 6 -> 2, 7 -> 4. */
	unsigned pre = (unsigned)((read_sysreg(ich_vtr_el2) >> 26) & 7) + 1;

	return pre <= 5 ? 1 : 1U << (pre - 5);
}

#define APR_SAVE(n)                                                                                \
	case n:                                                                                    \
		s->ap0r[n] = read_sysreg(ich_ap0r##n##_el2);                                       \
		s->ap1r[n] = read_sysreg(ich_ap1r##n##_el2);                                       \
		break
#define APR_RESTORE(n)                                                                             \
	case n:                                                                                    \
		write_sysreg(s->ap0r[n], ich_ap0r##n##_el2);                                       \
		write_sysreg(s->ap1r[n], ich_ap1r##n##_el2);                                       \
		break

/* Only the implemented registers: the others are UNDEFINED to access. */
static void apr_save(struct gic_vcpu_if *s)
{
	for (unsigned i = 0; i < gic_hw_apr_count(); i++) {
		switch (i) {
			APR_SAVE(0);
			APR_SAVE(1);
			APR_SAVE(2);
			APR_SAVE(3);
		default:
			BUG_ON(1);
		}
	}
}

static void apr_restore(const struct gic_vcpu_if *s)
{
	for (unsigned i = 0; i < gic_hw_apr_count(); i++) {
		switch (i) {
			APR_RESTORE(0);
			APR_RESTORE(1);
			APR_RESTORE(2);
			APR_RESTORE(3);
		default:
			BUG_ON(1);
		}
	}
}

void gic_hw_vcpu_if_save(struct gic_vcpu_if *s)
{
	apr_save(s);
	s->vmcr = read_sysreg(ich_vmcr_el2);
	s->hcr = read_sysreg(ich_hcr_el2);
	for (unsigned i = 0; i < lr_count; i++) {
		s->lr[i] = gic_hw_lr_read(i);
		gic_hw_lr_write(i, 0);
	}
	/* No underflow interrupt for list registers that are no longer there. */
	write_sysreg(ICH_HCR_EN, ich_hcr_el2);
}

void gic_hw_vcpu_if_restore(const struct gic_vcpu_if *s)
{
	apr_restore(s);
	write_sysreg(s->vmcr, ich_vmcr_el2);
	for (unsigned i = 0; i < lr_count; i++)
		gic_hw_lr_write(i, s->lr[i]);
	write_sysreg(s->hcr, ich_hcr_el2);
	isb();
}

void gic_hw_vcpu_if_clear(void)
{
	static const struct gic_vcpu_if zero;

	gic_hw_vcpu_if_restore(&zero);
	write_sysreg(ICH_HCR_EN, ich_hcr_el2);
	isb();
}
