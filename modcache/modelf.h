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
	uint64_t rela_vaddr;  /* link address of the RELA table, inside one segment's file bytes */
	uint64_t rela_offset; /* its file offset, found from rela_vaddr and that segment */
	uint64_t rela_count;
	uint64_t desc_vaddr; /* the exported module descriptor, inside the data segment */
	uint64_t span;	     /* bytes from 0 to the end of the data segment, page-rounded */
};

struct mv_module_desc;

/*
 * Checks every rule (docs/modules.md): ELF64 little-endian AArch64 ET_DYN; exactly two PT_LOAD
 * segments, read+exec at 0 then read+write, page-aligned, in file bounds, apart in memory and
 * in the file; a dynamic section inside the writable segment with no DT_NEEDED, no DT_TEXTREL,
 * no PLT relocations; a RELA table inside one segment's file bytes; only R_AARCH64_RELATIVE
 * relocations, each an aligned 8-byte word inside the writable segment; no undefined symbols;
 * the descriptor symbol defined, aligned, in the initialised data. Every offset, size and
 * address is checked against the file and the segment it must lie in, overflow-safely, before
 * anything is read through it. Returns MV_OK and fills *out, or MV_ERR_INVALID with *reason
 * naming the rule that is broken.
 */
int modelf_check(const void *image, size_t size, struct modelf *out, const char **reason);

/*
 * modelf_check, then the descriptor (read from the image) must carry the module magic, the ABI
 * version and the name `name`. The one check shared by tools/modcheck and the hypervisor's
 * cache, so the build refuses exactly what a load would. Fills *m and *desc (unrelocated).
 */
int modelf_check_module(const void *image, size_t size, const char *name, struct modelf *m,
			struct mv_module_desc *desc, const char **reason);

/*
 * Builds a module's private data segment for load address `base`: copies the initialised data
 * and applies every RELATIVE relocation. `data` holds modelf_data_pages(m) pages, already
 * zeroed (that is the bss), and starts at link address m->data_vaddr. `text` is a
 * page-aligned copy of the text segment (or NULL), where the RELA table is read from if it
 * lies there. `m` must come from modelf_check on this image; every relocation target is
 * checked again anyway, so nothing outside `data` is ever written: MV_ERR_INVALID if one is
 * out of bounds (nothing is written then).
 */
int modelf_relocate(const void *image, const void *text, const struct modelf *m, void *data,
		    uint64_t base);

/*
 * modelf_relocate in one pass, for a segment the caller drops if it fails (the hypervisor's
 * fresh data frames): each relocation is checked just before it is written, so nothing outside
 * `data` is ever written either, but on MV_ERR_INVALID `data` is partly written.
 */
int modelf_relocate_fresh(const void *image, const void *text, const struct modelf *m, void *data,
			  uint64_t base);

/*
 * The relocated descriptor at `desc` (in a data segment relocated for `base`): its init (and
 * exit, if set) must point into the module's text. MV_OK or MV_ERR_INVALID with *reason.
 */
int modelf_check_entry_points(const struct modelf *m, const struct mv_module_desc *desc,
			      uint64_t base, const char **reason);

uint64_t modelf_text_pages(const struct modelf *m);
uint64_t modelf_data_pages(const struct modelf *m);

#endif /* MODCACHE_MODELF_H */
