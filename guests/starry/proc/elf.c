/* Validation of a static AArch64 ELF executable's headers before execve loads it (pure C). */
#include <string.h>

#include "elf.h"

#ifndef ENOEXEC
#define ENOEXEC 8
#endif

/* Our own copies of the ELF64 layouts: the freestanding build has no <elf.h>. */
struct elf64_ehdr {
	uint8_t e_ident[16];
	uint16_t e_type;
	uint16_t e_machine;
	uint32_t e_version;
	uint64_t e_entry;
	uint64_t e_phoff;
	uint64_t e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize;
	uint16_t e_phentsize;
	uint16_t e_phnum;
	uint16_t e_shentsize;
	uint16_t e_shnum;
	uint16_t e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type;
	uint32_t p_flags;
	uint64_t p_offset;
	uint64_t p_vaddr;
	uint64_t p_paddr;
	uint64_t p_filesz;
	uint64_t p_memsz;
	uint64_t p_align;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr layout");

#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ET_EXEC 2
#define ET_DYN 3
#define EM_AARCH64 183
#define PT_LOAD 1
#define PT_INTERP 3
#define PT_PHDR 6
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define ELF_PAGE 4096ULL
#define ELF_MAX_PHNUM 64

static int fail(const char **why, const char *msg)
{
	if (why)
		*why = msg;
	return -ENOEXEC;
}

static uint32_t prot_of(uint32_t p_flags)
{
	return ((p_flags & PF_R) ? PROT_READ : 0) | ((p_flags & PF_W) ? PROT_WRITE : 0) |
	       ((p_flags & PF_X) ? PROT_EXEC : 0);
}

int elf_check(const void *hdr, size_t hdr_len, uint64_t file_size, uint64_t user_top,
	      struct elf_image *out, const char **why)
{
	struct elf64_ehdr eh;
	struct elf_image img;
	bool have_phdr = false;
	/* The caller may have read less than it asked for near the end of a short file. */
	uint64_t avail = hdr_len < file_size ? hdr_len : file_size;

	if (avail < sizeof(eh))
		return fail(why, "truncated ELF header");
	/* memcpy, not a cast: the buffer need not be aligned and the kernel runs -mstrict-align. */
	memcpy(&eh, hdr, sizeof(eh));
	if (memcmp(eh.e_ident, "\177ELF", 4) != 0)
		return fail(why, "bad ELF magic");
	if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		return fail(why, "not ELFCLASS64");
	if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
		return fail(why, "not little-endian");
	if (eh.e_ident[EI_VERSION] != EV_CURRENT || eh.e_version != EV_CURRENT)
		return fail(why, "bad ELF version");
	if (eh.e_machine != EM_AARCH64)
		return fail(why, "not AArch64");
	if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
		return fail(why, "not an executable (ET_EXEC or ET_DYN)");
	if (eh.e_phentsize != sizeof(struct elf64_phdr))
		return fail(why, "bad e_phentsize");
	if (eh.e_phnum < 1 || eh.e_phnum > ELF_MAX_PHNUM)
		return fail(why, "bad e_phnum");
	/* phnum is bounded, so the product cannot overflow; compare against what is left after
	 * e_phoff so a huge e_phoff cannot wrap the sum. */
	uint64_t ph_size = (uint64_t)eh.e_phnum * sizeof(struct elf64_phdr);
	if (eh.e_phoff > avail || ph_size > avail - eh.e_phoff)
		return fail(why, "truncated program headers");

	memset(&img, 0, sizeof(img));
	img.entry = eh.e_entry;
	img.phnum = eh.e_phnum;
	img.phentsize = eh.e_phentsize;
	img.pie = eh.e_type == ET_DYN;

	const uint8_t *ph_bytes = (const uint8_t *)hdr + eh.e_phoff;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, ph_bytes + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP)
			return fail(why, "dynamically linked (PT_INTERP)");
		if (ph.p_type == PT_PHDR) {
			img.phdr_vaddr = ph.p_vaddr;
			have_phdr = true;
			continue;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (img.nseg == ELF_MAX_SEGMENTS)
			return fail(why, "too many PT_LOAD segments");
		if (ph.p_memsz == 0)
			return fail(why, "empty PT_LOAD segment");
		if (ph.p_filesz > ph.p_memsz)
			return fail(why, "segment filesz > memsz");
		if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset)
			return fail(why, "segment beyond end of file");
		if (ph.p_vaddr % ELF_PAGE != ph.p_offset % ELF_PAGE)
			return fail(why, "segment vaddr and offset misaligned");
		/* Rounding the end up to a page must not wrap either: user_top is far below that.
		 */
		if (ph.p_memsz > user_top || ph.p_vaddr > user_top - ph.p_memsz)
			return fail(why, "segment above user space");
		if (!img.pie && ph.p_vaddr < ELF_PAGE)
			return fail(why, "segment maps page zero");

		/* Insertion sort by vaddr: at most ELF_MAX_SEGMENTS entries. */
		unsigned j = img.nseg++;
		while (j > 0 && img.seg[j - 1].vaddr > ph.p_vaddr) {
			img.seg[j] = img.seg[j - 1];
			j--;
		}
		img.seg[j] = (struct elf_segment){
		    .vaddr = ph.p_vaddr,
		    .memsz = ph.p_memsz,
		    .offset = ph.p_offset,
		    .filesz = ph.p_filesz,
		    .prot = prot_of(ph.p_flags),
		};
	}
	if (img.nseg == 0)
		return fail(why, "no PT_LOAD segment");

	bool entry_ok = false;
	for (unsigned i = 0; i < img.nseg; i++) {
		const struct elf_segment *s = &img.seg[i];

		/* Byte overlap only: sharing a page is how linkers pack RX and RW segments. */
		if (i > 0 && s->vaddr < img.seg[i - 1].vaddr + img.seg[i - 1].memsz)
			return fail(why, "overlapping segments");
		if ((s->prot & PROT_EXEC) && img.entry >= s->vaddr &&
		    img.entry - s->vaddr < s->memsz)
			entry_ok = true;
		if (!have_phdr && eh.e_phoff >= s->offset && eh.e_phoff - s->offset < s->filesz &&
		    ph_size <= s->filesz - (eh.e_phoff - s->offset)) {
			img.phdr_vaddr = s->vaddr + (eh.e_phoff - s->offset);
			have_phdr = true;
		}
	}
	if (!entry_ok)
		return fail(why, "entry point outside an executable segment");

	const struct elf_segment *last = &img.seg[img.nseg - 1];
	img.lo = img.seg[0].vaddr & ~(ELF_PAGE - 1);
	img.hi = (last->vaddr + last->memsz + ELF_PAGE - 1) & ~(ELF_PAGE - 1);
	if (img.hi < last->vaddr)
		return fail(why, "segment above user space");

	*out = img;
	if (why)
		*why = NULL;
	return 0;
}
