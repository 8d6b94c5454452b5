/* Layout of the initial user stack that execve hands to a new program (Linux ABI, pure C). */
#include <stdbool.h>
#include <string.h>

#include "exec_stack.h"

#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef EINVAL
#define EINVAL 22
#endif

/* Grows the used area at the top of the buffer by len bytes; *pos is bytes used from the top.
 * Returns the buffer offset of the new bytes, or -1 when they do not fit. */
static long reserve(size_t buf_len, size_t *pos, size_t len)
{
	if (len > buf_len - *pos)
		return -1;
	*pos += len;
	return (long)(buf_len - *pos);
}

static int put_bytes(uint8_t *b, size_t buf_len, size_t *pos, const void *src, size_t len)
{
	long off = reserve(buf_len, pos, len);

	if (off < 0)
		return -E2BIG;
	memcpy(b + off, src, len);
	return 0;
}

/* The string's length plus its NUL, or 0 if it cannot fit in buf_len at all (never overflows). */
static size_t str_size(const char *s, size_t buf_len)
{
	/* Open-coded strnlen: the host's strict C11 headers do not declare it. */
	for (size_t n = 0; n < buf_len; n++)
		if (s[n] == 0)
			return n + 1;
	return 0;
}

/* argv and envp as one sequence, in the order their strings sit in memory. */
static const char *nth_string(const struct exec_stack_args *a, uint64_t i)
{
	return i < a->argc ? a->argv[i] : a->envp[i - a->argc];
}

/* memcpy: buf and sp need only be 8-aligned in user space, not in the kernel buffer. */
static void put_word(uint8_t *b, size_t off, uint64_t v)
{
	memcpy(b + off, &v, sizeof(v));
}

int exec_build_stack(void *buf, size_t buf_len, uint64_t stack_top, const struct exec_stack_args *a,
		     uint64_t *sp_out)
{
	uint8_t *b = buf;
	size_t pos = 0;
	uint64_t execfn_at = 0, platform_at = 0, random_at;
	bool has_execfn = a && a->execfn, has_platform = a && a->platform;

	if (!a || !a->random16 || buf_len > stack_top || (a->argc && !a->argv) ||
	    (a->envc && !a->envp) || (a->nauxv && !a->auxv))
		return -EINVAL;

	if (a->execfn) {
		size_t n = str_size(a->execfn, buf_len);

		if (n == 0 || put_bytes(b, buf_len, &pos, a->execfn, n))
			return -E2BIG;
		execfn_at = stack_top - pos;
	}

	/* Size the arg+env block first so the strings can go in ascending order within it. */
	uint64_t nstrings = (uint64_t)a->argc + a->envc;
	size_t strings = 0;
	for (uint64_t i = 0; i < nstrings; i++) {
		const char *s = nth_string(a, i);
		size_t n;

		if (!s)
			return -EINVAL;
		n = str_size(s, buf_len);
		if (n == 0 || n > buf_len - strings)
			return -E2BIG;
		strings += n;
	}
	long block = reserve(buf_len, &pos, strings);
	if (block < 0)
		return -E2BIG;
	uint64_t block_at = stack_top - pos;

	if (a->platform) {
		size_t n = str_size(a->platform, buf_len);

		if (n == 0 || put_bytes(b, buf_len, &pos, a->platform, n))
			return -E2BIG;
		platform_at = stack_top - pos;
	}
	if (put_bytes(b, buf_len, &pos, a->random16, 16))
		return -E2BIG;
	random_at = stack_top - pos;

	/* The pointer table: argc, argv + NULL, envp + NULL, then the caller's auxv pairs, ours
	 * (AT_RANDOM, maybe AT_EXECFN and AT_PLATFORM) and AT_NULL. */
	uint64_t nauxv = (uint64_t)a->nauxv + 1 + has_execfn + has_platform + 1;
	uint64_t words = 1 + ((uint64_t)a->argc + 1) + ((uint64_t)a->envc + 1) + 2 * nauxv;
	uint64_t low = stack_top - buf_len;
	uint64_t strings_bottom = stack_top - pos;
	if (words > (strings_bottom - low) / 8)
		return -E2BIG;
	uint64_t sp = (strings_bottom - words * 8) & ~15ULL;
	if (sp < low)
		return -E2BIG;

	/* Nothing can fail from here: fill the strings and the table. */
	size_t off = (size_t)block;
	size_t w = (size_t)(sp - low);
	put_word(b, w, a->argc);
	w += 8;
	for (uint64_t i = 0; i < nstrings; i++) {
		const char *s = nth_string(a, i);
		size_t n = strlen(s) + 1;

		if (i == a->argc) {
			put_word(b, w, 0); /* argv's NULL */
			w += 8;
		}
		memcpy(b + off, s, n);
		put_word(b, w, block_at + (off - (size_t)block));
		w += 8;
		off += n;
	}
	if (a->envc == 0) {
		put_word(b, w, 0); /* argv's NULL */
		w += 8;
	}
	put_word(b, w, 0); /* envp's NULL */
	w += 8;
	for (uint64_t i = 0; i < 2 * (uint64_t)a->nauxv; i++, w += 8)
		put_word(b, w, a->auxv[i]);
	put_word(b, w, AT_RANDOM);
	put_word(b, w + 8, random_at);
	w += 16;
	if (has_execfn) {
		put_word(b, w, AT_EXECFN);
		put_word(b, w + 8, execfn_at);
		w += 16;
	}
	if (has_platform) {
		put_word(b, w, AT_PLATFORM);
		put_word(b, w + 8, platform_at);
		w += 16;
	}
	put_word(b, w, AT_NULL);
	put_word(b, w + 8, 0);
	w += 16;
	/* Alignment slack below the random bytes: zeroed so no old kernel data leaks out. */
	memset(b + w, 0, (size_t)(strings_bottom - low) - w);

	*sp_out = sp;
	return 0;
}
