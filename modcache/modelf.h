/* Module ELF images: the rules a module must follow, checked at build time and again at load. */
#ifndef MODCACHE_MODELF_H
#define MODCACHE_MODELF_H

#include <stddef.h>
#include <stdint.h>

/* A module's whole image (both segments) must fit one slot of a VM's module window. */
#define MODELF_MAX_SPAN (4ULL << 20)
#define MODELF_PAGE 4096ULL

/* Where things are in a checked image; addresses are link-time (the image is linked at 0). */
struct modelf {
	uint64_t text_offset; /* file offset of the read+exec segment */
	uint64_t text_filesz;
	uint64_t text_memsz;
	uint64_t data_vaddr; /* the read+write segment, page-aligned */
	uint64_t data_offset;
	uint64_t data_filesz;
	uint64_t data_memsz;
	uint64_t rela_offset; /* file offset of the RELA table */
	uint64_t rela_count;
	uint64_t desc_vaddr; /* the exported module descriptor, inside the data segment */
	uint64_t span;	     /* bytes from 0 to the end of the data segment, page-rounded */
};

/*
 * Checks every rule (docs/modules.md): ELF64 little-endian AArch64 ET_DYN; exactly two PT_LOAD
 * segments, read+exec at 0 then read+write, page-aligned, in file bounds; a dynamic section
 * with no DT_NEEDED, no DT_TEXTREL, no PLT relocations; only R_AARCH64_RELATIVE relocations,
 * all inside the writable segment; no undefined symbols; the descriptor symbol defined in the
 * writable segment. Returns MV_OK and fills *out, or MV_ERR_INVALID with *reason naming the
 * rule that is broken.
 */
int modelf_check(const void *image, size_t size, struct modelf *out, const char **reason);

/*
 * Builds a module's private data segment for load address `base`: copies the initialised data
 * and applies every RELATIVE relocation. `data` holds modelf_data_pages(m) pages, already
 * zeroed (that is the bss), and starts at link address m->data_vaddr. `text` is a
 * page-aligned copy of the text segment (or NULL), where the RELA table is read from if it
 * lies there.
 */
void modelf_relocate(const void *image, const void *text, const struct modelf *m, void *data,
		     uint64_t base);

uint64_t modelf_text_pages(const struct modelf *m);
uint64_t modelf_data_pages(const struct modelf *m);

#endif /* MODCACHE_MODELF_H */
