/* Unit tests for the module ELF rules and relocation (modcache/modelf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modelf.h"
#include "modimage.h"
#include <modvisor/status.h>

static uint8_t img[MI_SIZE];

static int setup(void **state)
{
	(void)state;
	mi_build(img, "fatfs", 0x10002);
	return 0;
}

/* Checks that the image is refused and that the reason mentions `needle`. */
static void expect_refused(const uint8_t *image, size_t size, const char *needle)
{
	struct modelf m;
	const char *reason = NULL;

	assert_int_equal(modelf_check(image, size, &m, &reason), MV_ERR_INVALID);
	assert_non_null(reason);
	if (!strstr(reason, needle))
		fail_msg("reason '%s' does not mention '%s'", reason, needle);
}

static void test_valid_image(void **state)
{
	struct modelf m;
	const char *reason;

	(void)state;
	assert_int_equal(modelf_check(img, sizeof(img), &m, &reason), MV_OK);
	assert_int_equal(m.text_offset, 0);
	assert_int_equal(m.text_filesz, MI_TEXT_END);
	assert_int_equal(m.data_vaddr, MI_DATA);
	assert_int_equal(m.data_filesz, MI_DATA_FILESZ);
	assert_int_equal(m.data_memsz, MI_DATA_FILESZ + MI_BSS);
	assert_int_equal(m.rela_count, 2);
	assert_int_equal(m.desc_vaddr, MI_DESC);
	assert_int_equal(modelf_text_pages(&m), 1);
	assert_int_equal(modelf_data_pages(&m), 1);
	assert_int_equal(m.span, 0x2000);
}

static void test_header_rules(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	memcpy(bad, img, sizeof(bad));
	bad[1] = 'X';
	expect_refused(bad, sizeof(bad), "not an ELF");
	memcpy(bad, img, sizeof(bad));
	bad[4] = 1; /* ELFCLASS32 */
	expect_refused(bad, sizeof(bad), "ELF64");
	memcpy(bad, img, sizeof(bad));
	bad[16] = 2; /* ET_EXEC */
	expect_refused(bad, sizeof(bad), "ET_DYN");
	memcpy(bad, img, sizeof(bad));
	bad[18] = 62; /* x86-64 */
	expect_refused(bad, sizeof(bad), "AArch64");
	expect_refused(img, 40, "truncated");
}

static void test_segment_rules(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 0)->flags = 7; /* RWX text */
	expect_refused(bad, sizeof(bad), "read+exec");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->flags = 7; /* executable data */
	expect_refused(bad, sizeof(bad), "not executable");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->vaddr = MI_DATA + 8;
	mi_phdr(bad, 1)->offset = MI_DATA + 8;
	expect_refused(bad, sizeof(bad), "page-aligned");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->type = 1; /* a third PT_LOAD */
	expect_refused(bad, sizeof(bad), "more than two");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->type = 0x6474e551; /* only one PT_LOAD left */
	expect_refused(bad, sizeof(bad), "exactly two");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->filesz = 0x10000;
	mi_phdr(bad, 1)->memsz = 0x10000;
	expect_refused(bad, sizeof(bad), "outside the file");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->memsz = 8ULL << 20;
	expect_refused(bad, sizeof(bad), "slot");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->vaddr = 0;
	mi_phdr(bad, 1)->offset = 0;
	expect_refused(bad, sizeof(bad), "overlap");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->type = 3; /* PT_INTERP */
	expect_refused(bad, sizeof(bad), "PT_INTERP");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->type = 4; /* PT_NOTE: no PT_DYNAMIC left */
	expect_refused(bad, sizeof(bad), "PT_DYNAMIC");
}

static void test_dynamic_rules(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 3)->tag = 1; /* DT_NEEDED */
	expect_refused(bad, sizeof(bad), "DT_NEEDED");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 3)->tag = 22; /* DT_TEXTREL */
	expect_refused(bad, sizeof(bad), "DT_TEXTREL");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 3)->tag = 30; /* DT_FLAGS with DF_TEXTREL */
	mi_dyn(bad, 3)->val = 4;
	expect_refused(bad, sizeof(bad), "DF_TEXTREL");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 3)->tag = 23; /* DT_JMPREL */
	expect_refused(bad, sizeof(bad), "PLT");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 0)->tag = 0x6ffffef5; /* no DT_HASH (GNU hash instead) */
	expect_refused(bad, sizeof(bad), "DT_HASH");
}

static void test_relocation_rules(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 1)->info = 257; /* R_AARCH64_ABS64 */
	expect_refused(bad, sizeof(bad), "R_AARCH64_RELATIVE");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 1)->info = 1027 | (1ULL << 32); /* RELATIVE against a symbol */
	expect_refused(bad, sizeof(bad), "R_AARCH64_RELATIVE");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = MI_CODE; /* patching text */
	expect_refused(bad, sizeof(bad), "writable segment");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = MI_DATA + MI_DATA_FILESZ + MI_BSS; /* past the segment */
	expect_refused(bad, sizeof(bad), "writable segment");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->addend = 0x100000;
	expect_refused(bad, sizeof(bad), "addend");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 6)->val = 16; /* DT_RELAENT */
	expect_refused(bad, sizeof(bad), "RELA entry size");
}

static void test_symbol_rules(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	memcpy(bad, img, sizeof(bad));
	mi_sym(bad, 1)->shndx = 0;
	expect_refused(bad, sizeof(bad), "undefined symbol");
	memcpy(bad, img, sizeof(bad));
	bad[MI_DYNSTR + 1] = 'x'; /* "xv_module_desc" */
	expect_refused(bad, sizeof(bad), "no exported");
	memcpy(bad, img, sizeof(bad));
	mi_sym(bad, 1)->value = MI_CODE;
	expect_refused(bad, sizeof(bad), "descriptor");
	memcpy(bad, img, sizeof(bad));
	mi_sym(bad, 1)->size = 8;
	expect_refused(bad, sizeof(bad), "descriptor");
}

static void test_relocate(void **state)
{
	struct modelf m;
	const char *reason;
	uint8_t data[4096];
	struct mv_module_desc desc;
	const uint64_t base = 0x100400000ULL;

	(void)state;
	assert_int_equal(modelf_check(img, sizeof(img), &m, &reason), MV_OK);
	memset(data, 0, sizeof(data));
	assert_int_equal(modelf_relocate(img, NULL, &m, data, base), MV_OK);
	memcpy(&desc, data + (MI_DESC - MI_DATA), sizeof(desc));
	assert_int_equal((uint64_t)(uintptr_t)desc.init, base + MI_CODE);
	assert_int_equal((uint64_t)(uintptr_t)desc.exit, base + MI_CODE + 8);
	assert_int_equal(desc.magic, MV_MODULE_MAGIC);
	assert_string_equal(desc.name, "fatfs");
	/* bss and the rest of the page stay zero: only initialised data is written */
	for (size_t i = MI_DATA_FILESZ; i < sizeof(data); i++)
		assert_int_equal(data[i], 0);
	/* the image itself is untouched: relocation happens in the private copy only */
	memcpy(&desc, img + MI_DESC, sizeof(desc));
	assert_null(desc.init);
}

/* Reading the RELA table from an aligned text copy or from an unaligned image agrees. */
static void test_relocate_paths_agree(void **state)
{
	static uint64_t text_words[MI_SIZE / 8 + 1];
	static uint8_t unaligned[MI_SIZE + 1];
	uint8_t a[4096] = {0}, b[4096] = {0}, c[4096] = {0};
	struct modelf m;
	const char *reason;

	(void)state;
	assert_int_equal(modelf_check(img, sizeof(img), &m, &reason), MV_OK);
	memcpy(text_words, img, MI_TEXT_END); /* an 8-byte aligned text segment */
	memcpy(unaligned + 1, img, sizeof(img));
	assert_int_equal(modelf_relocate(img, NULL, &m, a, 0x4000), MV_OK);
	assert_int_equal(modelf_relocate(img, text_words, &m, b, 0x4000), MV_OK);
	assert_int_equal(modelf_relocate(unaligned + 1, unaligned + 1, &m, c, 0x4000), MV_OK);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(a, c, sizeof(a));
	/* The hypervisor's one-pass variant builds the same segment. */
	memset(b, 0, sizeof(b));
	memset(c, 0, sizeof(c));
	assert_int_equal(modelf_relocate_fresh(img, text_words, &m, b, 0x4000), MV_OK);
	assert_int_equal(modelf_relocate_fresh(unaligned + 1, unaligned + 1, &m, c, 0x4000), MV_OK);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(a, c, sizeof(a));
	uint64_t init;

	memcpy(&init, a + (MI_DESC - MI_DATA) + offsetof(struct mv_module_desc, init), 8);
	assert_int_equal(init, 0x4000 + MI_CODE);
}

/*
 * Issue 11 item 4: the data segment's file bytes before the text's and the RELA table in the
 * data segment. The table must be read from the data (its link address says so), never from
 * "text + (file offset - text offset)", which lay before the text copy; nothing outside the
 * data buffer may be written. The text copy is preceded and the data buffer surrounded by
 * guard bytes, so a read or write through a confused offset shows.
 */
static void test_data_before_text(void **state)
{
	enum { GUARD = 0x4000 };
	const uint64_t base = 0x100400000ULL;
	uint8_t *image = malloc(MI_DF_SIZE);
	uint8_t *text_area, *data_area, *text, *data;
	struct mv_module_desc desc;
	struct modelf m;
	const char *reason;
	size_t text_len, data_len;

	(void)state;
	assert_non_null(image);
	mi_build_data_first(image, "fatfs", 0x10002);
	assert_int_equal(modelf_check(image, MI_DF_SIZE, &m, &reason), MV_OK);
	assert_int_equal(m.text_offset, MI_DF_TEXT_OFF);
	assert_int_equal(m.data_offset, MI_DF_DATA_OFF);
	assert_int_equal(m.rela_vaddr, MI_DF_RELA);
	assert_int_equal(m.rela_offset, MI_DF_DATA_OFF + (MI_DF_RELA - MI_DF_DATA));
	assert_int_equal(m.rela_count, 2);
	assert_int_equal(m.desc_vaddr, MI_DF_DESC);
	text_len = (size_t)(modelf_text_pages(&m) * MODELF_PAGE);
	data_len = (size_t)(modelf_data_pages(&m) * MODELF_PAGE);
	text_area = aligned_alloc(MODELF_PAGE, GUARD + text_len);
	data_area = aligned_alloc(MODELF_PAGE, GUARD + data_len + GUARD);
	assert_non_null(text_area);
	assert_non_null(data_area);
	text = text_area + GUARD;
	data = data_area + GUARD;
	memset(text_area, 0, GUARD + text_len); /* zero "relocations" before the text */
	memcpy(text, image + MI_DF_TEXT_OFF, MI_DF_TEXT_FILESZ);
	memset(data_area, 0xa5, GUARD + data_len + GUARD);
	memset(data, 0, data_len);

	assert_int_equal(modelf_relocate(image, text, &m, data, base), MV_OK);
	for (size_t i = 0; i < GUARD; i++) {
		if (data_area[i] != 0xa5 || data[data_len + i] != 0xa5)
			fail_msg("relocation wrote outside the data segment (guard byte %zu)", i);
	}
	memcpy(&desc, data + (MI_DF_DESC - MI_DF_DATA), sizeof(desc));
	assert_int_equal((uint64_t)(uintptr_t)desc.init, base + MI_CODE);
	assert_int_equal((uint64_t)(uintptr_t)desc.exit, base + MI_CODE + 8);
	assert_string_equal(desc.name, "fatfs");
	assert_int_equal(modelf_check_entry_points(&m, &desc, base, &reason), MV_OK);
	/* every other byte is the image's initialised data, then zeros */
	for (size_t i = 0; i < data_len; i++) {
		uint64_t va = MI_DF_DATA + i;
		uint8_t want = i < m.data_filesz ? image[MI_DF_DATA_OFF + i] : 0;

		if (va >= MI_DF_DESC + offsetof(struct mv_module_desc, init) &&
		    va < MI_DF_DESC + offsetof(struct mv_module_desc, exit) + 8)
			continue;
		if (data[i] != want)
			fail_msg("data byte %#zx is %#x, want %#x", i, data[i], want);
	}
	free(text_area);
	free(data_area);
	free(image);
}

/* Refused with a reason mentioning `needle`, with no read outside the (heap-exact) image. */
static void expect_refused_heap(const uint8_t *image, size_t size, const char *needle)
{
	uint8_t *copy = malloc(size);

	assert_non_null(copy);
	memcpy(copy, image, size);
	expect_refused(copy, size, needle);
	free(copy);
}

static void test_hostile_segments(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	/* the data segment shares file bytes with the text */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->offset = 0;
	expect_refused_heap(bad, sizeof(bad), "overlap in the file");
	/* a segment past the end of the file, and one whose end wraps around */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->offset = MI_SIZE + 0x1000 - (MI_SIZE % 0x1000);
	expect_refused_heap(bad, sizeof(bad), "outside the file");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->offset = UINT64_MAX & ~0xfffULL;
	expect_refused_heap(bad, sizeof(bad), "outside the file");
	/* more file bytes than memory */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->memsz = MI_DATA_FILESZ - 8;
	expect_refused_heap(bad, sizeof(bad), "filesz > memsz");
	/* a text size that wraps when rounded to a page */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 0)->memsz = UINT64_MAX;
	expect_refused_heap(bad, sizeof(bad), "slot");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 0)->memsz = UINT64_MAX - 0xffe;
	expect_refused_heap(bad, sizeof(bad), "slot");
	/* a data segment whose end wraps */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 1)->vaddr = UINT64_MAX & ~0xfffULL;
	expect_refused_heap(bad, sizeof(bad), "slot");
	/* program headers: too many, or a table that wraps */
	memcpy(bad, img, sizeof(bad));
	bad[56] = 0xff;
	bad[57] = 0xff; /* e_phnum */
	expect_refused_heap(bad, sizeof(bad), "program header");
	memcpy(bad, img, sizeof(bad));
	memset(bad + 32, 0xff, 8); /* e_phoff */
	expect_refused_heap(bad, sizeof(bad), "program headers outside");
}

static void test_hostile_dynamic(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	/* the dynamic section outside the image, or longer than the data segment */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->vaddr = MI_DATA + 0x10000;
	mi_phdr(bad, 2)->offset = MI_DATA + 0x10000;
	expect_refused_heap(bad, sizeof(bad), "dynamic section outside");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->filesz = UINT64_MAX - 0x10;
	expect_refused_heap(bad, sizeof(bad), "dynamic section outside");
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->vaddr = 0; /* in the text */
	mi_phdr(bad, 2)->offset = 0;
	expect_refused_heap(bad, sizeof(bad), "dynamic section outside");
	/* p_offset and p_vaddr name two different tables */
	memcpy(bad, img, sizeof(bad));
	mi_phdr(bad, 2)->offset = MI_HASH;
	expect_refused_heap(bad, sizeof(bad), "file offset does not match");
	/* symbol and string tables of absurd size */
	memcpy(bad, img, sizeof(bad));
	memset(bad + MI_HASH + 4, 0xff, 4); /* nchain */
	expect_refused_heap(bad, sizeof(bad), "outside the image");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 3)->val = UINT64_MAX; /* DT_STRSZ */
	expect_refused_heap(bad, sizeof(bad), "outside the image");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 0)->val = UINT64_MAX - 3; /* DT_HASH that wraps */
	expect_refused_heap(bad, sizeof(bad), "DT_HASH outside");
}

static void test_hostile_relocations(void **state)
{
	uint8_t bad[MI_SIZE];

	(void)state;
	/* a RELA table whose size wraps, one that wraps by address, one that straddles the end
	 * of the text */
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 5)->val = UINT64_MAX / 24 * 24; /* DT_RELASZ */
	expect_refused_heap(bad, sizeof(bad), "RELA table");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 4)->val = UINT64_MAX - 16; /* DT_RELA */
	expect_refused_heap(bad, sizeof(bad), "RELA table");
	memcpy(bad, img, sizeof(bad));
	mi_dyn(bad, 4)->val = MI_TEXT_END - 24;
	expect_refused_heap(bad, sizeof(bad), "RELA table");
	/* targets before, across the end of, and wrapping around the writable segment */
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = MI_DATA - 8;
	expect_refused_heap(bad, sizeof(bad), "writable segment");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = MI_DATA + MI_DATA_FILESZ + MI_BSS - 4;
	expect_refused_heap(bad, sizeof(bad), "writable segment");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = UINT64_MAX - 7;
	expect_refused_heap(bad, sizeof(bad), "writable segment");
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = MI_DATA - 0x9000; /* what the module wrote to */
	expect_refused_heap(bad, sizeof(bad), "writable segment");
	/* an unaligned target inside the segment */
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->offset = MI_DESC + 4;
	expect_refused_heap(bad, sizeof(bad), "aligned word");
	/* a negative addend */
	memcpy(bad, img, sizeof(bad));
	mi_rela(bad, 0)->addend = -8;
	expect_refused_heap(bad, sizeof(bad), "addend");
	/* an unaligned descriptor */
	memcpy(bad, img, sizeof(bad));
	mi_sym(bad, 1)->value = MI_DESC - 4;
	expect_refused_heap(bad, sizeof(bad), "aligned");
}

/* The same hostile relocations in the data-first layout (the table in the data segment). */
static void test_hostile_data_first(void **state)
{
	uint8_t bad[MI_DF_SIZE];
	struct mi_rela *rela = (struct mi_rela *)(bad + MI_DF_DATA_OFF + (MI_DF_RELA - MI_DF_DATA));

	(void)state;
	mi_build_data_first(bad, "fatfs", 1);
	rela[1].offset = MI_DF_DATA - 0x9000;
	expect_refused_heap(bad, sizeof(bad), "writable segment");
	mi_build_data_first(bad, "fatfs", 1);
	rela[1].offset = MI_DF_DATA + 0x1000; /* past the data pages */
	expect_refused_heap(bad, sizeof(bad), "writable segment");
	mi_build_data_first(bad, "fatfs", 1);
	((struct mi_dyn *)(bad + MI_DF_DATA_OFF))[5].val = 48 + 24 * 0x100; /* past the data */
	expect_refused_heap(bad, sizeof(bad), "RELA table");
}

/* Relocation checks every entry again and writes nothing if one is out of bounds. */
static void test_relocate_rechecks(void **state)
{
	uint8_t copy[MI_SIZE], data[4096], zero[4096];
	struct modelf m;
	const char *reason;

	(void)state;
	memcpy(copy, img, sizeof(copy));
	assert_int_equal(modelf_check(copy, sizeof(copy), &m, &reason), MV_OK);
	mi_rela(copy, 1)->offset = MI_DATA + 4096; /* changed after the check */
	memset(data, 0, sizeof(data));
	memset(zero, 0, sizeof(zero));
	assert_int_equal(modelf_relocate(copy, NULL, &m, data, 0x4000), MV_ERR_INVALID);
	assert_memory_equal(data, zero, sizeof(data));
	/* The one-pass variant refuses it too, and writes nothing past the segment's page. */
	uint8_t guarded[3 * 4096];

	memset(guarded, 0x5a, sizeof(guarded));
	memset(guarded + 4096, 0, 4096);
	assert_int_equal(modelf_relocate_fresh(copy, NULL, &m, guarded + 4096, 0x4000),
			 MV_ERR_INVALID);
	for (size_t i = 0; i < 4096; i++) {
		assert_int_equal(guarded[i], 0x5a);
		assert_int_equal(guarded[2 * 4096 + i], 0x5a);
	}
}

static void test_check_module(void **state)
{
	uint8_t bad[MI_SIZE];
	struct mv_module_desc desc;
	struct modelf m;
	const char *reason;

	(void)state;
	assert_int_equal(modelf_check_module(img, sizeof(img), "fatfs", &m, &desc, &reason), MV_OK);
	assert_int_equal(desc.version, 0x10002);
	assert_int_equal(modelf_check_module(img, sizeof(img), "signal", &m, &desc, &reason),
			 MV_ERR_INVALID);
	assert_non_null(strstr(reason, "another module"));
	memcpy(bad, img, sizeof(bad));
	bad[MI_DESC] ^= 1;
	assert_int_equal(modelf_check_module(bad, sizeof(bad), "fatfs", &m, &desc, &reason),
			 MV_ERR_INVALID);
	assert_non_null(strstr(reason, "magic"));
	memcpy(bad, img, sizeof(bad));
	memset(bad + MI_DESC + offsetof(struct mv_module_desc, name), 'a', 16); /* no NUL */
	assert_int_equal(
	    modelf_check_module(bad, sizeof(bad), "aaaaaaaaaaaaaaaa", &m, &desc, &reason),
	    MV_ERR_INVALID);
}

/* The descriptor's kind and needs (ABI 2), as the hypervisor and the checkers read them. */
static void expect_desc_refused(void (*edit)(struct mv_module_desc *d), const char *needle)
{
	uint8_t bad[MI_SIZE];
	struct mv_module_desc desc;
	struct modelf m;
	const char *reason = NULL;

	memcpy(bad, img, sizeof(bad));
	memcpy(&desc, bad + MI_DESC, sizeof(desc));
	edit(&desc);
	memcpy(bad + MI_DESC, &desc, sizeof(desc));
	assert_int_equal(modelf_check_module(bad, sizeof(bad), "fatfs", &m, &desc, &reason),
			 MV_ERR_INVALID);
	if (!strstr(reason, needle))
		fail_msg("reason '%s' does not mention '%s'", reason, needle);
}

static void kind_zero(struct mv_module_desc *d)
{
	d->kind = 0;
}
static void kind_big(struct mv_module_desc *d)
{
	d->kind = 3;
}
static void need_gap(struct mv_module_desc *d)
{
	strcpy(d->needs[1], "signal");
}
static void need_self(struct mv_module_desc *d)
{
	strcpy(d->needs[0], "fatfs");
}
static void need_twice(struct mv_module_desc *d)
{
	strcpy(d->needs[0], "signal");
	strcpy(d->needs[1], "signal");
}
static void need_bad_name(struct mv_module_desc *d)
{
	strcpy(d->needs[0], "Signal");
}
static void need_unterminated(struct mv_module_desc *d)
{
	memset(d->needs[0], 'a', MV_MODULE_NAME_MAX);
}
static void old_abi(struct mv_module_desc *d)
{
	d->abi_version = 1;
}

static void test_descriptor_fields(void **state)
{
	uint8_t ok[MI_SIZE];
	struct mv_module_desc desc;
	struct modelf m;
	const char *reason;

	(void)state;
	memcpy(ok, img, sizeof(ok));
	memcpy(&desc, ok + MI_DESC, sizeof(desc));
	strcpy(desc.needs[0], "signal");
	strcpy(desc.needs[1], "block-io");
	memcpy(ok + MI_DESC, &desc, sizeof(desc));
	assert_int_equal(modelf_check_module(ok, sizeof(ok), "fatfs", &m, &desc, &reason), MV_OK);
	assert_int_equal(desc.kind, MV_MODULE_FS);
	assert_string_equal(desc.needs[0], "signal");
	assert_string_equal(desc.needs[1], "block-io");
	assert_string_equal(desc.needs[2], "");
	expect_desc_refused(kind_zero, "unknown kind");
	expect_desc_refused(kind_big, "unknown kind");
	expect_desc_refused(need_gap, "after an empty entry");
	expect_desc_refused(need_self, "needs itself");
	expect_desc_refused(need_twice, "named twice");
	expect_desc_refused(need_bad_name, "not a module name");
	expect_desc_refused(need_unterminated, "not a module name");
	expect_desc_refused(old_abi, "ABI version");
}

static void test_entry_points(void **state)
{
	struct mv_module_desc desc;
	struct modelf m;
	const char *reason;
	const uint64_t top = UINT64_MAX & ~0x3fffffULL; /* a slot at the very top */

	(void)state;
	assert_int_equal(modelf_check(img, sizeof(img), &m, &reason), MV_OK);
	memset(&desc, 0, sizeof(desc));
	desc.init = (void *)(uintptr_t)(0x4000 + MI_CODE);
	assert_int_equal(modelf_check_entry_points(&m, &desc, 0x4000, &reason), MV_OK);
	desc.init = (void *)(uintptr_t)(0x4000 + MI_TEXT_END); /* just past the text */
	assert_int_equal(modelf_check_entry_points(&m, &desc, 0x4000, &reason), MV_ERR_INVALID);
	desc.init = (void *)(uintptr_t)(0x4000 - 4); /* before it */
	assert_int_equal(modelf_check_entry_points(&m, &desc, 0x4000, &reason), MV_ERR_INVALID);
	desc.init = (void *)(uintptr_t)(0x4000 + MI_CODE);
	desc.exit = (void *)(uintptr_t)(0x4000 + MI_DATA); /* into the data */
	assert_int_equal(modelf_check_entry_points(&m, &desc, 0x4000, &reason), MV_ERR_INVALID);
	desc.init = (void *)(uintptr_t)(top + MI_CODE);
	desc.exit = NULL;
	assert_int_equal(modelf_check_entry_points(&m, &desc, top, &reason), MV_OK);
	desc.init = (void *)(uintptr_t)4; /* wrapped past the top */
	assert_int_equal(modelf_check_entry_points(&m, &desc, top, &reason), MV_ERR_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_valid_image, setup),
	    cmocka_unit_test_setup(test_header_rules, setup),
	    cmocka_unit_test_setup(test_segment_rules, setup),
	    cmocka_unit_test_setup(test_dynamic_rules, setup),
	    cmocka_unit_test_setup(test_relocation_rules, setup),
	    cmocka_unit_test_setup(test_symbol_rules, setup),
	    cmocka_unit_test_setup(test_relocate, setup),
	    cmocka_unit_test_setup(test_relocate_paths_agree, setup),
	    cmocka_unit_test_setup(test_data_before_text, setup),
	    cmocka_unit_test_setup(test_hostile_segments, setup),
	    cmocka_unit_test_setup(test_hostile_dynamic, setup),
	    cmocka_unit_test_setup(test_hostile_relocations, setup),
	    cmocka_unit_test_setup(test_hostile_data_first, setup),
	    cmocka_unit_test_setup(test_relocate_rechecks, setup),
	    cmocka_unit_test_setup(test_check_module, setup),
	    cmocka_unit_test_setup(test_descriptor_fields, setup),
	    cmocka_unit_test_setup(test_entry_points, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
