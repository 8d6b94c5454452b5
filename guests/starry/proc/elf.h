/* Validation of a static AArch64 ELF executable's headers before execve loads it (pure C). */
#ifndef STARRY_PROC_ELF_H
#define STARRY_PROC_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8

/* Same values as Linux's <asm-generic/mman-common.h>, so mmap/mprotect arguments pass through. */
#define PROT_NONE 0
#define PROT_READ 1
#define PROT_WRITE 2
#define PROT_EXEC 4

/* One PT_LOAD segment, unbiased: a PIE's loader adds its bias to every vaddr. */
struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t prot; /* PROT_* */
};

struct elf_image {
	uint64_t entry; /* unbiased */
	/* Unbiased address of the program headers in memory (PT_PHDR, else computed from the
	 * PT_LOAD whose file bytes cover them), for AT_PHDR; 0 when no segment loads them. */
	uint64_t phdr_vaddr;
	uint16_t phnum, phentsize;
	bool pie;	 /* ET_DYN (static-PIE): the loader chooses a bias */
	uint64_t lo, hi; /* page-aligned span of all PT_LOAD segments (unbiased) */
	unsigned nseg;
	/* Sorted by vaddr, byte ranges disjoint. Neighbours may share a page (end of one, start of
	 * the next): the loader maps such a page with the union of their protections. */
	struct elf_segment seg[ELF_MAX_SEGMENTS];
};

/* hdr: the first hdr_len bytes of a file of file_size bytes (the program headers must lie in
 * them). user_top: the first address user space may not use. Returns 0 and fills *out, or
 * -ENOEXEC with *why (if why is not NULL) set to a static string saying what is wrong; *out is
 * untouched on failure. For ET_DYN the vaddr limits apply to the unbiased addresses. */
int elf_check(const void *hdr, size_t hdr_len, uint64_t file_size, uint64_t user_top,
	      struct elf_image *out, const char **why);

#endif /* STARRY_PROC_ELF_H */
