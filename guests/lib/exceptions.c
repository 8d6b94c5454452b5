/* Guest exception handling: a kernel hook first, otherwise report the exception and power off. */
#include "guest.h"

bool (*exc_sync_hook)(struct exc_frame *frame, uint64_t esr);

extern char guest_vectors[];

static const char *const kind_names[] = {
    "sync",
    "irq",
    "fiq",
    "serror",
    "sync from EL0",
    "irq from EL0",
    "fiq from EL0",
    "serror from EL0",
    "sync from AArch32 EL0",
    "irq from AArch32 EL0",
    "fiq from AArch32 EL0",
    "serror from AArch32 EL0",
};

void exceptions_init(void)
{
	__asm__ volatile("msr vbar_el1, %0; isb" ::"r"(guest_vectors));
}

void exc_dispatch(struct exc_frame *frame, unsigned kind);
void exc_dispatch(struct exc_frame *frame, unsigned kind)
{
	uint64_t esr, far;

	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	/* Kinds 0, 4 and 8 are synchronous; 0..3 also cover the same-EL (SP_ELx) entries. */
	if ((kind == 0 || kind == 4 || kind == 8) && exc_sync_hook && exc_sync_hook(frame, esr))
		return;
	if (kind == 1 || kind == 5 || kind == 9) {
		gic_handle_irq();
		return;
	}
	kprintf("kernel: unexpected exception %s: ESR %#lx ELR %#lx FAR %#lx\n",
		kind < ARRAY_SIZE(kind_names) ? kind_names[kind] : "?", (unsigned long)esr,
		(unsigned long)frame->elr, (unsigned long)far);
	psci_system_off();
}
