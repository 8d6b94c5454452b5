/* libFuzzer target for the ext4 module: the input is a disk image to mount, walk, read, write. */
#define FUZZ_NAME "fuzz_ext4_mount"
#define FUZZ_VERBOSE_ENV "FUZZ_EXT4_VERBOSE"
#include "fuzz_fs_harness.h"
#include <modvisor/le.h>

/* Changes on whatever the image holds: every one may fail, none may crash. */
static void modify(struct mv_fs *fs)
{
	static uint8_t buf[6000];
	struct mv_file *f = NULL;

	memset(buf, 0x5A, sizeof(buf));
	if (ops->open(fs, "/fuzz file with a long name.txt", MV_O_CREAT | MV_O_RDWR, &f) == 0) {
		ops->write(fs, f, buf, sizeof(buf));
		ops->seek(fs, f, 20000, MV_SEEK_SET);
		ops->write(fs, f, buf, 10);
		ops->truncate(fs, f, 700);
		ops->close(fs, f);
	}
	ops->mkdir(fs, "/FZDIR");
	ops->rename(fs, "/fuzz file with a long name.txt", "/FZDIR/moved.txt");
	ops->rename(fs, "/FZDIR", "/fzdir2");
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
	f = NULL;
	if (ops->open(fs, "/hello.txt", MV_O_WRONLY | MV_O_APPEND, &f) == 0) {
		ops->write(fs, f, "appended", 8);
		ops->close(fs, f);
	}
	ops->unlink(fs, "/fzdir2/moved.txt");
	ops->rmdir(fs, "/fzdir2");
	ops->sync(fs);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_fs_run(data, size);
}
