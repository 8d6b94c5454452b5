/* Services every modvisor guest kernel shares: console, SMCCC/PSCI calls, MMU, exceptions, DTB. */
#ifndef GUESTS_LIB_GUEST_H
#define GUESTS_LIB_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mv_compiler.h>
#include <modvisor/module.h>
#include <fmt.h>
#include "lineq.h"
#include "modidle.h"

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
	uint64_t module_window_base;
	uint64_t module_window_size;
	bool has_disk;
	uint64_t rtc_base; /* the PL031 real-time clock, 0 if the VM has none */
};
int boot_info_parse(const void *dtb, struct boot_info *info);
/* True if the whitespace-separated word occurs in bootargs. */
bool bootarg_has(const struct boot_info *info, const char *word);

/* --- MMU: identity map, device space below 1 GiB, RAM cacheable --- */
void mmu_enable_identity(uint64_t ram_base, uint64_t ram_size);
void mmu_enable_this_cpu(void);
/* Adds an identity-mapped normal-memory range (e.g. the module window) once the MMU is on. */
void mmu_map_normal(uint64_t base, uint64_t size);

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
/* Monotonic nanoseconds from the virtual counter. */
uint64_t guest_time_ns(void);

/* --- wall clock: the PL031's seconds at boot, carried on by the virtual counter --- */
/* Reads the RTC at rtc_base (0: none, the clock starts at 1970). */
void wallclock_init(uint64_t rtc_base);
/* Nanoseconds since 1970 (CLOCK_REALTIME). */
uint64_t wallclock_ns(void);
/* Sets it; the RTC too when the seconds fit its 32 bits. The caller checks ns >= now. */
void wallclock_set_ns(uint64_t ns);
/* The monotonic time (guest_time_ns) at which the wall clock reads rt_ns; 0 if already past. */
uint64_t wallclock_to_mono(uint64_t rt_ns);
/* Console input (guests/lib/uart_rx.c): lines typed ahead wait in a queue (guests/lib/lineq.h),
 * each up to UART_RX_LINE_MAX characters (the rest of a longer one is dropped). */
#define UART_RX_LINE_MAX LINEQ_LINE_MAX
void uart_rx_start(void);
/* Up to `len` bytes of the oldest complete line, its '\n' included when they reach it (a
 * later call returns the rest); 0 when no line is complete. */
size_t uart_rx_read(char *buf, size_t len);
/* The next complete non-empty input line (without its end), or NULL; valid until the next
 * call. */
const char *uart_rx_line(void);

/* rtc-set [rtc-reset] / rtc-watch: set this VM's PL031 (then reset the VM), or read it for a
 * while (selftest_rtc.c). */
void guest_rtc_probes(const char *tag, const struct boot_info *info);
/* Runs the checks that bootargs ask for and waits `ticks` timer ticks (guests/lib/selftest.c). */
void guest_selftest(const char *tag, const struct boot_info *info, unsigned ticks);

/* --- heap (guests/lib/heap.c) --- */
/* Gives the heap [base, base + size), before the first allocation. */
void kheap_init(uintptr_t base, size_t size);
void *kmalloc(size_t size);
void *kmalloc_aligned(size_t size, size_t align);
void kfree(void *ptr);
size_t kheap_in_use(void);
size_t kheap_peak(void);

/* --- modules served by the hypervisor (guests/lib/modload.c) --- */
struct gmod {
	const char *name;
	uint32_t kind; /* enum mv_module_kind expected */
	const struct mv_module_desc *desc;
	const void *ops;
	uint64_t base;
	uint32_t flags;	     /* MV_MOD_F_* from the load */
	bool from_miss;	     /* loaded because an operation found it missing */
	struct modidle idle; /* its use, kept across an idle unload and the reload */
};
/* Loads (if needed) and initialises a module; 0 or a negative MV_ERR_* / MV_E* value. */
int gmod_load(struct gmod *m, const struct mv_kservices *ks);
int gmod_unload(struct gmod *m);
/* Loads m because the operation `what` found it missing, logging why and how the hypervisor
 * served it under the kernel's log tag. 0 or a negative MV_ERR_* value. */
int gmod_load_on_miss(struct gmod *m, const char *tag, const char *what);
/* A failed load's status (MV_ERR_*), in words. */
const char *gmod_status_text(int ret);
/* How the hypervisor served the load, in words. */
const char *gmod_how(const struct gmod *m);
/* The idle time after which a kernel unloads a module nothing pins (bootarg modidle=, see
 * modidle.h; 0: never), set by gmod_idle_init at boot. */
extern uint64_t gmod_idle_ns;
void gmod_idle_init(const struct boot_info *info);
/* Unloads m because it has been idle (the caller checked that nothing pins it), logging it
 * under tag; the next use misses and loads it again. 0 or a negative MV_ERR_* value. */
int gmod_unload_idle(struct gmod *m, const char *tag);
/* Logs that m was just loaded again after an idle unload, warm or cold. */
void gmod_log_reload(const struct gmod *m, const char *tag);
/* "/proc/modules"-style state of m in words: loaded / idle-unloaded / not loaded. */
const char *gmod_state(const struct gmod *m);

/* --- kernel services and the module miss path (kservices.c, ondemand.c, moddemo.c) --- */
struct gvblk;
int guest_disk_init(void);
struct gvblk *guest_disk(void);
const struct mv_kservices *guest_kservices(const char *tag);
/* True if the disk (set up by guest_disk_init) holds an ext2/3/4 superblock; then its
 * filesystem module is "ext4", else "fatfs" (guest_disk_fs_module). Not reentrant: callers
 * probe under their mount lock. */
bool guest_disk_is_ext(void);
const char *guest_disk_fs_module(void);
void ondemand_init(const char *tag, const struct boot_info *info);
int vfs_open(const char *path, int flags, struct mv_file **file);
int vfs_close(struct mv_file *file);
int64_t vfs_read(struct mv_file *file, void *buf, uint64_t len);
int64_t vfs_write(struct mv_file *file, const void *buf, uint64_t len);
int vfs_readdir(struct mv_file *dir, struct mv_dirent *ent);
int vfs_mkdir(const char *path);
int vfs_stat(const char *path, struct mv_stat *st);
int vfs_sync(void);
int vfs_unmount(void);
int sig_action(int signo, const struct mv_sigaction *act, struct mv_sigaction *old);
int sig_procmask(int how, const mv_sigset_t *set, mv_sigset_t *old);
int sig_kill(int signo, int64_t value);
int sig_deliver(void);
const struct gmod *ondemand_module(unsigned i);
struct gmod *ondemand_module_mut(const char *name);
void module_demo(const char *tag, const struct boot_info *info);
void print_hyp_memory(const char *tag);
/* bootargs "bench": instruction counts of hypercalls, module loads, faults (guests/lib/bench.c). */
void guest_bench(const char *tag, const struct boot_info *info, uint64_t boot_count);

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
