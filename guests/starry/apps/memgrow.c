/* Starry test program: brk growth, large mallocs, anonymous mmap/munmap and mprotect. */
#include "common.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define MIB (1024 * 1024)

static int sum_check(const unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i += 4096)
		if (p[i] != (unsigned char)(seed + i / 4096))
			return 0;
	return 1;
}

static void touch(unsigned char *p, size_t len, unsigned char seed)
{
	for (size_t i = 0; i < len; i += 4096)
		p[i] = (unsigned char)(seed + i / 4096);
}

/* Nothing may malloc between growing and shrinking: malloc's heap would sit above ours. */
static void brk_growth(void)
{
	unsigned char *start = sbrk(0);
	size_t total = 0;
	int ok = 1, back;

	for (int step = 0; step < 8; step++) {
		unsigned char *p = sbrk(MIB);

		if (p == (void *)-1) {
			ok = 0;
			break;
		}
		touch(p, MIB, (unsigned char)step);
		total += MIB;
	}
	for (int step = 0; ok && step < 8; step++)
		ok = sum_check(start + (size_t)step * MIB, MIB, (unsigned char)step);
	back = sbrk(-(intptr_t)total) != (void *)-1 && sbrk(0) == start;
	check(ok, "sbrk grew %zu MiB, all pages kept their contents", total / MIB);
	check(back, "sbrk shrank back");
}

static void big_mallocs(void)
{
	unsigned char *blocks[4];
	size_t total = 0;
	int ok = 1;

	for (int i = 0; i < 4; i++) {
		blocks[i] = malloc(2 * MIB);
		if (!blocks[i]) {
			ok = 0;
			continue;
		}
		memset(blocks[i], 0x40 + i, 2 * MIB);
		total += 2 * MIB;
	}
	for (int i = 0; i < 4; i++) {
		ok = ok && blocks[i][0] == 0x40 + i && blocks[i][2 * MIB - 1] == 0x40 + i;
		free(blocks[i]);
	}
	check(ok, "malloc'd %zu MiB in 4 blocks", total / MIB);
}

/* Whether touching p in a child kills it with SIGSEGV. */
static int faults(volatile unsigned char *p, int write)
{
	int status = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct rlimit none = {0, 0};

		setrlimit(RLIMIT_CORE, &none); /* no core files when run natively */
		if (write)
			*p = 1;
		else
			(void)*p;
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV;
}

static void maps(void)
{
	unsigned char *p =
	    mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int zero = 1;

	if (!check(p != MAP_FAILED, "mmap 1 MiB"))
		return;
	for (size_t i = 0; i < MIB; i += 4096)
		zero = zero && p[i] == 0;
	check(zero, "fresh anonymous memory reads as zero");
	touch(p, MIB, 7);
	check(sum_check(p, MIB, 7), "touched 256 pages");
	check(munmap(p, MIB) == 0, "munmap");
	check(faults(p, 0), "reading unmapped memory faults");

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!check(p != MAP_FAILED, "mmap 1 page"))
		return;
	p[0] = 42;
	check(mprotect(p, 4096, PROT_READ) == 0 && p[0] == 42,
	      "mprotect read-only, still readable");
	check(faults(p, 1), "writing read-only memory faults");
	check(mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0, "mprotect read-write");
	p[0] = 43;
	check(p[0] == 43, "writable again");
	munmap(p, 4096);
}

int main(void)
{
	line_buffered();
	printf("memgrow: brk, malloc, mmap, mprotect\n"); /* stdout's buffer comes from malloc */
	brk_growth();
	big_mallocs();
	maps();
	return finish("memgrow");
}
