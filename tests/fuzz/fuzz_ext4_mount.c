/* libFuzzer target for the ext4 module: the input is a disk image to mount, walk, read, write. */
#define FUZZ_NAME "fuzz_ext4_mount"
#define FUZZ_VERBOSE_ENV "FUZZ_EXT4_VERBOSE"
#include "fuzz_fs_harness.h"
#include <modvisor/le.h>

/* Beyond the shared changes: a cross-directory rename, a big file freed, a directory grown
 * past one block (htree and extent paths). */
static void modify_more(struct mv_fs *fs)
{
	static uint8_t buf[6000];
	struct mv_file *f;

	memset(buf, 0x5A, sizeof(buf));
	ops->rename(fs, "/dir", "/many/dir");
	ops->unlink(fs, "/big.bin");
	for (int i = 0; i < 12; i++) {
		char name[40];

		snprintf(name, sizeof(name), "/many/new-%d", i);
		f = NULL;
		if (ops->open(fs, name, MV_O_CREAT | MV_O_WRONLY, &f) == 0) {
			ops->write(fs, f, buf, (size_t)i * 500);
			ops->close(fs, f);
		}
	}
}

/* Blocks count times block size, from the superblock at byte 1024 (low 32 bits of the count). */
static uint64_t claimed_sectors(const uint8_t *b, size_t n)
{
	uint32_t log;

	if (n < 2048)
		return 0;
	log = get32(b + 1024 + 0x18);
	if (log > 6)
		return 0;
	return (uint64_t)get32(b + 1024 + 4) * ((1024U << log) / SECTOR);
}
