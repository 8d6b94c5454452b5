/* ELF64 parsing for modules with every bound checked: the hypervisor trusts no image. */
#include "modelf.h"
#include <modvisor/module.h>
#include <modvisor/status.h>
#include <stdbool.h>
#include <string.h>

/* The few ELF definitions needed, so that this builds freestanding as well as on the host. */
#define EI_NIDENT 16
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_DYN 3
#define EM_AARCH64 183
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_TLS 7
#define PF_X 1
#define PF_W 2
#define PF_R 4
#define DT_NULL 0
#define DT_NEEDED 1
#define DT_PLTRELSZ 2
#define DT_HASH 4
#define DT_STRTAB 5
#define DT_SYMTAB 6
#define DT_RELA 7
#define DT_RELASZ 8
#define DT_RELAENT 9
#define DT_STRSZ 10
#define DT_REL 17
#define DT_TEXTREL 22
#define DT_JMPREL 23
#define DT_FLAGS 30
#define DF_TEXTREL 0x4
#define SHN_UNDEF 0
#define R_AARCH64_RELATIVE 1027

struct elf64_ehdr {
	uint8_t e_ident[EI_NIDENT];
	uint16_t e_type, e_machine;
	uint32_t e_version;
	uint64_t e_entry, e_phoff, e_shoff;
	uint32_t e_flags;
	uint16_t e_ehsize, e_phentsize, e_phnum, e_shentsize, e_shnum, e_shstrndx;
};

struct elf64_phdr {
	uint32_t p_type, p_flags;
	uint64_t p_offset, p_vaddr, p_paddr, p_filesz, p_memsz, p_align;
};

struct elf64_dyn {
	int64_t d_tag;
	uint64_t d_val;
};

struct elf64_sym {
	uint32_t st_name;
	uint8_t st_info, st_other;
	uint16_t st_shndx;
	uint64_t st_value, st_size;
};

struct elf64_rela {
	uint64_t r_offset, r_info;
	int64_t r_addend;
};

#define MAX_PHDRS 16
#define MAX_DYN 128

/* [off, off+len) lies inside [0, limit): no sum is formed, so nothing can wrap. */
static bool within(uint64_t off, uint64_t len, uint64_t limit)
{
	return off <= limit && len <= limit - off;
}

struct reader {
	const uint8_t *base;
	size_t size;
};

/* Copies [off, off+len) of the image out, if it lies inside; alignment is never assumed. */
static bool get(const struct reader *r, uint64_t off, void *dst, uint64_t len)
{
	if (!within(off, len, r->size))
		return false;
	memcpy(dst, r->base + off, (size_t)len);
	return true;
}

static int bad(const char **reason, const char *why)
{
	*reason = why;
	return MV_ERR_INVALID;
}

/* Rounds up to a page, or fails if that would wrap. */
static bool page_round(uint64_t v, uint64_t *out)
{
	if (v > UINT64_MAX - (MODELF_PAGE - 1))
		return false;
	*out = (v + MODELF_PAGE - 1) / MODELF_PAGE * MODELF_PAGE;
	return true;
}

/*
 * The file offset of [vaddr, vaddr+len) when it lies entirely inside one segment's
 * file-backed part; false otherwise. Addresses are only ever turned into offsets here, so an
 * address never stands for an offset or the other way round.
 */
static bool vaddr_to_offset(const struct modelf *m, uint64_t vaddr, uint64_t len, uint64_t *off)
{
	if (within(vaddr, len, m->text_filesz)) {
		*off = m->text_offset + vaddr;
		return true;
	}
	if (vaddr >= m->data_vaddr && within(vaddr - m->data_vaddr, len, m->data_filesz)) {
		*off = m->data_offset + (vaddr - m->data_vaddr);
		return true;
	}
	return false;
}

static int check_header(const struct reader *r, struct elf64_ehdr *eh, const char **reason)
{
	if (!get(r, 0, eh, sizeof(*eh)))
		return bad(reason, "truncated ELF header");
	if (memcmp(eh->e_ident, "\177ELF", 4) != 0)
		return bad(reason, "not an ELF file");
	if (eh->e_ident[4] != ELFCLASS64 || eh->e_ident[5] != ELFDATA2LSB)
		return bad(reason, "not ELF64 little-endian");
	if (eh->e_type != ET_DYN)
		return bad(reason,
			   "not ET_DYN (a module must be a position-independent shared object)");
	if (eh->e_machine != EM_AARCH64)
		return bad(reason, "not built for AArch64");
	if (eh->e_phentsize != sizeof(struct elf64_phdr) || eh->e_phnum == 0 ||
	    eh->e_phnum > MAX_PHDRS)
		return bad(reason, "bad program header table");
	return MV_OK;
}

/* One PT_LOAD on its own: inside the file, page-aligned, no more file bytes than memory. */
static int check_load(const struct reader *r, const struct elf64_phdr *p, const char **reason)
{
	if (p->p_filesz > p->p_memsz)
		return bad(reason,
			   "PT_LOAD segment with more file bytes than memory (filesz > memsz)");
	if (!within(p->p_offset, p->p_filesz, r->size))
		return bad(reason, "PT_LOAD segment outside the file");
	if ((p->p_vaddr | p->p_offset) % MODELF_PAGE)
		return bad(reason, "PT_LOAD segment not page-aligned");
	/* Bounded before anything is rounded or added, so no later sum can wrap. */
	if (p->p_memsz > MODELF_MAX_SPAN || p->p_vaddr > MODELF_MAX_SPAN - p->p_memsz)
		return bad(reason, "image larger than a module slot (4 MiB)");
	return MV_OK;
}

/* The two PT_LOADs together: text first in memory, and neither shares file bytes. */
static int check_layout(struct modelf *m, const char **reason)
{
	uint64_t text_end;

	if (!page_round(m->text_memsz, &text_end) || m->data_vaddr < text_end)
		return bad(reason, "PT_LOAD segments overlap");
	/* Both ranges are inside the file, so these sums cannot wrap. */
	if (m->text_filesz && m->data_filesz && m->text_offset < m->data_offset + m->data_filesz &&
	    m->data_offset < m->text_offset + m->text_filesz)
		return bad(reason, "PT_LOAD segments overlap in the file");
	if (!page_round(m->data_vaddr + m->data_memsz, &m->span) || m->span > MODELF_MAX_SPAN)
		return bad(reason, "image larger than a module slot (4 MiB)");
	return MV_OK;
}

/* The dynamic section lies in the writable segment's file bytes, and its file offset is the
 * one that address has there: a reader of p_offset and a reader of p_vaddr see one table. */
static int check_dynamic_segment(const struct modelf *m, const struct elf64_phdr *dyn,
				 const char **reason)
{
	if (dyn->p_vaddr < m->data_vaddr ||
	    !within(dyn->p_vaddr - m->data_vaddr, dyn->p_filesz, m->data_filesz))
		return bad(reason, "dynamic section outside the writable segment");
	if (dyn->p_offset != m->data_offset + (dyn->p_vaddr - m->data_vaddr))
		return bad(reason, "dynamic section's file offset does not match its address");
	return MV_OK;
}

static int check_segments(const struct reader *r, const struct elf64_ehdr *eh, struct modelf *m,
			  struct elf64_phdr *dyn, const char **reason)
{
	struct elf64_phdr ph[MAX_PHDRS];
	unsigned loads = 0, dyns = 0;
	int ret;

	if (!get(r, eh->e_phoff, ph, (uint64_t)eh->e_phnum * sizeof(ph[0])))
		return bad(reason, "program headers outside the file");
	for (unsigned i = 0; i < eh->e_phnum; i++) {
		const struct elf64_phdr *p = &ph[i];

		if (p->p_type == PT_INTERP || p->p_type == PT_TLS)
			return bad(reason, "PT_INTERP or PT_TLS segment");
		if (p->p_type == PT_DYNAMIC) {
			if (++dyns > 1)
				return bad(reason, "more than one PT_DYNAMIC segment");
			*dyn = *p;
		}
		if (p->p_type != PT_LOAD)
			continue;
		if (++loads > 2)
			return bad(reason, "more than two PT_LOAD segments");
		ret = check_load(r, p, reason);
		if (ret != MV_OK)
			return ret;
		if (loads == 1) {
			if (p->p_flags != (PF_R | PF_X) || p->p_vaddr != 0)
				return bad(reason, "first PT_LOAD must be read+exec at address 0");
			m->text_offset = p->p_offset;
			m->text_filesz = p->p_filesz;
			m->text_memsz = p->p_memsz;
		} else {
			if (p->p_flags != (PF_R | PF_W))
				return bad(reason,
					   "second PT_LOAD must be read+write, not executable");
			m->data_vaddr = p->p_vaddr;
			m->data_offset = p->p_offset;
			m->data_filesz = p->p_filesz;
			m->data_memsz = p->p_memsz;
		}
	}
	if (loads != 2)
		return bad(reason, "needs exactly two PT_LOAD segments (text, data)");
	ret = check_layout(m, reason);
	if (ret != MV_OK)
		return ret;
	if (!dyns)
		return bad(reason, "no PT_DYNAMIC segment");
	return check_dynamic_segment(m, dyn, reason);
}

struct dyninfo {
	uint64_t rela, relasz, relaent, symtab, strtab, strsz, hash;
	bool have_rela, have_symtab, have_strtab, have_hash;
};

static int read_dynamic(const struct reader *r, const struct modelf *m,
			const struct elf64_phdr *dyn, struct dyninfo *d, const char **reason)
{
	uint64_t count = dyn->p_filesz / sizeof(struct elf64_dyn);
	uint64_t off = m->data_offset + (dyn->p_vaddr - m->data_vaddr);

	memset(d, 0, sizeof(*d));
	if (count > MAX_DYN)
		return bad(reason, "dynamic section too large");
	for (uint64_t i = 0; i < count; i++) {
		struct elf64_dyn e;

		if (!get(r, off + i * sizeof(e), &e, sizeof(e)))
			return bad(reason, "dynamic section outside the file");
		switch (e.d_tag) {
		case DT_NULL:
			return MV_OK;
		case DT_NEEDED:
			return bad(reason, "DT_NEEDED: modules may not depend on libraries");
		case DT_TEXTREL:
			return bad(reason, "DT_TEXTREL: relocations would patch shared code");
		case DT_FLAGS:
			if (e.d_val & DF_TEXTREL)
				return bad(reason,
					   "DF_TEXTREL: relocations would patch shared code");
			break;
		case DT_REL:
		case DT_JMPREL:
			return bad(reason, "REL or PLT relocations: only RELA RELATIVE is allowed");
		case DT_PLTRELSZ:
			if (e.d_val)
				return bad(reason,
					   "PLT relocations: only RELA RELATIVE is allowed");
			break;
		case DT_RELA:
			d->rela = e.d_val;
			d->have_rela = true;
			break;
		case DT_RELASZ:
			d->relasz = e.d_val;
			break;
		case DT_RELAENT:
			d->relaent = e.d_val;
			break;
		case DT_SYMTAB:
			d->symtab = e.d_val;
			d->have_symtab = true;
			break;
		case DT_STRTAB:
			d->strtab = e.d_val;
			d->have_strtab = true;
			break;
		case DT_STRSZ:
			d->strsz = e.d_val;
			break;
		case DT_HASH:
			d->hash = e.d_val;
			d->have_hash = true;
			break;
		default:
			break;
		}
	}
	return MV_OK;
}

/* What relocation checks a target against: scalars, so that a loop writing words of data
 * need not reload them from a description its writes could alias. */
struct reloc_bounds {
	uint64_t data_vaddr;
	uint64_t data_memsz;
	uint64_t span;
};

static struct reloc_bounds reloc_bounds_of(const struct modelf *m)
{
	struct reloc_bounds b = {m->data_vaddr, m->data_memsz, m->span};

	return b;
}

static const char *bad_relocation_in(struct reloc_bounds b, const struct elf64_rela *rel)
{
	if ((uint32_t)rel->r_info != R_AARCH64_RELATIVE || (rel->r_info >> 32) != 0)
		return "relocation other than R_AARCH64_RELATIVE";
	/* An aligned 8-byte word of the writable segment. */
	if (rel->r_offset < b.data_vaddr || rel->r_offset % 8 != 0 ||
	    !within(rel->r_offset - b.data_vaddr, 8, b.data_memsz))
		return "relocation target not an aligned word inside the writable segment";
	if (rel->r_addend < 0 || (uint64_t)rel->r_addend > b.span)
		return "relocation addend outside the image";
	return NULL;
}

/* The checks every relocation gets, at check time and again just before it is applied. */
static const char *bad_relocation(const struct modelf *m, const struct elf64_rela *rel)
{
	return bad_relocation_in(reloc_bounds_of(m), rel);
}

static int check_relocations(const struct reader *r, struct modelf *m, const struct dyninfo *d,
			     const char **reason)
{
	uint64_t off;

	m->rela_count = 0;
	if (!d->have_rela || d->relasz == 0)
		return MV_OK;
	if (d->relaent != sizeof(struct elf64_rela) || d->relasz % sizeof(struct elf64_rela))
		return bad(reason, "bad RELA entry size");
	if (!vaddr_to_offset(m, d->rela, d->relasz, &off))
		return bad(reason, "RELA table not inside one segment's file bytes");
	m->rela_vaddr = d->rela;
	m->rela_offset = off;
	m->rela_count = d->relasz / sizeof(struct elf64_rela);
	for (uint64_t i = 0; i < m->rela_count; i++) {
		struct elf64_rela rel;
		const char *why;

		if (!get(r, off + i * sizeof(rel), &rel, sizeof(rel)))
			return bad(reason, "RELA table outside the file");
		why = bad_relocation(m, &rel);
		if (why)
			return bad(reason, why);
	}
	return MV_OK;
}

/* Walks the dynamic symbols (count from DT_HASH): none undefined, the descriptor defined. */
static int check_symbols(const struct reader *r, struct modelf *m, const struct dyninfo *d,
			 const char **reason)
{
	uint32_t hash_hdr[2];
	uint64_t hash_off, sym_off, str_off;
	bool found = false;

	if (!d->have_symtab || !d->have_strtab || !d->have_hash)
		return bad(reason, "no dynamic symbol table with DT_HASH");
	if (!vaddr_to_offset(m, d->hash, sizeof(hash_hdr), &hash_off) ||
	    !get(r, hash_off, hash_hdr, sizeof(hash_hdr)))
		return bad(reason, "DT_HASH outside the image");
	if (!vaddr_to_offset(m, d->symtab, (uint64_t)hash_hdr[1] * sizeof(struct elf64_sym),
			     &sym_off) ||
	    !vaddr_to_offset(m, d->strtab, d->strsz, &str_off))
		return bad(reason, "symbol or string table outside the image");
	for (uint32_t i = 1; i < hash_hdr[1]; i++) {
		struct elf64_sym s;
		char name[sizeof(MV_MODULE_DESC_SYMBOL)];

		if (!get(r, sym_off + i * sizeof(s), &s, sizeof(s)))
			return bad(reason, "symbol table outside the file");
		if (s.st_shndx == SHN_UNDEF)
			return bad(reason,
				   "undefined symbol: modules may call nothing but the guest's "
				   "services table");
		if (s.st_name >= d->strsz || d->strsz - s.st_name < sizeof(name) ||
		    !get(r, str_off + s.st_name, name, sizeof(name)) ||
		    memcmp(name, MV_MODULE_DESC_SYMBOL, sizeof(name)) != 0)
			continue;
		if (s.st_value < m->data_vaddr || s.st_size < sizeof(struct mv_module_desc) ||
		    !within(s.st_value - m->data_vaddr, sizeof(struct mv_module_desc),
			    m->data_filesz))
			return bad(reason, "module descriptor not inside the initialised data");
		if (s.st_value % 8)
			return bad(reason, "module descriptor not 8-byte aligned");
		m->desc_vaddr = s.st_value;
		found = true;
	}
	if (!found)
		return bad(reason, "no exported " MV_MODULE_DESC_SYMBOL " symbol");
	return MV_OK;
}

int modelf_check(const void *image, size_t size, struct modelf *out, const char **reason)
{
	struct reader r = {image, size};
	struct elf64_ehdr eh;
	struct elf64_phdr dyn = {0};
	struct dyninfo d;
	int ret;

	memset(out, 0, sizeof(*out));
	*reason = "ok";
	ret = check_header(&r, &eh, reason);
	if (ret == MV_OK)
		ret = check_segments(&r, &eh, out, &dyn, reason);
	if (ret == MV_OK)
		ret = read_dynamic(&r, out, &dyn, &d, reason);
	if (ret == MV_OK)
		ret = check_relocations(&r, out, &d, reason);
	if (ret == MV_OK)
		ret = check_symbols(&r, out, &d, reason);
	return ret;
}

uint64_t modelf_text_pages(const struct modelf *m)
{
	return (m->text_memsz + MODELF_PAGE - 1) / MODELF_PAGE;
}

uint64_t modelf_data_pages(const struct modelf *m)
{
	return (m->data_memsz + MODELF_PAGE - 1) / MODELF_PAGE;
}

static bool name_ok(const char *s, size_t max)
{
	size_t n = 0;

	for (; n < max && s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_' ||
		      s[n] == '-'))
			return false;
	return n > 0 && n < max;
}

/* The modules it needs: valid names, packed at the front, distinct, not itself. */
static int check_needs(const struct mv_module_desc *desc, const char **reason)
{
	bool ended = false;

	for (unsigned i = 0; i < MV_MODULE_NEEDS_MAX; i++) {
		const char *need = desc->needs[i];

		if (need[0] == '\0') {
			ended = true;
			continue;
		}
		if (ended)
			return bad(reason, "descriptor's needs: a name after an empty entry");
		if (!name_ok(need, MV_MODULE_NAME_MAX))
			return bad(reason, "descriptor's needs: not a module name");
		if (strcmp(need, desc->name) == 0)
			return bad(reason, "descriptor's needs: the module needs itself");
		for (unsigned j = 0; j < i; j++)
			if (strcmp(desc->needs[j], need) == 0)
				return bad(reason, "descriptor's needs: a module named twice");
	}
	return MV_OK;
}

int modelf_check_module(const void *image, size_t size, const char *name, struct modelf *m,
			struct mv_module_desc *desc, const char **reason)
{
	int ret = modelf_check(image, size, m, reason);

	if (ret != MV_OK)
		return ret;
	/* modelf_check put the whole descriptor inside the data segment's file bytes. */
	memcpy(desc, (const uint8_t *)image + m->data_offset + (m->desc_vaddr - m->data_vaddr),
	       sizeof(*desc));
	if (desc->magic != MV_MODULE_MAGIC || desc->abi_version != MV_MODULE_ABI_VERSION)
		return bad(reason, "descriptor has the wrong magic or ABI version");
	if (memchr(desc->name, 0, sizeof(desc->name)) == NULL || strcmp(desc->name, name) != 0)
		return bad(reason, "descriptor names another module");
	if (desc->kind != MV_MODULE_FS && desc->kind != MV_MODULE_SIGNAL)
		return bad(reason, "descriptor has an unknown kind");
	return check_needs(desc, reason);
}

/* Entry i of a RELA table; the image itself is only 4-byte aligned, a text copy is 8. */
static void rela_at(const uint8_t *table, bool aligned, uint64_t i, struct elf64_rela *rel)
{
	if (aligned)
		*rel = ((const struct elf64_rela *)(const void *)table)[i];
	else
		memcpy(rel, table + i * sizeof(*rel), sizeof(*rel));
}

/* The RELA table as relocation reads it. The table usually sits in the text segment: read it
 * from the page-aligned copy there, where entries are naturally aligned. The copy is indexed by
 * link address, so the test is on the table's link address, never on its file offset. */
static const uint8_t *rela_table(const void *image, const void *text, const struct modelf *m)
{
	if (text && m->rela_count &&
	    within(m->rela_vaddr, m->rela_count * sizeof(struct elf64_rela), m->text_filesz))
		return (const uint8_t *)text + m->rela_vaddr;
	return (const uint8_t *)image + m->rela_offset;
}

int modelf_relocate(const void *image, const void *text, const struct modelf *m, void *data,
		    uint64_t base)
{
	const uint8_t *rela = rela_table(image, text, m);
	uint8_t *out = data;
	bool aligned = ((uintptr_t)rela & 7) == 0;

	/* Checked again before any write, so that no stale or forged description of the image
	 * can make this write outside `data`. */
	for (uint64_t i = 0; i < m->rela_count; i++) {
		struct elf64_rela rel;

		rela_at(rela, aligned, i, &rel);
		if (bad_relocation(m, &rel))
			return MV_ERR_INVALID;
	}
	memcpy(out, (const uint8_t *)image + m->data_offset, (size_t)m->data_filesz);
	for (uint64_t i = 0; i < m->rela_count; i++) {
		struct elf64_rela rel;

		rela_at(rela, aligned, i, &rel);
		/* An aligned word inside `data` (bad_relocation() held; `data` is page-aligned). */
		*(uint64_t *)(void *)(out + (rel.r_offset - m->data_vaddr)) =
		    base + (uint64_t)rel.r_addend;
	}
	return MV_OK;
}

int modelf_relocate_fresh(const void *image, const void *text, const struct modelf *m, void *data,
			  uint64_t base)
{
	const uint8_t *rela = rela_table(image, text, m);
	const struct reloc_bounds b = reloc_bounds_of(m);
	const uint64_t count = m->rela_count;
	uint8_t *out = data;
	bool aligned = ((uintptr_t)rela & 7) == 0;

	memcpy(out, (const uint8_t *)image + m->data_offset, (size_t)m->data_filesz);
	for (uint64_t i = 0; i < count; i++) {
		struct elf64_rela copy;
		const struct elf64_rela *rel = &copy;

		/* Read in place where aligned (the text copy): no round trip through the stack. */
		if (aligned)
			rel = (const struct elf64_rela *)(const void *)rela + i;
		else
			rela_at(rela, false, i, &copy);
		if (bad_relocation_in(b, rel))
			return MV_ERR_INVALID;
		*(uint64_t *)(void *)(out + (rel->r_offset - b.data_vaddr)) =
		    base + (uint64_t)rel->r_addend;
	}
	return MV_OK;
}

int modelf_check_entry_points(const struct modelf *m, const struct mv_module_desc *desc,
			      uint64_t base, const char **reason)
{
	uint64_t init = (uint64_t)(uintptr_t)desc->init, exit = (uint64_t)(uintptr_t)desc->exit;

	/* Offsets from base, so a base near the top of the address space cannot wrap. */
	if (init - base >= m->text_filesz || (exit && exit - base >= m->text_filesz))
		return bad(reason, "descriptor entry points outside its text");
	return MV_OK;
}
