/* What every part of the Starry kernel shares: Linux errno values, syscall arguments, limits. */
#ifndef STARRY_KERNEL_H
#define STARRY_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "guest.h"

/* Linux errno values (asm-generic/errno-base.h, errno.h); syscalls return them negated. */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define ECHILD 10
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define ENOTTY 25
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define EPIPE 32
#define ERANGE 34
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39
#define ELOOP 40
#define ETIMEDOUT 110
/* Kernel-internal: the syscall was interrupted by a signal and may be restarted (SA_RESTART);
 * never seen by user space, which gets EINTR when the handler does not ask for a restart. */
#define ERESTARTSYS 512

#define PATH_MAX 256

typedef int32_t pid_t;

/* Page protections (mmap's PROT_* values). */
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

/* The six argument registers of a syscall (x0..x5); handlers return a value or -errno. */
struct syscall_args {
	uint64_t arg[6];
};
typedef long (*syscall_fn)(const struct syscall_args *a);

/* The kernel's log line prefix. */
#define KTAG "starry"

/* Broken kernel invariants only; user-caused errors return -errno. */
__noreturn void starry_panic(const char *file, int line, const char *msg);
#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (cond)                                                                          \
			starry_panic(__FILE__, __LINE__, #cond);                                   \
	} while (0)

/* A random stream for AT_RANDOM, getrandom and /dev/urandom (kernel.c: not cryptographic). */
uint64_t random_u64(void);

/* The CPU's identification (arch/cpuid.c), for /proc/cpuinfo. */
struct cpu_ids {
	uint64_t midr, isar0, pfr0, cntfrq;
};
void cpu_id_regs(struct cpu_ids *ids);

/* uname's release and version, which /proc/version repeats. */
#define STARRY_RELEASE "6.1.0-starry"
#define STARRY_VERSION "#1 modvisor Starry guest"

/* The scheduler's tick: 100 Hz; CPU time is counted in ticks. */
#define TICK_NS 10000000ULL

/* Monotonic nanoseconds since boot (the virtual counter). */
uint64_t ktime_ns(void);
/* A timespec's nanoseconds and the deadline that far from now, both saturating at UINT64_MAX
 * ("never") instead of wrapping into the past. */
uint64_t timespec_to_ns(int64_t sec, int64_t nsec);
uint64_t deadline_after(uint64_t ns);

#endif /* STARRY_KERNEL_H */
