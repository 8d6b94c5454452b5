/* Unit tests for Starry's ELF header checks (guests/starry/proc/elf.c) on synthesised headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proc/elf.h"

#define ENOEXEC 8
#define USER_TOP 0x0000800000000000ULL
#define FILE_SIZE 0x100000ULL

/* Little-endian field writers: the buffer is a byte image of the file. */
static void w16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
}
static void w32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}
static void w64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static uint8_t img[4096];
static unsigned nph;
static const uint64_t phoff = 64;

/* A valid ET_EXEC header with no program headers yet; add_ph appends them. */
static void make_ehdr(uint16_t type, uint64_t entry)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 2; /* ELFCLASS64 */
	img[5] = 1; /* ELFDATA2LSB */
	img[6] = 1; /* EV_CURRENT */
	w16(img + 16, type);
	w16(img + 18, 183);
	w32(img + 20, 1);
	w64(img + 24, entry);
	w64(img + 32, phoff);
	w16(img + 52, 64);
	w16(img + 54, 56);
	w16(img + 56, 0);
	nph = 0;
}

static void add_ph(uint32_t type, uint32_t flags, uint64_t off, uint64_t vaddr, uint64_t filesz,
		   uint64_t memsz)
{
	uint8_t *p = img + phoff + nph * 56;

	w32(p, type);
	w32(p + 4, flags);
	w64(p + 8, off);
	w64(p + 16, vaddr);
	w64(p + 24, vaddr);
	w64(p + 32, filesz);
	w64(p + 40, memsz);
	w64(p + 48, 0x10000);
	w16(img + 56, (uint16_t)++nph);
}

/* The shape of a static glibc binary: RX text from offset 0 (headers included), RW data that
 * starts in the same page as the end of the text, and a PT_GNU_STACK. */
static void make_static_exec(void)
{
	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0, 0x400000, 0x1234, 0x1234);     /* R X */
	add_ph(1, 6, 0x1f00, 0x411f00, 0x300, 0x2000); /* RW, bss */
	add_ph(0x6474e551, 6, 0, 0, 0, 0);	       /* PT_GNU_STACK */
	add_ph(7, 4, 0x1f00, 0x411f00, 0x10, 0x40);    /* PT_TLS */
}

static int check(struct elf_image *out, const char **why)
{
	return elf_check(img, sizeof(img), FILE_SIZE, USER_TOP, out, why);
}

static void expect_fail(const char *substr)
{
	struct elf_image out;
	const char *why = NULL;

	assert_int_equal(check(&out, &why), -ENOEXEC);
	assert_non_null(why);
	if (!strstr(why, substr))
		fail_msg("why = \"%s\", expected \"%s\"", why, substr);
}

static void test_good_exec(void **state)
{
	struct elf_image out;
	const char *why = "unset";

	(void)state;
	make_static_exec();
	assert_int_equal(check(&out, &why), 0);
	assert_null(why);
	assert_false(out.pie);
	assert_int_equal(out.entry, 0x400100);
	assert_int_equal(out.phnum, 4);
	assert_int_equal(out.phentsize, 56);
	assert_int_equal(out.phdr_vaddr, 0x400040); /* text maps offset 0 at 0x400000 */
	assert_int_equal(out.nseg, 2);
	assert_int_equal(out.seg[0].vaddr, 0x400000);
	assert_int_equal(out.seg[0].prot, PROT_READ | PROT_EXEC);
	assert_int_equal(out.seg[1].vaddr, 0x411f00);
	assert_int_equal(out.seg[1].offset, 0x1f00);
	assert_int_equal(out.seg[1].filesz, 0x300);
	assert_int_equal(out.seg[1].memsz, 0x2000);
	assert_int_equal(out.seg[1].prot, PROT_READ | PROT_WRITE);
	assert_int_equal(out.lo, 0x400000);
	assert_int_equal(out.hi, 0x414000);
}

static void test_good_static_pie(void **state)
{
	struct elf_image out;

	(void)state;
	make_ehdr(3, 0x600);
	add_ph(6, 4, phoff, phoff, 3 * 56, 3 * 56); /* PT_PHDR */
	add_ph(1, 6, 0x10e50, 0x20e50, 0x100, 0x900);
	add_ph(1, 5, 0, 0, 0x10000, 0x10000); /* out of order on purpose: loader needs sorted */
	assert_int_equal(check(&out, NULL), 0);
	assert_true(out.pie);
	assert_int_equal(out.phdr_vaddr, phoff);
	assert_int_equal(out.nseg, 2);
	assert_int_equal(out.seg[0].vaddr, 0);
	assert_int_equal(out.seg[1].vaddr, 0x20e50);
	assert_int_equal(out.lo, 0);
	assert_int_equal(out.hi, 0x22000);
}

static void test_phdr_not_loaded(void **state)
{
	struct elf_image out;

	(void)state;
	make_ehdr(2, 0x401000);
	add_ph(1, 5, 0x1000, 0x401000, 0x1000, 0x1000); /* does not cover e_phoff */
	assert_int_equal(check(&out, NULL), 0);
	assert_int_equal(out.phdr_vaddr, 0);
}

static void test_truncated_header(void **state)
{
	struct elf_image out;
	const char *why;

	(void)state;
	make_static_exec();
	assert_int_equal(elf_check(img, 63, FILE_SIZE, USER_TOP, &out, &why), -ENOEXEC);
	assert_string_equal(why, "truncated ELF header");
	assert_int_equal(elf_check(img, sizeof(img), 40, USER_TOP, &out, &why), -ENOEXEC);
	assert_string_equal(why, "truncated ELF header");
}

static void test_truncated_phdrs(void **state)
{
	struct elf_image out;
	const char *why;

	(void)state;
	make_static_exec();
	/* Four headers end at 64 + 224 = 288. */
	assert_int_equal(elf_check(img, 287, FILE_SIZE, USER_TOP, &out, &why), -ENOEXEC);
	assert_string_equal(why, "truncated program headers");
	assert_int_equal(elf_check(img, sizeof(img), 287, USER_TOP, &out, &why), -ENOEXEC);
	assert_string_equal(why, "truncated program headers");
	assert_int_equal(elf_check(img, 288, FILE_SIZE, USER_TOP, &out, &why), 0);
	/* e_phoff near 2^64 must not wrap past the length check. */
	w64(img + 32, UINT64_MAX - 100);
	expect_fail("truncated program headers");
}

static void test_bad_ident(void **state)
{
	(void)state;
	make_static_exec();
	img[0] = 0x7e;
	expect_fail("magic");
	make_static_exec();
	img[4] = 1; /* ELFCLASS32 */
	expect_fail("ELFCLASS64");
	make_static_exec();
	img[5] = 2;
	expect_fail("little-endian");
	make_static_exec();
	img[6] = 0;
	expect_fail("version");
	make_static_exec();
	w16(img + 18, 62); /* x86-64 */
	expect_fail("not AArch64");
	make_static_exec();
	w16(img + 16, 1); /* ET_REL */
	expect_fail("not an executable");
	make_static_exec();
	w16(img + 54, 64);
	expect_fail("e_phentsize");
}

static void test_phnum_limits(void **state)
{
	(void)state;
	make_static_exec();
	w16(img + 56, 0);
	expect_fail("e_phnum");
	w16(img + 56, 65);
	expect_fail("e_phnum");
	w16(img + 56, 0xffff); /* PN_XNUM */
	expect_fail("e_phnum");
	/* 64 headers fit: 64 + 64 * 56 = 3648 bytes; all PT_NULL but one load. */
	make_static_exec();
	w16(img + 56, 64);
	struct elf_image out;
	assert_int_equal(check(&out, NULL), 0);
}

static void test_interp_refused(void **state)
{
	(void)state;
	make_static_exec();
	add_ph(3, 4, 0x200, 0x400200, 27, 27);
	expect_fail("PT_INTERP");
}

static void test_no_load(void **state)
{
	(void)state;
	make_ehdr(2, 0x400000);
	add_ph(0x6474e551, 6, 0, 0, 0, 0);
	expect_fail("no PT_LOAD");
}

static void test_too_many_loads(void **state)
{
	(void)state;
	make_ehdr(2, 0x400000);
	for (unsigned i = 0; i < ELF_MAX_SEGMENTS + 1; i++)
		add_ph(1, 5, i * 0x1000ULL, 0x400000 + i * 0x1000ULL, 0x1000, 0x1000);
	expect_fail("too many PT_LOAD");
}

static void test_overlap_refused(void **state)
{
	(void)state;
	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0, 0x400000, 0x2000, 0x2000);
	add_ph(1, 6, 0x1fff, 0x401fff, 0x10, 0x10); /* one byte into the text */
	expect_fail("overlapping segments");
	/* Reverse order in the file: still found after sorting. */
	make_ehdr(2, 0x400100);
	add_ph(1, 6, 0x1000, 0x401000, 0x10, 0x5000);
	add_ph(1, 5, 0, 0x400000, 0x1000, 0x3000);
	expect_fail("overlapping segments");
}

static void test_shared_page_accepted(void **state)
{
	struct elf_image out;

	(void)state;
	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0, 0x400000, 0x1800, 0x1800);    /* ends mid-page at 0x401800 */
	add_ph(1, 6, 0x1800, 0x401800, 0x100, 0x100); /* starts exactly there */
	add_ph(1, 4, 0x1900, 0x401900, 0x10, 0x10);   /* and a third in the same page */
	assert_int_equal(check(&out, NULL), 0);
	assert_int_equal(out.nseg, 3);
	assert_int_equal(out.seg[1].vaddr, 0x401800);
	assert_int_equal(out.seg[1].prot, PROT_READ | PROT_WRITE);
	assert_int_equal(out.seg[2].prot, PROT_READ);
	assert_int_equal(out.hi, 0x402000);
}

static void test_bad_segments(void **state)
{
	(void)state;
	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0, 0x400000, 0x2000, 0x1000);
	expect_fail("filesz > memsz");

	make_ehdr(2, 0x400100);
	add_ph(1, 5, FILE_SIZE, 0x400000 + (FILE_SIZE & 0xfff), 1, 0x1000);
	expect_fail("beyond end of file");
	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0x1000, 0x401000, UINT64_MAX - 0xfff, UINT64_MAX); /* offset+filesz wraps */
	expect_fail("beyond end of file");
	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0, 0x400000, 0, 0x1000);
	add_ph(1, 6, FILE_SIZE + 0x1000, 0x500000, 0, 0x1000); /* bss only: offset unused */
	struct elf_image out;
	assert_int_equal(check(&out, NULL), -ENOEXEC); /* offset itself past the end */

	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0x10, 0x400000, 0x100, 0x1000);
	expect_fail("misaligned");

	make_ehdr(2, 0x400100);
	add_ph(1, 5, 0, 0x400000, 0x100, 0);
	expect_fail("empty");

	make_ehdr(2, USER_TOP - 0x1000);
	add_ph(1, 5, 0, USER_TOP - 0x1000, 0x100, 0x2000);
	expect_fail("above user space");
	make_ehdr(2, UINT64_MAX - 0xfff);
	add_ph(1, 5, 0, UINT64_MAX - 0xfff, 0x100, 0x2000); /* vaddr + memsz wraps */
	expect_fail("above user space");
	/* Exactly up to user_top is fine. */
	make_ehdr(2, USER_TOP - 0x1000);
	add_ph(1, 5, 0, USER_TOP - 0x1000, 0x100, 0x1000);
	assert_int_equal(check(&out, NULL), 0);
	assert_int_equal(out.hi, USER_TOP);

	make_ehdr(2, 0x100);
	add_ph(1, 5, 0, 0, 0x1000, 0x1000);
	expect_fail("page zero");
}

static void test_entry_checks(void **state)
{
	(void)state;
	make_static_exec();
	w64(img + 24, 0x411f10); /* inside the RW segment */
	expect_fail("entry point");
	w64(img + 24, 0x400000 + 0x1234); /* one past the text */
	expect_fail("entry point");
	w64(img + 24, 0x300000);
	expect_fail("entry point");
	w64(img + 24, 0x400000 + 0x1233);
	struct elf_image out;
	assert_int_equal(check(&out, NULL), 0);
}

static void test_unaligned_buffer(void **state)
{
	static uint8_t shifted[sizeof(img) + 1];
	struct elf_image out;

	(void)state;
	make_static_exec();
	memcpy(shifted + 1, img, sizeof(img));
	assert_int_equal(elf_check(shifted + 1, sizeof(img), FILE_SIZE, USER_TOP, &out, NULL), 0);
	assert_int_equal(out.nseg, 2);
}

static void test_failure_leaves_out_alone(void **state)
{
	struct elf_image out;

	(void)state;
	memset(&out, 0xa5, sizeof(out));
	make_static_exec();
	add_ph(3, 4, 0x200, 0x400200, 27, 27);
	assert_int_equal(check(&out, NULL), -ENOEXEC);
	assert_int_equal(out.nseg, 0xa5a5a5a5u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_exec),
	    cmocka_unit_test(test_good_static_pie),
	    cmocka_unit_test(test_phdr_not_loaded),
	    cmocka_unit_test(test_truncated_header),
	    cmocka_unit_test(test_truncated_phdrs),
	    cmocka_unit_test(test_bad_ident),
	    cmocka_unit_test(test_phnum_limits),
	    cmocka_unit_test(test_interp_refused),
	    cmocka_unit_test(test_no_load),
	    cmocka_unit_test(test_too_many_loads),
	    cmocka_unit_test(test_overlap_refused),
	    cmocka_unit_test(test_shared_page_accepted),
	    cmocka_unit_test(test_bad_segments),
	    cmocka_unit_test(test_entry_checks),
	    cmocka_unit_test(test_unaligned_buffer),
	    cmocka_unit_test(test_failure_leaves_out_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
