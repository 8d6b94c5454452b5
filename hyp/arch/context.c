/* Saving and loading a vCPU's EL1, FP/SIMD, virtual timer and virtual GIC state on vCPU switches.
 */
#include "arch/context.h"
#include "arch/sysregs.h"

#define PPI_VTIMER 27

#define SAVE(i, r) c->el1[i] = read_sysreg(r)
#define LOAD(i, r) write_sysreg(c->el1[i], r)
#define EACH_EL1(X)                                                                                \
	X(EL1_SCTLR, sctlr_el1);                                                                   \
	X(EL1_CPACR, cpacr_el1);                                                                   \
	X(EL1_TTBR0, ttbr0_el1);                                                                   \
	X(EL1_TTBR1, ttbr1_el1);                                                                   \
	X(EL1_TCR, tcr_el1);                                                                       \
	X(EL1_ESR, esr_el1);                                                                       \
	X(EL1_AFSR0, afsr0_el1);                                                                   \
	X(EL1_AFSR1, afsr1_el1);                                                                   \
	X(EL1_FAR, far_el1);                                                                       \
	X(EL1_MAIR, mair_el1);                                                                     \
	X(EL1_AMAIR, amair_el1);                                                                   \
	X(EL1_VBAR, vbar_el1);                                                                     \
	X(EL1_CONTEXTIDR, contextidr_el1);                                                         \
	X(EL1_TPIDR, tpidr_el1);                                                                   \
	X(EL1_TPIDR_EL0, tpidr_el0);                                                               \
	X(EL1_TPIDRRO_EL0, tpidrro_el0);                                                           \
	X(EL1_SP_EL0, sp_el0);                                                                     \
	X(EL1_SP_EL1, sp_el1);                                                                     \
	X(EL1_ELR, elr_el1);                                                                       \
	X(EL1_SPSR, spsr_el1);                                                                     \
	X(EL1_PAR, par_el1);                                                                       \
	X(EL1_CNTKCTL, cntkctl_el1);                                                               \
	X(EL1_CSSELR, csselr_el1);                                                                 \
	X(EL1_MDSCR, mdscr_el1)

void ctx_save(struct vcpu_ctx *c)
{
	EACH_EL1(SAVE);
	fpsimd_save(&c->fp);
	/* The timer first: once it is off its line drops, and the physical PPI it may have left
	 * active (a HW-linked list register the guest has not deactivated) can be let go without
	 * firing again into the next vCPU. */
	c->cntv_ctl = read_sysreg(cntv_ctl_el0);
	c->cntv_cval = read_sysreg(cntv_cval_el0);
	write_sysreg(0, cntv_ctl_el0);
	isb();
	gic_hw_vcpu_if_save(&c->gic);
	c->timer_active = gic_hw_ppi_active(PPI_VTIMER);
	if (c->timer_active)
		gic_hw_deactivate(PPI_VTIMER);
}

void ctx_restore(const struct vcpu_ctx *c)
{
	EACH_EL1(LOAD);
	fpsimd_restore(&c->fp);
	gic_hw_vcpu_if_restore(&c->gic);
	/* Active again before the timer can assert: the guest's deactivation of the virtual one
	 * deactivates it, as if the vCPU had never left. */
	if (c->timer_active)
		gic_hw_ppi_set_active(PPI_VTIMER);
	write_sysreg(c->cntv_cval, cntv_cval_el0);
	write_sysreg(c->cntv_ctl, cntv_ctl_el0);
	isb();
}

void ctx_scrub(void)
{
	static const struct fpsimd_state zero_fp;

	write_sysreg(0, afsr0_el1);
	write_sysreg(0, afsr1_el1);
	write_sysreg(0, amair_el1);
	write_sysreg(0, par_el1);
	write_sysreg(0, csselr_el1);
	write_sysreg(0, mdscr_el1);
	write_sysreg(0, cntv_cval_el0);
	fpsimd_restore(&zero_fp);
	gic_hw_vcpu_if_clear();
}
