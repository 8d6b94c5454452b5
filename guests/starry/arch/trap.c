/* Exceptions: user traps dispatched by ESR exception class, interrupts, kernel faults. */
#include "../mm/mm.h"
#include "../proc/signal.h"
#include "../proc/task.h"
#include "../sys/syscalls.h"

#define ESR_EC(esr) ((unsigned)((esr) >> 26) & 0x3f)
#define EC_UNKNOWN 0x00
#define EC_SVC64 0x15
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_SP_ALIGN 0x26
#define EC_BRK64 0x3c
#define ISS_WNR (1u << 6)
#define FSC_TYPE(esr) ((unsigned)(esr)&0x3c) /* fault status code without its level */
#define FSC_TRANSLATION 0x04
#define FSC_ACCESS_FLAG 0x08
#define FSC_PERMISSION 0x0c
#define FSC_ALIGNMENT 0x21

#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define ILL_ILLOPC 1
#define BUS_ADRALN 1
#define TRAP_BRKPT 1

typedef void (*trap_fn)(struct trap_frame *tf, uint64_t esr, uint64_t far);

static bool irq_from_user;

static void do_syscall(struct trap_frame *tf, uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	tf->syscallno = tf->x[8];
	syscall_dispatch(tf);
}

/* A fault the process cannot recover from by itself: a signal, with a log line that says
 * what happened, since most such faults end the process. */
static void user_fault(struct trap_frame *tf, int sig, int code, uint64_t addr, const char *what)
{
	kprintf(KTAG ": pid %d (%s): %s at %#lx, pc %#lx: signal %d\n", current->pid, current->comm,
		what, (unsigned long)addr, (unsigned long)tf->pc, sig);
	signal_force(current, sig, code, (int64_t)addr);
}

static void do_abort(struct trap_frame *tf, uint64_t esr, uint64_t far)
{
	bool exec = ESR_EC(esr) == EC_IABT_LOW;
	unsigned access = exec ? ACCESS_EXEC : (esr & ISS_WNR) ? ACCESS_WRITE : ACCESS_READ;
	unsigned fsc = FSC_TYPE(esr);
	uint64_t pa;
	int ret = -EFAULT;

	if ((esr & 0x3f) == FSC_ALIGNMENT) {
		user_fault(tf, MV_SIGBUS, BUS_ADRALN, far, "misaligned access");
		return;
	}
	if (fsc == FSC_TRANSLATION || fsc == FSC_ACCESS_FLAG || fsc == FSC_PERMISSION)
		ret = mm_resolve(current->mm, far, access, &pa);
	if (ret == 0)
		return;
	if (ret == -ENOMEM) {
		/* Like Linux's OOM killer, and not a catchable SIGSEGV that would fault again. */
		user_fault(tf, MV_SIGKILL, SI_KERNEL, far, "out of memory");
		return;
	}
	user_fault(tf, MV_SIGSEGV, fsc == FSC_PERMISSION ? SEGV_ACCERR : SEGV_MAPERR, far,
		   exec			      ? "bad instruction fetch"
		   : (access == ACCESS_WRITE) ? "bad write"
					      : "bad read");
}

static void do_undef(struct trap_frame *tf, uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	user_fault(tf, MV_SIGILL, ILL_ILLOPC, tf->pc, "undefined instruction");
}

static void do_align(struct trap_frame *tf, uint64_t esr, uint64_t far)
{
	user_fault(tf, MV_SIGBUS, BUS_ADRALN, ESR_EC(esr) == EC_SP_ALIGN ? tf->sp : far,
		   "misaligned pc or sp");
}

static void do_brk(struct trap_frame *tf, uint64_t esr, uint64_t far)
{
	(void)esr;
	(void)far;
	user_fault(tf, MV_SIGTRAP, TRAP_BRKPT, tf->pc, "breakpoint");
}

static const trap_fn user_traps[64] = {
    [EC_UNKNOWN] = do_undef,  [EC_SVC64] = do_syscall,	[EC_SYSREG] = do_undef,
    [EC_IABT_LOW] = do_abort, [EC_PC_ALIGN] = do_align, [EC_DABT_LOW] = do_abort,
    [EC_SP_ALIGN] = do_align, [EC_BRK64] = do_brk,
};

void el0_sync_handler(struct trap_frame *tf);
void el0_sync_handler(struct trap_frame *tf)
{
	uint64_t esr, far;
	trap_fn fn;

	__asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	fn = user_traps[ESR_EC(esr)];
	if (!fn)
		fn = do_undef;
	fn(tf, esr, far);
}

void el0_irq_handler(struct trap_frame *tf);
void el0_irq_handler(struct trap_frame *tf)
{
	(void)tf;
	irq_from_user = true;
	gic_handle_irq();
	irq_from_user = false;
}

bool trap_irq_from_user(void);
bool trap_irq_from_user(void)
{
	return irq_from_user;
}

/* exc_sync_hook: the kernel runs with interrupts masked except while idle, and the library's
 * dispatch takes those IRQs; a synchronous exception in the kernel is a bug. */
bool trap_kernel_fault(struct exc_frame *frame, uint64_t esr)
{
	uint64_t far;

	__asm__ volatile("mrs %0, far_el1" : "=r"(far));
	kprintf(KTAG ": kernel synchronous exception: ESR %#lx ELR %#lx FAR %#lx (pid %d)\n",
		(unsigned long)esr, (unsigned long)frame->elr, (unsigned long)far, current->pid);
	starry_panic(__FILE__, __LINE__, "unexpected kernel exception");
}
