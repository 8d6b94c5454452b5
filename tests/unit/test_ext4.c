/* Host tests for the ext4 module on mkfs.ext4 images, checked with e2fsck -fn after writes. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "host_io.h"
#define FAKE_KS_LOG_ENV "EXT4_TEST_LOG"
#include "fake_ks.h"
#include "fs_test.h"

#include <modvisor/module.h>
#include "../../modcache/modules/ext4/ext4.h"

extern struct mv_module_desc mv_module_desc;

static char tmpd[] = "/tmp/ext4-unit-XXXXXX";

/* ---- host side ---------------------------------------------------------------------------- */

/* The layouts under test: block size, 64bit or not, metadata_csum or uninit_bg or neither. */
struct layout {
	const char *name;
	const char *opts;
	unsigned mib;
	bool csum, gdt_csum;
	const char *hash; /* the directory hash mke2fs records */
};

static const struct layout layouts[] = {
    {"4k-64bit-csum", "-b 4096 -O 64bit,metadata_csum", 64, true, false, "half_md4"},
    {"1k-64bit-csum", "-b 1024 -O 64bit,metadata_csum", 32, true, false, "tea"},
    {"1k-32bit-plain", "-b 1024 -O ^64bit,^metadata_csum,^uninit_bg", 32, false, false, "legacy"},
    {"4k-32bit-csum", "-b 4096 -O ^64bit,metadata_csum", 64, true, false, "tea"},
    {"1k-32bit-uninit_bg", "-b 1024 -O ^64bit,^metadata_csum,uninit_bg", 32, false, true,
     "half_md4"},
};

#define BIG_LEN 300000U
#define MANY 400U

/* The tree every image starts with: files of several sizes, nested dirs, a hashed dir. */
static void make_tree(const char *dir)
{
	char p[512];
	uint8_t *big = malloc(BIG_LEN);

	assert_int_equal(
	    run("rm -rf '%s' && mkdir -p '%s/a/b/c' '%s/many' '%s/empty'", dir, dir, dir, dir), 0);
	pattern(big, BIG_LEN, 7);
	snprintf(p, sizeof(p), "%s/big.bin", dir);
	spit(p, big, BIG_LEN);
	snprintf(p, sizeof(p), "%s/hello.txt", dir);
	spit(p, "hello, ext4\n", 12);
	snprintf(p, sizeof(p), "%s/zero.len", dir);
	spit(p, "", 0);
	snprintf(p, sizeof(p), "%s/a/b/c/deep.txt", dir);
	spit(p, "deep\n", 5);
	for (unsigned i = 0; i < MANY; i++) {
		char name[64];

		snprintf(p, sizeof(p), "%s/many/file-with-a-longish-name-%04u", dir, i);
		snprintf(name, sizeof(name), "%u\n", i);
		spit(p, name, strlen(name));
	}
	free(big);
}

static void make_image(const struct layout *l, const char *img)
{
	char tree[300];

	snprintf(tree, sizeof(tree), "%s/tree", tmpd);
	make_tree(tree);
	assert_int_equal(run("rm -f '%s' && mkfs.ext4 -q -F -E lazy_itable_init=0 %s -d '%s' '%s' "
			     "%uM >/dev/null 2>&1 && tune2fs -E hash_alg=%s '%s' >/dev/null 2>&1",
			     img, l->opts, tree, img, l->mib, l->hash, img),
			 0);
	/* mke2fs -d writes linear directories; e2fsck -D gives the big one its hashed index. */
	assert_true(run("e2fsck -fyD '%s' >/dev/null 2>&1", img) <= 1);
}

static void load_image(const char *img)
{
	free(F.img);
	F.img = slurp(img, &F.img_bytes);
	F.dev_sectors = F.img_bytes / 512;
	assert_non_null(F.img);
}

static void save_image(const char *img)
{
	spit(img, F.img, F.img_bytes);
}

static void counts_consistent(void);

/* e2fsck -fn: exit status 0, nothing found; and the summary counts add up. */
static void fsck_clean(const char *img)
{
	int rc = run("e2fsck -fn '%s' >'%s/fsck.txt' 2>&1", img, tmpd);

	if (rc != 0)
		run("cat '%s/fsck.txt' >&2", tmpd);
	assert_int_equal(rc, 0);
	counts_consistent();
}

/* The superblock's free counts are the sums of the groups' (e2fsck -n forgives a difference). */
static void counts_consistent(void)
{
	struct mv_fs *fs = NULL;
	uint64_t blocks = 0, inodes = 0;

	assert_int_equal(ops->mount(&fs), 0);
	for (uint32_t g = 0; g < fs->ngroups; g++) {
		blocks += gd_get_count(fs, g, GD_FREE_BLOCKS, GD_FREE_BLOCKS_HI);
		inodes += gd_get_count(fs, g, GD_FREE_INODES, GD_FREE_INODES_HI);
	}
	assert_int_equal(sb_free_blocks(fs), blocks);
	assert_int_equal(get32(fs->sb + SB_FREE_INODES), inodes);
	assert_int_equal(ops->unmount(fs), 0);
}

/* ---- module helpers ----------------------------------------------------------------------- */

static struct mv_fs *mount_ok(void)
{
	struct mv_fs *fs = NULL;
	int ret;

	F.live_allocs = F.oob = F.lock_depth = F.lock_errors = F.unlocked_io = 0;

	F.check_lock = false;
	ret = ops->mount(&fs);
	if (ret != 0)
		fprintf(stderr, "mount: %d (%s)\n", ret, F.last_log);
	assert_int_equal(ret, 0);
	F.check_lock = true;
	return fs;
}

static void unmount_ok(struct mv_fs *fs)
{
	assert_int_equal(ops->unmount(fs), 0);
	F.check_lock = false;
	assert_int_equal(F.live_allocs, 0);
	assert_int_equal(F.oob, 0);
	assert_int_equal(F.lock_depth, 0);
	assert_int_equal(F.lock_errors, 0);
	assert_int_equal(F.unlocked_io, 0);
}

static uint8_t *read_all(struct mv_fs *fs, const char *path, size_t *len, size_t chunk)
{
	struct mv_file *f = xopen(fs, path, MV_O_RDONLY);
	struct mv_stat st;
	uint8_t *buf;
	size_t done = 0;

	assert_int_equal(ops->fstat(fs, f, &st), 0);
	buf = malloc(st.size + 1);
	for (;;) {
		size_t want = chunk < st.size + 1 - done ? chunk : st.size + 1 - done;
		int64_t n = ops->read(fs, f, buf + done, want);

		assert_true(n >= 0);
		if (n == 0)
			break;
		done += (size_t)n;
	}
	assert_int_equal(done, st.size);
	assert_int_equal(ops->close(fs, f), 0);
	*len = done;
	return buf;
}

static void write_at(struct mv_fs *fs, const char *path, int flags, uint64_t off,
		     const uint8_t *data, size_t len, size_t chunk)
{
	struct mv_file *f = xopen(fs, path, MV_O_WRONLY | flags);
	size_t done = 0;

	assert_int_equal(ops->seek(fs, f, (int64_t)off, MV_SEEK_SET), (int64_t)off);
	while (done < len) {
		size_t want = chunk < len - done ? chunk : len - done;

		assert_int_equal(ops->write(fs, f, data + done, want), (int64_t)want);
		done += want;
	}
	assert_int_equal(ops->close(fs, f), 0);
}

static void expect_file(struct mv_fs *fs, const char *path, const uint8_t *data, size_t len)
{
	size_t got;
	uint8_t *buf = read_all(fs, path, &got, 777);

	assert_int_equal(got, len);
	assert_memory_equal(buf, data, len);
	free(buf);
}

/* The host's view of a file, through debugfs. */
static void host_expect(const char *img, const char *path, const uint8_t *data, size_t len)
{
	char out[300];
	size_t got;
	uint8_t *buf;

	snprintf(out, sizeof(out), "%s/dump.bin", tmpd);
	unlink(out);
	assert_int_equal(run("debugfs -R 'dump %s %s' '%s' >/dev/null 2>&1", path, out, img), 0);
	buf = slurp(out, &got);
	assert_non_null(buf);
	assert_int_equal(got, len);
	assert_memory_equal(buf, data, len);
	free(buf);
}

static int count_dir(struct mv_fs *fs, const char *path)
{
	struct mv_file *d = xopen(fs, path, MV_O_RDONLY | MV_O_DIRECTORY);
	struct mv_dirent de;
	int n = 0, ret;

	while ((ret = ops->readdir(fs, d, &de)) == 1)
		n++;
	assert_int_equal(ret, 0);
	assert_int_equal(ops->close(fs, d), 0);
	return n;
}

/* ---- tests -------------------------------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpd))
		return -1;
	F.now = 1700000000;
	return mv_module_desc.init(&ks, (const void **)&ops);
}

static int group_teardown(void **state)
{
	(void)state;
	free(F.img);
	run("rm -rf '%s'", tmpd);
	return 0;
}

static void test_read_back(void **state)
{
	const struct layout *l = *state;
	char img[300], name[128];
	uint8_t *big = malloc(BIG_LEN);
	struct mv_stat st;
	struct mv_fs *fs;

	snprintf(img, sizeof(img), "%s/%s.img", tmpd, l->name);
	make_image(l, img);
	load_image(img);
	fs = mount_ok();
	pattern(big, BIG_LEN, 7);
	expect_file(fs, "/big.bin", big, BIG_LEN);
	expect_file(fs, "/hello.txt", (const uint8_t *)"hello, ext4\n", 12);
	expect_file(fs, "/a/b/c/deep.txt", (const uint8_t *)"deep\n", 5);
	expect_file(fs, "/zero.len", NULL, 0);
	assert_int_equal(ops->stat(fs, "/a/b", &st), 0);
	assert_int_equal(st.mode & MV_S_IFDIR, MV_S_IFDIR);
	assert_int_equal(ops->stat(fs, "/big.bin", &st), 0);
	assert_int_equal(st.size, BIG_LEN);
	assert_true(st.blocks * 512 >= BIG_LEN);
	assert_int_equal(ops->stat(fs, "/nope", &st), -MV_ENOENT);
	assert_int_equal(ops->stat(fs, "/hello.txt/x", &st), -MV_ENOTDIR);
	assert_int_equal(count_dir(fs, "/many"), MANY);
	assert_int_equal(count_dir(fs, "/"), 7); /* a many empty big hello zero lost+found */
	/* Every name of the hashed directory is found in the leaf its hash picks. */
	{
		struct e4_node *dir;
		uint32_t ino = 0, lblk;
		struct e4_dirent de;

		F.check_lock = false;
		assert_int_equal(path_resolve_parent(fs, "/many/x", (struct path_res *)big), 0);
		ino = ((struct path_res *)big)->parent;
		assert_int_equal(node_get(fs, ino, &dir), 0);
		assert_true(get32(dir->raw + I_FLAGS) & IF_INDEX);
		for (unsigned i = 0; i < MANY; i++) {
			uint64_t pos;
			bool found = false;

			snprintf(name, sizeof(name), "file-with-a-longish-name-%04u", i);
			struct dx_path dp;

			assert_int_equal(
			    htree_find_leaf(fs, dir, name, strlen(name), &dp, big + 4096, &lblk),
			    1);
			pos = (uint64_t)lblk * fs->bs;
			while (dir_next(fs, dir, &pos, &de) == 1 && de.pos / fs->bs == lblk)
				found |= strcmp(de.name, name) == 0;
			assert_true(found);
		}
		assert_int_equal(node_put(fs, dir), 0);
		F.check_lock = true;
	}
	for (unsigned i = 0; i < MANY; i += 37) {
		char want[16];

		snprintf(name, sizeof(name), "/many/file-with-a-longish-name-%04u", i);
		snprintf(want, sizeof(want), "%u\n", i);
		expect_file(fs, name, (const uint8_t *)want, strlen(want));
	}
	unmount_ok(fs);
	free(big);
}

static void test_write_ops(void **state)
{
	const struct layout *l = *state;
	char img[300], name[128];
	size_t n1 = 70000, n2 = 5000;
	uint8_t *d1 = malloc(n1), *d2 = malloc(n2), *ex = calloc(1, 200000);
	struct mv_file *fa, *fb;
	struct mv_stat st;
	struct mv_fs *fs;

	snprintf(img, sizeof(img), "%s/%s-w.img", tmpd, l->name);
	make_image(l, img);
	F.now = l == &layouts[0] ? 0 : 1700000000; /* one guest without a wall clock */
	load_image(img);
	fs = mount_ok();
	pattern(d1, n1, 1);
	pattern(d2, n2, 2);

	/* create, odd chunks, overwrite in the middle, append, a hole, shrink */
	write_at(fs, "/new.bin", MV_O_CREAT, 0, d1, n1, 3001);
	write_at(fs, "/new.bin", 0, 1000, d2, n2, 999);
	memcpy(ex, d1, n1);
	memcpy(ex + 1000, d2, n2);
	expect_file(fs, "/new.bin", ex, n1);
	write_at(fs, "/new.bin", MV_O_APPEND, 0, d2, n2, 4096);
	memcpy(ex + n1, d2, n2);
	expect_file(fs, "/new.bin", ex, n1 + n2);
	write_at(fs, "/new.bin", 0, 150000, d2, 100, 100);
	memcpy(ex + 150000, d2, 100);
	expect_file(fs, "/new.bin", ex, 150100);
	fa = xopen(fs, "/new.bin", MV_O_RDWR);
	assert_int_equal(ops->truncate(fs, fa, 12345), 0);
	assert_int_equal(ops->truncate(fs, fa, 20000), 0);
	assert_int_equal(ops->close(fs, fa), 0);
	memset(ex + 12345, 0, 200000 - 12345);
	expect_file(fs, "/new.bin", ex, 20000);

	/* two files growing in turns: fragmented maps that need extent blocks */
	fa = xopen(fs, "/frag-a", MV_O_CREAT | MV_O_WRONLY);
	fb = xopen(fs, "/frag-b", MV_O_CREAT | MV_O_WRONLY);
	for (int i = 0; i < 60; i++) {
		assert_int_equal(ops->write(fs, fa, d1 + (i % 16) * 4096, 4096), 4096);
		assert_int_equal(ops->write(fs, fb, d1 + (i % 16) * 4096, 4096), 4096);
	}
	assert_int_equal(ops->close(fs, fa), 0);
	assert_int_equal(ops->close(fs, fb), 0);

	/* directories: mkdir, nested, rename across, rmdir, many names into the hashed one */
	assert_int_equal(ops->mkdir(fs, "/d1"), 0);
	assert_int_equal(ops->mkdir(fs, "/d1/d2"), 0);
	assert_int_equal(ops->mkdir(fs, "/d1"), -MV_EEXIST);
	write_at(fs, "/d1/d2/f", MV_O_CREAT, 0, d2, n2, 5000);
	assert_int_equal(ops->rename(fs, "/d1/d2", "/a/moved"), 0);
	expect_file(fs, "/a/moved/f", d2, n2);
	assert_int_equal(ops->rename(fs, "/a", "/a/moved/x"), -MV_EINVAL);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/d1/hi.txt"), 0);
	assert_int_equal(ops->rename(fs, "/zero.len", "/d1/hi.txt"), 0); /* replaces */
	expect_file(fs, "/d1/hi.txt", NULL, 0);
	assert_int_equal(ops->rmdir(fs, "/d1"), -MV_ENOTEMPTY);
	assert_int_equal(ops->unlink(fs, "/d1/hi.txt"), 0);
	assert_int_equal(ops->rmdir(fs, "/d1"), 0);
	assert_int_equal(ops->rmdir(fs, "/empty"), 0);
	assert_int_equal(ops->unlink(fs, "/big.bin"), 0);
	assert_int_equal(ops->stat(fs, "/big.bin", &st), -MV_ENOENT);
	for (unsigned i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "/many/added-%u", i);
		write_at(fs, name, MV_O_CREAT, 0, d2, 10 + i, 64);
	}
	for (unsigned i = 0; i < MANY; i += 3) {
		snprintf(name, sizeof(name), "/many/file-with-a-longish-name-%04u", i);
		assert_int_equal(ops->unlink(fs, name), 0);
	}
	assert_int_equal(count_dir(fs, "/many"), MANY + 60 - (MANY + 2) / 3);
	/* Still mounted, never synced: the superblock's counts are already on the disk. */
	F.check_lock = false;
	counts_consistent();
	F.check_lock = true;
	/* an open file that loses its name stays readable until closed */
	fa = xopen(fs, "/frag-b", MV_O_RDONLY);
	assert_int_equal(ops->unlink(fs, "/frag-b"), 0);
	assert_int_equal(ops->read(fs, fa, ex, 4096), 4096);
	assert_memory_equal(ex, d1, 4096);
	assert_int_equal(ops->unmount(fs), -MV_EBUSY);
	assert_int_equal(ops->close(fs, fa), 0);
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);

	/* what the host sees, and a second mount */
	memcpy(ex, d1, n1);
	memcpy(ex + 1000, d2, n2);
	memset(ex + 12345, 0, 200000 - 12345);
	host_expect(img, "/new.bin", ex, 20000);
	host_expect(img, "/a/moved/f", d2, n2);
	fs = mount_ok();
	expect_file(fs, "/new.bin", ex, 20000);
	assert_int_equal(ops->stat(fs, "/frag-a", &st), 0);
	assert_int_equal(st.size, 60 * 4096);
	for (unsigned i = 0; i < 60; i += 7) {
		snprintf(name, sizeof(name), "/many/added-%u", i);
		expect_file(fs, name, d2, 10 + i);
	}
	unmount_ok(fs);
	F.now = 1700000000;
	free(d1);
	free(d2);
	free(ex);
}

/* A journal that needs recovery: mounted read-only with a message, never replayed or written. */
static void test_needs_recovery(void **state)
{
	const struct layout *l = &layouts[0];
	char img[300];
	struct mv_file *f = NULL;
	struct mv_fs *fs;

	(void)state;
	snprintf(img, sizeof(img), "%s/recover.img", tmpd);
	make_image(l, img);
	assert_int_equal(run("debugfs -w -R 'feature needs_recovery' '%s' >/dev/null 2>&1", img),
			 0);
	load_image(img);
	F.last_log[0] = '\0';
	fs = mount_ok();
	assert_non_null(strstr(F.last_log, "recovery"));
	expect_file(fs, "/hello.txt", (const uint8_t *)"hello, ext4\n", 12);
	assert_int_equal(ops->open(fs, "/new", MV_O_CREAT | MV_O_WRONLY, &f), -MV_EROFS);
	assert_int_equal(ops->open(fs, "/hello.txt", MV_O_WRONLY, &f), -MV_EROFS);
	assert_int_equal(ops->mkdir(fs, "/d"), -MV_EROFS);
	assert_int_equal(ops->unlink(fs, "/hello.txt"), -MV_EROFS);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/x"), -MV_EROFS);
	assert_int_equal(ops->rmdir(fs, "/empty"), -MV_EROFS);
	{
		uint8_t *before = malloc(F.img_bytes);

		memcpy(before, F.img, F.img_bytes);
		unmount_ok(fs);
		assert_memory_equal(before, F.img, F.img_bytes);
		free(before);
	}
}

/* ext3 (no extents): files through the indirect block map, read-only. */
static void test_blockmap(void **state)
{
	char img[300], tree[300];
	uint8_t *big = malloc(BIG_LEN);
	struct mv_file *f = NULL;
	struct mv_fs *fs;

	(void)state;
	snprintf(img, sizeof(img), "%s/ext3.img", tmpd);
	snprintf(tree, sizeof(tree), "%s/tree", tmpd);
	make_tree(tree);
	assert_int_equal(run("mkfs.ext3 -q -F -b 1024 -d '%s' '%s' 16M >/dev/null 2>&1", tree, img),
			 0);
	load_image(img);
	fs = mount_ok();
	pattern(big, BIG_LEN, 7);
	expect_file(fs, "/big.bin", big, BIG_LEN); /* 293 blocks: direct, indirect, double */
	expect_file(fs, "/a/b/c/deep.txt", (const uint8_t *)"deep\n", 5);
	assert_int_equal(count_dir(fs, "/many"), MANY);
	assert_int_equal(ops->open(fs, "/big.bin", MV_O_RDWR, &f), -MV_EROFS);
	unmount_ok(fs);
	free(big);
}

static uint64_t ino_offset(struct mv_fs *fs, uint32_t ino)
{
	uint32_t g = (ino - 1) / fs->ipg, idx = (ino - 1) % fs->ipg;

	return gd_inode_table(fs, g) * fs->bs + (uint64_t)idx * fs->inode_size;
}

static uint32_t ino_of(struct mv_fs *fs, const char *path)
{
	struct mv_stat st;

	assert_int_equal(ops->stat(fs, path, &st), 0);
	return (uint32_t)st.ino;
}

/* Checksums are checked: a flipped bit in each kind of metadata is refused, not believed. */
static void test_checksums(void **state)
{
	const struct layout *l = *state;
	char img[300];
	uint8_t *orig;
	uint64_t off_inode, off_dirblk, off_extblk, off_gd;
	struct mv_stat st;
	struct mv_fs *fs;

	snprintf(img, sizeof(img), "%s/%s-c.img", tmpd, l->name);
	make_image(l, img);
	load_image(img);
	fs = mount_ok();
	/* a file with a depth-1 extent tree */
	{
		uint8_t blk[4096] = {1};
		struct mv_file *a = xopen(fs, "/fa", MV_O_CREAT | MV_O_WRONLY);
		struct mv_file *b = xopen(fs, "/fb", MV_O_CREAT | MV_O_WRONLY);

		for (int i = 0; i < 12; i++) {
			assert_int_equal(ops->write(fs, a, blk, fs->bs), fs->bs);
			assert_int_equal(ops->write(fs, b, blk, fs->bs), fs->bs);
		}
		assert_int_equal(ops->close(fs, a), 0);
		assert_int_equal(ops->close(fs, b), 0);
	}
	F.check_lock = false;
	off_inode = ino_offset(fs, ino_of(fs, "/hello.txt")) + 0x10; /* mtime */
	{
		struct e4_node *n;
		uint64_t p;

		assert_int_equal(node_get(fs, ino_of(fs, "/a/b/c"), &n), 0);
		assert_int_equal(node_bmap(fs, n, 0, &p), 0);
		off_dirblk = p * fs->bs + 30;
		assert_int_equal(node_put(fs, n), 0);
		assert_int_equal(node_get(fs, ino_of(fs, "/fa"), &n), 0);
		assert_int_equal(map_load(fs, n), 0);
		assert_int_equal(n->ntree, 1);
		off_extblk = n->tree[0] * fs->bs + 12; /* the first extent's logical block */
		assert_int_equal(node_put(fs, n), 0);
	}
	off_gd = fs->gdt_start * fs->bs + GD_FREE_INODES;
	F.check_lock = true;
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);
	orig = malloc(F.img_bytes);
	memcpy(orig, F.img, F.img_bytes);

	F.img[off_inode] ^= 1;
	fs = mount_ok();
	assert_int_equal(ops->stat(fs, "/hello.txt", &st), l->csum ? -MV_EUCLEAN : 0);
	unmount_ok(fs);
	memcpy(F.img, orig, F.img_bytes);

	F.img[off_dirblk] ^= 1; /* inside the name of "deep.txt" */
	fs = mount_ok();
	assert_int_equal(ops->stat(fs, "/a/b/c/deep.txt", &st), l->csum ? -MV_EUCLEAN : -MV_ENOENT);
	unmount_ok(fs);
	memcpy(F.img, orig, F.img_bytes);

	F.img[off_extblk] ^= 2;
	fs = mount_ok();
	{
		struct mv_file *f = NULL;
		uint8_t buf[64];

		if (l->csum) {
			assert_int_equal(ops->open(fs, "/fa", MV_O_RDONLY, &f), 0);
			assert_int_equal(ops->read(fs, f, buf, sizeof(buf)), -MV_EUCLEAN);
			assert_int_equal(ops->close(fs, f), 0);
		}
	}
	unmount_ok(fs);
	memcpy(F.img, orig, F.img_bytes);

	if (l->csum || l->gdt_csum) {
		struct mv_fs *bad = NULL;

		F.img[off_gd] ^= 1;
		assert_int_equal(ops->mount(&bad), -MV_EUCLEAN);
		assert_non_null(strstr(F.last_log, "descriptor checksum"));
		memcpy(F.img, orig, F.img_bytes);
	}
	if (l->csum) {
		struct mv_fs *bad = NULL;

		F.img[1024 + 0x78] ^= 1; /* volume name */
		assert_int_equal(ops->mount(&bad), -MV_EUCLEAN);
		assert_non_null(strstr(F.last_log, "superblock checksum"));
		memcpy(F.img, orig, F.img_bytes);
	}
	assert_int_equal(F.live_allocs, 0);
	free(orig);
}

/* Filling the volume: short writes, then ENOSPC; every group's bitmap initialised as used. */
static void test_disk_full(void **state)
{
	const struct layout *l = *state;
	char img[300];
	size_t chunk = 1 << 20, total = 0;
	uint8_t *buf = malloc(chunk);
	struct mv_file *f;
	struct mv_stat st;
	struct mv_fs *fs;
	int64_t n;

	snprintf(img, sizeof(img), "%s/%s-full.img", tmpd, l->name);
	make_image(l, img);
	load_image(img);
	fs = mount_ok();
	assert_int_equal(ops->unlink(fs, "/big.bin"), 0);
	f = xopen(fs, "/fill", MV_O_CREAT | MV_O_WRONLY);
	pattern(buf, chunk, 9);
	while ((n = ops->write(fs, f, buf, chunk)) > 0)
		total += (size_t)n;
	assert_int_equal(n, -MV_ENOSPC);
	assert_true(total > (size_t)l->mib * (1 << 20) * 3 / 4);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, total);
	assert_int_equal(ops->close(fs, f), 0);
	assert_int_equal(ops->mkdir(fs, "/nospace"), -MV_ENOSPC);
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);
	fs = mount_ok();
	assert_int_equal(ops->unlink(fs, "/fill"), 0);
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);
	free(buf);
}

/* Device and allocation failures at every step of a write workload: errors, never a crash or a
 * leak; the volume still mounts afterwards. */
static void test_failures(void **state)
{
	const struct layout *l = &layouts[1];
	char img[300];
	uint8_t *orig, data[3000];

	(void)state;
	snprintf(img, sizeof(img), "%s/fail.img", tmpd);
	make_image(l, img);
	load_image(img);
	orig = malloc(F.img_bytes);
	memcpy(orig, F.img, F.img_bytes);
	pattern(data, sizeof(data), 3);
	for (int mode = 0; mode < 3; mode++) {
		for (long n = 1; n < 400; n += 3) {
			struct mv_fs *fs = NULL;
			struct mv_file *f = NULL;

			memcpy(F.img, orig, F.img_bytes);
			F.live_allocs = 0;
			F.read_fail_in = mode == 0 ? n : 0;
			F.write_fail_in = mode == 1 ? n : 0;
			F.alloc_fail_in = mode == 2 ? n : 0;
			if (ops->mount(&fs) != 0) {
				assert_int_equal(F.live_allocs, 0);
				continue;
			}
			if (ops->open(fs, "/x", MV_O_CREAT | MV_O_RDWR, &f) == 0) {
				ops->write(fs, f, data, sizeof(data));
				ops->close(fs, f);
			}
			ops->mkdir(fs, "/dd");
			ops->rename(fs, "/hello.txt", "/a/b/hello");
			ops->unlink(fs, "/big.bin");
			ops->rmdir(fs, "/empty");
			while (ops->unmount(fs) == -MV_EBUSY)
				;
			assert_int_equal(F.live_allocs, 0);
		}
	}
	F.read_fail_in = F.write_fail_in = F.alloc_fail_in = 0;
	free(orig);
}

/* POSIX semantics and error codes of the operations, as fatfs gives them. */
static void test_semantics(void **state)
{
	char img[300];
	struct mv_file *f = NULL, *d;
	struct mv_dirent de;
	struct mv_stat st;
	struct mv_fs *fs;
	uint8_t buf[16];
	int dirs = 0, files = 0;

	(void)state;
	snprintf(img, sizeof(img), "%s/sem.img", tmpd);
	make_image(&layouts[0], img);
	load_image(img);
	fs = mount_ok();
	assert_int_equal(ops->open(fs, "/hello.txt", MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY, &f),
			 -MV_EEXIST);
	assert_int_equal(ops->open(fs, "/a", MV_O_WRONLY, &f), -MV_EISDIR);
	assert_int_equal(ops->open(fs, "/a", MV_O_RDONLY | MV_O_CREAT, &f), -MV_EISDIR);
	assert_int_equal(ops->open(fs, "/hello.txt", MV_O_RDONLY | MV_O_DIRECTORY, &f),
			 -MV_ENOTDIR);
	assert_int_equal(ops->open(fs, "/hello.txt/", MV_O_RDONLY, &f), -MV_ENOTDIR);
	assert_int_equal(ops->open(fs, "/x", MV_O_CREAT | MV_O_DIRECTORY, &f), -MV_EINVAL);
	assert_int_equal(ops->open(fs, "/x", MV_O_ACCMODE, &f), -MV_EINVAL);
	assert_int_equal(ops->open(fs, "/nodir/x", MV_O_CREAT | MV_O_WRONLY, &f), -MV_ENOENT);
	assert_int_equal(ops->open(fs, "/a/../hello.txt", MV_O_RDONLY, &f), -MV_EINVAL);
	assert_int_equal(ops->mkdir(fs, "/"), -MV_EEXIST);
	assert_int_equal(ops->rmdir(fs, "/"), -MV_EBUSY);
	assert_int_equal(ops->rmdir(fs, "/hello.txt"), -MV_ENOTDIR);
	assert_int_equal(ops->unlink(fs, "/a"), -MV_EISDIR);
	assert_int_equal(ops->unlink(fs, "/nope"), -MV_ENOENT);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/a"), -MV_EISDIR);
	assert_int_equal(ops->rename(fs, "/a", "/hello.txt"), -MV_ENOTDIR);
	assert_int_equal(ops->rename(fs, "/empty", "/a"), -MV_ENOTEMPTY);
	assert_int_equal(ops->rename(fs, "/a", "/a/b/c/x"), -MV_EINVAL);
	assert_int_equal(ops->rename(fs, "/", "/x"), -MV_EBUSY);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/hello.txt"), 0);
	assert_int_equal(ops->rename(fs, "/a", "/empty"), 0); /* over an empty directory */
	assert_int_equal(ops->stat(fs, "/empty/b/c/deep.txt", &st), 0);
	assert_int_equal(ops->stat(fs, "/a", &st), -MV_ENOENT);
	/* read-only and write-only handles */
	f = xopen(fs, "/hello.txt", MV_O_RDONLY);
	assert_int_equal(ops->write(fs, f, "x", 1), -MV_EBADF);
	assert_int_equal(ops->truncate(fs, f, 0), -MV_EBADF);
	assert_int_equal(ops->seek(fs, f, -1, MV_SEEK_SET), -MV_EINVAL);
	assert_int_equal(ops->seek(fs, f, -3, MV_SEEK_END), 9);
	assert_int_equal(ops->read(fs, f, buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "t4\n", 3);
	assert_int_equal(ops->close(fs, f), 0);
	f = xopen(fs, "/hello.txt", MV_O_WRONLY | MV_O_TRUNC);
	assert_int_equal(ops->read(fs, f, buf, 1), -MV_EBADF);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 0);
	assert_int_equal(st.mode, MV_S_IFREG | 0644);
	assert_int_equal(ops->close(fs, f), 0);
	/* readdir types, and a directory rewound by seeking to 0 */
	d = xopen(fs, "/", MV_O_RDONLY | MV_O_DIRECTORY);
	while (ops->readdir(fs, d, &de) == 1)
		de.type == MV_S_IFDIR ? dirs++ : files++;
	assert_int_equal(dirs, 3); /* empty, many, lost+found */
	assert_int_equal(files, 3);
	assert_int_equal(ops->seek(fs, d, 0, MV_SEEK_SET), 0);
	assert_int_equal(ops->readdir(fs, d, &de), 1);
	assert_int_equal(ops->seek(fs, d, 0, MV_SEEK_END), -MV_EINVAL);
	assert_int_equal(ops->read(fs, d, buf, 1), -MV_EISDIR);
	/* A directory is refused as one before its read-only mode is looked at. */
	assert_int_equal(ops->truncate(fs, d, 0), -MV_EISDIR);
	assert_int_equal(ops->close(fs, d), 0);
	assert_int_equal(ops->stat(fs, "/empty", &st), 0);
	assert_int_equal(st.nlink, 3); /* ".", its name, and b's ".." */
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);
}

/* Features the module cannot honour: refused, or mounted read-only, as docs/ext4.md says. */
static void test_features(void **state)
{
	static const struct {
		const char *opts;
		int mount;   /* what mount returns */
		bool rdonly; /* when it mounts */
	} cases[] = {
	    {"-O inline_data", -MV_EINVAL, false},
	    {"-O bigalloc -C 16384", -MV_EINVAL, false},
	    {"-O quota", 0, true},
	    {"-O ^extent,^64bit", 0, true},
	    {"-O 64bit,metadata_csum_seed", 0, false},
	    {"-O ^has_journal", 0, false},
	};
	char img[300];

	(void)state;
	snprintf(img, sizeof(img), "%s/feat.img", tmpd);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mv_fs *fs = NULL;
		struct mv_file *f = NULL;
		int ret;

		assert_int_equal(run("rm -f '%s' && mkfs.ext4 -q -F -b 4096 %s '%s' 32M >/dev/null "
				     "2>&1",
				     img, cases[i].opts, img),
				 0);
		load_image(img);
		F.live_allocs = 0;
		ret = ops->mount(&fs);
		if (ret != cases[i].mount)
			fprintf(stderr, "%s: mount %d (%s)\n", cases[i].opts, ret, F.last_log);
		assert_int_equal(ret, cases[i].mount);
		if (ret != 0) {
			assert_int_equal(F.live_allocs, 0);
			continue;
		}
		ret = ops->open(fs, "/new", MV_O_CREAT | MV_O_WRONLY, &f);
		assert_int_equal(ret, cases[i].rdonly ? -MV_EROFS : 0);
		if (ret == 0) {
			assert_int_equal(ops->write(fs, f, "abc", 3), 3);
			assert_int_equal(ops->close(fs, f), 0);
		}
		assert_int_equal(ops->unmount(fs), 0);
		assert_int_equal(F.live_allocs, 0);
		save_image(img);
		fsck_clean(img);
	}
}

#define HT_FILES 5000U
#define HT_NAME "a-name-in-the-hashed-directory-%05u"

/* An image whose /d holds HT_FILES names and a subdirectory, indexed by e2fsck -D: one index
 * level with 4 KiB blocks, two with 1 KiB blocks. */
static void make_htree_image(const struct layout *l, const char *img)
{
	char tree[300], p[400];

	snprintf(tree, sizeof(tree), "%s/htree", tmpd);
	assert_int_equal(run("rm -rf '%s' && mkdir -p '%s/d/subdir'", tree, tree), 0);
	snprintf(p, sizeof(p), "%s/d/subdir/f", tree);
	spit(p, "f\n", 2);
	for (unsigned i = 0; i < HT_FILES; i++) {
		snprintf(p, sizeof(p), "%s/d/" HT_NAME, tree, i);
		spit(p, "", 0);
	}
	assert_int_equal(run("rm -f '%s' && mkfs.ext4 -q -F -E lazy_itable_init=0 %s -d '%s' '%s' "
			     "%uM >/dev/null 2>&1 && tune2fs -E hash_alg=%s '%s' >/dev/null 2>&1",
			     img, l->opts, tree, img, l->mib, l->hash, img),
			 0);
	assert_true(run("e2fsck -fyD '%s' >/dev/null 2>&1", img) <= 1);
	load_image(img);
	fsck_clean(img);
}

/* Device reads a stat costs. */
static long stat_reads(struct mv_fs *fs, const char *path, int want)
{
	struct mv_stat st;
	long before = F.reads;

	assert_int_equal(ops->stat(fs, path, &st), want);
	return F.reads - before;
}

/* What the test needs to know of an indexed directory: its root block, the first leaf under
 * the root's second entry (and the interior node above it, if any), and the name of smallest
 * hash in that leaf. */
struct ht_info {
	struct e4_node *dir;
	uint64_t root_pblk, node_pblk;
	uint32_t levels, hash, version, node_lblk;
	char name[E4_NAME_MAX + 1];
};

static void ht_probe(struct mv_fs *fs, const char *path, struct ht_info *h, uint8_t *buf)
{
	uint32_t leaf, version;
	uint64_t pos;

	struct e4_dirent de;

	F.check_lock = false;
	assert_int_equal(node_get(fs, ino_of(fs, path), &h->dir), 0);
	assert_true(get32(h->dir->raw + I_FLAGS) & IF_INDEX);
	assert_int_equal(node_bmap(fs, h->dir, 0, &h->root_pblk), 0);
	assert_int_equal(cache_read(fs, h->root_pblk, buf), 0);
	h->levels = buf[0x1E];
	version = buf[0x1C];
	if (version < 3 && (get32(fs->sb + SB_FLAGS) & E4_FLAG_UNSIGNED_HASH))
		version += 3;
	assert_true(get16(buf + 0x22) > 2);
	leaf = get32(buf + 0x28 + 4); /* the second dx_entry's block */
	h->version = version;
	h->node_lblk = leaf;
	h->node_pblk = 0;
	if (h->levels == 1) {
		assert_int_equal(node_bmap(fs, h->dir, leaf, &h->node_pblk), 0);
		assert_int_equal(cache_read(fs, h->node_pblk, buf), 0);
		leaf = get32(buf + 0x8 + 4); /* the node's first entry's block */
	}
	h->hash = UINT32_MAX;
	pos = (uint64_t)leaf * fs->bs;
	while (dir_next(fs, h->dir, &pos, &de) == 1 && de.pos / fs->bs == leaf) {
		uint32_t hv = htree_hash(fs, de.name, de.name_len, (uint8_t)version);

		if (hv < h->hash) {
			h->hash = hv;
			strcpy(h->name, de.name);
		}
	}
	assert_true(h->hash != UINT32_MAX);
	F.check_lock = true;
}

static void ht_release(struct mv_fs *fs, struct ht_info *h)
{
	F.check_lock = false;
	assert_int_equal(node_put(fs, h->dir), 0);
	F.check_lock = true;
}

/*
 * A large indexed directory: a missing name costs a few block reads, not the whole directory;
 * every name is found; directories move into, within and out of it (their ".." read and
 * rewritten where the format puts it, in the index root); index blocks are checksummed; a run
 * of equal hashes that the index marks as going on into the next leaf is followed.
 */
static void test_htree(void **state)
{
	const struct layout *l = *state;
	char img[300], path[400];
	uint8_t *orig, *buf;
	struct ht_info h;
	struct mv_fs *fs;
	uint32_t bs, nblk, hm;
	long n;

	snprintf(img, sizeof(img), "%s/%s-ht.img", tmpd, l->name);
	make_htree_image(l, img);
	orig = malloc(F.img_bytes);
	memcpy(orig, F.img, F.img_bytes);
	buf = malloc(65536);

	fs = mount_ok();
	n = stat_reads(fs, "/d/no-such-name", -MV_ENOENT); /* from a cold cache */
	F.check_lock = false;
	{
		struct e4_node *d;

		assert_int_equal(node_get(fs, ino_of(fs, "/d"), &d), 0);
		nblk = (uint32_t)(inode_size(d->raw) / fs->bs);
		assert_int_equal(node_put(fs, d), 0);
	}
	F.check_lock = true;
	fprintf(stderr, "%s: missing name in /d (%u blocks): %ld block reads\n", l->name, nblk, n);
	assert_true(n <= 8);
	ht_probe(fs, "/d", &h, buf);
	assert_int_equal(h.levels, fs->bs == 1024 ? 1 : 0);
	ht_release(fs, &h);
	for (unsigned i = 0; i < HT_FILES; i++) {
		snprintf(path, sizeof(path), "/d/" HT_NAME, i);
		stat_reads(fs, path, 0);
	}
	stat_reads(fs, "/d/subdir/f", 0);

	/* rename: an indexed directory moved keeps its index; then into it and within it */
	assert_int_equal(ops->mkdir(fs, "/e"), 0);
	assert_int_equal(ops->rename(fs, "/d", "/e/d"), 0);
	ht_probe(fs, "/e/d", &h, buf);
	ht_release(fs, &h);
	n = stat_reads(fs, "/e/d/no-such-name", -MV_ENOENT);
	fprintf(stderr, "%s: missing name in the moved /e/d: %ld block reads\n", l->name, n);
	assert_true(n <= 8);
	assert_int_equal(ops->rename(fs, "/e/d/subdir", "/e/d/subdir2"), 0);
	assert_int_equal(ops->mkdir(fs, "/a"), 0);
	assert_int_equal(ops->rename(fs, "/a", "/e/d/dirmoved"), 0);
	assert_int_equal(ops->rename(fs, "/e/d/subdir2", "/sub"), 0);
	stat_reads(fs, "/sub/f", 0);
	stat_reads(fs, "/e/d/dirmoved", 0);
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);

	/* an index block that fails its checksum is refused: the root, an interior node */
	memcpy(F.img, orig, F.img_bytes);
	fs = mount_ok();
	bs = fs->bs;
	ht_probe(fs, "/d", &h, buf);
	ht_release(fs, &h);
	unmount_ok(fs);
	snprintf(path, sizeof(path), "/d/%s", h.name);
	if (l->csum) {
		F.img[h.root_pblk * bs + 0x28] ^= 4; /* the second entry's hash */
		fs = mount_ok();
		stat_reads(fs, path, -MV_EUCLEAN);
		unmount_ok(fs);
		memcpy(F.img, orig, F.img_bytes);
	}
	if (l->csum && h.node_pblk) {
		F.img[h.node_pblk * bs + 0x8 + 4] ^= 4; /* the first entry's block */
		fs = mount_ok();
		stat_reads(fs, path, -MV_EUCLEAN);
		unmount_ok(fs);
		memcpy(F.img, orig, F.img_bytes);
	}

	/* The root's second entry made to say that the run of the smallest hash under it starts in
	 * the leaf before (hash | 1): that name is found by going on into the next leaf. */
	fs = mount_ok();
	ht_probe(fs, "/d", &h, buf);
	F.check_lock = false;
	assert_int_equal(cache_read(fs, h.root_pblk, buf), 0);
	assert_true(get32(buf + 0x28) <= h.hash && get32(buf + 0x30) > (h.hash | 1));
	put32(buf + 0x28, h.hash | 1);
	assert_int_equal(dir_block_write(fs, h.dir, 0, buf), 0);
	F.check_lock = true;
	ht_release(fs, &h);
	n = stat_reads(fs, path, 0);
	fprintf(stderr, "%s: a run of equal hashes over two leaves: %ld block reads\n", l->name, n);
	assert_true(stat_reads(fs, "/d/no-such-name", -MV_ENOENT) <= 8);
	hm = htree_hash(fs, "no-such-name", 12, (uint8_t)h.version) | 1;
	unmount_ok(fs);

	/* Without checksums to stop it, every index entry of both levels made to lead to the same
	 * node and leaf and to mark a run of a missing name's hash: its lookup is refused once it
	 * has read as many leaves as the directory has blocks, not after count x count of them. */
	if (!l->csum && h.node_pblk) {
		uint8_t *root = F.img + h.root_pblk * bs, *node = F.img + h.node_pblk * bs;

		memcpy(F.img, orig, F.img_bytes);
		for (uint32_t i = 0; i < get16(root + 0x22); i++) {
			put32(root + 0x24 + 8 * i, h.node_lblk);
			if (i > 0)
				put32(root + 0x20 + 8 * i, hm);
		}
		for (uint32_t i = 1; i < get16(node + 0xA); i++) {
			put32(node + 0x8 + 8 * i, hm);
			put32(node + 0xC + 8 * i, get32(node + 0xC));
		}
		fs = mount_ok();
		n = stat_reads(fs, "/d/no-such-name", -MV_EUCLEAN);
		fprintf(stderr, "%s: a run over the whole index: refused after %ld block reads\n",
			l->name, n);
		unmount_ok(fs);
	}

	free(buf);
	free(orig);
}

#define PER_LAYOUT(fn)                                                                             \
	cmocka_unit_test_prestate(fn, (void *)&layouts[0]),                                        \
	    cmocka_unit_test_prestate(fn, (void *)&layouts[1]),                                    \
	    cmocka_unit_test_prestate(fn, (void *)&layouts[2]),                                    \
	    cmocka_unit_test_prestate(fn, (void *)&layouts[3]),                                    \
	    cmocka_unit_test_prestate(fn, (void *)&layouts[4])

int main(void)
{
	const struct CMUnitTest tests[] = {
	    PER_LAYOUT(test_read_back),	      PER_LAYOUT(test_write_ops),
	    PER_LAYOUT(test_checksums),	      PER_LAYOUT(test_disk_full),
	    PER_LAYOUT(test_htree),	      cmocka_unit_test(test_needs_recovery),
	    cmocka_unit_test(test_blockmap),  cmocka_unit_test(test_failures),
	    cmocka_unit_test(test_semantics), cmocka_unit_test(test_features),
	};

	if (getenv("EXT4_TEST"))
		cmocka_set_test_filter(getenv("EXT4_TEST"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
