/* libFuzzer target for the fatfs module: the input is a disk image to mount, walk, read, write. */
#define FUZZ_NAME "fuzz_fat_mount"
#define FUZZ_VERBOSE_ENV "FUZZ_FAT_VERBOSE"
#include "fuzz_fs_harness.h"

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
	f = NULL;
	if (ops->open(fs, "/hello.txt", MV_O_WRONLY | MV_O_APPEND, &f) == 0) {
		ops->write(fs, f, "appended", 8);
		ops->close(fs, f);
	}
	ops->unlink(fs, "/fzdir2/moved.txt");
	ops->rmdir(fs, "/fzdir2");
	ops->sync(fs);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_fs_run(data, size);
}
