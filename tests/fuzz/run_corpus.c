/* Runs a fuzz target (any LLVMFuzzerTestOneInput) without libFuzzer: over files, directories
 * of inputs, or random inputs from a fixed seed. */
#define _DEFAULT_SOURCE
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!fp) {
		perror(path);
		return 1;
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc(n > 0 ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "%s: read failed\n", path);
		fclose(fp);
		free(buf);
		return 1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	printf("ok %s (%ld bytes)\n", path, n);
	return 0;
}

static int run_path(const char *path)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int bad = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (!d) {
		perror(path);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		char child[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
		bad |= run_path(child);
	}
	closedir(d);
	return bad;
}

/*
 * The target needs no seed files: random inputs from a fixed seed reach every operation,
 * so gcc builds can run it as a regression test where clang's libFuzzer is missing.
 */
static void run_random(unsigned long count, unsigned long seed)
{
	static uint8_t buf[4096];
	uint64_t x = seed * 0x9E3779B97F4A7C15ULL + 1;

	for (unsigned long i = 0; i < count; i++) {
		size_t len = 64 + (size_t)(x % (sizeof(buf) - 64));

		for (size_t j = 0; j < len; j++) {
			x ^= x >> 12;
			x ^= x << 25;
			x ^= x >> 27;
			buf[j] = (uint8_t)((x * 0x2545F4914F6CDD1DULL) >> 56);
		}
		LLVMFuzzerTestOneInput(buf, len);
	}
	printf("ok %lu random inputs (seed %lu)\n", count, seed);
}

/* No arguments: 1000 random inputs from seed 1, which is how `make unit` runs it. */
int main(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		run_random(1000, 1);
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--random") == 0 && i + 1 < argc) {
			unsigned long count = strtoul(argv[++i], NULL, 0);
			unsigned long seed = 1;

			if (i + 1 < argc && argv[i + 1][0] >= '0' && argv[i + 1][0] <= '9')
				seed = strtoul(argv[++i], NULL, 0);
			run_random(count, seed);
			continue;
		}
		bad |= run_path(argv[i]);
	}
	return bad;
}
