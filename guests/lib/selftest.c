/* Checks both minimal guests run at boot, chosen by words in their bootargs. */
#include "guest.h"
#include <modvisor/hypercall.h>

#define UNMAPPED_IPA 0x20000000UL
#define TICK_HZ 100
#define INPUT_TIMEOUT_TICKS 3000

static bool undef_seen;

/* Claims the undefined-instruction exception the hypervisor injects for a trapped register. */
static bool catch_undef(struct exc_frame *frame, uint64_t esr)
{
	if ((esr >> 26) != 0)
		return false;
	undef_seen = true;
	frame->elr += 4;
	return true;
}

static void check_hypercalls(const char *tag)
{
	struct smccc_res r = smccc_hvc(MV_HVC_VERSION, 0, 0, 0, 0, 0, 0);

	kprintf("%s: modvisor version call: status %ld, ABI %lu.%lu\n", tag, (long)r.a0,
		(unsigned long)(r.a1 >> 16), (unsigned long)(r.a1 & 0xffff));
	r = smccc_hvc(MV_HVC_BASE | 0xff, 0, 0, 0, 0, 0, 0);
	kprintf("%s: unknown hypercall returned %ld\n", tag, (long)r.a0);
}

static void check_trapped_sysreg(const char *tag)
{
	uint64_t v = 0;

	exc_sync_hook = catch_undef;
	/* The EL1 physical timer belongs to the hypervisor: CNTHCTL_EL2.EL1PCEN traps it. */
	__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
	kprintf("%s: physical timer read %s\n", tag,
		undef_seen ? "raised undefined instruction" : "was not trapped");
}

static void touch_unmapped(const char *tag)
{
	kprintf("%s: touching unmapped IPA %#lx\n", tag, UNMAPPED_IPA);
	(void)*(volatile uint32_t *)UNMAPPED_IPA;
	kprintf("%s: still running after the fault (wrong)\n", tag);
}

static void wait_ticks(uint64_t until)
{
	while (timer_ticks() < until)
		__asm__ volatile("wfi");
}

static void wait_input(const char *tag)
{
	uint64_t deadline = timer_ticks() + INPUT_TIMEOUT_TICKS;
	const char *line = NULL;

	uart_rx_start();
	kprintf("%s: waiting for a line of input\n", tag);
	while (!line && timer_ticks() < deadline) {
		__asm__ volatile("wfi");
		line = uart_rx_line();
	}
	if (line)
		kprintf("%s: input line '%s'\n", tag, line);
	else
		kprintf("%s: no input\n", tag);
}

void guest_selftest(const char *tag, const struct boot_info *info, unsigned ticks)
{
	gic_init();
	timer_start(TICK_HZ, NULL);
	irq_enable();
	if (bootarg_has(info, "check-hvc"))
		check_hypercalls(tag);
	if (bootarg_has(info, "check-sysreg"))
		check_trapped_sysreg(tag);
	if (bootarg_has(info, "fault-unmapped"))
		touch_unmapped(tag);
	wait_ticks(ticks);
	kprintf("%s: %u timer ticks at %u Hz\n", tag, ticks, TICK_HZ);
	if (bootarg_has(info, "input"))
		wait_input(tag);
}
