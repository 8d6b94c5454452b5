/* Host-side helpers of the filesystem unit tests: shell commands, whole files, test patterns. */
#ifndef TESTS_UNIT_HOST_IO_H
#define TESTS_UNIT_HOST_IO_H

/* environ and posix_spawn want _GNU_SOURCE defined before the first system header. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>

/* Runs a shell command line; its exit status, or -1 if it could not run or did not exit. */
__attribute__((format(printf, 1, 2), unused)) static int run(const char *fmt, ...)
{
	char cmd[8192];
	char *argv[] = {"/bin/sh", "-c", cmd, NULL};
	va_list ap;
	pid_t pid;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	/* posix_spawn, not system(): fork would copy this process's large sanitizer mappings. */
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
		return -1;
	if (waitpid(pid, &rc, 0) != pid || !WIFEXITED(rc))
		return -1;
	return WEXITSTATUS(rc);
}

/* A whole host file in a malloc'd buffer (one spare byte), or NULL if it cannot be opened. */
__attribute__((unused)) static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!fp)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

__attribute__((unused)) static void spit(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	if (len)
		assert_int_equal(fwrite(data, 1, len, fp), len);
	fclose(fp);
}

/* Reproducible pseudo-random bytes, different for each seed. */
__attribute__((unused)) static void pattern(uint8_t *buf, size_t len, uint32_t seed)
{
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
}

#endif
