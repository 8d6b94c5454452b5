/* Unit tests for the module ELF rules and relocation (modcache/modelf.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
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
	modelf_relocate(img, NULL, &m, data, base);
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
	modelf_relocate(img, NULL, &m, a, 0x4000);
	modelf_relocate(img, text_words, &m, b, 0x4000);
	modelf_relocate(unaligned + 1, unaligned + 1, &m, c, 0x4000);
	assert_memory_equal(a, b, sizeof(a));
	assert_memory_equal(a, c, sizeof(a));
	uint64_t init;

	memcpy(&init, a + (MI_DESC - MI_DATA) + offsetof(struct mv_module_desc, init), 8);
	assert_int_equal(init, 0x4000 + MI_CODE);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
