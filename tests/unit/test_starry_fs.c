/* Unit tests for Starry's VFS core: path normalisation, mount matching, fd tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fs/fs.h"

/* Allocations left before kmalloc fails (-1: never), to see a table that cannot grow. */
static int kmalloc_budget = -1;

void *kmalloc(size_t size)
{
	if (kmalloc_budget == 0)
		return NULL;
	if (kmalloc_budget > 0)
		kmalloc_budget--;
	return malloc(size);
}

void kfree(void *ptr)
{
	free(ptr);
}

/* The record-lock hook (sys/sys_lock.c): a descriptor of this file is being closed. */
static int lock_closes;
static struct file *lock_closed;

void reclock_file_closed(struct file *f)
{
	lock_closes++;
	lock_closed = f;
}

/* --- paths ------------------------------------------------------------------------------------ */

static void expect_path(const char *cwd, const char *path, const char *want)
{
	char out[PATH_MAX];

	assert_int_equal(path_normalise(cwd, path, out), 0);
	assert_string_equal(out, want);
}

static void test_path_normalise(void **state)
{
	(void)state;
	expect_path("/", "/", "/");
	expect_path("/", "bin/sh", "/bin/sh");
	expect_path("/home", "a/b", "/home/a/b");
	expect_path("/home", "/etc//passwd", "/etc/passwd");
	expect_path("/home", "./x/./y/", "/home/x/y");
	expect_path("/home/user", "..", "/home");
	expect_path("/home/user", "../../..", "/");
	expect_path("/", "../../x", "/x");
	expect_path("/a", "b/../../c/..", "/");
	expect_path("/a", ".", "/a");
	expect_path("/a", "...", "/a/...");
	expect_path("/a", "..x/.y", "/a/..x/.y");
	expect_path("/", "////", "/");
	expect_path("/tmp", "x/", "/tmp/x");
}

static void test_path_errors(void **state)
{
	char out[PATH_MAX], longp[PATH_MAX + 10], cwd[PATH_MAX];

	(void)state;
	assert_int_equal(path_normalise("/", "", out), -ENOENT);
	memset(longp, 'a', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	assert_int_equal(path_normalise("/", longp, out), -ENAMETOOLONG);
	/* Exactly PATH_MAX - 1 characters fits, one more does not. */
	longp[0] = '/';
	longp[PATH_MAX - 1] = '\0';
	assert_int_equal(path_normalise("/", longp, out), 0);
	assert_int_equal(strlen(out), PATH_MAX - 1);
	/* A relative path that only overflows once joined to the cwd. */
	cwd[0] = '/';
	memset(cwd + 1, 'c', 200);
	cwd[201] = '\0';
	memset(longp, 'b', 60);
	longp[60] = '\0';
	assert_int_equal(path_normalise(cwd, longp, out), -ENAMETOOLONG);
	/* ... but ".." can bring it back under the limit. */
	assert_int_equal(path_normalise(cwd, "../x", out), 0);
	assert_string_equal(out, "/x");
}

static void test_path_parts(void **state)
{
	char out[PATH_MAX];

	(void)state;
	assert_string_equal(path_basename("/a/b/c"), "c");
	assert_string_equal(path_basename("/"), "");
	path_parent("/a/b/c", out);
	assert_string_equal(out, "/a/b");
	path_parent("/a", out);
	assert_string_equal(out, "/");
	path_parent("/", out);
	assert_string_equal(out, "/");
}

/* --- mounts ----------------------------------------------------------------------------------- */

static const struct fs_ops dummy_ops;

static void expect_mount(const char *path, const char *mnt, const char *inner)
{
	const char *in = NULL;
	struct mount *m = mount_find(path, &in);

	assert_non_null(m);
	assert_string_equal(m->path, mnt);
	assert_string_equal(in, inner);
}

static void test_mount_find(void **state)
{
	(void)state;
	mount_reset();
	assert_null(mount_find("/x", NULL));
	assert_non_null(mount_add("/", &dummy_ops, "fatfs", "vfat", NULL, false));
	assert_non_null(mount_add("/dev", &dummy_ops, "devfs", "devtmpfs", NULL, true));
	assert_non_null(mount_add("/tmp", &dummy_ops, "tmpfs", "tmpfs", NULL, true));
	assert_non_null(mount_add("/tmp/deep", &dummy_ops, "tmpfs", "tmpfs", NULL, true));
	expect_mount("/", "/", "/");
	expect_mount("/bin/sh", "/", "/bin/sh");
	expect_mount("/tmp", "/tmp", "/");
	expect_mount("/tmp/x", "/tmp", "/x");
	expect_mount("/tmpx", "/", "/tmpx");
	expect_mount("/tmpx/y", "/", "/tmpx/y");
	expect_mount("/tmp/deep", "/tmp/deep", "/");
	expect_mount("/tmp/deeper", "/tmp", "/deeper");
	expect_mount("/tmp/deep/a/b", "/tmp/deep", "/a/b");
	expect_mount("/dev/null", "/dev", "/null");
	assert_int_equal(mount_count(), 4);
	/* Mount points as directory entries of their parent. */
	assert_string_equal(mount_child("/", 0), "dev");
	assert_string_equal(mount_child("/", 1), "tmp");
	assert_null(mount_child("/", 2));
	assert_string_equal(mount_child("/tmp", 0), "deep");
	assert_null(mount_child("/tm", 0));
	assert_null(mount_child("/dev", 0));
	assert_true(mount_shadows("/", "dev"));
	assert_false(mount_shadows("/", "devx"));
	assert_false(mount_shadows("/", "deep"));
	assert_true(mount_shadows("/tmp", "deep"));
	/* Each mount gets its own device number. */
	assert_int_not_equal(mount_at(0)->dev, mount_at(1)->dev);
	assert_null(mount_at(4));
}

static void test_mount_table_full(void **state)
{
	char p[16];

	(void)state;
	mount_reset();
	for (int i = 0; i < MOUNT_MAX; i++) {
		snprintf(p, sizeof(p), "/m%d", i);
		assert_non_null(mount_add(p, &dummy_ops, "x", "x", NULL, true));
	}
	assert_null(mount_add("/more", &dummy_ops, "x", "x", NULL, true));
	/* Nothing at "/": a path outside every mount has no filesystem. */
	assert_null(mount_find("/elsewhere", NULL));
	mount_reset();
}

/* --- fd tables -------------------------------------------------------------------------------- */

static int releases;

static void count_release(struct file *f)
{
	(void)f;
	releases++;
}

static const struct file_ops counted_ops = {.release = count_release};

static struct file *new_file(void)
{
	struct file *f = file_alloc(&counted_ops, NULL, O_RDWR);

	assert_non_null(f);
	return f;
}

static int setup_fd(void **state)
{
	(void)state;
	releases = 0;
	kmalloc_budget = -1;
	return 0;
}

static void test_fd_lowest_free(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *f = new_file();

	(void)state;
	assert_int_equal(fd_install(t, f, 0, false), 0);
	assert_int_equal(fd_install(t, f, 0, false), 1);
	assert_int_equal(fd_install(t, f, 0, false), 2);
	lock_closes = 0;
	assert_int_equal(fd_close(t, 1), 0);
	assert_int_equal(fd_close(t, 1), -EBADF);
	assert_int_equal(lock_closes, 1); /* close drops record locks; a bad fd closes nothing */
	assert_int_equal(fd_install(t, f, 0, false), 1);
	assert_int_equal(fd_install(t, f, 10, false), 10);
	/* At or past the soft RLIMIT_NOFILE: EMFILE, as Linux's alloc_fd. */
	assert_int_equal(fd_install(t, f, FD_NOFILE_CUR, false), -EMFILE);
	assert_int_equal(fd_install(t, f, -1, false), -EINVAL);
	assert_int_equal(fd_set_limit(t, 4, 2), -EINVAL);
	/* The caller is root: the hard limit may rise up to nr_open, not past it. */
	assert_int_equal(fd_set_limit(t, 4, FD_NR_OPEN + 1), -EPERM);
	assert_int_equal(fd_set_limit(t, 4, FD_NR_OPEN), 0);
	assert_int_equal(fd_set_limit(t, 4, FD_NOFILE_MAX), 0);
	assert_int_equal(fd_install(t, f, 0, false), 3);
	assert_int_equal(fd_install(t, f, 0, false), -EMFILE);
	assert_int_equal(fd_dup(t, 0, 0, false), -EMFILE);
	assert_int_equal(fd_dup3(t, 0, 4, false), -EBADF);
	assert_int_equal(fd_dup3(t, 0, 3, false), 3);
	assert_int_equal(fd_close(t, 3), 0);
	assert_int_equal(fd_set_limit(t, FD_NOFILE_CUR, FD_NOFILE_MAX), 0);
	assert_int_equal(f->refs, 5);
	file_put(f);
	assert_int_equal(releases, 0);
	fdtable_put(t);
	assert_int_equal(releases, 1);
}

static void test_fd_emfile(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *f = new_file();

	(void)state;
	for (int i = 0; i < FD_NOFILE_CUR; i++)
		assert_int_equal(fd_install(t, f, 0, false), i);
	assert_int_equal(fd_install(t, f, 0, false), -EMFILE);
	assert_int_equal(fd_room(t), -EMFILE);
	assert_int_equal(fd_dup(t, 0, 0, false), -EMFILE);
	assert_int_equal(fd_close(t, 40), 0);
	assert_int_equal(fd_room(t), 0);
	assert_int_equal(fd_dup(t, 0, 0, false), 40);
	assert_int_equal(fd_close(t, 1000), 0);
	assert_int_equal(fd_dup(t, 0, 0, false), 1000);
	/* The soft limit raised to the hard one: on to 4096 descriptors, then EMFILE again. */
	assert_int_equal(fd_set_limit(t, FD_NOFILE_MAX, FD_NOFILE_MAX), 0);
	for (int i = FD_NOFILE_CUR; i < FD_NOFILE_MAX; i++)
		assert_int_equal(fd_dup(t, 0, 0, false), i);
	assert_int_equal(fd_dup(t, 0, 0, false), -EMFILE);
	assert_int_equal(t->size, FD_NOFILE_MAX);
	assert_int_equal(fd_nth(t, 4000), 4000);
	/* Lowering both limits keeps what is open above them. */
	assert_int_equal(fd_set_limit(t, 100, 100), 0);
	assert_int_equal(fd_close(t, 50), 0);
	assert_int_equal(fd_dup(t, 0, 0, false), 50);
	assert_int_equal(fd_dup(t, 0, 0, false), -EMFILE);
	assert_int_equal(fd_close(t, 4095), 0);
	assert_int_equal(fd_dup(t, 0, 0, false), -EMFILE);
	assert_int_equal(fd_get_flags(t, 4094), 0);
	file_put(f);
	fdtable_put(t);
	assert_int_equal(releases, 1);
}

static void test_fd_dup(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *a = new_file(), *b = new_file(), *got;

	(void)state;
	assert_int_equal(fd_install(t, a, 0, true), 0);
	assert_int_equal(fd_install(t, b, 0, false), 1);
	/* dup never copies FD_CLOEXEC */
	assert_int_equal(fd_dup(t, 0, 0, false), 2);
	assert_int_equal(fd_get_flags(t, 0), FD_CLOEXEC);
	assert_int_equal(fd_get_flags(t, 2), 0);
	assert_int_equal(fd_dup(t, 0, 5, true), 5);
	assert_int_equal(fd_get_flags(t, 5), FD_CLOEXEC);
	assert_int_equal(fd_dup(t, 7, 0, false), -EBADF);
	assert_int_equal(fd_dup(t, -1, 0, false), -EBADF);
	/* dup3 onto an open fd closes it; onto itself is EINVAL */
	assert_int_equal(fd_dup3(t, 0, 0, false), -EINVAL);
	lock_closes = 0;
	assert_int_equal(fd_dup3(t, 0, 1, false), 1);
	/* The replaced descriptor was closed: its process's record locks on b must go. */
	assert_int_equal(lock_closes, 1);
	assert_ptr_equal(lock_closed, b);
	got = fd_get(t, 1);
	assert_ptr_equal(got, a);
	file_put(got);
	file_put(b);
	assert_int_equal(releases, 1); /* b's last reference was fd 1 */
	assert_int_equal(fd_dup3(t, 0, FD_NOFILE_CUR, false), -EBADF);
	assert_int_equal(fd_dup3(t, 0, -1, false), -EBADF);
	/* Linux's order: the same fd is EINVAL even when it is not open. */
	assert_int_equal(fd_dup3(t, 9, 9, false), -EINVAL);
	assert_int_equal(fd_dup3(t, 9, 3, false), -EBADF);
	assert_int_equal(fd_dup3(t, 0, 63, true), 63);
	assert_int_equal(fd_get_flags(t, 63), FD_CLOEXEC);
	assert_int_equal(fd_set_flags(t, 63, 0), 0);
	assert_int_equal(fd_get_flags(t, 63), 0);
	assert_int_equal(fd_get_flags(t, 62), -EBADF);
	assert_null(fd_get(t, 62));
	assert_null(fd_get(t, -3));
	file_put(a);
	fdtable_put(t);
	assert_int_equal(releases, 2);
}

static void test_fd_fork_and_share(void **state)
{
	struct fdtable *t = fdtable_create(), *shared, *copy;
	struct file *f = new_file();

	(void)state;
	assert_int_equal(fd_install(t, f, 0, false), 0);
	assert_int_equal(fd_install(t, f, 3, true), 3);
	file_put(f);
	assert_int_equal(f->refs, 2);

	shared = fdtable_fork(t, true);
	assert_ptr_equal(shared, t);
	assert_int_equal(t->refs, 2);
	assert_int_equal(f->refs, 2);

	copy = fdtable_fork(t, false);
	assert_ptr_not_equal(copy, t);
	assert_int_equal(copy->refs, 1);
	assert_int_equal(f->refs, 4);
	assert_int_equal(fd_get_flags(copy, 3), FD_CLOEXEC);

	/* A close in the copy does not touch the original. */
	assert_int_equal(fd_close(copy, 0), 0);
	assert_int_equal(fd_get_flags(t, 0), 0);
	assert_int_equal(f->refs, 3);

	/* Dropping one of the two shared references keeps every file open. */
	fdtable_put(shared);
	assert_int_equal(f->refs, 3);
	assert_int_equal(releases, 0);
	fdtable_put(t);
	assert_int_equal(f->refs, 1);
	fdtable_put(copy);
	assert_int_equal(releases, 1);
}

static void test_fd_close_on_exec(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *a = new_file(), *b = new_file();

	(void)state;
	assert_int_equal(fd_install(t, a, 0, false), 0);
	assert_int_equal(fd_install(t, b, 0, true), 1);
	assert_int_equal(fd_dup(t, 1, 0, true), 2);
	file_put(a);
	file_put(b);
	fdtable_close_on_exec(t);
	assert_non_null(t->fd[0]);
	assert_null(t->fd[1]);
	assert_null(t->fd[2]);
	assert_int_equal(t->cloexec[0], 0);
	assert_int_equal(releases, 1);
	/* The freed slots are reused, without the old flag. */
	assert_int_equal(fd_dup(t, 0, 0, false), 1);
	assert_int_equal(fd_get_flags(t, 1), 0);
	fdtable_put(t);
	assert_int_equal(releases, 2);
}

/* A table starts small and doubles as descriptors reach past it, never past the hard limit. */
static void test_fd_growth(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *f = new_file();
	unsigned sizes[8], n = 0, last = 0;

	(void)state;
	assert_int_equal(t->size, FD_TABLE_MIN);
	assert_int_equal(fd_select_bound(t), 64); /* Linux's first table has 64 slots */
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(fd_install(t, f, 0, i % 3 == 0), i);
		if (t->size != last && n < 8)
			sizes[n++] = last = t->size;
	}
	assert_int_equal(n, 7);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(sizes[i], FD_TABLE_MIN << i); /* 16, 32, ... 1024 */
	assert_int_equal(fd_select_bound(t), 1024);
	/* What was there before each growth came along, FD_CLOEXEC included. */
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fd_get_flags(t, i), i % 3 == 0 ? FD_CLOEXEC : 0);
	/* dup2 past the table grows it to the fd; past the soft limit it is EBADF. */
	assert_int_equal(fd_set_limit(t, 3000, 3000), 0);
	assert_int_equal(fd_dup3(t, 0, 2999, true), 2999);
	assert_int_equal(t->size, 3000); /* 4096 would pass the hard limit */
	assert_int_equal(fd_select_bound(t), 4096);
	assert_int_equal(fd_get_flags(t, 2999), FD_CLOEXEC);
	assert_int_equal(fd_next(t, 1000), 2999);
	assert_int_equal(fd_next(t, 3000), -1);
	assert_int_equal(fd_nth(t, 1000), 2999);
	assert_int_equal(fd_nth(t, 1001), -1);
	assert_int_equal(fd_dup3(t, 0, 3000, false), -EBADF);
	assert_int_equal(fd_dup(t, 0, 2999, false), -EMFILE);
	/* A raised limit lets it double on from there. */
	assert_int_equal(fd_set_limit(t, FD_NR_OPEN, FD_NR_OPEN), 0);
	assert_int_equal(fd_dup(t, 0, 3000, false), 3000);
	assert_int_equal(t->size, 6000);
	assert_int_equal(fd_dup3(t, 0, FD_NR_OPEN - 1, false), FD_NR_OPEN - 1);
	assert_int_equal(t->size, FD_NR_OPEN);
	assert_int_equal(fd_dup3(t, 0, FD_NR_OPEN, false), -EBADF);
	fdtable_close_on_exec(t);
	assert_int_equal(fd_get_flags(t, 999), -EBADF);
	assert_int_equal(fd_get_flags(t, 998), 0);
	assert_int_equal(fd_get_flags(t, 2999), -EBADF);
	assert_int_equal(fd_get_flags(t, FD_NR_OPEN - 1), 0);
	file_put(f);
	fdtable_put(t);
	assert_int_equal(releases, 1);
}

static void test_fd_close_range(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *f = new_file();

	(void)state;
	for (int i = 0; i < 200; i++)
		assert_int_equal(fd_install(t, f, 0, false), i);
	fd_close_range(t, 150, 160, true);
	assert_int_equal(fd_get_flags(t, 149), 0);
	assert_int_equal(fd_get_flags(t, 150), FD_CLOEXEC);
	assert_int_equal(fd_get_flags(t, 160), FD_CLOEXEC);
	assert_int_equal(fd_get_flags(t, 161), 0);
	fd_close_range(t, 100, 120, false);
	assert_int_equal(fd_get_flags(t, 99), 0);
	assert_int_equal(fd_get_flags(t, 100), -EBADF);
	assert_int_equal(fd_get_flags(t, 120), -EBADF);
	assert_int_equal(fd_nth(t, 100), 121);
	fd_close_range(t, 0x80000000u, ~0u, false); /* past the table: nothing */
	assert_int_equal(fd_nth(t, 178), 199);
	fd_close_range(t, 3, ~0u, false);
	assert_int_equal(fd_nth(t, 2), 2);
	assert_int_equal(fd_nth(t, 3), -1);
	file_put(f);
	fdtable_put(t);
	assert_int_equal(releases, 1);
}

/* When the heap cannot give a bigger table: ENOMEM, as Linux's expand_fdtable, and the table
 * is as it was. */
static void test_fd_growth_fails(void **state)
{
	struct fdtable *t = fdtable_create();
	struct file *f = new_file(), *got;

	(void)state;
	for (int i = 0; i < FD_TABLE_MIN; i++)
		assert_int_equal(fd_install(t, f, 0, i == 5), i);
	kmalloc_budget = 0;
	assert_int_equal(fd_room(t), -ENOMEM);
	assert_int_equal(fd_install(t, f, 0, false), -ENOMEM);
	assert_int_equal(fd_dup(t, 0, 0, false), -ENOMEM);
	assert_int_equal(fd_dup3(t, 0, 100, false), -ENOMEM);
	/* Still room below: that needs no growth. */
	assert_int_equal(fd_close(t, 7), 0);
	assert_int_equal(fd_dup(t, 0, 0, false), 7);
	assert_int_equal(fdtable_fork(t, false), NULL);
	kmalloc_budget = 1; /* the copy's header, not its slots */
	assert_int_equal(fdtable_fork(t, false), NULL);
	assert_int_equal(t->size, FD_TABLE_MIN);
	assert_int_equal(fd_get_flags(t, 5), FD_CLOEXEC);
	got = fd_get(t, FD_TABLE_MIN - 1);
	assert_ptr_equal(got, f);
	file_put(got);
	assert_int_equal(f->refs, FD_TABLE_MIN + 1);
	kmalloc_budget = -1;
	assert_int_equal(fd_install(t, f, 0, false), FD_TABLE_MIN);
	file_put(f);
	fdtable_put(t);
	assert_int_equal(releases, 1);
}

/* fork copies the used part of the table, flags and limits with it. */
static void test_fd_fork_copies_used_part(void **state)
{
	struct fdtable *t = fdtable_create(), *copy;
	struct file *f = new_file();

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fd_install(t, f, 0, i == 999), i);
	for (int i = 3; i < 1000; i++)
		if (i != 70)
			assert_int_equal(fd_close(t, i), 0);
	assert_int_equal(fd_set_limit(t, 500, 2000), 0);
	copy = fdtable_fork(t, false);
	assert_non_null(copy);
	assert_int_equal(copy->size, 128); /* fds 0..70 */
	assert_int_equal(copy->nofile, 500);
	assert_int_equal(copy->nofile_max, 2000);
	assert_int_equal(fd_nth(copy, 3), 70);
	assert_int_equal(fd_nth(copy, 4), -1);
	assert_int_equal(f->refs, 1 + 4 + 4);
	fdtable_put(copy);
	assert_int_equal(fd_close(t, 70), 0);
	copy = fdtable_fork(t, false);
	assert_int_equal(copy->size, FD_TABLE_MIN);
	fdtable_put(copy);
	file_put(f);
	fdtable_put(t);
	assert_int_equal(releases, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_path_normalise),
	    cmocka_unit_test(test_path_errors),
	    cmocka_unit_test(test_path_parts),
	    cmocka_unit_test(test_mount_find),
	    cmocka_unit_test(test_mount_table_full),
	    cmocka_unit_test_setup(test_fd_lowest_free, setup_fd),
	    cmocka_unit_test_setup(test_fd_emfile, setup_fd),
	    cmocka_unit_test_setup(test_fd_dup, setup_fd),
	    cmocka_unit_test_setup(test_fd_fork_and_share, setup_fd),
	    cmocka_unit_test_setup(test_fd_close_on_exec, setup_fd),
	    cmocka_unit_test_setup(test_fd_growth, setup_fd),
	    cmocka_unit_test_setup(test_fd_growth_fails, setup_fd),
	    cmocka_unit_test_setup(test_fd_close_range, setup_fd),
	    cmocka_unit_test_setup(test_fd_fork_copies_used_part, setup_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
