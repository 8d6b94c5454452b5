/* The AArch64 Linux signal frame as user space sees it (arch/arm64/include/uapi/asm). */
#ifndef STARRY_PROC_SIGFRAME_H
#define STARRY_PROC_SIGFRAME_H

#include <stddef.h>
#include <stdint.h>
#include <modvisor/module.h>

#define FPSIMD_MAGIC 0x46508001U

struct user_siginfo {
	int32_t signo, errno_, code, pad;
	union {
		uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE */
		struct {
			int32_t pid, uid;
			uint64_t value;
		} kill;
		struct {
			int32_t pid, uid, status, pad;
			int64_t utime, stime;
		} chld;
		uint8_t bytes[112];
	} u;
};

struct aarch64_ctx {
	uint32_t magic, size;
};

struct fpsimd_context {
	struct aarch64_ctx head;
	uint32_t fpsr, fpcr;
	__uint128_t vregs[32];
};

struct user_sigcontext {
	uint64_t fault_address;
	uint64_t regs[31];
	uint64_t sp, pc, pstate;
	uint8_t reserved[4096] __attribute__((aligned(16)));
};

struct user_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
};

struct user_ucontext {
	uint64_t flags;
	uint64_t link;
	struct user_stack stack;
	mv_sigset_t sigmask;
	uint8_t unused[1024 / 8 - sizeof(mv_sigset_t)];
	struct user_sigcontext mcontext;
};

struct rt_sigframe {
	struct user_siginfo info;
	struct user_ucontext uc;
};

_Static_assert(sizeof(struct user_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(offsetof(struct user_ucontext, mcontext) == 176, "uc_mcontext offset");
_Static_assert(offsetof(struct user_sigcontext, reserved) == 288, "__reserved offset");
_Static_assert(sizeof(struct fpsimd_context) == 528, "fpsimd_context size");
_Static_assert(sizeof(struct rt_sigframe) % 16 == 0, "frame keeps sp aligned");

#endif /* STARRY_PROC_SIGFRAME_H */
