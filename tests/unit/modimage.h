/* Builds a small valid module ELF image in memory, for tests that then break one rule at a time. */
#ifndef TESTS_UNIT_MODIMAGE_H
#define TESTS_UNIT_MODIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <modvisor/module.h>

#define MI_SIZE 0x1200
#define MI_PHDRS 0x40
#define MI_HASH 0x100
#define MI_DYNSYM 0x120
#define MI_DYNSTR 0x160
#define MI_RELA 0x180
#define MI_CODE 0x200
#define MI_TEXT_END 0x210
#define MI_DATA 0x1000
#define MI_DESC 0x1100
#define MI_DATA_FILESZ (MI_DESC - MI_DATA + sizeof(struct mv_module_desc))
#define MI_BSS 0x300

struct mi_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct mi_dyn {
	int64_t tag;
	uint64_t val;
};

struct mi_sym {
	uint32_t name;
	uint8_t info, other;
	uint16_t shndx;
	uint64_t value, size;
};

struct mi_rela {
	uint64_t offset, info;
	int64_t addend;
};

static inline void mi_put(uint8_t *img, size_t off, const void *src, size_t len)
{
	memcpy(img + off, src, len);
}

static inline struct mi_phdr *mi_phdr(uint8_t *img, unsigned i)
{
	return (struct mi_phdr *)(img + MI_PHDRS + i * sizeof(struct mi_phdr));
}

static inline struct mi_dyn *mi_dyn(uint8_t *img, unsigned i)
{
	return (struct mi_dyn *)(img + MI_DATA + i * sizeof(struct mi_dyn));
}

static inline struct mi_rela *mi_rela(uint8_t *img, unsigned i)
{
	return (struct mi_rela *)(img + MI_RELA + i * sizeof(struct mi_rela));
}

static inline struct mi_sym *mi_sym(uint8_t *img, unsigned i)
{
	return (struct mi_sym *)(img + MI_DYNSYM + i * sizeof(struct mi_sym));
}

/* A module named `name`: text at 0 (headers, tables, 16 bytes of code), data at 0x1000. */
static inline void mi_build(uint8_t img[MI_SIZE], const char *name, uint32_t version)
{
	static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	const uint16_t half[] = {3 /* ET_DYN */, 183 /* EM_AARCH64 */};
	const uint64_t phoff = MI_PHDRS;
	const uint16_t ph[] = {64, 56, 3, 64, 0, 0}; /* ehsize phentsize phnum shentsize ... */
	const struct mi_phdr phdrs[3] = {
	    {1, 5, 0, 0, 0, MI_TEXT_END, MI_TEXT_END, 0x1000},
	    {1, 6, MI_DATA, MI_DATA, MI_DATA, MI_DATA_FILESZ, MI_DATA_FILESZ + MI_BSS, 0x1000},
	    {2, 6, MI_DATA, MI_DATA, MI_DATA, 8 * sizeof(struct mi_dyn), 8 * sizeof(struct mi_dyn),
	     8},
	};
	const uint32_t hash[] = {1, 2, 1, 0, 0};
	const struct mi_sym syms[2] = {{0, 0, 0, 0, 0, 0},
				       {1, 0x11, 0, 9, MI_DESC, sizeof(struct mv_module_desc)}};
	const char strtab[16] = "\0mv_module_desc";
	const struct mi_rela relas[2] = {
	    {MI_DESC + offsetof(struct mv_module_desc, init), 1027, MI_CODE},
	    {MI_DESC + offsetof(struct mv_module_desc, exit), 1027, MI_CODE + 8},
	};
	const struct mi_dyn dyn[8] = {{4, MI_HASH}, {6, MI_DYNSYM},	{5, MI_DYNSTR}, {10, 16},
				      {7, MI_RELA}, {8, sizeof(relas)}, {9, 24},	{0, 0}};
	struct mv_module_desc desc;
	const uint32_t code[4] = {0xd65f03c0, 0xd503201f, 0xd65f03c0, 0xd503201f}; /* ret, nop */

	memset(img, 0, MI_SIZE);
	mi_put(img, 0, ident, sizeof(ident));
	mi_put(img, 16, half, sizeof(half));
	img[20] = 1; /* e_version */
	mi_put(img, 32, &phoff, sizeof(phoff));
	mi_put(img, 52, ph, sizeof(ph));
	mi_put(img, MI_PHDRS, phdrs, sizeof(phdrs));
	mi_put(img, MI_HASH, hash, sizeof(hash));
	mi_put(img, MI_DYNSYM, syms, sizeof(syms));
	mi_put(img, MI_DYNSTR, strtab, sizeof(strtab));
	mi_put(img, MI_RELA, relas, sizeof(relas));
	mi_put(img, MI_CODE, code, sizeof(code));
	mi_put(img, MI_DATA, dyn, sizeof(dyn));
	memset(&desc, 0, sizeof(desc));
	desc.magic = MV_MODULE_MAGIC;
	desc.abi_version = MV_MODULE_ABI_VERSION;
	strncpy(desc.name, name, sizeof(desc.name) - 1);
	desc.version = version;
	desc.kind = MV_MODULE_FS;
	mi_put(img, MI_DESC, &desc, sizeof(desc));
}

/*
 * The layout of issue 11 item 4: the data segment's file bytes come before the text's, and
 * the RELA table lies in the data segment. Headers at file 0, data at file 0x1000 (linked at
 * 0x2000), text at file 0x2000 (linked at 0, 0x1800 bytes, so that a file offset in the data
 * looks like an offset inside the text).
 */
#define MI_DF_DATA_OFF 0x1000
#define MI_DF_DATA 0x2000
#define MI_DF_TEXT_OFF 0x2000
#define MI_DF_TEXT_FILESZ 0x1800
#define MI_DF_SIZE (MI_DF_TEXT_OFF + MI_DF_TEXT_FILESZ)
#define MI_DF_RELA (MI_DF_DATA + 0x80) /* right after the 8 dynamic entries */
#define MI_DF_DESC (MI_DF_DATA + (MI_DESC - MI_DATA))

static inline void mi_build_data_first(uint8_t img[MI_DF_SIZE], const char *name, uint32_t version)
{
	uint8_t std[MI_SIZE];
	struct mi_phdr *ph;
	struct mi_rela relas[2];
	struct mi_sym *sym;
	struct mi_dyn *dyn;

	mi_build(std, name, version);
	memset(img, 0, MI_DF_SIZE);
	memcpy(img, std, MI_HASH);				     /* ELF and program headers */
	memcpy(img + MI_DF_TEXT_OFF, std, MI_TEXT_END);		     /* text: tables and code */
	memcpy(img + MI_DF_DATA_OFF, std + MI_DATA, MI_DATA_FILESZ); /* dynamic, descriptor */
	ph = mi_phdr(img, 0);
	ph->offset = MI_DF_TEXT_OFF;
	ph->filesz = ph->memsz = MI_DF_TEXT_FILESZ;
	ph = mi_phdr(img, 1);
	ph->offset = MI_DF_DATA_OFF;
	ph->vaddr = ph->paddr = MI_DF_DATA;
	ph = mi_phdr(img, 2);
	ph->offset = MI_DF_DATA_OFF;
	ph->vaddr = ph->paddr = MI_DF_DATA;
	/* The symbol table is read through the text segment's file offset. */
	sym = (struct mi_sym *)(img + MI_DF_TEXT_OFF + MI_DYNSYM + sizeof(struct mi_sym));
	sym->value = MI_DF_DESC;
	memcpy(relas, std + MI_RELA, sizeof(relas));
	relas[0].offset += MI_DF_DATA - MI_DATA;
	relas[1].offset += MI_DF_DATA - MI_DATA;
	memcpy(img + MI_DF_DATA_OFF + (MI_DF_RELA - MI_DF_DATA), relas, sizeof(relas));
	memset(img + MI_DF_TEXT_OFF + MI_RELA, 0, sizeof(relas)); /* no stale copy in the text */
	dyn = (struct mi_dyn *)(img + MI_DF_DATA_OFF);
	dyn[4].val = MI_DF_RELA; /* DT_RELA */
}

#endif /* TESTS_UNIT_MODIMAGE_H */
