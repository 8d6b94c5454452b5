/* Unit tests for hyp/vgic.c and hyp/vgic_mmio.c: the guest's view of the emulated GICv3 through
 * MMIO, and list-register delivery against a fake virtual CPU interface. */
#include <dev/gicv3.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arch/gic_hw.h"
#include "cpu.h"
#include "mmio.h"
#include "spinlock.h"
#include "vcpu.h"
#include "vgic.h"
#include "vm.h"
#include <modvisor/status.h>

/* --- fake hardware ----------------------------------------------------------------------- */

#define FAKE_MAX_LRS 16
#define FAKE_MPIDR(i) (0x80000000ULL | 0x100ULL * (i) | 0x7ULL)

static uint64_t fake_lr[FAKE_MAX_LRS];
static unsigned fake_lr_count = 4; /* QEMU's ICH_VTR_EL2.ListRegs + 1 */
static uint64_t fake_hcr;
static unsigned fake_hcr_writes;
static unsigned fake_cpu;
static struct {
	uint64_t mpidr;
	unsigned sgi;
} sgi_log[64];
static unsigned sgi_count;
static uint32_t deact_log[16];
static unsigned deact_count;
static int locks_held;

unsigned gic_hw_lr_count(void)
{
	return fake_lr_count;
}

uint64_t gic_hw_lr_read(unsigned n)
{
	assert_in_range(n, 0, fake_lr_count - 1);
	return fake_lr[n];
}

void gic_hw_lr_write(unsigned n, uint64_t value)
{
	assert_in_range(n, 0, fake_lr_count - 1);
	fake_lr[n] = value;
}

void gic_hw_set_hcr(uint64_t hcr)
{
	fake_hcr = hcr;
	fake_hcr_writes++;
}

uint64_t gic_hw_get_hcr(void)
{
	return fake_hcr;
}

void gic_hw_send_sgi(uint64_t target_mpidr, unsigned sgi)
{
	assert_in_range(sgi_count, 0, 63);
	sgi_log[sgi_count].mpidr = target_mpidr;
	sgi_log[sgi_count].sgi = sgi;
	sgi_count++;
}

void gic_hw_deactivate(uint32_t intid)
{
	assert_in_range(deact_count, 0, 15);
	deact_log[deact_count++] = intid;
}

unsigned cpu_index(void)
{
	return fake_cpu;
}

uint64_t cpu_mpidr(unsigned index)
{
	return FAKE_MPIDR(index);
}

/* The scheduler's kick as on a pinned CPU (hyp/vsched.c): an SGI to a vCPU running elsewhere;
 * every vgic lock must be released first. */
void vsched_kick(struct vcpu *vcpu)
{
	assert_int_equal(locks_held, 0);
	if (vcpu->pcpu != cpu_index() && vcpu->state == VCPU_RUNNABLE)
		gic_hw_send_sgi(cpu_mpidr(vcpu->pcpu), GIC_SGI_KICK);
}

/* A ticket lock that checks it is never taken twice (that would deadlock) nor left held. */
void spin_lock(struct spinlock *lock)
{
	assert_int_equal(lock->owner, lock->next);
	lock->next++;
	locks_held++;
}

void spin_unlock(struct spinlock *lock)
{
	assert_int_equal((uint16_t)(lock->owner + 1), lock->next);
	lock->owner++;
	locks_held--;
}

/* --- list-register helpers --------------------------------------------------------------- */

#define LRSTATE(lr) ((lr) >> LR_STATE_SHIFT)
#define LRINTID(lr) ((unsigned)((lr)&0xffffffffULL))
#define LRPRIO(lr) ((unsigned)(((lr) >> LR_PRIO_SHIFT) & 0xff))
#define LRPINTID(lr) ((unsigned)(((lr) >> LR_PINTID_SHIFT) & 0x3ff))
#define ST_PENDING LR_STATE_PENDING
#define ST_ACTIVE LR_STATE_ACTIVE

/* The list register holding `intid` (in any state), or -1. */
static int lr_of(unsigned intid)
{
	for (unsigned n = 0; n < fake_lr_count; n++)
		if (LRSTATE(fake_lr[n]) != 0 && LRINTID(fake_lr[n]) == intid)
			return (int)n;
	return -1;
}

static unsigned lrs_in_use(void)
{
	unsigned used = 0;

	for (unsigned n = 0; n < fake_lr_count; n++)
		if (LRSTATE(fake_lr[n]) != 0)
			used++;
	return used;
}

/* The guest acknowledges the interrupt in LR n (pending -> active). */
static void guest_ack(int n)
{
	assert_in_range(n, 0, fake_lr_count - 1);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
	fake_lr[n] = (fake_lr[n] & ~(3ULL << LR_STATE_SHIFT)) | (ST_ACTIVE << LR_STATE_SHIFT);
}

/* The guest's EOI/deactivation: the LR becomes invalid (the other fields stay, as in hardware),
 * or pending if it was active and pending. */
static void guest_done(int n)
{
	assert_in_range(n, 0, fake_lr_count - 1);
	assert_int_not_equal(LRSTATE(fake_lr[n]), 0);
	if (LRSTATE(fake_lr[n]) == (ST_ACTIVE | ST_PENDING))
		fake_lr[n] &= ~(ST_ACTIVE << LR_STATE_SHIFT);
	else
		fake_lr[n] &= ~(3ULL << LR_STATE_SHIFT);
}

/* --- the VM ------------------------------------------------------------------------------ */

static void reset_fakes(void)
{
	memset(fake_lr, 0, sizeof(fake_lr));
	fake_lr_count = 4;
	fake_hcr = 0;
	fake_hcr_writes = 0;
	fake_cpu = 0;
	sgi_count = 0;
	deact_count = 0;
	locks_held = 0;
}

static struct vm *make_vm(unsigned vcpus)
{
	struct vm *vm = calloc(1, sizeof(*vm));

	assert_non_null(vm);
	reset_fakes();
	vm->vcpu_count = vcpus;
	for (unsigned i = 0; i < vcpus; i++) {
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].pcpu = i;
		vm->vcpus[i].vmpidr = (1ULL << 31) | i;
		vm->vcpus[i].state = VCPU_RUNNABLE;
	}
	vgic_vm_init(vm);
	vgic_mmio_register(vm);
	assert_int_equal(vm->mmio.count, 2);
	assert_int_equal(locks_held, 0);
	return vm;
}

static int setup1(void **state)
{
	*state = make_vm(1);
	return 0;
}

static int setup2(void **state)
{
	*state = make_vm(2);
	return 0;
}

static int teardown(void **state)
{
	/* Every entry point let go of the lock. */
	assert_int_equal(locks_held, 0);
	free(*state);
	return 0;
}

/* --- guest MMIO -------------------------------------------------------------------------- */

#define GICD VGIC_DIST_BASE
#define GICR(n) (VGIC_REDIST_BASE + VGIC_REDIST_STRIDE * (n))

static int mmio(struct vm *vm, unsigned vcpu, uint64_t ipa, unsigned size, bool write,
		uint64_t *value)
{
	struct vcpu *c = &vm->vcpus[vcpu];
	struct mmio_access a = {
	    .ipa = ipa, .size = size, .reg = 9, .write = write, .sixty_four = true};
	int ret;

	c->regs.x[9] = write ? *value : 0xbadbadbadbadbadULL;
	ret = mmio_emulate(&vm->mmio, c, &a);
	if (!write)
		*value = c->regs.x[9];
	assert_int_equal(locks_held, 0);
	return ret;
}

static uint64_t rd(struct vm *vm, uint64_t ipa, unsigned size)
{
	uint64_t v = 0;

	assert_int_equal(mmio(vm, 0, ipa, size, false, &v), MV_OK);
	return v;
}

static void wr(struct vm *vm, uint64_t ipa, unsigned size, uint64_t value)
{
	assert_int_equal(mmio(vm, 0, ipa, size, true, &value), MV_OK);
}

static uint32_t rd32(struct vm *vm, uint64_t ipa)
{
	return (uint32_t)rd(vm, ipa, 4);
}

static void wr32(struct vm *vm, uint64_t ipa, uint32_t value)
{
	wr(vm, ipa, 4, value);
}

/* The register (ISENABLER, ...) bit for `intid`: redistributor of `vcpu` below 32. */
static uint64_t bit_reg(unsigned vcpu, unsigned reg, unsigned intid)
{
	if (intid < 32)
		return GICR(vcpu) + GICR_SGI_FRAME + reg;
	return GICD + reg + 4 * (intid / 32);
}

static void enable_irq(struct vm *vm, unsigned vcpu, unsigned intid)
{
	wr32(vm, bit_reg(vcpu, GICD_ISENABLER, intid), 1U << (intid % 32));
}

static void disable_irq(struct vm *vm, unsigned vcpu, unsigned intid)
{
	wr32(vm, bit_reg(vcpu, GICD_ICENABLER, intid), 1U << (intid % 32));
}

static bool is_pending(struct vm *vm, unsigned vcpu, unsigned intid)
{
	return rd32(vm, bit_reg(vcpu, GICD_ISPENDR, intid)) & (1U << (intid % 32));
}

static void set_prio(struct vm *vm, unsigned vcpu, unsigned intid, uint8_t prio)
{
	uint64_t base = intid < 32 ? GICR(vcpu) + GICR_SGI_FRAME : GICD;

	wr(vm, base + GICD_IPRIORITYR + intid, 1, prio);
}

static void set_edge(struct vm *vm, unsigned intid)
{
	uint64_t reg = GICD + GICD_ICFGR + 4 * (intid / 16);
	uint32_t v = rd32(vm, reg);

	wr32(vm, reg, v | 2U << (2 * (intid % 16)));
}

static void route(struct vm *vm, unsigned intid, uint64_t aff)
{
	wr(vm, GICD + GICD_IROUTER + 8 * intid, 8, aff);
}

static void grp1_on(struct vm *vm)
{
	wr32(vm, GICD + GICD_CTLR, 2);
}

/* An edge pulse on an SPI line (the SPI must be configured edge). */
static void pulse(struct vm *vm, unsigned intid)
{
	vgic_set_level(vm, intid, true);
	vgic_set_level(vm, intid, false);
}

static void flush(struct vcpu *c)
{
	vgic_flush(c);
	assert_int_equal(locks_held, 0);
	/* The virtual CPU interface stays enabled whenever the vGIC programs it. */
	assert_true(fake_hcr & ICH_HCR_EN);
}

/* --- distributor registers --------------------------------------------------------------- */

static void test_gicd_identification(void **state)
{
	struct vm *vm = *state;
	uint32_t typer = rd32(vm, GICD + GICD_TYPER);

	/* ITLinesNumber: 32 * (N + 1) INTIDs cover the 32 private ones and the 64 SPIs. */
	assert_int_equal(32 * ((typer & 0x1f) + 1), VGIC_NR_IRQS);
	assert_int_equal((typer >> 19) & 0x1f, 9); /* IDbits: 10 INTID bits */
	assert_int_equal(typer & (1U << 16), 0);   /* no LPIs */
	assert_int_equal(typer, 0x480002);
	assert_int_equal(rd32(vm, GICD + GICD_IIDR), 0x43b);
	assert_int_equal(rd32(vm, GICD + GICD_PIDR2), 0x3b);
	assert_int_equal((rd32(vm, GICD + GICD_PIDR2) >> 4) & 0xf, 3); /* ArchRev: GICv3 */
	/* Read-only: writes change nothing. */
	wr32(vm, GICD + GICD_TYPER, 0);
	wr32(vm, GICD + GICD_IIDR, 0);
	assert_int_equal(rd32(vm, GICD + GICD_TYPER), 0x480002);
	assert_int_equal(rd32(vm, GICD + GICD_IIDR), 0x43b);
	/* Every SPI is group 1. */
	for (unsigned n = 1; n < 3; n++)
		assert_int_equal(rd32(vm, GICD + GICD_IGROUPR + 4 * n), 0xffffffffU);
	/* Unimplemented registers read as zero and ignore writes. */
	wr32(vm, GICD + 0x0010, 0xffffffff);
	assert_int_equal(rd32(vm, GICD + 0x0010), 0);
	assert_int_equal(rd32(vm, GICD + 0xfffc), 0);
}

static void test_gicd_ctlr(void **state)
{
	struct vm *vm = *state;

	/* ARE and DS always read as one; only the two group enables are stored. */
	assert_int_equal(rd32(vm, GICD + GICD_CTLR), 0x50);
	wr32(vm, GICD + GICD_CTLR, 0xffffffff);
	assert_int_equal(rd32(vm, GICD + GICD_CTLR), 0x53);
	wr32(vm, GICD + GICD_CTLR, 2);
	assert_int_equal(rd32(vm, GICD + GICD_CTLR), 0x52);
	wr32(vm, GICD + GICD_CTLR, 0);
	assert_int_equal(rd32(vm, GICD + GICD_CTLR), 0x50);
	/* A byte access is not the register. */
	wr(vm, GICD + GICD_CTLR, 1, 2);
	assert_int_equal(rd32(vm, GICD + GICD_CTLR), 0x50);
}

/* ISxxxR/ICxxxR pairs: write-one-to-set, write-one-to-clear, both read back the state. */
static void check_set_clear_pair(struct vm *vm, uint64_t set, uint64_t clear)
{
	for (unsigned n = 1; n <= 2; n++) {
		uint64_t s = set + 4 * n, c = clear + 4 * n;

		assert_int_equal(rd32(vm, s), 0);
		assert_int_equal(rd32(vm, c), 0);
		wr32(vm, s, 0x80000101U);
		assert_int_equal(rd32(vm, s), 0x80000101U);
		assert_int_equal(rd32(vm, c), 0x80000101U);
		wr32(vm, s, 0x00f00000U); /* zero bits leave the others alone */
		assert_int_equal(rd32(vm, s), 0x80f00101U);
		wr32(vm, c, 0x00100001U);
		assert_int_equal(rd32(vm, s), 0x80e00100U);
		assert_int_equal(rd32(vm, c), 0x80e00100U);
		wr32(vm, c, 0);
		assert_int_equal(rd32(vm, s), 0x80e00100U);
		wr32(vm, c, 0xffffffffU);
		assert_int_equal(rd32(vm, s), 0);
	}
	/* INTIDs 96 and up do not exist: RAZ/WI. */
	wr32(vm, set + 12, 0xffffffffU);
	assert_int_equal(rd32(vm, set + 12), 0);
	wr32(vm, set + 0x7c, 0xffffffffU);
	assert_int_equal(rd32(vm, set + 0x7c), 0);
}

static void test_gicd_bit_registers(void **state)
{
	struct vm *vm = *state;

	check_set_clear_pair(vm, GICD + GICD_ISENABLER, GICD + GICD_ICENABLER);
	check_set_clear_pair(vm, GICD + GICD_ISPENDR, GICD + GICD_ICPENDR);
	check_set_clear_pair(vm, GICD + GICD_ISACTIVER, GICD + GICD_ICACTIVER);
	/* The three kinds of state are separate. */
	wr32(vm, GICD + GICD_ISENABLER + 4, 1);
	assert_int_equal(rd32(vm, GICD + GICD_ISPENDR + 4), 0);
	assert_int_equal(rd32(vm, GICD + GICD_ISACTIVER + 4), 0);
	assert_true(vm->vgic.spis[0].enabled);
	assert_false(vm->vgic.spis[0].pending);
	/* Only word accesses are the register: a byte write does nothing. */
	wr(vm, GICD + GICD_ISENABLER + 8, 1, 0xff);
	assert_int_equal(rd32(vm, GICD + GICD_ISENABLER + 8), 0);
}

static void test_gicd_private_registers_raz_wi(void **state)
{
	struct vm *vm = *state;
	static const uint64_t regs[] = {GICD_ISENABLER, GICD_ICENABLER, GICD_ISPENDR,
					GICD_ICPENDR,	GICD_ISACTIVER, GICD_ICACTIVER};

	/* With ARE set, SGIs and PPIs live in the redistributors: their GICD registers are
	 * RAZ/WI and must not reach the vCPU's private state. */
	for (unsigned i = 0; i < sizeof(regs) / sizeof(regs[0]); i++) {
		wr32(vm, GICD + regs[i], 0xffffffffU);
		assert_int_equal(rd32(vm, GICD + regs[i]), 0);
	}
	for (unsigned off = 0; off < 32; off += 4) {
		wr32(vm, GICD + GICD_IPRIORITYR + off, 0x01020304);
		assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + off), 0);
	}
	wr(vm, GICD + GICD_IPRIORITYR + 27, 1, 0x10);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 27, 1), 0);
	for (unsigned off = 0; off < 8; off += 4) {
		wr32(vm, GICD + GICD_ICFGR + off, 0xffffffffU);
		assert_int_equal(rd32(vm, GICD + GICD_ICFGR + off), 0);
	}
	/* The redistributor still shows the reset state. */
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ISENABLER), 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ISPENDR), 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ISACTIVER), 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR + 24), 0xa0a0a0a0U);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ICFGR), 0xaaaaaaaaU);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ICFGR + 4), 0);
	/* ... and the first SPI register is not shifted onto INTIDs 0..31 either. */
	assert_int_equal(rd32(vm, GICD + GICD_ISENABLER + 4), 0);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 32), 0xa0a0a0a0U);
}

static void test_priority_byte_and_word(void **state)
{
	struct vm *vm = *state;

	/* Reset priority 0xa0 everywhere. */
	for (unsigned intid = 32; intid < VGIC_NR_IRQS; intid += 4)
		assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + intid), 0xa0a0a0a0U);
	wr(vm, GICD + GICD_IPRIORITYR + 34, 1, 0x10);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 32), 0xa010a0a0U);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 34, 1), 0x10);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 35, 1), 0xa0);
	wr32(vm, GICD + GICD_IPRIORITYR + 36, 0x11223344);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 36, 1), 0x44);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 37, 1), 0x33);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 38, 1), 0x22);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 39, 1), 0x11);
	assert_int_equal(vm->vgic.spis[39 - 32].priority, 0x11);
	/* Halfwords work as two bytes. */
	wr(vm, GICD + GICD_IPRIORITYR + 94, 2, 0x5566);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 92), 0x5566a0a0U);
	/* The last implemented word, then nothing. */
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 95, 1), 0x55);
	wr32(vm, GICD + GICD_IPRIORITYR + 96, 0x01010101);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 96), 0);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 0x3fc), 0);
	/* Redistributor: SGIs and PPIs. */
	wr(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR + 27, 1, 0x20);
	wr32(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR, 0x04030201);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR + 24), 0x20a0a0a0U);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR), 0x04030201);
	assert_int_equal(vm->vcpus[0].vgic.private_irqs[27].priority, 0x20);
	assert_int_equal(vm->vcpus[0].vgic.private_irqs[3].priority, 0x04);
}

static void test_priority_doubleword_access(void **state)
{
	struct vm *vm = *state;

	wr(vm, GICD + GICD_IPRIORITYR + 40, 8, 0x0102030405060708ULL);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 40), 0xa0a0a0a0U);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 44), 0xa0a0a0a0U);
	assert_int_equal(rd(vm, GICD + GICD_IPRIORITYR + 40, 8), 0);
	wr(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR + 8, 8, 0x0102030405060708ULL);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_IPRIORITYR + 12), 0xa0a0a0a0U);
}

static void test_icfgr(void **state)
{
	struct vm *vm = *state;
	uint64_t sgi_cfg = GICR(0) + GICR_SGI_FRAME + GICD_ICFGR;

	/* SGIs are edge-triggered and cannot be changed. */
	assert_int_equal(rd32(vm, sgi_cfg), 0xaaaaaaaaU);
	wr32(vm, sgi_cfg, 0);
	assert_int_equal(rd32(vm, sgi_cfg), 0xaaaaaaaaU);
	for (unsigned i = 0; i < 16; i++)
		assert_true(vm->vcpus[0].vgic.private_irqs[i].edge);
	/* PPIs and SPIs reset to level; bit 0 of each pair is reserved. */
	assert_int_equal(rd32(vm, sgi_cfg + 4), 0);
	wr32(vm, sgi_cfg + 4, 0x55555555U);
	assert_int_equal(rd32(vm, sgi_cfg + 4), 0);
	wr32(vm, sgi_cfg + 4, 2U << (2 * (20 - 16)));
	assert_int_equal(rd32(vm, sgi_cfg + 4), 2U << 8);
	assert_true(vm->vcpus[0].vgic.private_irqs[20].edge);
	assert_false(vm->vcpus[0].vgic.private_irqs[27].edge);
	for (unsigned n = 2; n < 6; n++)
		assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 4 * n), 0);
	wr32(vm, GICD + GICD_ICFGR + 8, 0xffffffffU);
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 8), 0xaaaaaaaaU);
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 12), 0);
	wr32(vm, GICD + GICD_ICFGR + 20, 0x80000000U); /* INTID 95 */
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 20), 0x80000000U);
	assert_true(vm->vgic.spis[95 - 32].edge);
	assert_false(vm->vgic.spis[94 - 32].edge);
	wr32(vm, GICD + GICD_ICFGR + 8, 0);
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 8), 0);
	/* Beyond INTID 95: nothing. */
	wr32(vm, GICD + GICD_ICFGR + 24, 0xffffffffU);
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 24), 0);
}

static void test_irouter(void **state)
{
	struct vm *vm = *state;
	uint64_t r33 = GICD + GICD_IROUTER + 8 * 33;

	/* Reset: every SPI to affinity 0, i.e. vCPU 0. */
	for (unsigned intid = 32; intid < VGIC_NR_IRQS; intid++) {
		assert_int_equal(rd(vm, GICD + GICD_IROUTER + 8 * intid, 8), 0);
		assert_int_equal(vm->vgic.spis[intid - 32].target, 0);
	}
	/* 64-bit access: only Aff3..Aff0 and IRM are kept. */
	wr(vm, r33, 8, ~0ULL);
	assert_int_equal(rd(vm, r33, 8), 0xff80ffffffULL);
	/* Affinity 0.0.0.1 is vCPU 1. */
	wr(vm, r33, 8, 1);
	assert_int_equal(rd(vm, r33, 8), 1);
	assert_int_equal(vm->vgic.spis[1].target, 1);
	/* 32-bit halves: the high word (Aff3) makes it match no vCPU, so vCPU 0 gets it. */
	wr32(vm, r33 + 4, 0xab);
	assert_int_equal(rd(vm, r33, 8), 0xab00000001ULL);
	assert_int_equal(rd32(vm, r33), 1);
	assert_int_equal(rd32(vm, r33 + 4), 0xab);
	assert_int_equal(vm->vgic.spis[1].target, 0);
	wr32(vm, r33 + 4, 0);
	assert_int_equal(vm->vgic.spis[1].target, 1);
	/* A low-word write keeps the high word. */
	wr32(vm, r33 + 4, 0x5);
	wr32(vm, r33, 0x80000000U);
	assert_int_equal(rd(vm, r33, 8), 0x0580000000ULL);
	assert_int_equal(vm->vgic.spis[1].target, 0);
	/* Affinity bits the vCPUs' MPIDRs do not have (Aff1, Aff2) select nothing: vCPU 0. */
	wr(vm, r33, 8, 0x0101);
	assert_int_equal(vm->vgic.spis[1].target, 0);
	wr(vm, r33, 8, 0x010001);
	assert_int_equal(vm->vgic.spis[1].target, 0);
	/* The neighbours were not touched. */
	assert_int_equal(rd(vm, r33 - 8, 8), 0);
	assert_int_equal(rd(vm, r33 + 8, 8), 0);
	/* The last SPI, and the reserved slots of SGIs/PPIs and beyond INTID 95. */
	wr(vm, GICD + GICD_IROUTER + 8 * 95, 8, 1);
	assert_int_equal(rd(vm, GICD + GICD_IROUTER + 8 * 95, 8), 1);
	assert_int_equal(vm->vgic.spis[63].target, 1);
	wr(vm, GICD + GICD_IROUTER + 8 * 31, 8, 1);
	assert_int_equal(rd(vm, GICD + GICD_IROUTER + 8 * 31, 8), 0);
	wr(vm, GICD + GICD_IROUTER + 8 * 96, 8, 1);
	assert_int_equal(rd(vm, GICD + GICD_IROUTER + 8 * 96, 8), 0);
	assert_int_equal(rd(vm, GICD + GICD_IROUTER, 8), 0);
}

static void test_irouter_selects_delivery(void **state)
{
	struct vm *vm = *state;

	grp1_on(vm);
	enable_irq(vm, 0, 40);
	route(vm, 40, 1);
	vgic_set_level(vm, 40, true);
	flush(&vm->vcpus[0]);
	assert_int_equal(lr_of(40), -1);
	flush(&vm->vcpus[1]);
	assert_int_not_equal(lr_of(40), -1);
	assert_true(vgic_has_pending(&vm->vcpus[1]));
	assert_false(vgic_has_pending(&vm->vcpus[0]));
}

/* --- redistributor registers ------------------------------------------------------------- */

static void test_gicr_typer(void **state)
{
	struct vm *vm = *state;
	uint64_t t0 = rd(vm, GICR(0) + GICR_TYPER, 8);
	uint64_t t1 = rd(vm, GICR(1) + GICR_TYPER, 8);

	/* Affinity value = the vCPU's MPIDR affinity, processor number = index, Last on the
	 * last redistributor only. */
	assert_int_equal(t0, 0);
	assert_int_equal(t1, (1ULL << 32) | (1ULL << 8) | (1ULL << 4));
	assert_int_equal(rd32(vm, GICR(1) + GICR_TYPER), (1U << 8) | (1U << 4));
	assert_int_equal(rd32(vm, GICR(1) + GICR_TYPER + 4), 1);
	assert_int_equal(rd32(vm, GICR(0) + GICR_TYPER + 4), 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_TYPER), 0);
	/* Read-only. */
	wr(vm, GICR(0) + GICR_TYPER, 8, ~0ULL);
	assert_int_equal(rd(vm, GICR(0) + GICR_TYPER, 8), 0);
	/* Identification. */
	assert_int_equal(rd32(vm, GICR(1) + GICR_IIDR), 0x43b);
	assert_int_equal(rd32(vm, GICR(1) + GICR_PIDR2), 0x3b);
	assert_int_equal(rd32(vm, GICR(0) + GICR_CTLR), 0);
	/* There is no third redistributor. */
	{
		uint64_t v = 0;

		assert_int_equal(mmio(vm, 0, GICR(2) + GICR_TYPER, 8, false, &v), MV_ERR_NOT_FOUND);
	}
}

static void test_gicr_typer_single_vcpu(void **state)
{
	struct vm *vm = *state;
	uint64_t v = 0;

	assert_int_equal(rd(vm, GICR(0) + GICR_TYPER, 8), 1ULL << 4);
	assert_int_equal(mmio(vm, 0, GICR(1) + GICR_TYPER, 8, false, &v), MV_ERR_NOT_FOUND);
}

static void test_gicr_waker(void **state)
{
	struct vm *vm = *state;

	/* Out of reset: ProcessorSleep and ChildrenAsleep. */
	assert_int_equal(rd32(vm, GICR(0) + GICR_WAKER), 0x6);
	assert_int_equal(rd32(vm, GICR(1) + GICR_WAKER), 0x6);
	/* Waking: ChildrenAsleep follows at once. */
	wr32(vm, GICR(0) + GICR_WAKER, 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_WAKER), 0);
	assert_int_equal(rd32(vm, GICR(1) + GICR_WAKER), 0x6);
	/* ChildrenAsleep alone is read-only. */
	wr32(vm, GICR(0) + GICR_WAKER, 0x4);
	assert_int_equal(rd32(vm, GICR(0) + GICR_WAKER), 0);
	wr32(vm, GICR(0) + GICR_WAKER, 0x2);
	assert_int_equal(rd32(vm, GICR(0) + GICR_WAKER), 0x6);
	wr32(vm, GICR(1) + GICR_WAKER, 0xfffffff9U);
	assert_int_equal(rd32(vm, GICR(1) + GICR_WAKER), 0);
}

static void test_gicr_private_state_per_vcpu(void **state)
{
	struct vm *vm = *state;
	uint64_t en0 = GICR(0) + GICR_SGI_FRAME + GICD_ISENABLER;
	uint64_t en1 = GICR(1) + GICR_SGI_FRAME + GICD_ISENABLER;

	wr32(vm, en1, 0x08000002U);
	assert_int_equal(rd32(vm, en1), 0x08000002U);
	assert_int_equal(rd32(vm, en0), 0);
	assert_true(vm->vcpus[1].vgic.private_irqs[27].enabled);
	assert_false(vm->vcpus[0].vgic.private_irqs[27].enabled);
	/* Another vCPU's redistributor may be written (its frame says whose state it is). */
	assert_int_equal(mmio(vm, 1, en0, 4, true, &(uint64_t){0x1}), MV_OK);
	assert_int_equal(rd32(vm, en0), 1);
	wr32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ICENABLER, 0x2);
	assert_int_equal(rd32(vm, en1), 0x08000000U);
	wr32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ISPENDR, 0x10);
	assert_int_equal(rd32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ICPENDR), 0x10);
	wr32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ISACTIVER, 0x20);
	assert_int_equal(rd32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ICACTIVER), 0x20);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ISPENDR), 0);
	assert_int_equal(rd32(vm, GICR(1) + GICR_SGI_FRAME + GICD_IGROUPR), 0xffffffffU);
}

static void test_gicr_sgi_frame_has_no_spis(void **state)
{
	struct vm *vm = *state;
	uint64_t sgi = GICR(0) + GICR_SGI_FRAME;

	wr32(vm, sgi + GICD_ISENABLER + 4, 0xffffffffU);
	wr32(vm, sgi + GICD_ISPENDR + 4, 0xffffffffU);
	wr32(vm, sgi + GICD_IPRIORITYR + 32, 0);
	wr32(vm, sgi + GICD_ICFGR + 8, 0xffffffffU);
	assert_int_equal(rd32(vm, GICD + GICD_ISENABLER + 4), 0);
	assert_int_equal(rd32(vm, GICD + GICD_ISPENDR + 4), 0);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 32), 0xa0a0a0a0U);
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 8), 0);
	assert_int_equal(rd32(vm, sgi + GICD_ISENABLER + 4), 0);
}

/* --- delivery ---------------------------------------------------------------------------- */

static void test_flush_nothing_pending(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	grp1_on(vm);
	enable_irq(vm, 0, 40);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_int_equal(fake_hcr, ICH_HCR_EN);
	assert_false(vgic_has_pending(c));
}

static void test_lr_encoding(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, 5);
	set_prio(vm, 0, 5, 0x48);
	vgic_inject(vm, c, 5);
	flush(c);
	n = lr_of(5);
	assert_int_equal(n, 0);
	assert_int_equal(fake_lr[n], (ST_PENDING << LR_STATE_SHIFT) | LR_GROUP1 |
					 (0x48ULL << LR_PRIO_SHIFT) | 5);
	/* A level-sensitive SPI asks for a maintenance interrupt at EOI to re-sample its line. */
	enable_irq(vm, 0, 77);
	set_prio(vm, 0, 77, 0x80);
	vgic_set_level(vm, 77, true);
	flush(c);
	n = lr_of(77);
	assert_int_equal(n, 1);
	assert_int_equal(fake_lr[n], (ST_PENDING << LR_STATE_SHIFT) | LR_GROUP1 | LR_EOI |
					 (0x80ULL << LR_PRIO_SHIFT) | 77);
	/* An edge SPI does not. */
	set_edge(vm, 90);
	enable_irq(vm, 0, 90);
	pulse(vm, 90);
	flush(c);
	n = lr_of(90);
	assert_int_equal(n, 2);
	assert_int_equal(fake_lr[n], (ST_PENDING << LR_STATE_SHIFT) | LR_GROUP1 |
					 (0xa0ULL << LR_PRIO_SHIFT) | 90);
	assert_int_equal(fake_hcr, ICH_HCR_EN);
}

/* Enables `count` edge interrupts (SGIs 0..7, then SPIs) with the given priorities and makes
 * them pending; fills `ids`. */
static void pend_edges(struct vm *vm, unsigned count, const uint8_t *prio, unsigned *ids)
{
	struct vcpu *c = &vm->vcpus[0];

	grp1_on(vm);
	for (unsigned i = 0; i < count; i++) {
		unsigned intid = i < 8 ? i : 40 + 5 * (i - 8);

		ids[i] = intid;
		if (intid >= 32)
			set_edge(vm, intid);
		enable_irq(vm, 0, intid);
		set_prio(vm, 0, intid, prio[i]);
		if (intid < 32)
			vgic_inject(vm, c, intid);
		else
			pulse(vm, intid);
	}
}

static uint8_t prio_of(const unsigned *ids, const uint8_t *prio, unsigned count, unsigned intid)
{
	for (unsigned i = 0; i < count; i++)
		if (ids[i] == intid)
			return prio[i];
	fail_msg("INTID %u was never made pending", intid);
	return 0;
}

static void test_flush_priority_order(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prio[6] = {0xc0, 0x30, 0xf0, 0x10, 0x80, 0x20};
	unsigned ids[6];

	pend_edges(vm, 6, prio, ids);
	vgic_flush(&vm->vcpus[0]);
	/* The four most urgent (lowest value) fill LR0..LR3 in that order. */
	assert_int_equal(LRINTID(fake_lr[0]), 3);
	assert_int_equal(LRINTID(fake_lr[1]), 5);
	assert_int_equal(LRINTID(fake_lr[2]), 1);
	assert_int_equal(LRINTID(fake_lr[3]), 4);
	for (unsigned n = 0; n < 4; n++) {
		assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
		assert_int_equal(LRPRIO(fake_lr[n]), prio_of(ids, prio, 6, LRINTID(fake_lr[n])));
	}
	assert_int_equal(fake_hcr, ICH_HCR_EN | ICH_HCR_UIE);
}

/* Runs the guest until nothing is left: each round it completes `per_round` of the LRs, the
 * most urgent first. Returns how many interrupts were delivered, in order, in `order`. */
static unsigned drain(struct vcpu *c, unsigned per_round, unsigned *order, unsigned max)
{
	unsigned delivered = 0;
	bool seen[FAKE_MAX_LRS] = {false};

	for (unsigned round = 0; round < 64; round++) {
		unsigned done = 0;

		flush(c);
		assert_true(lrs_in_use() <= fake_lr_count);
		for (unsigned n = 0; n < fake_lr_count; n++) {
			if (LRSTATE(fake_lr[n]) == ST_PENDING && !seen[n]) {
				assert_in_range(delivered, 0, max - 1);
				order[delivered++] = LRINTID(fake_lr[n]);
				seen[n] = true;
			}
		}
		if (lrs_in_use() == 0) {
			assert_int_equal(fake_hcr, ICH_HCR_EN);
			return delivered;
		}
		/* The guest finishes the lowest-numbered LRs first. */
		for (unsigned n = 0; n < fake_lr_count && done < per_round; n++) {
			if (LRSTATE(fake_lr[n]) != 0) {
				guest_ack((int)n);
				guest_done((int)n);
				seen[n] = false;
				done++;
			}
		}
	}
	fail_msg("interrupts still in list registers after 64 rounds");
	return delivered;
}

static void check_all_once_in_order(const unsigned *ids, const uint8_t *prio, unsigned count,
				    const unsigned *order, unsigned delivered)
{
	assert_int_equal(delivered, count);
	for (unsigned i = 0; i < count; i++) {
		unsigned times = 0;

		for (unsigned j = 0; j < delivered; j++)
			times += order[j] == ids[i];
		assert_int_equal(times, 1);
	}
	for (unsigned j = 1; j < delivered; j++)
		assert_true(prio_of(ids, prio, count, order[j - 1]) <=
			    prio_of(ids, prio, count, order[j]));
}

static void test_overflow_keeps_asking(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	static const uint8_t prio[6] = {0x60, 0x50, 0x40, 0x30, 0x20, 0x10};
	unsigned ids[6];
	uint64_t before[4];

	pend_edges(vm, 6, prio, ids);
	/* Four in the LRs, two waiting: the underflow interrupt is requested. */
	flush(c);
	assert_int_equal(lrs_in_use(), 4);
	assert_int_equal(fake_hcr, ICH_HCR_EN | ICH_HCR_UIE);
	/* A flush while the guest did nothing changes no LR and keeps asking. */
	memcpy(before, fake_lr, sizeof(before));
	flush(c);
	assert_memory_equal(before, fake_lr, sizeof(before));
	assert_int_equal(fake_hcr, ICH_HCR_EN | ICH_HCR_UIE);
	/* The guest takes all four: still no room, still asking. */
	for (int n = 0; n < 4; n++)
		guest_ack(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 4);
	assert_int_equal(fake_hcr, ICH_HCR_EN | ICH_HCR_UIE);
	/* One finished: the fifth takes its LR, the sixth still waits. */
	guest_done(2);
	flush(c);
	assert_int_equal(LRINTID(fake_lr[2]), 1);
	assert_int_equal(LRSTATE(fake_lr[2]), ST_PENDING);
	assert_int_equal(fake_hcr, ICH_HCR_EN | ICH_HCR_UIE);
	/* Another: the last one goes in and the underflow interrupt is no longer wanted. */
	guest_done(0);
	flush(c);
	assert_int_equal(LRINTID(fake_lr[0]), 0);
	assert_int_equal(fake_hcr, ICH_HCR_EN);
	assert_int_equal(lrs_in_use(), 4);
}

static void test_overflow_all_delivered_once(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	static const uint8_t prio[11] = {0x90, 0x80, 0x70, 0x60, 0x50, 0x40,
					 0x30, 0x20, 0x10, 0x00, 0xa8};
	unsigned ids[11], order[11], delivered;

	pend_edges(vm, 11, prio, ids);
	delivered = drain(c, 4, order, 11);
	check_all_once_in_order(ids, prio, 11, order, delivered);
	for (unsigned i = 0; i < 11; i++)
		assert_false(is_pending(vm, 0, ids[i]));
	assert_false(vgic_has_pending(c));
}

static void test_overflow_one_at_a_time(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prio[9] = {0x18, 0x28, 0x08, 0x38, 0x48, 0x58, 0x68, 0x78, 0x88};
	unsigned ids[9], order[9];

	pend_edges(vm, 9, prio, ids);
	check_all_once_in_order(ids, prio, 9, order, drain(&vm->vcpus[0], 1, order, 9));
}

static void test_lr_count_respected(void **state)
{
	struct vm *vm = *state;
	static const uint8_t prio[5] = {0x50, 0x40, 0x30, 0x20, 0x10};
	unsigned ids[5], order[5];

	/* Fewer list registers than QEMU's four: the fake refuses any write past LR1. */
	fake_lr_count = 2;
	pend_edges(vm, 5, prio, ids);
	flush(&vm->vcpus[0]);
	assert_int_equal(lrs_in_use(), 2);
	assert_int_equal(LRINTID(fake_lr[0]), 4);
	assert_int_equal(LRINTID(fake_lr[1]), 3);
	assert_int_equal(fake_hcr, ICH_HCR_EN | ICH_HCR_UIE);
	check_all_once_in_order(ids, prio, 5, order, drain(&vm->vcpus[0], 2, order, 5));
}

static void test_edge_spi_latches(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	set_edge(vm, 41);
	enable_irq(vm, 0, 41);
	/* A rising edge latches; the line staying high or dropping adds nothing. */
	vgic_set_level(vm, 41, true);
	vgic_set_level(vm, 41, true);
	vgic_set_level(vm, 41, false);
	assert_true(is_pending(vm, 0, 41));
	flush(c);
	n = lr_of(41);
	assert_int_not_equal(n, -1);
	assert_int_equal(fake_lr[n] & LR_EOI, 0);
	/* Delivered once, however long the line stayed high. */
	assert_int_equal(lrs_in_use(), 1);
	guest_ack(n);
	guest_done(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(is_pending(vm, 0, 41));
	/* The line falling is not an edge. */
	vgic_set_level(vm, 41, false);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
}

static void test_edge_spi_single_delivery(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	set_edge(vm, 41);
	enable_irq(vm, 0, 41);
	vgic_set_level(vm, 41, true);
	flush(c);
	n = lr_of(41);
	assert_int_not_equal(n, -1);
	assert_int_equal(fake_lr[n] & LR_EOI, 0);
	guest_ack(n);
	guest_done(n);
	/* The line is still high, but an edge interrupt was delivered once: done. */
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(is_pending(vm, 0, 41));
	assert_false(vgic_has_pending(c));
	/* The device saying "high" again without a low in between is not an edge. */
	vgic_set_level(vm, 41, true);
	assert_false(is_pending(vm, 0, 41));
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	/* A new rising edge after the line dropped delivers it again. */
	vgic_set_level(vm, 41, false);
	vgic_set_level(vm, 41, true);
	flush(c);
	assert_int_not_equal(lr_of(41), -1);
}

static void test_level_spi_redelivered_while_high(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, VGIC_SPI_UART);
	vgic_set_level(vm, VGIC_SPI_UART, true);
	flush(c);
	n = lr_of(VGIC_SPI_UART);
	assert_int_not_equal(n, -1);
	assert_true(fake_lr[n] & LR_EOI);
	/* The guest takes it: it stays active in its LR, not delivered a second time. */
	guest_ack(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 1);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE);
	assert_false(vgic_has_pending(c));
	/* EOI with the line still high (the device was not serviced): pending again. */
	guest_done(n);
	flush(c);
	n = lr_of(VGIC_SPI_UART);
	assert_int_not_equal(n, -1);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
	assert_int_equal(lrs_in_use(), 1);
	/* This time the guest services the device before the EOI: retired for good. */
	guest_ack(n);
	vgic_set_level(vm, VGIC_SPI_UART, false);
	guest_done(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(is_pending(vm, 0, VGIC_SPI_UART));
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
}

static void test_level_spi_retired_when_line_drops(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, VGIC_SPI_VIRTIO);
	/* Raised and dropped before any flush: never delivered. */
	vgic_set_level(vm, VGIC_SPI_VIRTIO, true);
	vgic_set_level(vm, VGIC_SPI_VIRTIO, false);
	assert_false(is_pending(vm, 0, VGIC_SPI_VIRTIO));
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	/* In an LR, not yet taken, when the line drops: taken back out. */
	vgic_set_level(vm, VGIC_SPI_VIRTIO, true);
	flush(c);
	n = lr_of(VGIC_SPI_VIRTIO);
	assert_int_not_equal(n, -1);
	vgic_set_level(vm, VGIC_SPI_VIRTIO, false);
	flush(c);
	assert_int_equal(fake_lr[n], 0);
	assert_false(is_pending(vm, 0, VGIC_SPI_VIRTIO));
	assert_false(vgic_has_pending(c));
	/* Raised again later: delivered again (the software state was released). */
	vgic_set_level(vm, VGIC_SPI_VIRTIO, true);
	flush(c);
	assert_int_not_equal(lr_of(VGIC_SPI_VIRTIO), -1);
}

static void test_ispendr_level_spi_latched(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	grp1_on(vm);
	enable_irq(vm, 0, 60);
	/* The guest pends a level-sensitive SPI by software (line low): the GICv3 pending latch
	 * set through ISPENDR holds until the interrupt is activated or ICPENDR is written. */
	wr32(vm, GICD + GICD_ISPENDR + 4, 1U << (60 - 32));
	flush(c);
	assert_int_not_equal(lr_of(60), -1);
	flush(c);
	assert_int_not_equal(lr_of(60), -1);
	assert_true(is_pending(vm, 0, 60));
}

static void test_disabled_not_delivered(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	vgic_set_level(vm, 45, true);
	vgic_inject(vm, c, 2);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
	assert_true(is_pending(vm, 0, 45));
	assert_true(is_pending(vm, 0, 2));
	/* Enabling it delivers it. */
	enable_irq(vm, 0, 45);
	assert_true(vgic_has_pending(c));
	flush(c);
	n = lr_of(45);
	assert_int_not_equal(n, -1);
	assert_int_equal(lr_of(2), -1);
	/* Disabled while waiting in its LR: retired from the LR, but still pending. */
	disable_irq(vm, 0, 45);
	flush(c);
	assert_int_equal(fake_lr[n], 0);
	assert_int_equal(lrs_in_use(), 0);
	assert_true(is_pending(vm, 0, 45));
	assert_false(vgic_has_pending(c));
	/* Re-enabled: delivered again. */
	enable_irq(vm, 0, 45);
	flush(c);
	assert_int_not_equal(lr_of(45), -1);
	/* An interrupt the guest already took is not pulled back when disabled. */
	n = lr_of(45);
	guest_ack(n);
	disable_irq(vm, 0, 45);
	flush(c);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE);
	assert_int_equal(LRINTID(fake_lr[n]), 45);
}

static void test_disabled_edge_kept_pending(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int sgi, spi;

	/* Edge interrupts have no line to re-raise them: a disable while they wait in an LR
	 * must leave them pending in software, or they are lost. */
	grp1_on(vm);
	enable_irq(vm, 0, 9);
	set_edge(vm, 70);
	enable_irq(vm, 0, 70);
	vgic_inject(vm, c, 9);
	pulse(vm, 70);
	flush(c);
	sgi = lr_of(9);
	spi = lr_of(70);
	assert_int_not_equal(sgi, -1);
	assert_int_not_equal(spi, -1);
	disable_irq(vm, 0, 9);
	disable_irq(vm, 0, 70);
	flush(c);
	assert_int_equal(fake_lr[sgi], 0);
	assert_int_equal(fake_lr[spi], 0);
	assert_true(is_pending(vm, 0, 9));
	assert_true(is_pending(vm, 0, 70));
	enable_irq(vm, 0, 9);
	enable_irq(vm, 0, 70);
	flush(c);
	assert_int_not_equal(lr_of(9), -1);
	assert_int_not_equal(lr_of(70), -1);
}

static void test_grp1_disabled_no_spi(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	enable_irq(vm, 0, 50);
	vgic_set_level(vm, 50, true);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
	/* Group 0 alone does not forward group-1 SPIs either. */
	wr32(vm, GICD + GICD_CTLR, 1);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
	grp1_on(vm);
	assert_true(vgic_has_pending(c));
	flush(c);
	assert_int_not_equal(lr_of(50), -1);
}

static void test_active_not_redelivered(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	grp1_on(vm);
	enable_irq(vm, 0, 52);
	wr32(vm, GICD + GICD_ISACTIVER + 4, 1U << 20);
	vgic_set_level(vm, 52, true);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	wr32(vm, GICD + GICD_ICACTIVER + 4, 1U << 20);
	flush(c);
	assert_int_not_equal(lr_of(52), -1);
}

static void test_edge_reinjected_while_active(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, 1);
	vgic_inject(vm, c, 1);
	flush(c);
	n = lr_of(1);
	assert_int_not_equal(n, -1);
	guest_ack(n);
	/* Sent again while the guest handles the first one: GICv3 makes it active and pending,
	 * and the second SGI is delivered after the first is deactivated. */
	vgic_inject(vm, c, 1);
	flush(c);
	guest_done(n);
	flush(c);
	assert_int_not_equal(lr_of(1), -1);
}

static void test_sgi_to_self_while_active_taken_after_eoi(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, 2);
	vgic_send_sgi(c, (2ULL << 24) | 1);
	flush(c);
	n = lr_of(2);
	assert_int_not_equal(n, -1);
	guest_ack(n);
	/* The handler sends it to itself again: that write traps, and the flush on the way back
	 * must leave it active and pending in the LR ... */
	vgic_send_sgi(c, (2ULL << 24) | 1);
	flush(c);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE | ST_PENDING);
	assert_true(is_pending(vm, 0, 2));
	/* ... so that the EOI alone hands it to the guest again, with no trap in between. */
	guest_done(n);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
	assert_int_equal(LRINTID(fake_lr[n]), 2);
	guest_ack(n);
	guest_done(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(is_pending(vm, 0, 2));
	assert_false(vgic_has_pending(c));
}

static void test_ispendr_level_spi_while_active_not_lost(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, 60);
	wr32(vm, GICD + GICD_ISPENDR + 4, 1U << (60 - 32));
	flush(c);
	n = lr_of(60);
	assert_int_not_equal(n, -1);
	guest_ack(n);
	flush(c); /* a trap while the guest handles it: the latch was taken */
	assert_false(is_pending(vm, 0, 60));
	/* Pended again by software while active (line low): GICv3 keeps it active and pending. */
	wr32(vm, GICD + GICD_ISPENDR + 4, 1U << (60 - 32));
	flush(c);
	assert_true(is_pending(vm, 0, 60));
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE | ST_PENDING);
	/* Another trap before the EOI changes nothing. */
	flush(c);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE | ST_PENDING);
	guest_done(n);
	flush(c);
	n = lr_of(60);
	assert_int_not_equal(n, -1);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
	/* Taken the second time: the latch is spent, it does not come a third time. */
	guest_ack(n);
	flush(c);
	assert_false(is_pending(vm, 0, 60));
	guest_done(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(is_pending(vm, 0, 60));
	assert_false(vgic_has_pending(c));
}

static void test_ispendr_from_other_vcpu_while_active(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c1 = &vm->vcpus[1];
	int n;

	/* SPI 61 targets vCPU 1, which has it active; vCPU 0 (CPU 0) pends it again. */
	grp1_on(vm);
	route(vm, 61, 1);
	enable_irq(vm, 0, 61);
	fake_cpu = 1;
	vgic_inject(vm, NULL, 61);
	flush(c1);
	n = lr_of(61);
	assert_int_not_equal(n, -1);
	guest_ack(n);
	fake_cpu = 0;
	sgi_count = 0;
	wr32(vm, GICD + GICD_ISPENDR + 4, 1U << (61 - 32));
	assert_true(sgi_count >= 1); /* vCPU 1's CPU is kicked */
	fake_cpu = 1;
	flush(c1);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE | ST_PENDING);
	guest_done(n);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
}

static void test_active_pending_disabled_and_cleared(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, 3);
	enable_irq(vm, 0, 62);
	vgic_inject(vm, c, 3);
	wr32(vm, GICD + GICD_ISPENDR + 4, 1U << (62 - 32));
	flush(c);
	guest_ack(lr_of(3));
	guest_ack(lr_of(62));
	vgic_inject(vm, c, 3);
	wr32(vm, GICD + GICD_ISPENDR + 4, 1U << (62 - 32));
	flush(c);
	assert_int_equal(LRSTATE(fake_lr[lr_of(3)]), ST_ACTIVE | ST_PENDING);
	assert_int_equal(LRSTATE(fake_lr[lr_of(62)]), ST_ACTIVE | ST_PENDING);
	/* Disabled: the pending half leaves the LR but stays pending in software. */
	disable_irq(vm, 0, 3);
	flush(c);
	n = lr_of(3);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE);
	assert_true(is_pending(vm, 0, 3));
	/* Re-enabled before the EOI: active and pending again. */
	enable_irq(vm, 0, 3);
	flush(c);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE | ST_PENDING);
	/* ICPENDR of the level SPI (line low): the pending half is withdrawn. */
	wr32(vm, GICD + GICD_ICPENDR + 4, 1U << (62 - 32));
	flush(c);
	n = lr_of(62);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE);
	assert_false(is_pending(vm, 0, 62));
	guest_done(n);
	flush(c);
	assert_int_equal(lr_of(62), -1);
	assert_false(is_pending(vm, 0, 62));
}

static void test_vtimer_hw_lr(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	/* Not enabled yet: the guest does not see it. */
	vgic_inject_vtimer(c);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
	enable_irq(vm, 0, VGIC_PPI_VTIMER);
	set_prio(vm, 0, VGIC_PPI_VTIMER, 0x60);
	assert_true(vgic_has_pending(c));
	flush(c);
	n = lr_of(VGIC_PPI_VTIMER);
	assert_int_not_equal(n, -1);
	assert_true(fake_lr[n] & LR_HW);
	assert_int_equal(LRPINTID(fake_lr[n]), 27);
	assert_int_equal(fake_lr[n], (ST_PENDING << LR_STATE_SHIFT) | LR_HW | LR_GROUP1 |
					 (0x60ULL << LR_PRIO_SHIFT) | (27ULL << LR_PINTID_SHIFT) |
					 27);
	/* The guest's deactivation deactivates the physical PPI: nothing for the vGIC to do. */
	guest_ack(n);
	flush(c);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_ACTIVE);
	guest_done(n);
	flush(c);
	assert_int_equal(lrs_in_use(), 0);
	assert_false(vgic_has_pending(c));
	assert_int_equal(deact_count, 0);
	/* The next expiry is a new interrupt. */
	vgic_inject_vtimer(c);
	flush(c);
	assert_int_not_equal(lr_of(VGIC_PPI_VTIMER), -1);
}

/* The guest completes a tick and the timer fires again before any trap syncs the LRs: the
 * second tick must still be delivered (it used to be lost, freezing the guest's tick). */
static void test_vtimer_refires_before_sync(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, VGIC_PPI_VTIMER);
	vgic_inject_vtimer(c);
	flush(c);
	n = lr_of(VGIC_PPI_VTIMER);
	assert_int_not_equal(n, -1);
	guest_ack(n);
	guest_done(n); /* LR now inactive, but the vGIC has not seen it yet */
	vgic_inject_vtimer(c);
	flush(c);
	n = lr_of(VGIC_PPI_VTIMER);
	assert_int_not_equal(n, -1);
	assert_int_equal(LRSTATE(fake_lr[n]), ST_PENDING);
	assert_true(fake_lr[n] & LR_HW);
}

static void test_release_clears_lrs_and_timer(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	grp1_on(vm);
	enable_irq(vm, 0, VGIC_PPI_VTIMER);
	enable_irq(vm, 0, 3);
	vgic_inject(vm, c, 3);
	vgic_inject_vtimer(c);
	flush(c);
	assert_int_equal(lrs_in_use(), 2);
	fake_lr[3] = 0x1234; /* junk in an LR the vGIC does not use is cleared as well */
	vgic_vcpu_release(c);
	assert_int_equal(locks_held, 0);
	for (unsigned i = 0; i < fake_lr_count; i++)
		assert_int_equal(fake_lr[i], 0);
	assert_int_equal(fake_hcr, ICH_HCR_EN);
	/* The physical timer PPI, left active for the guest, is deactivated. */
	assert_int_equal(deact_count, 1);
	assert_int_equal(deact_log[0], VGIC_PPI_VTIMER);
	assert_false(is_pending(vm, 0, VGIC_PPI_VTIMER));
	/* Nothing of the vCPU is left in LRs: a flush writes nothing for the timer. */
	flush(c);
	assert_int_equal(lr_of(VGIC_PPI_VTIMER), -1);
}

static void test_release_timer_active_or_idle(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	enable_irq(vm, 0, VGIC_PPI_VTIMER);
	/* No timer interrupt: nothing to deactivate. */
	vgic_vcpu_release(c);
	assert_int_equal(deact_count, 0);
	/* Taken by the guest (active) when the vCPU is released. */
	vgic_inject_vtimer(c);
	flush(c);
	n = lr_of(VGIC_PPI_VTIMER);
	guest_ack(n);
	flush(c);
	vgic_vcpu_release(c);
	assert_int_equal(deact_count, 1);
	assert_int_equal(deact_log[0], VGIC_PPI_VTIMER);
	/* Injected but never flushed (the physical PPI is active all the same). */
	vgic_inject_vtimer(c);
	vgic_vcpu_release(c);
	assert_int_equal(deact_count, 2);
	/* Delivered and completed before the release: not deactivated twice. */
	vgic_inject_vtimer(c);
	flush(c);
	n = lr_of(VGIC_PPI_VTIMER);
	assert_int_not_equal(n, -1);
	guest_ack(n);
	guest_done(n);
	flush(c);
	vgic_vcpu_release(c);
	assert_int_equal(deact_count, 2);
}

static void test_release_then_redeliver(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	/* PSCI CPU_OFF releases the vCPU, CPU_ON later enters it again (no vgic_vm_init). */
	grp1_on(vm);
	enable_irq(vm, 0, 3);
	enable_irq(vm, 0, 44);
	vgic_inject(vm, c, 3);
	vgic_set_level(vm, 44, true);
	flush(c);
	assert_int_equal(lrs_in_use(), 2);
	vgic_vcpu_release(c);
	vgic_inject(vm, c, 3);
	c->vgic.dirty = true; /* as vcpu_run() does */
	flush(c);
	assert_int_not_equal(lr_of(3), -1);
	assert_int_not_equal(lr_of(44), -1);
}

/* --- SGIs and kicks ---------------------------------------------------------------------- */

#define SGI1R(intid, targets) ((uint64_t)(intid) << 24 | (targets))
#define SGI1R_AFF1(a) ((uint64_t)(a) << 16)
#define SGI1R_AFF2(a) ((uint64_t)(a) << 32)
#define SGI1R_AFF3(a) ((uint64_t)(a) << 48)
#define SGI1R_RS(r) ((uint64_t)(r) << 44)
#define SGI1R_IRM (1ULL << 40)

static uint32_t sgi_pending(struct vm *vm, unsigned vcpu)
{
	return rd32(vm, GICR(vcpu) + GICR_SGI_FRAME + GICD_ISPENDR) & 0xffff;
}

static void clear_sgis(struct vm *vm)
{
	for (unsigned i = 0; i < vm->vcpu_count; i++)
		wr32(vm, GICR(i) + GICR_SGI_FRAME + GICD_ICPENDR, 0xffff);
	sgi_count = 0;
}

static void test_send_sgi_targets(void **state)
{
	struct vm *vm = *state;
	struct vcpu *v0 = &vm->vcpus[0];

	/* To itself (TargetList bit 0): no kick, it is on this CPU. */
	clear_sgis(vm);
	vgic_send_sgi(v0, SGI1R(5, 0x1));
	assert_int_equal(locks_held, 0);
	assert_int_equal(sgi_pending(vm, 0), 1U << 5);
	assert_int_equal(sgi_pending(vm, 1), 0);
	assert_int_equal(sgi_count, 0);
	/* To vCPU 1 on physical CPU 1: pending there, and that CPU gets a kick. */
	clear_sgis(vm);
	vgic_send_sgi(v0, SGI1R(15, 0x2));
	assert_int_equal(sgi_pending(vm, 0), 0);
	assert_int_equal(sgi_pending(vm, 1), 1U << 15);
	assert_int_equal(sgi_count, 1);
	assert_int_equal(sgi_log[0].mpidr, FAKE_MPIDR(1));
	assert_int_equal(sgi_log[0].sgi, GIC_SGI_KICK);
	/* Both. */
	clear_sgis(vm);
	vgic_send_sgi(v0, SGI1R(0, 0x3));
	assert_int_equal(sgi_pending(vm, 0), 1);
	assert_int_equal(sgi_pending(vm, 1), 1);
	/* INTID is 4 bits: bits 28..31 are not part of it. */
	clear_sgis(vm);
	vgic_send_sgi(v0, SGI1R(7, 0x2) | (0xfULL << 28));
	assert_int_equal(sgi_pending(vm, 1), 1U << 7);
	/* TargetList bits for absent vCPUs are ignored. */
	clear_sgis(vm);
	vgic_send_sgi(v0, SGI1R(4, 0xfffc));
	assert_int_equal(sgi_pending(vm, 0) | sgi_pending(vm, 1), 0);
	assert_int_equal(sgi_count, 0);
}

static void test_send_sgi_affinity_mismatch(void **state)
{
	struct vm *vm = *state;
	static const uint64_t miss[] = {SGI1R_AFF1(1), SGI1R_AFF2(1),
					SGI1R_AFF3(1), SGI1R_RS(1),
					SGI1R_RS(15),  SGI1R_AFF1(0xff) | SGI1R_AFF3(0xff)};

	for (unsigned i = 0; i < sizeof(miss) / sizeof(miss[0]); i++) {
		clear_sgis(vm);
		vgic_send_sgi(&vm->vcpus[0], SGI1R(2, 0x3) | miss[i]);
		assert_int_equal(sgi_pending(vm, 0), 0);
		assert_int_equal(sgi_pending(vm, 1), 0);
		assert_int_equal(sgi_count, 0);
	}
}

static void test_send_sgi_all_but_self(void **state)
{
	struct vm *vm = *state;

	/* IRM: every vCPU but the sender, whatever the target list and affinity say. */
	clear_sgis(vm);
	vgic_send_sgi(&vm->vcpus[0], SGI1R(9, 0) | SGI1R_IRM | SGI1R_AFF1(3));
	assert_int_equal(sgi_pending(vm, 0), 0);
	assert_int_equal(sgi_pending(vm, 1), 1U << 9);
	assert_int_equal(sgi_count, 1);
	assert_int_equal(sgi_log[0].mpidr, FAKE_MPIDR(1));
	/* From vCPU 1 running on CPU 1: vCPU 0 on CPU 0 gets it and a kick. */
	clear_sgis(vm);
	fake_cpu = 1;
	vgic_send_sgi(&vm->vcpus[1], SGI1R(10, 0x3) | SGI1R_IRM);
	assert_int_equal(sgi_pending(vm, 0), 1U << 10);
	assert_int_equal(sgi_pending(vm, 1), 0);
	assert_int_equal(sgi_count, 1);
	assert_int_equal(sgi_log[0].mpidr, FAKE_MPIDR(0));
	assert_int_equal(sgi_log[0].sgi, GIC_SGI_KICK);
}

static void test_send_sgi_single_vcpu_all_but_self(void **state)
{
	struct vm *vm = *state;

	vgic_send_sgi(&vm->vcpus[0], SGI1R(1, 0) | SGI1R_IRM);
	assert_int_equal(sgi_pending(vm, 0), 0);
	assert_int_equal(sgi_count, 0);
}

static void test_send_sgi_delivery_and_kick_rules(void **state)
{
	struct vm *vm = *state;
	struct vcpu *v1 = &vm->vcpus[1];

	grp1_on(vm);
	wr32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ISENABLER, 1U << 6);
	/* A vCPU that is off is not kicked (its CPU is not in the guest), but gets the SGI. */
	v1->state = VCPU_OFF;
	clear_sgis(vm);
	vgic_send_sgi(&vm->vcpus[0], SGI1R(6, 0x2));
	assert_int_equal(sgi_count, 0);
	assert_int_equal(sgi_pending(vm, 1), 1U << 6);
	/* A vCPU on the same physical CPU as the sender is not kicked either. */
	v1->state = VCPU_RUNNABLE;
	v1->pcpu = 0;
	clear_sgis(vm);
	vgic_send_sgi(&vm->vcpus[0], SGI1R(6, 0x2));
	assert_int_equal(sgi_count, 0);
	/* The target sees it on its next entry, and only there. */
	v1->pcpu = 1;
	fake_cpu = 1;
	assert_true(vgic_has_pending(v1));
	flush(v1);
	assert_int_not_equal(lr_of(6), -1);
	assert_int_equal(lrs_in_use(), 1);
	assert_false(vgic_has_pending(&vm->vcpus[0]));
}

static void test_kicks_from_devices_and_mmio(void **state)
{
	struct vm *vm = *state;

	/* An SPI routed to vCPU 1 (on CPU 1) kicks CPU 1 when its line changes. */
	route(vm, 47, 1);
	sgi_count = 0;
	vm->vcpus[1].vgic.dirty = false;
	vgic_set_level(vm, 47, true);
	assert_int_equal(locks_held, 0);
	assert_int_equal(sgi_count, 1);
	assert_int_equal(sgi_log[0].mpidr, FAKE_MPIDR(1));
	assert_int_equal(sgi_log[0].sgi, GIC_SGI_KICK);
	assert_true(vm->vcpus[1].vgic.dirty);
	/* Routed to vCPU 0 on this CPU: marked, not kicked. */
	sgi_count = 0;
	vgic_set_level(vm, 46, true);
	assert_int_equal(sgi_count, 0);
	assert_true(vm->vcpus[0].vgic.dirty);
	/* Out-of-range INTIDs are ignored. */
	vgic_set_level(vm, VGIC_NR_IRQS, true);
	vgic_set_level(vm, 5, true);
	vgic_inject(vm, NULL, 5);
	vgic_inject(vm, &vm->vcpus[0], VGIC_NR_IRQS);
	assert_int_equal(sgi_count, 0);
	assert_false(vm->vcpus[0].vgic.private_irqs[5].pending);
	/* A distributor write makes every vCPU rescan. */
	vm->vcpus[0].vgic.dirty = false;
	vm->vcpus[1].vgic.dirty = false;
	wr32(vm, GICD + GICD_ISENABLER + 4, 1);
	assert_true(vm->vcpus[0].vgic.dirty);
	assert_true(vm->vcpus[1].vgic.dirty);
	/* A redistributor write makes its own vCPU rescan. */
	vm->vcpus[0].vgic.dirty = false;
	vm->vcpus[1].vgic.dirty = false;
	sgi_count = 0;
	wr32(vm, GICR(1) + GICR_SGI_FRAME + GICD_ISENABLER, 1);
	assert_false(vm->vcpus[0].vgic.dirty);
	assert_true(vm->vcpus[1].vgic.dirty);
	assert_int_equal(sgi_count, 1);
}

static void test_reinit_resets_state(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];

	grp1_on(vm);
	enable_irq(vm, 0, 40);
	enable_irq(vm, 0, 3);
	set_prio(vm, 0, 40, 0x10);
	set_edge(vm, 41);
	route(vm, 42, 1);
	wr32(vm, GICR(0) + GICR_WAKER, 0);
	vgic_set_level(vm, 40, true);
	/* SYSTEM_RESET: every interrupt back to its reset state, the MMIO regions kept. */
	vgic_vm_init(vm);
	assert_int_equal(vm->mmio.count, 2);
	assert_int_equal(rd32(vm, GICD + GICD_CTLR), 0x50);
	assert_int_equal(rd32(vm, GICD + GICD_ISENABLER + 4), 0);
	assert_int_equal(rd32(vm, GICD + GICD_ISPENDR + 4), 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ISENABLER), 0);
	assert_int_equal(rd32(vm, GICD + GICD_IPRIORITYR + 40), 0xa0a0a0a0U);
	assert_int_equal(rd32(vm, GICD + GICD_ICFGR + 8), 0);
	assert_int_equal(rd(vm, GICD + GICD_IROUTER + 8 * 42, 8), 0);
	assert_int_equal(vm->vgic.spis[42 - 32].target, 0);
	assert_int_equal(rd32(vm, GICR(0) + GICR_WAKER), 0x6);
	assert_int_equal(rd32(vm, GICR(0) + GICR_SGI_FRAME + GICD_ICFGR), 0xaaaaaaaaU);
	for (unsigned i = 0; i < VGIC_NR_SPIS; i++)
		assert_int_equal(vm->vgic.spis[i].lr, -1);
	assert_false(vgic_has_pending(c));
	assert_false(vgic_has_pending(&vm->vcpus[1]));
}

static void test_has_pending(void **state)
{
	struct vm *vm = *state;
	struct vcpu *c = &vm->vcpus[0];
	int n;

	grp1_on(vm);
	assert_false(vgic_has_pending(c));
	enable_irq(vm, 0, 12);
	vgic_inject(vm, c, 12);
	/* Pending, enabled, not yet in an LR. */
	assert_true(vgic_has_pending(c));
	flush(c);
	n = lr_of(12);
	/* Pending in its LR. */
	assert_true(vgic_has_pending(c));
	/* Taken by the guest: nothing it could take now. */
	guest_ack(n);
	assert_false(vgic_has_pending(c));
	guest_done(n);
	assert_false(vgic_has_pending(c));
	flush(c);
	assert_false(vgic_has_pending(c));
	assert_int_equal(locks_held, 0);
	/* A pending interrupt with the lowest urgency still counts (no priority mask here). */
	set_prio(vm, 0, 12, 0xff);
	vgic_inject(vm, c, 12);
	assert_true(vgic_has_pending(c));
}

int main(void)
{
#define T1(f) cmocka_unit_test_setup_teardown(f, setup1, teardown)
#define T2(f) cmocka_unit_test_setup_teardown(f, setup2, teardown)
	const struct CMUnitTest tests[] = {
	    T1(test_gicd_identification),
	    T1(test_gicd_ctlr),
	    T1(test_gicd_bit_registers),
	    T1(test_gicd_private_registers_raz_wi),
	    T1(test_priority_byte_and_word),
	    T1(test_priority_doubleword_access),
	    T1(test_icfgr),
	    T2(test_irouter),
	    T2(test_irouter_selects_delivery),
	    T2(test_gicr_typer),
	    T1(test_gicr_typer_single_vcpu),
	    T2(test_gicr_waker),
	    T2(test_gicr_private_state_per_vcpu),
	    T1(test_gicr_sgi_frame_has_no_spis),
	    T1(test_flush_nothing_pending),
	    T1(test_lr_encoding),
	    T1(test_flush_priority_order),
	    T1(test_overflow_keeps_asking),
	    T1(test_overflow_all_delivered_once),
	    T1(test_overflow_one_at_a_time),
	    T1(test_lr_count_respected),
	    T1(test_edge_spi_latches),
	    T1(test_edge_spi_single_delivery),
	    T1(test_level_spi_redelivered_while_high),
	    T1(test_level_spi_retired_when_line_drops),
	    T1(test_ispendr_level_spi_latched),
	    T1(test_disabled_not_delivered),
	    T1(test_disabled_edge_kept_pending),
	    T1(test_grp1_disabled_no_spi),
	    T1(test_active_not_redelivered),
	    T1(test_edge_reinjected_while_active),
	    T1(test_sgi_to_self_while_active_taken_after_eoi),
	    T1(test_ispendr_level_spi_while_active_not_lost),
	    T2(test_ispendr_from_other_vcpu_while_active),
	    T1(test_active_pending_disabled_and_cleared),
	    T1(test_vtimer_hw_lr),
	    T1(test_vtimer_refires_before_sync),
	    T1(test_release_clears_lrs_and_timer),
	    T1(test_release_timer_active_or_idle),
	    T1(test_release_then_redeliver),
	    T2(test_send_sgi_targets),
	    T2(test_send_sgi_affinity_mismatch),
	    T2(test_send_sgi_all_but_self),
	    T1(test_send_sgi_single_vcpu_all_but_self),
	    T2(test_send_sgi_delivery_and_kick_rules),
	    T2(test_kicks_from_devices_and_mmio),
	    T2(test_reinit_resets_state),
	    T1(test_has_pending),
	};
#undef T1
#undef T2

	return cmocka_run_group_tests(tests, NULL, NULL);
}
