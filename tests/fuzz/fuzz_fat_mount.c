/* libFuzzer target for the fatfs module: the input is a disk image to mount, walk, read, write. */
#define FUZZ_NAME "fuzz_fat_mount"
#define FUZZ_VERBOSE_ENV "FUZZ_FAT_VERBOSE"
#include "fuzz_fs_harness.h"

/* The shared changes are all FAT needs: long names, a directory renamed, an append. */
static void modify_more(struct mv_fs *fs)
{
	(void)fs;
}

static uint64_t claimed_sectors(const uint8_t *b, size_t n)
{
	uint64_t tot;

	if (n < SECTOR)
		return 0;
	tot = (uint64_t)b[19] | ((uint64_t)b[20] << 8);
	if (tot == 0)
		tot = (uint64_t)b[32] | ((uint64_t)b[33] << 8) | ((uint64_t)b[34] << 16) |
		      ((uint64_t)b[35] << 24);
	return tot;
}
