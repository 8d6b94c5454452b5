/* Layout of the initial user stack that execve hands to a new program (Linux ABI, pure C). */
#ifndef STARRY_PROC_EXEC_STACK_H
#define STARRY_PROC_EXEC_STACK_H

#include <stddef.h>
#include <stdint.h>

/* Auxiliary vector types (Linux include/uapi/linux/auxvec.h, arch/arm64 AT_HWCAP2). */
#define AT_NULL 0
#define AT_PHDR 3
#define AT_PHENT 4
#define AT_PHNUM 5
#define AT_PAGESZ 6
#define AT_BASE 7
#define AT_FLAGS 8
#define AT_ENTRY 9
#define AT_UID 11
#define AT_EUID 12
#define AT_GID 13
#define AT_EGID 14
#define AT_PLATFORM 15
#define AT_HWCAP 16
#define AT_CLKTCK 17
#define AT_SECURE 23
#define AT_RANDOM 25
#define AT_HWCAP2 26
#define AT_EXECFN 31

struct exec_stack_args {
	const char *const *argv; /* argc strings (may be NULL when argc is 0) */
	unsigned argc;
	const char *const *envp; /* envc strings (may be NULL when envc is 0) */
	unsigned envc;
	/* nauxv (type, value) pairs, without AT_RANDOM, AT_EXECFN, AT_PLATFORM and AT_NULL, which
	 * the builder appends in that order. */
	const uint64_t *auxv;
	unsigned nauxv;
	const uint8_t *random16; /* 16 bytes for AT_RANDOM: required (glibc seeds its canaries) */
	const char *execfn;	 /* AT_EXECFN string; NULL leaves AT_EXECFN out */
	const char *platform;	 /* AT_PLATFORM string ("aarch64"); NULL leaves AT_PLATFORM out */
};

/* buf mirrors user memory [stack_top - buf_len, stack_top). From the top down it writes: execfn,
 * the env strings, the arg strings (argv[0] lowest, all contiguous and ascending as on Linux, so
 * argv[0]..the last env string is one block), platform, the 16 random bytes, zero padding, then at
 * sp: argc, argv[], NULL, envp[], NULL, auxv pairs ending with (AT_NULL, 0). Bytes below sp are
 * not touched. Returns 0 with *sp_out the user sp (16-byte aligned, pointing at argc), -E2BIG
 * when it does not fit, -EINVAL for missing inputs or buf_len > stack_top. */
int exec_build_stack(void *buf, size_t buf_len, uint64_t stack_top, const struct exec_stack_args *a,
		     uint64_t *sp_out);

#endif /* STARRY_PROC_EXEC_STACK_H */
