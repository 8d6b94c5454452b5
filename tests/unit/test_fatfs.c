/* Host tests for the fatfs module on real mkfs.vfat/mtools images, checked with fsck.fat. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "host_io.h"
#define FAKE_KS_LOG_ENV "FATFS_TEST_LOG"
#include "fake_ks.h"
#include "fs_test.h"

#include <modvisor/module.h>
#include "../../modcache/modules/fatfs/fatfs.h"

extern struct mv_module_desc mv_module_desc;

static char tmpd[] = "/tmp/fatfs-unit-XXXXXX";

/* ---- host side: shell, images, mtools ----------------------------------------------------- */

static char *tpath(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", tmpd, name);
	return buf;
}

static unsigned kib_for(int fat)
{
	return fat == 12 ? 2048 : fat == 16 ? 16384 : 40960;
}

static void make_image(const char *img, int fat, const char *extra)
{
	assert_int_equal(run("rm -f '%s' && mkfs.vfat -C -F %d -n TESTVOL %s '%s' %u >/dev/null",
			     img, fat, extra ? extra : "", img, kib_for(fat)),
			 0);
}

static void host_put(const char *img, const char *path, const void *data, size_t len)
{
	char src[256];

	spit(tpath(src, sizeof(src), "put.bin"), data, len);
	assert_int_equal(run("mcopy -o -i '%s' '%s' '::%s'", img, src, path), 0);
}

static void host_mkdir(const char *img, const char *path)
{
	assert_int_equal(run("mmd -i '%s' '::%s'", img, path), 0);
}

static uint8_t *host_get(const char *img, const char *path, size_t *len)
{
	char dst[256];

	tpath(dst, sizeof(dst), "get.bin");
	unlink(dst);
	if (run("mcopy -n -i '%s' '::%s' '%s' 2>/dev/null", img, path, dst) != 0)
		return NULL;
	return slurp(dst, len);
}

/* fsck.fat -n: exit 0 and nothing but its banner and the summary line. */
static void fsck_clean(const char *img)
{
	char out[256], *text;
	size_t len, lines = 0;
	int rc;

	tpath(out, sizeof(out), "fsck.txt");
	rc = run("fsck.fat -n '%s' >'%s' 2>&1", img, out);
	text = (char *)slurp(out, &len);
	assert_non_null(text);
	text[len] = '\0';
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (rc != 0 || lines != 2)
		fprintf(stderr, "fsck.fat says:\n%s", text);
	free(text);
	assert_int_equal(rc, 0);
	assert_int_equal(lines, 2);
}

static void load_image(const char *img)
{
	free(F.img);
	F.img = slurp(img, &F.img_bytes);
	assert_non_null(F.img);
	F.dev_sectors = F.img_bytes / 512;
}

static void load_copy(const uint8_t *src, size_t n)
{
	if (F.img_bytes != n) {
		free(F.img);
		F.img = malloc(n);
		assert_non_null(F.img);
		F.img_bytes = n;
	}
	memcpy(F.img, src, n);
	F.dev_sectors = n / 512;
}

static void save_image(const char *img)
{
	spit(img, F.img, F.img_bytes);
}

/* ---- module helpers ----------------------------------------------------------------------- */

static void reset_fake(void)
{
	uint8_t *img = F.img;
	size_t bytes = F.img_bytes;
	uint64_t dev = F.dev_sectors;

	memset(&F, 0, sizeof(F));
	F.img = img;
	F.img_bytes = bytes;
	F.dev_sectors = dev;
	F.now = 1700000000; /* 2023-11-14 22:13:20 UTC */
}

static struct mv_fs *mount_ok(void)
{
	struct mv_fs *fs = NULL;

	F.check_lock = false;
	assert_int_equal(ops->mount(&fs), 0);
	assert_non_null(fs);
	F.check_lock = true;
	return fs;
}

static void sanity(void)
{
	assert_int_equal(F.lock_depth, 0);
	assert_int_equal(F.lock_errors, 0);
	assert_int_equal(F.unlocked_io, 0);
	assert_int_equal(F.oob, 0);
	assert_int_equal(F.bad_align, 0);
}

static void unmount_ok(struct mv_fs *fs)
{
	assert_int_equal(ops->unmount(fs), 0);
	F.check_lock = false;
	sanity();
	assert_int_equal(F.live_allocs, 0);
	assert_int_equal(F.locks_live, 0);
}

static int try_open(struct mv_fs *fs, const char *path, int flags)
{
	struct mv_file *f = NULL;
	int ret = ops->open(fs, path, flags, &f);

	if (ret == 0)
		assert_int_equal(ops->close(fs, f), 0);
	return ret;
}

static void write_file(struct mv_fs *fs, const char *path, const void *data, size_t len)
{
	struct mv_file *f = xopen(fs, path, MV_O_CREAT | MV_O_TRUNC | MV_O_WRONLY);

	assert_int_equal(ops->write(fs, f, data, len), (int64_t)len);
	assert_int_equal(ops->close(fs, f), 0);
}

/* Reads with a mix of odd and whole-sector chunk sizes to cover both I/O paths. */
static uint8_t *read_file(struct mv_fs *fs, const char *path, size_t *len)
{
	static const size_t chunks[] = {1, 511, 512, 513, 4096, 100000, 3, 1024};
	struct mv_file *f = xopen(fs, path, MV_O_RDONLY);
	struct mv_stat st;
	uint8_t *buf;
	size_t done = 0;

	assert_int_equal(ops->fstat(fs, f, &st), 0);
	buf = malloc(st.size + 1);
	assert_non_null(buf);
	for (size_t i = 0;; i++) {
		size_t want = chunks[i % (sizeof(chunks) / sizeof(chunks[0]))];
		int64_t n;

		if (done + want > st.size + 1)
			want = st.size + 1 - done;
		n = ops->read(fs, f, buf + done, want);
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

static void expect_file(struct mv_fs *fs, const char *path, const void *data, size_t len)
{
	size_t n;
	uint8_t *buf = read_file(fs, path, &n);

	assert_int_equal(n, len);
	assert_memory_equal(buf, data, len);
	free(buf);
}

/* ---- an expected-state model of the volume ------------------------------------------------ */

#define MODEL_MAX 512

struct mentry {
	bool used, dir;
	char path[1100];
	uint8_t *data;
	size_t len;
};

static struct mentry model[MODEL_MAX];

static void model_reset(void)
{
	for (int i = 0; i < MODEL_MAX; i++) {
		free(model[i].data);
		memset(&model[i], 0, sizeof(model[i]));
	}
}

static struct mentry *model_find(const char *path)
{
	for (int i = 0; i < MODEL_MAX; i++) {
		if (model[i].used && strcmp(model[i].path, path) == 0)
			return &model[i];
	}
	return NULL;
}

static struct mentry *model_slot(const char *path)
{
	struct mentry *e = model_find(path);

	for (int i = 0; !e && i < MODEL_MAX; i++) {
		if (!model[i].used)
			e = &model[i];
	}
	assert_non_null(e);
	free(e->data);
	memset(e, 0, sizeof(*e));
	e->used = true;
	snprintf(e->path, sizeof(e->path), "%s", path);
	return e;
}

static void model_file(const char *path, const void *data, size_t len)
{
	struct mentry *e = model_slot(path);

	e->data = malloc(len + 1);
	memcpy(e->data, data, len);
	e->len = len;
}

static void model_dir(const char *path)
{
	model_slot(path)->dir = true;
}

static void model_del(const char *path)
{
	struct mentry *e = model_find(path);

	assert_non_null(e);
	free(e->data);
	memset(e, 0, sizeof(*e));
}

static void model_rename(const char *from, const char *to)
{
	size_t fl = strlen(from);

	if (model_find(to))
		model_del(to);
	for (int i = 0; i < MODEL_MAX; i++) {
		struct mentry *e = &model[i];
		char np[1100];

		if (!e->used)
			continue;
		if (strcmp(e->path, from) == 0) {
			snprintf(e->path, sizeof(e->path), "%s", to);
		} else if (strncmp(e->path, from, fl) == 0 && e->path[fl] == '/') {
			snprintf(np, sizeof(np), "%s%s", to, e->path + fl);
			snprintf(e->path, sizeof(e->path), "%s", np);
		}
	}
}

static bool is_child(const char *dir, const char *path)
{
	size_t dl = strlen(dir);

	return strncmp(path, dir, dl) == 0 && path[dl] == '/' && path[dl + 1] &&
	       !strchr(path + dl + 1, '/');
}

/* Every entry through the module: type, size, bytes, and each directory's listing. */
static void verify_module(struct mv_fs *fs)
{
	for (int i = -1; i < MODEL_MAX; i++) {
		const char *dir = i < 0 ? "" : model[i].path;
		struct mv_file *d;
		struct mv_dirent ent;
		int count = 0, expected = 0, ret;

		if (i >= 0 && !model[i].used)
			continue;
		if (i >= 0 && !model[i].dir) {
			struct mv_stat st;

			assert_int_equal(ops->stat(fs, model[i].path, &st), 0);
			assert_true(st.mode == (MV_S_IFREG | 0644) ||
				    st.mode == (MV_S_IFREG | 0444));
			assert_int_equal(st.size, model[i].len);
			expect_file(fs, model[i].path, model[i].data, model[i].len);
			continue;
		}
		d = xopen(fs, i < 0 ? "/" : dir, MV_O_RDONLY | MV_O_DIRECTORY);
		while ((ret = ops->readdir(fs, d, &ent)) == 1) {
			char child[1100];
			struct mentry *e;

			snprintf(child, sizeof(child), "%s/%s", dir, ent.name);
			e = model_find(child);
			if (!e)
				fprintf(stderr, "unexpected entry %s\n", child);
			assert_non_null(e);
			assert_int_equal(ent.type, e->dir ? MV_S_IFDIR : MV_S_IFREG);
			count++;
		}
		assert_int_equal(ret, 0);
		assert_int_equal(ops->close(fs, d), 0);
		for (int j = 0; j < MODEL_MAX; j++)
			expected += model[j].used && is_child(dir, model[j].path);
		assert_int_equal(count, expected);
	}
}

/* What the host's tools see: fsck clean, every file's bytes, and the full recursive listing. */
static void verify_host(const char *img)
{
	char out[256], tree[256], *text, *line, *save = NULL;
	size_t len;
	int count = 0, expected = 0;

	fsck_clean(img);
	/* One recursive mcopy of the whole tree: a process per file would be slow. */
	tpath(tree, sizeof(tree), "tree");
	assert_int_equal(run("rm -rf '%s' && mkdir '%s' && { mcopy -s -n -i '%s' '::/*' '%s' "
			     "2>/dev/null; true; }",
			     tree, tree, img, tree),
			 0);
	for (int i = 0; i < MODEL_MAX; i++) {
		char hp[1400];
		uint8_t *data;

		if (!model[i].used || model[i].dir)
			continue;
		snprintf(hp, sizeof(hp), "%s%s", tree, model[i].path);
		data = slurp(hp, &len);
		if (!data)
			fprintf(stderr, "host cannot read %s\n", model[i].path);
		assert_non_null(data);
		assert_int_equal(len, model[i].len);
		assert_memory_equal(data, model[i].data, len);
		free(data);
	}
	tpath(out, sizeof(out), "list.txt");
	assert_int_equal(run("mdir -/ -b -i '%s' ::/ >'%s'", img, out), 0);
	text = (char *)slurp(out, &len);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t l = strlen(line);
		bool dir = l > 0 && line[l - 1] == '/';
		struct mentry *e;

		if (dir)
			line[l - 1] = '\0';
		assert_true(strncmp(line, "::/", 3) == 0);
		e = model_find(line + 2);
		if (!e)
			fprintf(stderr, "host sees unexpected %s\n", line);
		assert_non_null(e);
		assert_int_equal(e->dir, dir);
		count++;
	}
	free(text);
	for (int i = 0; i < MODEL_MAX; i++)
		expected += model[i].used;
	assert_int_equal(count, expected);
}

/* ---- the standard populated image ---------------------------------------------------------- */

struct vol {
	int fat;
	const char *name;
};

static const struct vol vols[] = {{12, "fat12"}, {16, "fat16"}, {32, "fat32"}};

#define BIG_LEN 300000

static void host_file(const char *img, const char *path, size_t len, uint32_t seed)
{
	uint8_t *buf = malloc(len + 1);

	pattern(buf, len, seed);
	host_put(img, path, buf, len);
	model_file(path, buf, len);
	free(buf);
}

static void populate(const char *img, int fat)
{
	model_reset();
	make_image(img, fat, NULL);
	host_put(img, "/hello.txt", "Hello, world\n", 13);
	model_file("/hello.txt", "Hello, world\n", 13);
	host_file(img, "/A Long File Name With Spaces.txt", 3000, 1);
	host_mkdir(img, "/dir1");
	host_mkdir(img, "/dir1/Sub Dir Two");
	model_dir("/dir1");
	model_dir("/dir1/Sub Dir Two");
	host_file(img, "/dir1/Sub Dir Two/deep.bin", 5000, 2);
	host_file(img, "/f1.bin", 10000, 3);
	host_file(img, "/f2.bin", 10000, 4);
	host_file(img, "/f3.bin", 10000, 5);
	/* A hole in the middle of the allocated clusters, so that big.bin is fragmented. */
	assert_int_equal(run("mdel -i '%s' ::/f2.bin", img), 0);
	model_del("/f2.bin");
	host_file(img, "/big.bin", BIG_LEN, 6);
	host_file(img, "/empty.txt", 0, 7);
	host_put(img, "/MixedCase.Txt", "mixed", 5);
	model_file("/MixedCase.Txt", "mixed", 5);
	host_put(img, "/UPPER.TXT", "upper", 5);
	model_file("/UPPER.TXT", "upper", 5);
}

static void img_name(char *buf, size_t n, const struct vol *v, const char *what)
{
	snprintf(buf, n, "%s/%s-%s.img", tmpd, v->name, what);
}

static enum fat_type fat_of(int fat)
{
	return fat == 12 ? FAT12 : fat == 16 ? FAT16 : FAT32;
}

/* ---- an independent reading of the on-disk layout, for checks and for corrupting images ---- */

struct geo {
	int fat;
	uint32_t rsvd, nfats, fatsz, spc, root_ent, root_start, data_start, count, root_clus, tot;
};

static void geo_of(const uint8_t *b, struct geo *g)
{
	uint32_t root_secs;

	g->rsvd = get16(b + 14);
	g->nfats = b[16];
	g->root_ent = get16(b + 17);
	g->tot = get16(b + 19) ? get16(b + 19) : get32(b + 32);
	g->fatsz = get16(b + 22) ? get16(b + 22) : get32(b + 36);
	g->spc = b[13];
	root_secs = (g->root_ent * 32 + 511) / 512;
	g->root_start = g->rsvd + g->nfats * g->fatsz;
	g->data_start = g->root_start + root_secs;
	g->count = (g->tot - g->data_start) / g->spc;
	g->fat = g->count < 4085 ? 12 : g->count < 65525 ? 16 : 32;
	g->root_clus = g->fat == 32 ? get32(b + 44) : 0;
}

static uint32_t geo_get(const uint8_t *img, const struct geo *g, uint32_t c)
{
	const uint8_t *fat = img + (size_t)g->rsvd * 512;

	if (g->fat == 12) {
		uint32_t v = get16(fat + c + c / 2);

		return (c & 1) ? v >> 4 : v & 0xFFF;
	}
	if (g->fat == 16)
		return get16(fat + c * 2);
	return get32(fat + c * 4) & 0x0FFFFFFF;
}

static void geo_set(uint8_t *img, const struct geo *g, uint32_t c, uint32_t v)
{
	for (uint32_t i = 0; i < g->nfats; i++) {
		uint8_t *fat = img + ((size_t)g->rsvd + (size_t)i * g->fatsz) * 512;

		if (g->fat == 12) {
			uint8_t *p = fat + c + c / 2;
			uint32_t old = get16(p);

			put16(p,
			      (c & 1) ? (old & 0x000F) | (v << 4) : (old & 0xF000) | (v & 0xFFF));
		} else if (g->fat == 16) {
			put16(fat + c * 2, v);
		} else {
			put32(fat + c * 4, v);
		}
	}
}

static uint32_t geo_eoc(const struct geo *g)
{
	return g->fat == 12 ? 0xFFF : g->fat == 16 ? 0xFFFF : 0x0FFFFFFF;
}

static uint32_t geo_bad(const struct geo *g)
{
	return g->fat == 12 ? 0xFF7 : g->fat == 16 ? 0xFFF7 : 0x0FFFFFF7;
}

/* The root directory's slot holding short name sfn, or NULL (FAT12/16 fixed root only). */
static uint8_t *root_slot(uint8_t *img, const struct geo *g, const char *sfn)
{
	for (uint32_t i = 0; i < g->root_ent; i++) {
		uint8_t *s = img + (size_t)g->root_start * 512 + i * 32;

		if (s[0] != 0xE5 && s[11] != 0x0F && memcmp(s, sfn, 11) == 0)
			return s;
	}
	return NULL;
}

static uint32_t first_cluster(struct mv_fs *fs, const char *path)
{
	struct mv_stat st;
	struct mv_file *f;
	uint32_t clus;

	assert_int_equal(ops->stat(fs, path, &st), 0);
	f = xopen(fs, path, MV_O_RDONLY | ((st.mode & MV_S_IFDIR) ? MV_O_DIRECTORY : 0));
	clus = ((const struct fat_node *)f->node)->first_clus;
	assert_int_equal(ops->close(fs, f), 0);
	assert_true(clus >= 2);
	return clus;
}

static void fats_identical(const uint8_t *img)
{
	struct geo g;

	geo_of(img, &g);
	for (uint32_t i = 1; i < g.nfats; i++)
		assert_memory_equal(img + (size_t)g.rsvd * 512,
				    img + ((size_t)g.rsvd + (size_t)i * g.fatsz) * 512,
				    (size_t)g.fatsz * 512);
}

/* ---- tests ---------------------------------------------------------------------------------- */

static void test_init_and_descriptor(void **state)
{
	struct mv_kservices bad = ks;
	const void *o = NULL;

	(void)state;
	assert_int_equal(mv_module_desc.magic, MV_MODULE_MAGIC);
	assert_int_equal(mv_module_desc.abi_version, MV_MODULE_ABI_VERSION);
	assert_string_equal(mv_module_desc.name, "fatfs");
	assert_int_equal(mv_module_desc.kind, MV_MODULE_FS);
	assert_int_equal(mv_module_desc.init(NULL, &o), -MV_EINVAL);
	bad.version = 99;
	assert_int_equal(mv_module_desc.init(&bad, &o), -MV_EINVAL);
	bad = ks;
	bad.size = sizeof(bad) - 8;
	assert_int_equal(mv_module_desc.init(&bad, &o), -MV_EINVAL);
	bad = ks;
	bad.blk_read = NULL;
	assert_int_equal(mv_module_desc.init(&bad, &o), -MV_EINVAL);
	assert_int_equal(mv_module_desc.init(&ks, &o), 0);
	assert_ptr_equal(o, ops);
	assert_int_equal(ops->version, MV_FS_OPS_VERSION);
	assert_int_equal(ops->size, sizeof(struct mv_fs_ops));
}

static void test_read_back(void **state)
{
	const struct vol *v = *state;
	char img[256];
	struct mv_fs *fs;
	struct mv_stat st;
	struct mv_file *f;
	uint8_t *big, buf[4096];
	uint32_t clus_bytes;

	img_name(img, sizeof(img), v, "read");
	populate(img, v->fat);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	assert_int_equal(fs->type, fat_of(v->fat));
	clus_bytes = fs->clus_bytes;
	verify_module(fs);

	/* Names match case-insensitively, and by their 8.3 alias. */
	assert_int_equal(ops->stat(fs, "/HELLO.TXT", &st), 0);
	assert_int_equal(st.size, 13);
	assert_int_equal(ops->stat(fs, "/a long file name with SPACES.txt", &st), 0);
	assert_int_equal(st.size, 3000);
	assert_int_equal(ops->stat(fs, "/ALONGF~1.TXT", &st), 0);
	assert_int_equal(st.size, 3000);
	assert_int_equal(ops->stat(fs, "//dir1//sub dir two/DEEP.BIN", &st), 0);
	assert_int_equal(st.size, 5000);

	assert_int_equal(ops->stat(fs, "/big.bin", &st), 0);
	assert_int_equal(st.mode, MV_S_IFREG | 0644);
	assert_int_equal(st.nlink, 1);
	assert_int_equal(st.blksize, clus_bytes);
	assert_int_equal(st.blocks, (BIG_LEN + clus_bytes - 1) / clus_bytes * (clus_bytes / 512));
	assert_true(st.ino >= (1ULL << 32));
	/* mtools stamped it with the host clock, in local time. */
	assert_true(st.mtime + 2 * 86400 > (uint64_t)time(NULL) &&
		    st.mtime < (uint64_t)time(NULL) + 2 * 86400);
	assert_int_equal(ops->stat(fs, "/empty.txt", &st), 0);
	assert_int_equal(st.size, 0);
	assert_int_equal(st.blocks, 0);
	assert_true(st.ino >= (1ULL << 32));
	assert_int_equal(ops->stat(fs, "/dir1", &st), 0);
	assert_int_equal(st.mode, MV_S_IFDIR | 0755);
	assert_int_equal(st.size % clus_bytes, 0);
	assert_true(st.size > 0);
	assert_int_equal(ops->stat(fs, "/", &st), 0);
	assert_int_equal(st.mode, MV_S_IFDIR | 0755);

	/* Random access into the fragmented file. */
	big = malloc(BIG_LEN);
	pattern(big, BIG_LEN, 6);
	f = xopen(fs, "/big.bin", MV_O_RDONLY);
	for (uint32_t i = 0; i < 64; i++) {
		uint32_t off = (i * 7919u * 31u) % BIG_LEN, len = (i * 613u) % sizeof(buf) + 1;
		int64_t n;

		assert_int_equal(ops->seek(fs, f, off, MV_SEEK_SET), off);
		n = ops->read(fs, f, buf, len);
		assert_int_equal(n, off + len > BIG_LEN ? BIG_LEN - off : len);
		assert_memory_equal(buf, big + off, (size_t)n);
	}
	assert_int_equal(ops->seek(fs, f, -10, MV_SEEK_END), BIG_LEN - 10);
	assert_int_equal(ops->read(fs, f, buf, 100), 10);
	assert_memory_equal(buf, big + BIG_LEN - 10, 10);
	assert_int_equal(ops->read(fs, f, buf, 100), 0);
	assert_int_equal(ops->seek(fs, f, -5, MV_SEEK_CUR), BIG_LEN - 5);
	assert_int_equal(ops->seek(fs, f, -1, MV_SEEK_SET), -MV_EINVAL);
	assert_int_equal(ops->seek(fs, f, 0, 7), -MV_EINVAL);
	assert_int_equal(ops->write(fs, f, buf, 1), -MV_EBADF);
	assert_int_equal(ops->truncate(fs, f, 0), -MV_EBADF);
	assert_int_equal(ops->close(fs, f), 0);
	free(big);

	f = xopen(fs, "/dir1", MV_O_RDONLY);
	assert_int_equal(ops->read(fs, f, buf, 1), -MV_EISDIR);
	/* A directory is refused as one before its read-only mode is looked at. */
	assert_int_equal(ops->truncate(fs, f, 0), -MV_EISDIR);
	assert_int_equal(ops->close(fs, f), 0);
	f = xopen(fs, "/hello.txt", MV_O_RDONLY);
	assert_int_equal(ops->readdir(fs, f, (struct mv_dirent *)buf), -MV_ENOTDIR);
	assert_int_equal(ops->close(fs, f), 0);
	assert_int_equal(ops->stat(fs, "/nope", &st), -MV_ENOENT);
	assert_int_equal(ops->stat(fs, "/nope/x", &st), -MV_ENOENT);
	assert_int_equal(ops->stat(fs, "/hello.txt/x", &st), -MV_ENOTDIR);
	assert_int_equal(ops->stat(fs, "/hello.txt/", &st), -MV_ENOTDIR);
	assert_int_equal(ops->stat(fs, "/dir1/../hello.txt", &st), -MV_EINVAL);

	unmount_ok(fs);
	/* Reading alone never writes. */
	assert_int_equal(F.writes, 0);
}

static void add_file(struct mv_fs *fs, const char *path, size_t len, uint32_t seed)
{
	uint8_t *buf = malloc(len + 1);

	pattern(buf, len, seed);
	write_file(fs, path, buf, len);
	model_file(path, buf, len);
	free(buf);
}

static void do_mkdir(struct mv_fs *fs, const char *path)
{
	assert_int_equal(ops->mkdir(fs, path), 0);
	model_dir(path);
}

static void do_rename(struct mv_fs *fs, const char *from, const char *to)
{
	int ret = ops->rename(fs, from, to);

	if (ret != 0)
		fprintf(stderr, "rename %s -> %s: %d\n", from, to, ret);
	assert_int_equal(ret, 0);
	model_rename(from, to);
}

static void test_write_ops(void **state)
{
	const struct vol *v = *state;
	static const size_t chunks[] = {1, 511, 512, 513, 4096, 10000, 70000, 3, 65536};
	char img[256], name[300];
	struct mv_fs *fs;
	struct mv_file *f;
	struct mv_stat st;
	uint8_t *grow, *buf;
	size_t total = 0, off = 0, len;
	char longname[256];

	img_name(img, sizeof(img), v, "write");
	populate(img, v->fat);
	load_image(img);
	reset_fake();
	fs = mount_ok();

	/* Create, and a file grown by writes of awkward sizes. */
	add_file(fs, "/new.txt", 8, 20);
	do_mkdir(fs, "/a");
	do_mkdir(fs, "/a/b");
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++)
		total += chunks[i];
	grow = malloc(total);
	pattern(grow, total, 21);
	f = xopen(fs, "/a/b/grow.bin", MV_O_CREAT | MV_O_EXCL | MV_O_RDWR);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		assert_int_equal(ops->write(fs, f, grow + off, chunks[i]), chunks[i]);
		off += chunks[i];
	}
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, total);
	assert_int_equal(ops->seek(fs, f, 0, MV_SEEK_SET), 0);
	buf = malloc(total);
	assert_int_equal(ops->read(fs, f, buf, total), total);
	assert_memory_equal(buf, grow, total);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/a/b/grow.bin", grow, total);
	free(grow);
	free(buf);

	/* Overwrite in the middle of a host-made file. */
	f = xopen(fs, "/hello.txt", MV_O_RDWR);
	assert_int_equal(ops->seek(fs, f, 7, MV_SEEK_SET), 7);
	assert_int_equal(ops->write(fs, f, "WORLD", 5), 5);
	assert_int_equal(ops->close(fs, f), 0);
	/* O_APPEND writes at the end whatever the position. */
	f = xopen(fs, "/hello.txt", MV_O_WRONLY | MV_O_APPEND);
	assert_int_equal(ops->seek(fs, f, 0, MV_SEEK_SET), 0);
	assert_int_equal(ops->write(fs, f, "tail\n", 5), 5);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/hello.txt", "Hello, WORLD\ntail\n", 18);

	/* Seek past the end, then write: the hole reads back as zeros, even where the cluster
	 * still holds bytes from before a shrink. */
	buf = calloc(1, 20000);
	pattern(buf, 20000, 30);
	f = xopen(fs, "/hole.bin", MV_O_CREAT | MV_O_WRONLY);
	assert_int_equal(ops->write(fs, f, buf, 20000), 20000);
	assert_int_equal(ops->truncate(fs, f, 1), 0);
	memset(buf + 1, 0, 20000 - 1);
	buf[10000] = 'B';
	assert_int_equal(ops->seek(fs, f, 10000, MV_SEEK_SET), 10000);
	assert_int_equal(ops->write(fs, f, "B", 1), 1);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/hole.bin", buf, 10001);
	free(buf);

	/* A partial write leaves a dirty cached sector; a whole-sector write over it must win. */
	buf = malloc(4096);
	pattern(buf, 4096, 31);
	f = xopen(fs, "/overwrite.bin", MV_O_CREAT | MV_O_RDWR);
	assert_int_equal(ops->write(fs, f, "partial", 7), 7);
	assert_int_equal(ops->seek(fs, f, 0, MV_SEEK_SET), 0);
	assert_int_equal(ops->write(fs, f, buf, 4096), 4096);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/overwrite.bin", buf, 4096);
	free(buf);

	/* Truncate: shrink frees, grow zero-fills (old bytes past the cut must not come back). */
	buf = calloc(1, 5000);
	pattern(buf, 1000, 6);
	f = xopen(fs, "/big.bin", MV_O_RDWR);
	assert_int_equal(ops->truncate(fs, f, 1000), 0);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 1000);
	assert_int_equal(ops->truncate(fs, f, 5000), 0);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/big.bin", buf, 5000);
	free(buf);

	/* O_TRUNC, then new contents. */
	f = xopen(fs, "/f1.bin", MV_O_WRONLY | MV_O_TRUNC);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 0);
	assert_int_equal(ops->write(fs, f, "0123456789", 10), 10);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/f1.bin", "0123456789", 10);

	/* Renames: a file across directories, a directory across directories (its ".." must
	 * follow, which fsck checks), over an existing file, and a change of case only. */
	do_rename(fs, "/new.txt", "/a/b/renamed.txt");
	do_rename(fs, "/a/b", "/moved");
	do_rename(fs, "/f3.bin", "/UPPER.TXT");
	do_rename(fs, "/MixedCase.Txt", "/mixedcase.TXT");
	do_rename(fs, "/moved/renamed.txt", "/dir1/Sub Dir Two/renamed with a long name.txt");

	/* Unlink and rmdir. */
	assert_int_equal(ops->unlink(fs, "/f1.bin"), 0);
	model_del("/f1.bin");
	do_mkdir(fs, "/emptydir");
	assert_int_equal(ops->rmdir(fs, "/emptydir"), 0);
	model_del("/emptydir");
	do_mkdir(fs, "/a/keep");
	assert_int_equal(ops->rmdir(fs, "/a"), -MV_ENOTEMPTY);

	/* Many long names in one directory: it grows past a cluster and needs ~N tails. */
	do_mkdir(fs, "/many");
	for (int i = 0; i < 150; i++) {
		snprintf(name, sizeof(name), "/many/a fairly long file name %03d.txt", i);
		add_file(fs, name, (size_t)i * 37 % 700, 100 + (uint32_t)i);
	}
	for (int i = 0; i < 150; i += 3) {
		snprintf(name, sizeof(name), "/many/a fairly long file name %03d.txt", i);
		assert_int_equal(ops->unlink(fs, name), 0);
		model_del(name);
	}
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "/many/Second Batch %d.data", i);
		add_file(fs, name, 100, 300 + (uint32_t)i);
	}
	assert_int_equal(ops->stat(fs, "/many", &st), 0);
	assert_true(st.size > fs->clus_bytes);

	/* Names: UTF-8, LFN slot boundaries (13, 26 characters), the longest allowed. */
	add_file(fs, "/Grüße – ünïcödé.txt", 42, 400);
	add_file(fs, "/abcdefghijklm", 13, 401);
	add_file(fs, "/ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26, 402);
	memset(longname, 'x', 255);
	longname[0] = '/';
	memcpy(longname + 1, "Long", 4);
	longname[255] = '\0';
	add_file(fs, longname, 255, 403);
	add_file(fs, "/lower.txt", 3, 404);

	verify_module(fs);
	unmount_ok(fs);
	/* Everything the module held at once: its cache, a few nodes, rename's two paths, and
	 * the directory indexes, which stay within their budget. */
	assert_true(F.peak_bytes <= 8 * 1024 + FAT_DIX_BUDGET);
	save_image(img);
	fats_identical(F.img);
	verify_host(img);

	/* And again after a fresh mount. */
	reset_fake();
	fs = mount_ok();
	verify_module(fs);
	assert_int_equal(ops->stat(fs, "/moved/..", &st), -MV_EINVAL);
	len = 0;
	buf = host_get(img, "/moved/renamed.txt", &len);
	assert_null(buf);
	unmount_ok(fs);
}

/* Clusters freed with old data in them come back as directory and file clusters: whatever
 * the module allocates must not show the old bytes. */
static void test_reuse_dirty_clusters(void **state)
{
	const struct vol *v = *state;
	char img[256], name[128];
	struct mv_fs *fs;
	struct mv_file *f;
	uint8_t *buf;
	size_t junk = 400000;

	img_name(img, sizeof(img), v, "reuse");
	model_reset();
	make_image(img, v->fat, NULL);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	buf = malloc(junk);
	memset(buf, 0x41, junk);
	write_file(fs, "/junk.bin", buf, junk);
	assert_int_equal(ops->unlink(fs, "/junk.bin"), 0);
	unmount_ok(fs);
	if (v->fat == 32)
		put32(F.img + (size_t)get16(F.img + 48) * 512 + 492, 0xFFFFFFFF);
	reset_fake();
	fs = mount_ok();
	do_mkdir(fs, "/d");
	for (int i = 0; i < 120; i++) {
		snprintf(name, sizeof(name), "/d/reused directory slot number %d", i);
		add_file(fs, name, 0, 0);
	}
	do_mkdir(fs, "/d/sub");
	memset(buf, 0, 70000);
	f = xopen(fs, "/hole", MV_O_CREAT | MV_O_WRONLY);
	assert_int_equal(ops->seek(fs, f, 69999, MV_SEEK_SET), 69999);
	assert_int_equal(ops->write(fs, f, "", 1), 1);
	assert_int_equal(ops->truncate(fs, f, 140000), 0);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/hole", buf, 70000);
	memset(buf + 70000, 0, 70000);
	model_file("/hole", buf, 140000);
	free(buf);
	verify_module(fs);
	unmount_ok(fs);
	save_image(img);
	verify_host(img);
}

static void expect_slot(uint8_t *img, const struct geo *g, const char *sfn, uint8_t ntres, bool lfn)
{
	uint8_t *s = root_slot(img, g, sfn);

	if (!s)
		fprintf(stderr, "no slot '%s'\n", sfn);
	assert_non_null(s);
	assert_int_equal(s[12], ntres);
	/* A long name sits in the slot just before; checksums are fsck's job. */
	assert_int_equal(s[-32 + 11] == 0x0F, lfn);
}

static void test_names(void **state)
{
	static const struct vol v16 = {16, "fat16"};
	char img[256], name[300], longname[300];
	struct mv_fs *fs;
	struct mv_file *f;
	struct mv_dirent ent;
	struct mv_stat st;
	struct geo g;
	bool seen_long = false, seen_mixed = false, seen_lower = false;
	int ret;

	(void)state;
	img_name(img, sizeof(img), &v16, "names");
	model_reset();
	make_image(img, 16, NULL);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	add_file(fs, "/lower.txt", 1, 1);
	add_file(fs, "/UP.TXT", 1, 2);
	add_file(fs, "/Mixed.txt", 1, 3);
	add_file(fs, "/longfilename1.txt", 10, 4);
	add_file(fs, "/longfilename2.txt", 20, 5);
	for (int i = 0; i < 12; i++) {
		snprintf(name, sizeof(name), "/longname%02d.txt", i);
		add_file(fs, name, 1, 10 + (uint32_t)i);
	}
	add_file(fs, "/.bashrc", 1, 6);
	add_file(fs, "/a.b.c.d", 1, 7);
	add_file(fs, "/x+y=z.txt", 1, 8);
	add_file(fs, "/with space", 1, 9);

	/* The alias opens the file it belongs to. */
	f = xopen(fs, "/LONGFI~2.TXT", MV_O_RDONLY);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 20);
	assert_int_equal(ops->close(fs, f), 0);
	/* An existing name in another case is the same file. */
	assert_int_equal(try_open(fs, "/LOWER.TXT", MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY),
			 -MV_EEXIST);
	assert_int_equal(try_open(fs, "/longfi~1.txt", MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY),
			 -MV_EEXIST);

	/* Names FAT cannot hold. */
	assert_int_equal(try_open(fs, "/a*b", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/bad:name", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/trail.", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/trail ", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/\x01x", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/bad\xff.txt", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/./x", MV_O_CREAT | MV_O_WRONLY), -MV_EINVAL);
	assert_int_equal(ops->mkdir(fs, "/q?"), -MV_EINVAL);
	memset(longname, 'y', sizeof(longname));
	longname[0] = '/';
	longname[257] = '\0';
	assert_int_equal(try_open(fs, longname, MV_O_CREAT | MV_O_WRONLY), -MV_ENAMETOOLONG);

	/* readdir gives long names as created and 8.3 names in the case they were given. */
	f = xopen(fs, "/", MV_O_RDONLY | MV_O_DIRECTORY);
	while ((ret = ops->readdir(fs, f, &ent)) == 1) {
		seen_long |= strcmp(ent.name, "longfilename2.txt") == 0;
		seen_mixed |= strcmp(ent.name, "Mixed.txt") == 0;
		seen_lower |= strcmp(ent.name, "lower.txt") == 0;
		assert_string_not_equal(ent.name, "TESTVOL");
	}
	assert_int_equal(ret, 0);
	assert_int_equal(ops->close(fs, f), 0);
	assert_true(seen_long && seen_mixed && seen_lower);
	verify_module(fs);
	unmount_ok(fs);

	geo_of(F.img, &g);
	expect_slot(F.img, &g, "LOWER   TXT", FAT_NT_LOWER_BASE | FAT_NT_LOWER_EXT, false);
	expect_slot(F.img, &g, "UP      TXT", 0, false);
	expect_slot(F.img, &g, "MIXED   TXT", 0, true);
	expect_slot(F.img, &g, "LONGFI~1TXT", 0, true);
	expect_slot(F.img, &g, "LONGFI~2TXT", 0, true);
	expect_slot(F.img, &g, "LONGNA~9TXT", 0, true);
	expect_slot(F.img, &g, "LONGN~10TXT", 0, true);
	expect_slot(F.img, &g, "LONGN~11TXT", 0, true);
	expect_slot(F.img, &g, "BASHRC~1   ", 0, true);
	expect_slot(F.img, &g, "A~1     D  ", 0, true);
	expect_slot(F.img, &g, "X_Y_Z~1 TXT", 0, true);
	expect_slot(F.img, &g, "WITHSP~1   ", 0, true);
	save_image(img);
	verify_host(img);
}

static void test_semantics(void **state)
{
	static const struct vol v16 = {16, "fat16"};
	char img[256];
	struct mv_fs *fs;
	struct mv_file *f, *g2, *d;
	struct mv_stat st;
	struct mv_dirent ent;
	uint8_t buf[6000], data[6000];

	(void)state;
	img_name(img, sizeof(img), &v16, "sem");
	populate(img, 16);
	assert_int_equal(run("mattrib -i '%s' +r ::/UPPER.TXT", img), 0);
	load_image(img);
	reset_fake();
	fs = mount_ok();

	/* An empty file keeps its inode number when it gets its first cluster. */
	{
		struct mv_stat before, after, fst;

		f = xopen(fs, "/ino.txt", MV_O_CREAT | MV_O_EXCL | MV_O_RDWR);
		assert_int_equal(ops->stat(fs, "/ino.txt", &before), 0);
		assert_int_equal(ops->write(fs, f, "grows", 5), 5);
		assert_int_equal(ops->fstat(fs, f, &fst), 0);
		assert_int_equal(ops->stat(fs, "/ino.txt", &after), 0);
		assert_int_equal(after.size, 5);
		assert_int_equal(before.ino, after.ino);
		assert_int_equal(fst.ino, after.ino);
		assert_int_equal(ops->close(fs, f), 0);
		assert_int_equal(ops->unlink(fs, "/ino.txt"), 0);
	}

	/* open() flag rules. */
	assert_int_equal(try_open(fs, "/nope", MV_O_RDONLY), -MV_ENOENT);
	assert_int_equal(try_open(fs, "/hello.txt", MV_O_CREAT | MV_O_EXCL | MV_O_RDWR),
			 -MV_EEXIST);
	assert_int_equal(try_open(fs, "/hello.txt", MV_O_RDONLY | MV_O_DIRECTORY), -MV_ENOTDIR);
	assert_int_equal(try_open(fs, "/hello.txt/", MV_O_RDONLY), -MV_ENOTDIR);
	assert_int_equal(try_open(fs, "/dir1", MV_O_WRONLY), -MV_EISDIR);
	assert_int_equal(try_open(fs, "/dir1", MV_O_CREAT | MV_O_RDONLY), -MV_EISDIR);
	assert_int_equal(try_open(fs, "/", MV_O_RDWR), -MV_EISDIR);
	assert_int_equal(try_open(fs, "/", MV_O_CREAT | MV_O_EXCL), -MV_EEXIST);
	assert_int_equal(try_open(fs, "/newdir", MV_O_CREAT | MV_O_DIRECTORY), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/new/", MV_O_CREAT | MV_O_WRONLY), -MV_EISDIR);
	assert_int_equal(try_open(fs, "/hello.txt", 3), -MV_EINVAL);
	assert_int_equal(try_open(fs, "/nodir/x", MV_O_CREAT | MV_O_WRONLY), -MV_ENOENT);
	assert_int_equal(try_open(fs, "/dir1", MV_O_RDONLY), 0);
	/* The read-only attribute. */
	assert_int_equal(try_open(fs, "/UPPER.TXT", MV_O_WRONLY), -MV_EPERM);
	assert_int_equal(ops->stat(fs, "/UPPER.TXT", &st), 0);
	assert_int_equal(st.mode, MV_S_IFREG | 0444);

	/* mkdir/rmdir/unlink/rename errors. */
	assert_int_equal(ops->mkdir(fs, "/dir1"), -MV_EEXIST);
	assert_int_equal(ops->mkdir(fs, "/"), -MV_EEXIST);
	assert_int_equal(ops->mkdir(fs, "/x/y"), -MV_ENOENT);
	assert_int_equal(ops->rmdir(fs, "/"), -MV_EBUSY);
	assert_int_equal(ops->rmdir(fs, "/hello.txt"), -MV_ENOTDIR);
	assert_int_equal(ops->rmdir(fs, "/dir1"), -MV_ENOTEMPTY);
	assert_int_equal(ops->rmdir(fs, "/nope"), -MV_ENOENT);
	assert_int_equal(ops->unlink(fs, "/dir1"), -MV_EISDIR);
	assert_int_equal(ops->unlink(fs, "/"), -MV_EISDIR);
	assert_int_equal(ops->unlink(fs, "/nope"), -MV_ENOENT);
	assert_int_equal(ops->rename(fs, "/nope", "/x"), -MV_ENOENT);
	assert_int_equal(ops->rename(fs, "/dir1", "/dir1/Sub Dir Two/inside"), -MV_EINVAL);
	assert_int_equal(ops->rename(fs, "/dir1", "/dir1/x"), -MV_EINVAL);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/dir1"), -MV_EISDIR);
	assert_int_equal(ops->rename(fs, "/dir1/Sub Dir Two", "/hello.txt"), -MV_ENOTDIR);
	assert_int_equal(ops->mkdir(fs, "/full"), 0);
	assert_int_equal(ops->mkdir(fs, "/full/x"), 0);
	assert_int_equal(ops->rename(fs, "/dir1/Sub Dir Two", "/full"), -MV_ENOTEMPTY);
	assert_int_equal(ops->rename(fs, "/", "/x"), -MV_EBUSY);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/"), -MV_EBUSY);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/HELLO.TXT"), 0);
	assert_int_equal(ops->rename(fs, "/HELLO.TXT", "/HELLO.TXT"), 0);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/hello.txt"), 0);
	model_rename("/hello.txt", "/HELLO.TXT");
	/* A directory replaces an empty one. */
	assert_int_equal(ops->mkdir(fs, "/empty2"), 0);
	assert_int_equal(ops->rename(fs, "/full", "/empty2"), 0);
	model_dir("/empty2");
	model_dir("/empty2/x");

	/* Two handles share one file. */
	pattern(data, sizeof(data), 77);
	f = xopen(fs, "/two.bin", MV_O_CREAT | MV_O_RDWR);
	g2 = xopen(fs, "/TWO.BIN", MV_O_RDWR);
	assert_int_equal(ops->write(fs, f, data, 5000), 5000);
	assert_int_equal(ops->fstat(fs, g2, &st), 0);
	assert_int_equal(st.size, 5000);
	assert_int_equal(ops->read(fs, g2, buf, sizeof(buf)), 5000);
	assert_memory_equal(buf, data, 5000);
	assert_int_equal(ops->truncate(fs, g2, 100), 0);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 100);
	/* The unmount waits for open files. */
	assert_int_equal(ops->unmount(fs), -MV_EBUSY);
	assert_int_equal(ops->close(fs, g2), 0);
	assert_int_equal(ops->seek(fs, f, 100, MV_SEEK_SET), 100);

	/* Unlinked while open: gone from the namespace, still readable, freed at close. */
	assert_int_equal(ops->unlink(fs, "/two.bin"), 0);
	assert_int_equal(ops->stat(fs, "/two.bin", &st), -MV_ENOENT);
	assert_int_equal(ops->write(fs, f, data, 6000), 6000);
	assert_int_equal(ops->seek(fs, f, 100, MV_SEEK_SET), 100);
	assert_int_equal(ops->read(fs, f, buf, sizeof(buf)), 6000);
	assert_memory_equal(buf, data, 6000);
	add_file(fs, "/reuse.bin", 3000, 78); /* must not land on two.bin's clusters */
	assert_int_equal(ops->seek(fs, f, 100, MV_SEEK_SET), 100);
	assert_int_equal(ops->read(fs, f, buf, sizeof(buf)), 6000);
	assert_memory_equal(buf, data, 6000);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 6100);
	assert_int_equal(ops->close(fs, f), 0);

	/* A renamed open file keeps being written where it now lives. */
	f = xopen(fs, "/dir1/Sub Dir Two/deep.bin", MV_O_WRONLY | MV_O_APPEND);
	do_rename(fs, "/dir1/Sub Dir Two", "/sub");
	assert_int_equal(ops->write(fs, f, "++", 2), 2);
	assert_int_equal(ops->close(fs, f), 0);
	pattern(data, 5000, 2);
	memcpy(data + 5000, "++", 2);
	model_file("/sub/deep.bin", data, 5002);
	assert_int_equal(ops->stat(fs, "/sub/deep.bin", &st), 0);
	assert_int_equal(st.size, 5002);

	/* An open file renamed itself: its size and chain go to the new slot, not the old. */
	f = xopen(fs, "/sub/deep.bin", MV_O_WRONLY | MV_O_APPEND);
	do_rename(fs, "/sub/deep.bin", "/sub/a new and longer name for deep.bin");
	assert_int_equal(ops->write(fs, f, "!!", 2), 2);
	assert_int_equal(ops->close(fs, f), 0);
	memcpy(data + 5002, "!!", 2);
	model_file("/sub/a new and longer name for deep.bin", data, 5004);
	assert_int_equal(ops->rename(fs, "/hello.txt/", "/x"), -MV_ENOTDIR);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/x/"), -MV_ENOTDIR);

	/* Replacing a file that is open keeps the open one readable. */
	f = xopen(fs, "/f1.bin", MV_O_RDONLY);
	do_rename(fs, "/f3.bin", "/f1.bin");
	assert_int_equal(ops->read(fs, f, buf, 10000 > sizeof(buf) ? sizeof(buf) : 10000),
			 sizeof(buf));
	pattern(data, sizeof(data), 3);
	assert_memory_equal(buf, data, sizeof(buf));
	assert_int_equal(ops->close(fs, f), 0);

	/* rmdir of an open directory: readdir just ends. */
	assert_int_equal(ops->mkdir(fs, "/gone"), 0);
	d = xopen(fs, "/gone", MV_O_RDONLY | MV_O_DIRECTORY);
	assert_int_equal(ops->rmdir(fs, "/gone"), 0);
	assert_int_equal(ops->readdir(fs, d, &ent), 0);
	assert_int_equal(ops->close(fs, d), 0);

	/* readdir can be rewound with seek. */
	d = xopen(fs, "/dir1", MV_O_RDONLY | MV_O_DIRECTORY);
	assert_int_equal(ops->readdir(fs, d, &ent), 0);
	assert_int_equal(ops->seek(fs, d, 0, MV_SEEK_SET), 0);
	assert_int_equal(ops->readdir(fs, d, &ent), 0);
	assert_int_equal(ops->seek(fs, d, 0, MV_SEEK_END), -MV_EINVAL);
	assert_int_equal(ops->close(fs, d), 0);
	d = xopen(fs, "/sub", MV_O_RDONLY | MV_O_DIRECTORY);
	assert_int_equal(ops->readdir(fs, d, &ent), 1);
	assert_string_equal(ent.name, "a new and longer name for deep.bin");
	assert_int_equal(ops->readdir(fs, d, &ent), 0);
	assert_int_equal(ops->seek(fs, d, 0, MV_SEEK_SET), 0);
	assert_int_equal(ops->readdir(fs, d, &ent), 1);
	assert_int_equal(ops->close(fs, d), 0);

	/* Bad handles. */
	assert_int_equal(ops->close(fs, NULL), -MV_EBADF);
	assert_int_equal(ops->read(fs, NULL, buf, 1), -MV_EBADF);
	assert_int_equal(ops->fstat(NULL, NULL, &st), -MV_EBADF);
	assert_int_equal(ops->stat(fs, "/", NULL), -MV_EFAULT);
	assert_int_equal(ops->stat(fs, NULL, &st), -MV_EINVAL);

	/* Writes past the 4 GiB FAT limit. */
	f = xopen(fs, "/limit.bin", MV_O_CREAT | MV_O_RDWR);
	assert_int_equal(ops->seek(fs, f, 0x100000000LL, MV_SEEK_SET), 0x100000000LL);
	assert_int_equal(ops->write(fs, f, "x", 1), -MV_EFBIG);
	assert_int_equal(ops->truncate(fs, f, 0x100000000ULL), -MV_EFBIG);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/limit.bin", "", 0);

	/* rmdir of an emptied directory; unlink of an empty file. */
	assert_int_equal(ops->unlink(fs, "/empty.txt"), 0);
	model_del("/empty.txt");
	assert_int_equal(ops->unlink(fs, "/dir1/Sub Dir Two/deep.bin"), -MV_ENOENT);
	assert_int_equal(ops->stat(fs, "/sub/deep.bin", &st), -MV_ENOENT);
	verify_module(fs);
	unmount_ok(fs);
	save_image(img);
	verify_host(img);
}

static void test_times(void **state)
{
	static const struct vol v16 = {16, "fat16"};
	char img[256], out[256], *text;
	struct mv_fs *fs;
	struct mv_file *f;
	struct mv_stat st;
	size_t len;

	(void)state;
	img_name(img, sizeof(img), &v16, "times");
	model_reset();
	make_image(img, 16, NULL);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	F.now = 1700000000;
	add_file(fs, "/t1.txt", 1, 1);
	assert_int_equal(ops->stat(fs, "/t1.txt", &st), 0);
	assert_int_equal(st.mtime, 1700000000);
	do_mkdir(fs, "/d");
	assert_int_equal(ops->stat(fs, "/d", &st), 0);
	assert_int_equal(st.mtime, 1700000000);
	/* FAT keeps two-second steps. */
	F.now = 1700000001;
	add_file(fs, "/t2.txt", 1, 2);
	assert_int_equal(ops->stat(fs, "/t2.txt", &st), 0);
	assert_int_equal(st.mtime, 1700000000);
	/* No clock: 1980-01-01, FAT's epoch. */
	F.now = 0;
	add_file(fs, "/t3.txt", 1, 3);
	assert_int_equal(ops->stat(fs, "/t3.txt", &st), 0);
	assert_int_equal(st.mtime, 315532800);
	/* Past 2107 the seven year bits run out: clamped. */
	F.now = 5000000000ULL;
	add_file(fs, "/t4.txt", 1, 4);
	assert_int_equal(ops->stat(fs, "/t4.txt", &st), 0);
	assert_int_equal(st.mtime, 4354819198ULL);
	/* A write stamps the time, and fstat sees it. */
	F.now = 1600000000;
	f = xopen(fs, "/t1.txt", MV_O_WRONLY);
	assert_int_equal(ops->write(fs, f, "z", 1), 1);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.mtime, 1600000000);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/t1.txt", "z", 1);
	unmount_ok(fs);
	save_image(img);
	verify_host(img);
	tpath(out, sizeof(out), "mdir.txt");
	assert_int_equal(run("mdir -i '%s' ::/ >'%s'", img, out), 0);
	text = (char *)slurp(out, &len);
	text[len] = '\0';
	assert_non_null(strstr(text, "2020-09-13"));
	assert_non_null(strstr(text, "2023-11-14"));
	assert_non_null(strstr(text, "1980-01-01"));
	assert_non_null(strstr(text, "2107-12-31"));
	free(text);
}

static uint32_t count_free(const uint8_t *img, const struct geo *g)
{
	uint32_t n = 0;

	for (uint32_t c = 2; c < g->count + 2; c++)
		n += geo_get(img, g, c) == 0;
	return n;
}

static void check_fsinfo(const uint8_t *img)
{
	struct geo g;
	const uint8_t *fsi;

	geo_of(img, &g);
	fsi = img + (size_t)get16(img + 48) * 512;
	assert_int_equal(get32(fsi), 0x41615252);
	assert_int_equal(get32(fsi + 488), count_free(img, &g));
	assert_true(get32(fsi + 492) >= 2 && get32(fsi + 492) < g.count + 2);
}

static void test_fsinfo(void **state)
{
	static const struct vol v32 = {32, "fat32"};
	char img[256], name[64];
	struct mv_fs *fs;
	struct mv_file *f;
	uint8_t *buf;

	(void)state;
	img_name(img, sizeof(img), &v32, "fsinfo");
	populate(img, 32);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	for (int i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/file%d.bin", i);
		add_file(fs, name, (size_t)i * 1000, (uint32_t)i);
	}
	for (int i = 0; i < 20; i += 2) {
		snprintf(name, sizeof(name), "/file%d.bin", i);
		assert_int_equal(ops->unlink(fs, name), 0);
		model_del(name);
	}
	/* sync while mounted brings FSInfo and both FATs up to date. */
	buf = calloc(1, 1 << 20);
	f = xopen(fs, "/mega.bin", MV_O_CREAT | MV_O_WRONLY);
	assert_int_equal(ops->write(fs, f, buf, 1 << 20), 1 << 20);
	assert_int_equal(ops->sync(fs), 0);
	assert_true(F.flushes > 0);
	check_fsinfo(F.img);
	fats_identical(F.img);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/mega.bin", buf, 1 << 20);
	free(buf);
	assert_int_equal(ops->unlink(fs, "/big.bin"), 0);
	model_del("/big.bin");
	unmount_ok(fs);
	check_fsinfo(F.img);
	fats_identical(F.img);
	save_image(img);
	verify_host(img);
}

static void test_root_full(void **state)
{
	static const struct vol v12 = {12, "fat12"};
	char img[256], name[64];
	struct mv_fs *fs;
	int n = 0, ret;

	(void)state;
	img_name(img, sizeof(img), &v12, "rootfull");
	model_reset();
	make_image(img, 12, "-r 112");
	load_image(img);
	reset_fake();
	fs = mount_ok();
	do_mkdir(fs, "/D");
	add_file(fs, "/D/a file with a long name.txt", 700, 5);
	n = 1;
	for (;;) {
		snprintf(name, sizeof(name), "/F%03d.TXT", n);
		ret = try_open(fs, name, MV_O_CREAT | MV_O_WRONLY);
		if (ret == -MV_ENOSPC)
			break;
		assert_int_equal(ret, 0);
		model_file(name, "", 0);
		n++;
	}
	/* The fixed root cannot grow: 112 slots, one holds the volume label, one /D. */
	assert_int_equal(n, 111);
	assert_int_equal(ops->mkdir(fs, "/E"), -MV_ENOSPC);
	/* A rename that finds no room leaves the source where it was... */
	assert_int_equal(ops->rename(fs, "/D/a file with a long name.txt", "/longer name.txt"),
			 -MV_ENOSPC);
	/* ...and so does one that would replace a one-slot entry with a two-slot name. */
	assert_int_equal(ops->rename(fs, "/D/a file with a long name.txt", "/f001.Txt"),
			 -MV_ENOSPC);
	verify_module(fs);
	assert_int_equal(ops->unlink(fs, "/F010.TXT"), 0);
	model_del("/F010.TXT");
	assert_int_equal(try_open(fs, "/a long name.txt", MV_O_CREAT | MV_O_WRONLY), -MV_ENOSPC);
	add_file(fs, "/short.txt", 10, 1);
	verify_module(fs);
	unmount_ok(fs);
	save_image(img);
	verify_host(img);
}

static void test_disk_full(void **state)
{
	static const struct vol v12 = {12, "fat12"};
	char img[256];
	struct mv_fs *fs;
	struct mv_file *f;
	uint8_t *buf;
	size_t cap = 3 << 20;
	int64_t n;
	uint32_t free_clusters, clus_bytes;
	struct geo g;

	(void)state;
	img_name(img, sizeof(img), &v12, "full");
	model_reset();
	make_image(img, 12, NULL);
	load_image(img);
	geo_of(F.img, &g);
	free_clusters = count_free(F.img, &g);
	reset_fake();
	fs = mount_ok();
	clus_bytes = fs->clus_bytes;
	buf = malloc(cap);
	pattern(buf, cap, 9);
	f = xopen(fs, "/fill.bin", MV_O_CREAT | MV_O_RDWR);
	assert_int_equal(ops->seek(fs, f, 100, MV_SEEK_SET), 100);
	/* A write that does not fit writes what fits and says how much. */
	n = ops->write(fs, f, buf + 100, cap - 100);
	assert_int_equal(n, (int64_t)free_clusters * clus_bytes - 100);
	assert_int_equal(ops->write(fs, f, buf, 1), -MV_ENOSPC);
	assert_int_equal(ops->truncate(fs, f, (uint64_t)n + 100 + clus_bytes), -MV_ENOSPC);
	assert_int_equal(ops->close(fs, f), 0);
	memset(buf, 0, 100);
	model_file("/fill.bin", buf, (size_t)n + 100);
	assert_int_equal(ops->mkdir(fs, "/d"), -MV_ENOSPC);
	f = xopen(fs, "/x.txt", MV_O_CREAT | MV_O_RDWR);
	assert_int_equal(ops->write(fs, f, "x", 1), -MV_ENOSPC);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/x.txt", "", 0);
	verify_module(fs);
	unmount_ok(fs);
	free(buf);
	save_image(img);
	verify_host(img);
}

struct mutation {
	int fat;
	uint32_t off, width, val;
	int expect;
	const char *what;
};

static void test_bad_bpb(void **state)
{
	static const struct mutation muts[] = {
	    {16, 510, 1, 0x00, -MV_EUCLEAN, "boot signature"},
	    {16, 11, 2, 0, -MV_EUCLEAN, "zero bytes per sector"},
	    {16, 11, 2, 513, -MV_EUCLEAN, "513 bytes per sector"},
	    {16, 11, 2, 1024, -MV_EINVAL, "1024 bytes per sector"},
	    {16, 13, 1, 0, -MV_EUCLEAN, "zero sectors per cluster"},
	    {16, 13, 1, 3, -MV_EUCLEAN, "three sectors per cluster"},
	    {12, 13, 1, 6, -MV_EUCLEAN, "six sectors per cluster"},
	    {16, 14, 2, 0, -MV_EUCLEAN, "no reserved sectors"},
	    {16, 16, 1, 0, -MV_EUCLEAN, "no FATs"},
	    {16, 17, 2, 0, -MV_EUCLEAN, "FAT16 without root entries"},
	    {16, 22, 2, 1, -MV_EUCLEAN, "FAT16 FAT too short"},
	    {12, 22, 2, 1, -MV_EUCLEAN, "FAT12 FAT too short"},
	    {16, 19, 2, 0, -MV_EUCLEAN, "zero total sectors"},
	    {16, 19, 2, 65535, -MV_EUCLEAN, "volume larger than the device"},
	    {12, 22, 2, 0xFFFF, -MV_EUCLEAN, "FATs fill the volume"},
	    {32, 44, 4, 0, -MV_EUCLEAN, "FAT32 root cluster 0"},
	    {32, 44, 4, 0x0FFFFFF0, -MV_EUCLEAN, "FAT32 root cluster past the end"},
	    {32, 36, 4, 1, -MV_EUCLEAN, "FAT32 FAT too short"},
	    {32, 22, 2, 1, -MV_EUCLEAN, "FAT32 volume with a FAT16 FAT size"},
	    {32, 17, 2, 512, -MV_EUCLEAN, "FAT32 with root entries"},
	    {32, 42, 2, 1, -MV_EINVAL, "FAT32 version 0.1"},
	    {32, 40, 2, 0x8F, -MV_EUCLEAN, "FAT32 active FAT out of range"},
	};
	char img[3][256];
	uint8_t *pristine[3];
	size_t sizes[3];
	struct mv_fs *fs;

	(void)state;
	for (int i = 0; i < 3; i++) {
		img_name(img[i], sizeof(img[i]), &vols[i], "bpb");
		make_image(img[i], vols[i].fat, NULL);
		pristine[i] = slurp(img[i], &sizes[i]);
	}
	for (size_t m = 0; m < sizeof(muts) / sizeof(muts[0]); m++) {
		int k = muts[m].fat == 12 ? 0 : muts[m].fat == 16 ? 1 : 2;
		int ret;

		load_copy(pristine[k], sizes[k]);
		if (muts[m].width == 1)
			F.img[muts[m].off] = (uint8_t)muts[m].val;
		else if (muts[m].width == 2)
			put16(F.img + muts[m].off, muts[m].val);
		else
			put32(F.img + muts[m].off, muts[m].val);
		reset_fake();
		fs = NULL;
		ret = ops->mount(&fs);
		if (ret != muts[m].expect)
			fprintf(stderr, "%s: got %d\n", muts[m].what, ret);
		assert_int_equal(ret, muts[m].expect);
		assert_int_equal(F.live_allocs, 0);
		assert_int_equal(F.locks_live, 0);
		assert_int_equal(F.oob, 0);
	}
	/* What mkfs.vfat -F 32 makes on a small volume: by the cluster count it is not FAT32. */
	assert_int_equal(
	    run("rm -f '%s' && mkfs.vfat -C -F 32 '%s' 20000 >/dev/null 2>&1", img[2], img[2]), 0);
	load_image(img[2]);
	reset_fake();
	assert_int_equal(ops->mount(&fs), -MV_EUCLEAN);
	/* The device shorter than the volume, an empty device, a failing device. */
	load_copy(pristine[1], sizes[1]);
	reset_fake();
	F.dev_sectors -= 1;
	assert_int_equal(ops->mount(&fs), -MV_EUCLEAN);
	F.dev_sectors = 0;
	assert_int_equal(ops->mount(&fs), -MV_EUCLEAN);
	load_copy(pristine[1], sizes[1]);
	reset_fake();
	F.read_fail_in = 1;
	assert_int_equal(ops->mount(&fs), -MV_EIO);
	assert_int_equal(F.live_allocs, 0);
	/* Unmodified images mount, and are detected as the right type. */
	for (int i = 0; i < 3; i++) {
		load_copy(pristine[i], sizes[i]);
		reset_fake();
		fs = mount_ok();
		assert_int_equal(fs->type, fat_of(vols[i].fat));
		unmount_ok(fs);
		free(pristine[i]);
	}
}

/* The slot with short name sfn in directory dir_clus (0: the fixed root), or NULL. */
static uint8_t *find_sfn(uint8_t *img, const struct geo *g, uint32_t dir_clus, const char *sfn)
{
	if (dir_clus == 0)
		return root_slot(img, g, sfn);
	for (uint32_t n = 0; dir_clus >= 2 && dir_clus < g->count + 2 && n < g->count; n++) {
		uint8_t *base =
		    img + ((size_t)g->data_start + (size_t)(dir_clus - 2) * g->spc) * 512;

		for (uint32_t i = 0; i < g->spc * 16; i++) {
			uint8_t *s = base + i * 32;

			if (s[0] != 0xE5 && s[11] != 0x0F && memcmp(s, sfn, 11) == 0)
				return s;
		}
		dir_clus = geo_get(img, g, dir_clus);
	}
	return NULL;
}

static uint32_t chain_at(const uint8_t *img, const struct geo *g, uint32_t c, uint32_t idx)
{
	while (idx--)
		c = geo_get(img, g, c);
	return c;
}

static uint32_t chain_last(const uint8_t *img, const struct geo *g, uint32_t c)
{
	while (geo_get(img, g, c) < g->count + 2)
		c = geo_get(img, g, c);
	return c;
}

static void expect_open(const char *path, int flags, int expect)
{
	struct mv_fs *fs;
	int ret;

	reset_fake();
	fs = mount_ok();
	ret = try_open(fs, path, flags);
	if (ret != expect)
		fprintf(stderr, "open %s: %d, expected %d\n", path, ret, expect);
	assert_int_equal(ret, expect);
	/* The rest of the volume still works. */
	expect_file(fs, "/f1.bin", model_find("/f1.bin")->data, 10000);
	unmount_ok(fs);
}

static void test_bad_chains(void **state)
{
	const struct vol *v = *state;
	char img[256];
	struct mv_fs *fs;
	struct mv_stat st;
	struct mv_dirent ent;
	struct mv_file *d;
	uint32_t big, hello, spare, n_listed = 0;
	uint8_t *pristine, *slot;
	size_t size;
	struct geo g;
	int ret;

	img_name(img, sizeof(img), v, "chains");
	populate(img, v->fat);
	pristine = slurp(img, &size);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	big = first_cluster(fs, "/big.bin");
	hello = first_cluster(fs, "/hello.txt");
	unmount_ok(fs);
	geo_of(pristine, &g);
	spare = g.count + 1;
	while (geo_get(pristine, &g, spare) != 0)
		spare--;

#define RESTORE() memcpy(F.img, pristine, size)
	/* A loop back to the start, and a loop in the middle. */
	RESTORE();
	geo_set(F.img, &g, chain_last(F.img, &g, big), big);
	expect_open("/big.bin", MV_O_RDONLY, -MV_EUCLEAN);
	/* Freeing a looping chain ends too. */
	reset_fake();
	fs = mount_ok();
	assert_int_equal(ops->unlink(fs, "/big.bin"), -MV_EUCLEAN);
	unmount_ok(fs);
	RESTORE();
	geo_set(F.img, &g, chain_at(F.img, &g, big, 10), chain_at(F.img, &g, big, 5));
	expect_open("/big.bin", MV_O_RDONLY, -MV_EUCLEAN);
	/* Pointing out of range, to cluster 1, at a free or a bad cluster. */
	RESTORE();
	geo_set(F.img, &g, big, g.count + 2);
	expect_open("/big.bin", MV_O_RDONLY, -MV_EUCLEAN);
	RESTORE();
	geo_set(F.img, &g, chain_at(F.img, &g, big, 3), 1);
	expect_open("/big.bin", MV_O_RDONLY, -MV_EUCLEAN);
	RESTORE();
	geo_set(F.img, &g, big, 0);
	expect_open("/big.bin", MV_O_RDWR, -MV_EUCLEAN);
	RESTORE();
	geo_set(F.img, &g, big, geo_bad(&g));
	expect_open("/big.bin", MV_O_RDONLY, -MV_EUCLEAN);
	/* Shorter and longer than the size says. */
	RESTORE();
	geo_set(F.img, &g, chain_at(F.img, &g, big, 7), geo_eoc(&g));
	expect_open("/big.bin", MV_O_RDONLY, -MV_EUCLEAN);
	RESTORE();
	geo_set(F.img, &g, hello, spare);
	geo_set(F.img, &g, spare, geo_eoc(&g));
	expect_open("/hello.txt", MV_O_RDONLY, -MV_EUCLEAN);

	/* Entries with impossible cluster numbers: errors on access, still listed. */
	RESTORE();
	slot = find_sfn(F.img, &g, g.root_clus, "HELLO   TXT");
	assert_non_null(slot);
	put16(slot + 26, 0xFFF0);
	if (g.fat == 32)
		put16(slot + 20, 0x0FFF);
	expect_open("/hello.txt", MV_O_RDONLY, -MV_EUCLEAN);
	reset_fake();
	fs = mount_ok();
	assert_int_equal(ops->stat(fs, "/hello.txt", &st), -MV_EUCLEAN);
	assert_int_equal(ops->unlink(fs, "/hello.txt"), -MV_EUCLEAN);
	assert_int_equal(ops->rename(fs, "/hello.txt", "/x"), -MV_EUCLEAN);
	d = xopen(fs, "/", MV_O_RDONLY | MV_O_DIRECTORY);
	while ((ret = ops->readdir(fs, d, &ent)) == 1)
		n_listed++;
	assert_int_equal(ret, 0);
	assert_int_equal(ops->close(fs, d), 0);
	assert_int_equal(n_listed, 9);
	unmount_ok(fs);
	RESTORE();
	slot = find_sfn(F.img, &g, g.root_clus, "DIR1       ");
	assert_non_null(slot);
	put16(slot + 26, 0);
	put16(slot + 20, 0);
	expect_open("/dir1", MV_O_RDONLY, -MV_EUCLEAN);
	expect_open("/dir1/Sub Dir Two/deep.bin", MV_O_RDONLY, -MV_EUCLEAN);
	/* A zero-length file that owns a cluster. */
	RESTORE();
	slot = find_sfn(F.img, &g, g.root_clus, "EMPTY   TXT");
	assert_non_null(slot);
	put16(slot + 26, hello & 0xFFFF);
	put16(slot + 20, hello >> 16);
	expect_open("/empty.txt", MV_O_RDONLY, -MV_EUCLEAN);
#undef RESTORE
	free(pristine);
}

static void test_dir_loops(void **state)
{
	const struct vol *v = *state;
	char img[256], name[128];
	struct mv_fs *fs;
	struct mv_stat st;
	uint32_t dir, p, q;
	uint8_t *slot;
	struct geo g;

	img_name(img, sizeof(img), v, "dirloop");
	model_reset();
	make_image(img, v->fat, NULL);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	do_mkdir(fs, "/loopdir");
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "/loopdir/entry with a long name %d", i);
		add_file(fs, name, 0, 0);
	}
	do_mkdir(fs, "/p");
	do_mkdir(fs, "/p/q");
	do_mkdir(fs, "/r");
	dir = first_cluster(fs, "/loopdir");
	p = first_cluster(fs, "/p");
	q = first_cluster(fs, "/p/q");
	unmount_ok(fs);
	geo_of(F.img, &g);
	assert_true(chain_last(F.img, &g, dir) != dir);

	/* The directory's chain comes back to its start before its end marker: every walk stops. */
	geo_set(F.img, &g, chain_at(F.img, &g, dir, 1), dir);
	reset_fake();
	fs = mount_ok();
	assert_int_equal(try_open(fs, "/loopdir/nonexistent", MV_O_RDONLY), -MV_EUCLEAN);
	assert_int_equal(try_open(fs, "/loopdir", MV_O_RDONLY | MV_O_DIRECTORY), -MV_EUCLEAN);
	assert_int_equal(ops->stat(fs, "/loopdir", &st), -MV_EUCLEAN);
	assert_int_equal(ops->mkdir(fs, "/loopdir/new"), -MV_EUCLEAN);
	assert_int_equal(try_open(fs, "/loopdir/new file", MV_O_CREAT | MV_O_WRONLY), -MV_EUCLEAN);
	assert_true(ops->rmdir(fs, "/loopdir") < 0);
	/* ".." links in a circle: moving a directory under them stops too. */
	slot = find_sfn(F.img, &g, p, "..         ");
	assert_non_null(slot);
	put16(slot + 26, q & 0xFFFF);
	put16(slot + 20, q >> 16);
	assert_int_equal(ops->rename(fs, "/r", "/p/q/r"), -MV_EUCLEAN);
	unmount_ok(fs);
}

static void test_io_errors(void **state)
{
	static const struct vol v16 = {16, "fat16"};
	char img[256];
	struct mv_fs *fs;
	struct mv_file *f;
	struct mv_stat st;
	uint8_t buf[8192];

	(void)state;
	img_name(img, sizeof(img), &v16, "io");
	populate(img, 16);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	f = xopen(fs, "/big.bin", MV_O_RDONLY);
	F.read_fail_in = 1;
	assert_int_equal(ops->read(fs, f, buf, sizeof(buf)), -MV_EIO);
	assert_int_equal(ops->read(fs, f, buf, sizeof(buf)), sizeof(buf));
	assert_int_equal(ops->close(fs, f), 0);

	/* A failed write leaves the file as it was, chain included. */
	f = xopen(fs, "/new.bin", MV_O_CREAT | MV_O_RDWR);
	F.write_fail_in = 1;
	assert_int_equal(ops->write(fs, f, buf, sizeof(buf)), -MV_EIO);
	assert_int_equal(ops->fstat(fs, f, &st), 0);
	assert_int_equal(st.size, 0);
	assert_int_equal(ops->write(fs, f, "abc", 3), 3);
	/* A failed write-back stays dirty and goes out on the next sync. */
	F.write_fail_in = 1;
	assert_int_equal(ops->sync(fs), -MV_EIO);
	assert_int_equal(ops->sync(fs), 0);
	assert_int_equal(ops->close(fs, f), 0);
	model_file("/new.bin", "abc", 3);
	verify_module(fs);
	unmount_ok(fs);
	save_image(img);
	verify_host(img);
}

static void test_alloc_failures(void **state)
{
	static const struct vol v16 = {16, "fat16"};
	char img[256];
	struct mv_fs *fs;
	int ret, failed = 0;

	(void)state;
	img_name(img, sizeof(img), &v16, "alloc");
	populate(img, 16);
	load_image(img);
	for (int n = 1; n < 10; n++) {
		reset_fake();
		F.alloc_fail_in = n;
		fs = NULL;
		ret = ops->mount(&fs);
		if (ret == 0) {
			F.alloc_fail_in = 0;
			F.check_lock = true;
			unmount_ok(fs);
			continue;
		}
		failed++;
		assert_int_equal(ret, -MV_ENOMEM);
		assert_int_equal(F.live_allocs, 0);
		assert_int_equal(F.locks_live, 0);
	}
	assert_true(failed >= 3);
	reset_fake();
	fs = mount_ok();
	for (int n = 1; n < 4; n++) {
		F.alloc_fail_in = n;
		ret = try_open(fs, "/dir1/Sub Dir Two/deep.bin", MV_O_RDONLY);
		assert_true(ret == 0 || ret == -MV_ENOMEM);
		F.alloc_fail_in = n;
		ret = ops->rename(fs, "/hello.txt", "/hello2.txt");
		F.alloc_fail_in = 0;
		if (ret == 0)
			assert_int_equal(ops->rename(fs, "/hello2.txt", "/hello.txt"), 0);
		else
			assert_int_equal(ret, -MV_ENOMEM);
	}
	F.alloc_fail_in = 0;
	verify_module(fs);
	unmount_ok(fs);
}

/* ---- the directory index (dindex.c): the scan's answers and the scan's image, faster ------- */

#define DIX_NAMES 200

/* Every name the script below uses, some aliases and some names never created. */
static int dix_candidates(char (*out)[96])
{
	int n = 0;

	for (int i = 0; i < DIX_NAMES; i++) {
		snprintf(out[n++], 96, "collide name %d.txt", i);
		snprintf(out[n++], 96, "Renamed collide %d with a much longer name.txt", i);
	}
	for (int i = 0; i < 60; i++)
		snprintf(out[n++], 96, "collide name new %d.txt", i);
	for (int i = 1; i < 120; i += 7)
		snprintf(out[n++], 96, "COLLID~%d.TXT", i);
	for (int i = 100; i < 120; i++)
		snprintf(out[n++], 96, "coll~%d.txt", i);
	for (int i = 0; i < 10; i++)
		snprintf(out[n++], 96, "Sub directory %d", i);
	snprintf(out[n++], 96, "COLLID~3.TXT");
	snprintf(out[n++], 96, "nothere.txt");
	snprintf(out[n++], 96, "COLLIDE NAME 5.txt");
	return n;
}

/* Each candidate looked up through the index and by a full scan: the same entry, byte for byte,
 * with the same long name. */
static void dix_compare(struct mv_fs *fs, const char *dir)
{
	static char names[700][96];
	struct path_res res;
	char probe[128];
	int n = dix_candidates(names);

	F.check_lock = false; /* internals, called without the operations' lock */
	snprintf(probe, sizeof(probe), "%s/x", dir);
	assert_int_equal(path_resolve_parent(fs, probe, &res), 0);
	for (int i = 0; i < n; i++) {
		uint16_t name[FAT_LFN_MAX + 1], lfn[FAT_LFN_MAX + 1];
		struct fat_dirent a, b;
		uint32_t len, lfn_len;
		int ra, rb;

		assert_int_equal(name_from_utf8(names[i], strlen(names[i]), name, &len), 0);
		ra = dir_lookup(fs, res.parent_clus, name, len, &a);
		memcpy(lfn, fs->lfn, sizeof(lfn));
		lfn_len = fs->lfn_len;
		rb = dir_lookup_scan(fs, res.parent_clus, name, len, &b);
		if (ra != rb)
			fprintf(stderr, "%s/%s: index %d, scan %d\n", dir, names[i], ra, rb);
		assert_int_equal(ra, rb);
		if (ra != 1)
			continue;
		assert_memory_equal(a.raw, b.raw, FAT_SLOT);
		assert_int_equal(a.sector, b.sector);
		assert_int_equal(a.off, b.off);
		assert_int_equal(a.first_idx, b.first_idx);
		assert_int_equal(a.sfn_idx, b.sfn_idx);
		assert_int_equal(a.has_lfn, b.has_lfn);
		if (a.has_lfn) {
			assert_int_equal(lfn_len, fs->lfn_len);
			assert_memory_equal(lfn, fs->lfn, lfn_len * sizeof(uint16_t));
		}
	}
	F.check_lock = true;
}

static void dix_create(struct mv_fs *fs, const char *path)
{
	struct mv_file *f = NULL;

	assert_int_equal(ops->open(fs, path, MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY, &f), 0);
	assert_int_equal(ops->write(fs, f, path, 7), 7);
	assert_int_equal(ops->close(fs, f), 0);
}

/* Creates, unlinks, renames (in place, across directories, over a file, case only), mkdir and
 * rmdir in one directory full of long names whose aliases collide; compare checks the index
 * against the scan along the way. */
/* Fills a directory with enough long names to take several clusters, then empties it. */
static void dix_refill(struct mv_fs *fs, const char *dir)
{
	char a[160];

	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < 60; i++) {
			snprintf(a, sizeof(a), "%s/filler file %d with a long name", dir, i);
			if (pass == 0)
				dix_create(fs, a);
			else
				assert_int_equal(ops->unlink(fs, a), 0);
		}
	}
}

static void dix_script(struct mv_fs *fs, bool compare)
{
	char a[160], b[160];
	uint32_t clus;

	long writes = F.writes;

	/* The new cluster is zeroed in one device write, whatever its size. */
	assert_int_equal(ops->mkdir(fs, "/big"), 0);
	assert_int_equal(F.writes - writes, 1);
	assert_int_equal(ops->mkdir(fs, "/other"), 0);
	dix_create(fs, "/big/COLLID~3.TXT"); /* takes a tail the long names would want */
	for (int i = 0; i < DIX_NAMES; i++) {
		snprintf(a, sizeof(a), "/big/collide name %d.txt", i);
		dix_create(fs, a);
		if (compare && i % 50 == 49)
			dix_compare(fs, "/big");
	}
	for (int i = 0; i < DIX_NAMES; i += 3) {
		snprintf(a, sizeof(a), "/big/collide name %d.txt", i);
		assert_int_equal(ops->unlink(fs, a), 0);
	}
	if (compare)
		dix_compare(fs, "/big");
	/* Longer names: they need runs the freed holes cannot give. */
	for (int i = 1; i < DIX_NAMES; i += 7) {
		if (i % 3 == 0)
			continue;
		snprintf(a, sizeof(a), "/big/collide name %d.txt", i);
		snprintf(b, sizeof(b), "/big/Renamed collide %d with a much longer name.txt", i);
		assert_int_equal(ops->rename(fs, a, b), 0);
	}
	if (compare)
		dix_compare(fs, "/big");
	/* New names reuse the holes and the freed tails, lowest first. */
	for (int i = 0; i < 60; i++) {
		snprintf(a, sizeof(a), "/big/collide name new %d.txt", i);
		dix_create(fs, a);
	}
	if (compare)
		dix_compare(fs, "/big");
	for (int i = 0; i < 10; i++) {
		snprintf(a, sizeof(a), "/big/Sub directory %d", i);
		assert_int_equal(ops->mkdir(fs, a), 0);
		snprintf(a, sizeof(a), "/big/Sub directory %d/inner file %d.txt", i, i);
		dix_create(fs, a);
	}
	for (int i = 0; i < 10; i += 2) {
		snprintf(a, sizeof(a), "/big/Sub directory %d/inner file %d.txt", i, i);
		assert_int_equal(ops->unlink(fs, a), 0);
		snprintf(a, sizeof(a), "/big/Sub directory %d", i);
		assert_int_equal(ops->rmdir(fs, a), 0);
	}
	/* A directory made in the clusters of one removed (several clusters long) must not
	 * inherit its index: that would write past the new directory's one cluster. */
	assert_int_equal(ops->unlink(fs, "/big/Sub directory 1/inner file 1.txt"), 0);
	dix_refill(fs, "/big/Sub directory 1");
	clus = first_cluster(fs, "/big/Sub directory 1");
	assert_int_equal(ops->rmdir(fs, "/big/Sub directory 1"), 0);
	fs->next_free = clus;
	assert_int_equal(ops->mkdir(fs, "/big/Sub directory 1"), 0);
	assert_int_equal(first_cluster(fs, "/big/Sub directory 1"), fs->next_free - 1);
	dix_refill(fs, "/big/Sub directory 1");
	if (compare)
		dix_compare(fs, "/big/Sub directory 1");
	for (int i = 0; i < 20; i++) {
		snprintf(a, sizeof(a), "/big/Sub directory 1/filler file %d with a long name", i);
		dix_create(fs, a);
	}
	if (compare)
		dix_compare(fs, "/big/Sub directory 1");
	assert_int_equal(ops->mkdir(fs, "/big/Sub directory 0"), 0);
	dix_create(fs, "/big/Sub directory 0/fresh entry.txt");
	assert_int_equal(try_open(fs, "/big/Sub directory 0/inner file 0.txt", MV_O_RDONLY),
			 -MV_ENOENT);
	assert_int_equal(ops->rename(fs, "/big/Sub directory 1", "/other/Sub moved away"), 0);
	/* Over an empty directory, whose index must go with it. */
	assert_int_equal(ops->unlink(fs, "/big/Sub directory 7/inner file 7.txt"), 0);
	assert_int_equal(ops->rename(fs, "/big/Sub directory 3", "/big/Sub directory 7"), 0);
	assert_int_equal(ops->rename(fs, "/big/collide name 10.txt", "/other/x long name.txt"), 0);
	assert_int_equal(ops->rename(fs, "/big/collide name 2.txt", "/big/collide name 4.txt"), 0);
	assert_int_equal(ops->rename(fs, "/big/collide name 5.txt", "/big/COLLIDE NAME 5.txt"), 0);
	assert_int_equal(ops->rename(fs, "/other/x long name.txt", "/big/collide name 10.txt"), 0);
	/* Failing operations change nothing. */
	assert_int_equal(try_open(fs, "/big/COLLID~3.TXT", MV_O_CREAT | MV_O_EXCL | MV_O_RDWR),
			 -MV_EEXIST);
	assert_int_equal(ops->rename(fs, "/big/collide name 7.txt", "/big/Sub directory 5"),
			 -MV_EISDIR);
	/* The root: on FAT12/16 a fixed array of slots that cannot grow. */
	for (int i = 0; i < 40; i++) {
		snprintf(a, sizeof(a), "/collide name %d.txt", i);
		dix_create(fs, a);
	}
	for (int i = 0; i < 40; i += 4) {
		snprintf(a, sizeof(a), "/collide name %d.txt", i);
		assert_int_equal(ops->unlink(fs, a), 0);
	}
	assert_int_equal(ops->rename(fs, "/collide name 5.txt", "/collide name new 5.txt"), 0);
	if (compare) {
		dix_compare(fs, "");
		dix_compare(fs, "/big");
		dix_compare(fs, "/other");
		dix_compare(fs, "/big/Sub directory 7");
		dix_compare(fs, "/other/Sub moved away");
	}
}

static uint8_t *dix_run(const uint8_t *start, size_t n, uint32_t budget, bool compare)
{
	struct mv_fs *fs;
	uint8_t *out = malloc(n);

	assert_non_null(out);
	load_copy(start, n);
	reset_fake();
	fs = mount_ok();
	fs->dix_budget = budget;
	dix_script(fs, compare);
	assert_true(fs->dix_bytes <= budget);
	if (budget == FAT_DIX_BUDGET) {
		uint32_t big = first_cluster(fs, "/big");

		/* The root and the big directory were indexed, not left to the scan. */
		F.check_lock = false;
		assert_non_null(dix_find(fs, dir_root_clus(fs)));
		assert_non_null(dix_find(fs, big));
		F.check_lock = true;
	}
	unmount_ok(fs);
	assert_true(F.peak_bytes <= 8 * 1024 + budget);
	memcpy(out, F.img, n);
	return out;
}

/* The same operations with the index off, on, and too small for the big directory (which is
 * then scanned) or for two directories at once (which evict each other): the same image, byte
 * for byte, and a clean fsck. */
static void test_dir_index(void **state)
{
	const struct vol *v = *state;
	char img[256];
	uint8_t *start, *scan, *idx, *small, *tiny;
	size_t n;

	img_name(img, sizeof(img), v, "dix");
	populate(img, v->fat);
	start = slurp(img, &n);
	assert_non_null(start);
	scan = dix_run(start, n, 0, false);
	idx = dix_run(start, n, FAT_DIX_BUDGET, true);
	assert_memory_equal(scan, idx, n);
	small = dix_run(start, n, 6 * 1024, true);
	assert_memory_equal(scan, small, n);
	tiny = dix_run(start, n, 1500, false);
	assert_memory_equal(scan, tiny, n);
	load_copy(idx, n);
	save_image(img);
	fsck_clean(img);
	free(start);
	free(scan);
	free(idx);
	free(small);
	free(tiny);
}

/* Creating, finding and removing one more long name costs the same device reads however many
 * entries the directory already has. */
static void test_dir_index_cost(void **state)
{
	static const struct vol v32 = {32, "fat32"};
	long reads[5] = {0};
	struct mv_fs *fs;
	struct mv_stat st;
	char img[256], path[96];
	long before;

	(void)state;
	img_name(img, sizeof(img), &v32, "dixcost");
	model_reset();
	make_image(img, 32, NULL);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	assert_int_equal(ops->mkdir(fs, "/d"), 0);
	for (int i = 0; i < 500; i++) {
		before = F.reads;
		snprintf(path, sizeof(path), "/d/a long file name number %04d.txt", i);
		assert_int_equal(try_open(fs, path, MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY), 0);
		reads[i / 100] += F.reads - before;
	}
	/* The first hundred include building the index and the directory's growth. */
	assert_true(reads[4] <= reads[0] + 10);
	assert_true(reads[4] <= 100);
	before = F.reads;
	for (int i = 0; i < 500; i++) {
		snprintf(path, sizeof(path), "/d/A LONG FILE NAME NUMBER %04d.TXT", i);
		assert_int_equal(ops->stat(fs, path, &st), 0);
	}
	/* A scan would read the directory's 94 sectors for each; the index reads the entry's. */
	assert_true(F.reads - before <= 2 * 500);
	before = F.reads;
	for (int i = 0; i < 500; i += 2) {
		snprintf(path, sizeof(path), "/d/a long file name number %04d.txt", i);
		assert_int_equal(ops->unlink(fs, path), 0);
	}
	assert_true(F.reads - before <= 2 * 250);
	assert_true(fs->dix_bytes <= fs->dix_budget);
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);
}

/* The last slot a directory can have (65535) holds an entry the index must keep through a
 * regrowth of its name table. */
static void test_dir_index_last_slot(void **state)
{
	static const struct vol v32 = {32, "fat32"};
	char img[256], path[300], fill[232];
	struct mv_stat st;
	struct mv_fs *fs;
	int nlong = 0;
	uint32_t huge;

	(void)state;
	img_name(img, sizeof(img), &v32, "dixlast");
	model_reset();
	make_image(img, 32, NULL);
	load_image(img);
	reset_fake();
	fs = mount_ok();
	fs->dix_budget = 1024 * 1024;
	assert_int_equal(ops->mkdir(fs, "/huge"), 0);
	/* 20 slots per name (19 LFN slots): slots 2 to 65521, then 8.3 names to the last slot. */
	memset(fill, 'x', sizeof(fill) - 1);
	fill[sizeof(fill) - 1] = '\0';
	for (; 2 + (nlong + 1) * 20 <= 65522; nlong++) {
		snprintf(path, sizeof(path), "/huge/%s%05d", fill, nlong);
		assert_int_equal(try_open(fs, path, MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY), 0);
	}
	for (int i = 0; i < 14; i++) {
		snprintf(path, sizeof(path), "/huge/S%05d", i);
		assert_int_equal(try_open(fs, path, MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY), 0);
	}
	assert_int_equal(try_open(fs, "/huge/ONEMORE", MV_O_CREAT | MV_O_WRONLY), -MV_ENOSPC);
	for (int i = 0; i < nlong; i++) {
		snprintf(path, sizeof(path), "/huge/%s%05d", fill, i);
		assert_int_equal(ops->unlink(fs, path), 0);
	}
	/* Rebuilt from the disk: the 16 entries left fill the first name table exactly... */
	huge = first_cluster(fs, "/huge");
	F.check_lock = false;
	dix_forget(fs, huge);
	F.check_lock = true;
	assert_int_equal(ops->stat(fs, "/huge/S00013", &st), 0);
	/* ... so the next name makes it grow, and every entry must come along. */
	for (int i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "/huge/T%05d", i);
		assert_int_equal(try_open(fs, path, MV_O_CREAT | MV_O_EXCL | MV_O_WRONLY), 0);
	}
	for (int i = 0; i < 14; i++) {
		snprintf(path, sizeof(path), "/huge/S%05d", i);
		assert_int_equal(ops->stat(fs, path, &st), 0);
	}
	unmount_ok(fs);
	save_image(img);
	fsck_clean(img);
}

/* ---- random damage: whatever the metadata says, no crash, no hang, no leak ------------------ */

static uint32_t rng_state;

static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void walk(struct mv_fs *fs, const char *dir, int depth, int *budget)
{
	struct mv_file *d = NULL, *f;
	struct mv_dirent ent;
	uint8_t buf[4096];
	char path[1400];

	if (ops->open(fs, dir, MV_O_RDONLY | MV_O_DIRECTORY, &d) != 0)
		return;
	while (*budget > 0 && ops->readdir(fs, d, &ent) == 1) {
		(*budget)--;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", ent.name);
		if (ent.type == MV_S_IFDIR) {
			if (depth < 3)
				walk(fs, path, depth + 1, budget);
			continue;
		}
		f = NULL;
		if (ops->open(fs, path, MV_O_RDWR, &f) != 0)
			continue;
		for (int i = 0; i < 16 && ops->read(fs, f, buf, sizeof(buf)) > 0; i++)
			;
		if (rnd() % 4 == 0)
			ops->write(fs, f, buf, rnd() % 3000);
		if (rnd() % 8 == 0)
			ops->truncate(fs, f, rnd() % 5000);
		ops->close(fs, f);
	}
	ops->close(fs, d);
}

static void mutate_and_exercise(void)
{
	struct mv_fs *fs = NULL;
	struct mv_file *f = NULL;
	int budget = 200;

	reset_fake();
	if (ops->mount(&fs) != 0)
		return;
	F.check_lock = true;
	walk(fs, "/", 0, &budget);
	if (ops->open(fs, "/dir1/fuzz file.txt", MV_O_CREAT | MV_O_RDWR, &f) == 0) {
		ops->write(fs, f, "fuzz", 4);
		ops->close(fs, f);
	}
	ops->mkdir(fs, "/newdir");
	ops->rename(fs, "/dir1", "/newdir/dir1");
	ops->rename(fs, "/hello.txt", "/newdir/dir1/hello.txt");
	ops->unlink(fs, "/f1.bin");
	ops->rmdir(fs, "/newdir");
	ops->sync(fs);
	assert_int_not_equal(ops->unmount(fs), -MV_EBUSY);
	F.check_lock = false;
	sanity();
	assert_int_equal(F.live_allocs, 0);
	assert_int_equal(F.locks_live, 0);
}

static void test_random_corruption(void **state)
{
	const struct vol *v = *state;
	char img[256];
	uint8_t *pristine;
	size_t size;
	struct geo g;
	int iters = v->fat == 12 ? 400 : v->fat == 16 ? 150 : 40;

	img_name(img, sizeof(img), v, "random");
	populate(img, v->fat);
	pristine = slurp(img, &size);
	geo_of(pristine, &g);
	load_image(img);
	for (int it = 0; it < iters; it++) {
		uint32_t span = g.data_start + 16 * g.spc, k = 1 + (uint32_t)it % 8;

		rng_state = 0x9E3779B9u ^ (uint32_t)it * 7919u ^ (uint32_t)v->fat;
		memcpy(F.img, pristine, size);
		for (uint32_t i = 0; i < k; i++) {
			size_t at = (size_t)(rnd() % span) * 512 + rnd() % 512;

			if (rnd() % 2)
				F.img[at] ^= (uint8_t)(1u << (rnd() % 8));
			else
				F.img[at] = (uint8_t)rnd();
		}
		mutate_and_exercise();
	}
	free(pristine);
}

static void test_internals(void **state)
{
	uint16_t name[300], out[20];
	uint32_t len;
	uint8_t sfn[11], nt;
	bool lfn, tail;
	char utf8[300];
	static const struct {
		const char *in, *sfn;
		uint8_t nt;
		bool lfn, tail;
	} cases[] = {
	    {"foo.txt", "FOO     TXT", 0x18, false, false},
	    {"FOO.TXT", "FOO     TXT", 0x00, false, false},
	    {"foo.TXT", "FOO     TXT", 0x08, false, false},
	    {"Foo.txt", "FOO     TXT", 0x00, true, false},
	    {"README", "README     ", 0x00, false, false},
	    {"a long name.text", "ALONGNAMTEX", 0x00, true, true},
	    {".bashrc", "BASHRC     ", 0x00, true, true},
	    {"a.b.c", "A       C  ", 0x00, true, true},
	    {"x+y.txt", "X_Y     TXT", 0x00, true, true},
	    {"123456789", "12345678   ", 0x00, true, true},
	    {"\xc3\xa9t\xc3\xa9.txt", "_T_     TXT", 0x00, true, true},
	};
	struct mv_fs fs;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(name_from_utf8(cases[i].in, strlen(cases[i].in), name, &len), 0);
		name_make_basis(name, len, sfn, &nt, &lfn, &tail);
		assert_memory_equal(sfn, cases[i].sfn, 11);
		assert_int_equal(nt, cases[i].nt);
		assert_int_equal(lfn, cases[i].lfn);
		assert_int_equal(tail, cases[i].tail);
	}
	/* Tails shorten the basis as the number grows; only matching tails are recognised. */
	memcpy(sfn, "ALONGNAMTEX", 11);
	name_apply_tail(sfn, 1, (uint8_t *)utf8);
	assert_memory_equal(utf8, "ALONGN~1TEX", 11);
	name_apply_tail(sfn, 123456, (uint8_t *)utf8);
	assert_memory_equal(utf8, "A~123456TEX", 11);
	assert_int_equal(name_tail_number(sfn, (const uint8_t *)"ALONGN~7TEX"), 7);
	assert_int_equal(name_tail_number(sfn, (const uint8_t *)"ALONG~12TEX"), 12);
	assert_int_equal(name_tail_number(sfn, (const uint8_t *)"ALONGN~7TXT"), 0);
	assert_int_equal(name_tail_number(sfn, (const uint8_t *)"BLONGN~7TEX"), 0);
	assert_int_equal(name_tail_number(sfn, (const uint8_t *)"ALONGN~0TEX"), 0);
	/* The checksum mtools wrote for "ALONGF~1TXT". */
	assert_int_equal(name_lfn_sum((const uint8_t *)"ALONGF~1TXT"), 0x02);
	/* UTF-8 both ways, surrogate pairs included; malformed input refused. */
	assert_int_equal(name_from_utf8("a\xf0\x9f\x98\x80z", 6, name, &len), 0);
	assert_int_equal(len, 4);
	assert_int_equal(name[1], 0xD83D);
	assert_int_equal(name[2], 0xDE00);
	assert_int_equal(name_to_utf8(name, len, utf8, sizeof(utf8)), 0);
	assert_string_equal(utf8, "a\xf0\x9f\x98\x80z");
	assert_int_equal(name_to_utf8(name, len, utf8, 4), -MV_ENAMETOOLONG);
	assert_int_equal(name_from_utf8("\xc0\xaf", 2, name, &len), -MV_EINVAL);
	assert_int_equal(name_from_utf8("\xe2\x82", 2, name, &len), -MV_EINVAL);
	assert_int_equal(name_from_utf8("\x80", 1, name, &len), -MV_EINVAL);
	/* Case-insensitive for ASCII only. */
	assert_int_equal(name_from_utf8("Abc", 3, name, &len), 0);
	assert_int_equal(name_from_utf8("aBC", 3, out, &len), 0);
	assert_true(name_eq(name, 3, out, 3));
	/* Time conversion. */
	memset(&fs, 0, sizeof(fs));
	fs.ks = &ks;
	F.now = 1700000000;
	{
		uint16_t d, t;
		uint8_t tenth;

		fat_time_now(&fs, &d, &t, &tenth);
		assert_int_equal(d, ((2023 - 1980) << 9) | (11 << 5) | 14);
		assert_int_equal(t, (22 << 11) | (13 << 5) | 10);
		assert_int_equal(tenth, 0);
		assert_int_equal(fat_time_to_unix(d, t), 1700000000);
		assert_int_equal(fat_time_to_unix((20 << 9) | (2 << 5) | 29, 0), 951782400);
		assert_int_equal(fat_time_to_unix(0, 0), 0);
	}
}

/* ---- main -------------------------------------------------------------------------------- */

static int group_setup(void **state)
{
	const void *o = NULL;
	static char path[8192];

	(void)state;
	if (!mkdtemp(tmpd))
		return -1;
	/* mkfs.vfat and fsck.fat live in sbin, which a normal user's PATH may lack. */
	snprintf(path, sizeof(path), "%s:/usr/sbin:/sbin",
		 getenv("PATH") ? getenv("PATH") : "/bin");
	setenv("PATH", path, 1);
	setenv("MTOOLS_SKIP_CHECK", "1", 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	if (mv_module_desc.init(&ks, &o) != 0)
		return -1;
	ops = o;
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	model_reset();
	free(F.img);
	F.img = NULL;
	if (mv_module_desc.exit)
		mv_module_desc.exit();
	return run("rm -rf '%s'", tmpd);
}

#define PER_VOL(fn)                                                                                \
	cmocka_unit_test_prestate(fn, (void *)&vols[0]),                                           \
	    cmocka_unit_test_prestate(fn, (void *)&vols[1]),                                       \
	    cmocka_unit_test_prestate(fn, (void *)&vols[2])

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_internals),
	    cmocka_unit_test(test_init_and_descriptor),
	    PER_VOL(test_read_back),
	    PER_VOL(test_write_ops),
	    PER_VOL(test_reuse_dirty_clusters),
	    cmocka_unit_test(test_names),
	    cmocka_unit_test(test_semantics),
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_fsinfo),
	    cmocka_unit_test(test_root_full),
	    cmocka_unit_test(test_disk_full),
	    cmocka_unit_test(test_bad_bpb),
	    PER_VOL(test_bad_chains),
	    PER_VOL(test_dir_loops),
	    cmocka_unit_test(test_io_errors),
	    cmocka_unit_test(test_alloc_failures),
	    PER_VOL(test_dir_index),
	    cmocka_unit_test(test_dir_index_cost),
	    cmocka_unit_test(test_dir_index_last_slot),
	    PER_VOL(test_random_corruption),
	};

	/* FATFS_TEST=<glob> runs only the matching tests. */
	if (getenv("FATFS_TEST"))
		cmocka_set_test_filter(getenv("FATFS_TEST"));
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
