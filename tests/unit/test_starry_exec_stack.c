/* Unit tests for Starry's execve stack layout (guests/starry/proc/exec_stack.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "proc/exec_stack.h"

#define E2BIG 7
#define EINVAL 22
#define STACK_TOP 0x0000fffffffff000ULL
#define BUF_LEN 8192

static uint8_t *buf;
static size_t buf_len;

static const uint8_t rnd[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

/* Translates a user address into the mirror buffer, failing the test if it falls outside. */
static void *at(uint64_t uaddr)
{
	uint64_t low = STACK_TOP - buf_len;

	if (uaddr < low || uaddr >= STACK_TOP)
		fail_msg("user address %#llx outside the stack", (unsigned long long)uaddr);
	return buf + (uaddr - low);
}

static uint64_t word(uint64_t uaddr)
{
	uint64_t v;

	memcpy(&v, at(uaddr), 8);
	return v;
}

static const char *str(uint64_t uaddr)
{
	const char *s = at(uaddr);

	/* The whole string, NUL included, must sit inside the buffer. */
	assert_true(memchr(s, 0, STACK_TOP - uaddr) != NULL);
	return s;
}

static int setup(void **state)
{
	(void)state;
	buf_len = BUF_LEN;
	buf = malloc(buf_len);
	memset(buf, 0xcc, buf_len);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(buf);
	return 0;
}

/* Looks up an auxv entry; returns 1 and *val when found. Also checks AT_NULL terminates. */
static int auxv_get(uint64_t auxp, uint64_t type, uint64_t *val)
{
	int found = 0;

	for (;; auxp += 16) {
		uint64_t t = word(auxp);

		if (t == AT_NULL) {
			assert_int_equal(word(auxp + 8), 0);
			return found;
		}
		if (t == type && !found) {
			*val = word(auxp + 8);
			found = 1;
		}
	}
}

static void test_full_layout(void **state)
{
	static const char *const argv[] = {"/bin/busybox", "sh", "-c", "echo hi"};
	static const char *const envp[] = {"PATH=/bin:/sbin", "HOME=/", "TERM=vt100"};
	const uint64_t auxv[] = {AT_PAGESZ, 4096, AT_PHDR,  0x400040,
				 AT_PHNUM,  9,	  AT_ENTRY, 0x400100};
	struct exec_stack_args a = {
	    .argv = argv,
	    .argc = 4,
	    .envp = envp,
	    .envc = 3,
	    .auxv = auxv,
	    .nauxv = 4,
	    .random16 = rnd,
	    .execfn = "/bin/sh",
	    .platform = "aarch64",
	};
	uint64_t sp = 0, v = 0;

	(void)state;
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), 0);
	assert_int_equal(sp % 16, 0);
	assert_true(sp < STACK_TOP && sp >= STACK_TOP - buf_len);

	assert_int_equal(word(sp), 4);
	uint64_t p = sp + 8;
	for (unsigned i = 0; i < 4; i++, p += 8)
		assert_string_equal(str(word(p)), argv[i]);
	assert_int_equal(word(p), 0);
	p += 8;
	for (unsigned i = 0; i < 3; i++, p += 8)
		assert_string_equal(str(word(p)), envp[i]);
	assert_int_equal(word(p), 0);
	p += 8;

	/* The caller's auxv comes first, in order, then the builder's entries, then AT_NULL. */
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(word(p + 8 * i), auxv[i]);
	assert_int_equal(auxv_get(p, AT_RANDOM, &v), 1);
	assert_memory_equal(at(v), rnd, 16);
	assert_true(v + 16 <= STACK_TOP);
	assert_int_equal(auxv_get(p, AT_EXECFN, &v), 1);
	assert_string_equal(str(v), "/bin/sh");
	assert_int_equal(auxv_get(p, AT_PLATFORM, &v), 1);
	assert_string_equal(str(v), "aarch64");
	assert_int_equal(auxv_get(p, AT_PAGESZ, &v), 1);
	assert_int_equal(v, 4096);
	assert_int_equal(word(p + 16 * 7), AT_NULL);

	/* Linux keeps argv and env strings in one ascending block (ps reads it as cmdline). */
	uint64_t first = word(sp + 8), last_env = word(sp + 8 * 9);
	assert_int_equal(first + strlen("/bin/busybox") + 1, word(sp + 16));
	assert_int_equal(word(sp + 8 * 4) + strlen("echo hi") + 1, word(sp + 8 * 6)); /* env[0] */
	assert_true(last_env + strlen("TERM=vt100") + 1 <= STACK_TOP);
	/* The table ends below the random bytes: no structure overlaps another. */
	uint64_t rnd_at;
	auxv_get(p, AT_RANDOM, &rnd_at);
	assert_true(p + 16 * 8 <= rnd_at);
	assert_true(rnd_at + 16 <= first);
	/* Padding between the table and the random bytes is zeroed. */
	for (uint64_t u = p + 16 * 8; u < rnd_at; u++)
		assert_int_equal(*(uint8_t *)at(u), 0);
	/* Bytes below sp were not written. */
	assert_int_equal(*(uint8_t *)at(sp - 1), 0xcc);
}

static void test_minimal(void **state)
{
	struct exec_stack_args a = {.random16 = rnd};
	uint64_t sp = 0, v = 0;

	(void)state;
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), 0);
	assert_int_equal(sp % 16, 0);
	assert_int_equal(word(sp), 0);	    /* argc */
	assert_int_equal(word(sp + 8), 0);  /* argv NULL */
	assert_int_equal(word(sp + 16), 0); /* envp NULL */
	assert_int_equal(word(sp + 24), AT_RANDOM);
	assert_memory_equal(at(word(sp + 32)), rnd, 16);
	assert_int_equal(auxv_get(sp + 24, AT_EXECFN, &v), 0);
	assert_int_equal(auxv_get(sp + 24, AT_PLATFORM, &v), 0);
	assert_int_equal(word(sp + 40), AT_NULL);
	assert_true(sp + 56 <= STACK_TOP);
}

static void test_env_only(void **state)
{
	static const char *const envp[] = {"A=1"};
	struct exec_stack_args a = {.envp = envp, .envc = 1, .random16 = rnd};
	uint64_t sp = 0;

	(void)state;
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), 0);
	assert_int_equal(word(sp), 0);
	assert_int_equal(word(sp + 8), 0);
	assert_string_equal(str(word(sp + 16)), "A=1");
	assert_int_equal(word(sp + 24), 0);
}

/* sp alignment holds whatever the string lengths are. */
static void test_alignment_all_lengths(void **state)
{
	char s[40];
	const char *argv[1] = {s};
	struct exec_stack_args a = {
	    .argv = argv, .argc = 1, .random16 = rnd, .platform = "aarch64"};

	(void)state;
	for (unsigned n = 0; n < sizeof(s); n++) {
		uint64_t sp = 0;

		memset(s, 'x', n);
		s[n] = 0;
		assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), 0);
		assert_int_equal(sp % 16, 0);
		assert_string_equal(str(word(sp + 8)), s);
	}
}

static void test_too_big(void **state)
{
	static const char *const argv[] = {"prog", "arg"};
	struct exec_stack_args a = {
	    .argv = argv, .argc = 2, .random16 = rnd, .execfn = "prog", .platform = "aarch64"};
	uint64_t sp = 0;
	size_t need = 0;

	(void)state;
	/* Find the smallest size that works; every smaller one must say E2BIG, not overrun (ASan
	 * watches the exact-size heap buffers). */
	for (size_t len = 0; len <= 512; len++) {
		uint8_t *b = malloc(len ? len : 1);
		int rc = exec_build_stack(b, len, STACK_TOP, &a, &sp);

		free(b);
		if (rc == 0) {
			need = len;
			break;
		}
		assert_int_equal(rc, -E2BIG);
	}
	assert_true(need > 0);
	/* strings 5+4+5+8 + random 16 = 38, table (1+3+1+2*3)*8 = 88, rounded to 16 */
	assert_true(need >= 38 + 88);

	/* A single string longer than the buffer. */
	char *huge = malloc(buf_len + 10);
	memset(huge, 'y', buf_len + 9);
	huge[buf_len + 9] = 0;
	const char *hv[] = {huge};
	struct exec_stack_args h = {.argv = hv, .argc = 1, .random16 = rnd};
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &h, &sp), -E2BIG);
	h.argc = 0;
	h.execfn = huge;
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &h, &sp), -E2BIG);
	free(huge);

	/* Many small args overflow the pointer table rather than the strings. */
	static const char *many[2000];
	for (unsigned i = 0; i < 2000; i++)
		many[i] = "";
	struct exec_stack_args m = {.argv = many, .argc = 2000, .random16 = rnd};
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &m, &sp), -E2BIG);
}

static void test_invalid(void **state)
{
	struct exec_stack_args a = {.argc = 1};
	uint64_t sp;

	(void)state;
	a.random16 = NULL;
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), -EINVAL);
	a.random16 = rnd; /* argc 1 but no argv */
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), -EINVAL);
	const char *argv[] = {NULL};
	a.argv = argv;
	assert_int_equal(exec_build_stack(buf, buf_len, STACK_TOP, &a, &sp), -EINVAL);
	a.argc = 0;
	assert_int_equal(exec_build_stack(buf, buf_len, 100, &a, &sp), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_full_layout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_minimal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_env_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_alignment_all_lengths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_big, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
