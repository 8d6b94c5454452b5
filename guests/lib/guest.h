/* Services every modvisor guest kernel shares: console, SMCCC/PSCI calls, MMU, exceptions, DTB. */
#ifndef GUESTS_LIB_GUEST_H
#define GUESTS_LIB_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mv_compiler.h>

/* --- console (the PL011 at IPA 0x0900_0000, emulated by the hypervisor) --- */
void console_putc(char c);
__printf(1, 2) int kprintf(const char *fmt, ...);

/* --- SMCCC through HVC #0 --- */
struct smccc_res {
	int64_t a0;
	uint64_t a1, a2, a3;
};
struct smccc_res smccc_hvc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			   uint64_t a5, uint64_t a6);
uint32_t psci_version(void);
__noreturn void psci_system_off(void);
__noreturn void psci_system_reset(void);
int64_t psci_cpu_on(uint64_t mpidr, uintptr_t entry, uint64_t context);
__noreturn void psci_cpu_off(void);
/* 0 on, 1 off, negative on error. */
int64_t psci_affinity_info(uint64_t mpidr);

/* --- what the DTB says --- */
struct boot_info {
	uint64_t ram_base;
	uint64_t ram_size;
	unsigned cpus;
	const char *bootargs;
	const char *vm_name;
	uint32_t abi_version;
	uint32_t reset_count; /* how often the hypervisor has reset this VM */
};
int boot_info_parse(const void *dtb, struct boot_info *info);
/* True if the whitespace-separated word occurs in bootargs. */
bool bootarg_has(const struct boot_info *info, const char *word);

/* --- MMU: identity map, device space below 1 GiB, RAM cacheable --- */
void mmu_enable_identity(uint64_t ram_base, uint64_t ram_size);
void mmu_enable_this_cpu(void);

/* --- interrupts: GICv3 (emulated by the hypervisor), virtual timer, UART input --- */
typedef void (*irq_handler_fn)(unsigned intid);
/* Distributor and this CPU's interface; gic_init_cpu alone on secondary CPUs. */
void gic_init(void);
void gic_init_cpu(void);
void gic_send_sgi(unsigned intid, unsigned cpu);
void gic_enable_irq(unsigned intid, irq_handler_fn fn);
void gic_handle_irq(void);
void irq_enable(void);
void irq_disable(void);
/* Periodic tick at hz from the virtual timer; hook (may be NULL) runs in the interrupt. */
void timer_start(unsigned hz, void (*hook)(uint64_t ticks));
uint64_t timer_ticks(void);
void uart_rx_start(void);
/* A complete input line (without its end), or NULL; valid until the next call. */
const char *uart_rx_line(void);

/* Runs the checks that bootargs ask for and waits `ticks` timer ticks (guests/lib/selftest.c). */
void guest_selftest(const char *tag, const struct boot_info *info, unsigned ticks);

/* --- exceptions --- */
struct exc_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};
/* A kernel may claim a synchronous exception (return true after fixing frame->elr). */
extern bool (*exc_sync_hook)(struct exc_frame *frame, uint64_t esr);
void exceptions_init(void);

#endif /* GUESTS_LIB_GUEST_H */
