/* Unit tests for Starry's VFS routing, tmpfs and pipes, with the root and devfs stubbed out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fs/fs.h"
#include "mm/pmm.h"
#include "proc/signal.h"
#include "proc/task.h"

/* --- what the kernel around the VFS would provide --------------------------------------------- */
void *kmalloc(size_t size)
{
	return malloc(size);
}

void kfree(void *ptr)
{
	free(ptr);
}

/* The pages of a pipe's ring: zeroed, their address standing for the physical one. */
uint64_t pmm_alloc_page(void)
{
	void *p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);

	if (!p)
		return 0;
	memset(p, 0, PAGE_SIZE);
	return (uint64_t)(uintptr_t)p;
}

void pmm_put_page(uint64_t pa)
{
	free((void *)(uintptr_t)pa);
}

/* The hooks of sys/sys_lock.c and sys/sys_epoll.c. */
void reclock_file_closed(struct file *f)
{
	(void)f;
}

static struct file *noted[4];
static int nnoted;

void epoll_note_io(struct file *f)
{
	if (nnoted < 4)
		noted[nnoted] = f;
	nnoted++;
}

uint64_t ktime_ns(void)
{
	return 1000000000ULL;
}

/* The wall clock, far from the monotonic one as on a real boot (2026-12-01). */
#define WALL_S 1796083200ULL
uint64_t wallclock_ns(void)
{
	return WALL_S * 1000000000ULL;
}

void starry_panic(const char *file, int line, const char *msg)
{
	fail_msg("panic %s:%d %s", file, line, msg);
	abort();
}

int kprintf(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

static struct task me = {.pid = 1};
static int sigpipes, waits;

struct task *current_task(void)
{
	return &me;
}

int signal_send(struct task *t, int sig, int code, int64_t value)
{
	(void)code;
	(void)value;
	assert_ptr_equal(t, &me);
	assert_int_equal(sig, 13);
	sigpipes++;
	return 0;
}

/* Nothing else runs in a host test: a task that would sleep is interrupted instead. */
int waitq_wait(struct waitq *wq)
{
	(void)wq;
	waits++;
	return -ERESTARTSYS;
}

void waitq_wake_all(struct waitq *wq)
{
	(void)wq;
}

/* The root: a filesystem that fails to load, like a VM without the fatfs module. */
static int root_readies;

static int root_ready(struct mount *m, const char *why)
{
	(void)m;
	assert_non_null(strstr(why, "/"));
	root_readies++;
	return -ENODEV;
}

const struct fs_ops fatroot_fs_ops = {.ready = root_ready};
const struct fs_ops devfs_ops;
const struct fs_ops procfs_ops;
const struct fs_ops sysfs_ops;

int devfs_open_console(struct file **out)
{
	(void)out;
	return -ENODEV;
}

/* --- helpers ---------------------------------------------------------------------------------- */
static int setup(void **state)
{
	(void)state;
	mount_reset();
	vfs_init();
	root_readies = 0;
	sigpipes = 0;
	waits = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tmpfs_free(mount_find("/tmp", NULL));
	return 0;
}

static struct file *open_ok(const char *path, unsigned flags)
{
	struct file *f = NULL;

	assert_int_equal(vfs_open_abs(path, flags, &f), 0);
	assert_non_null(f);
	return f;
}

static void write_str(struct file *f, const char *s)
{
	assert_int_equal(vfs_write_file(f, s, strlen(s), NULL), (int64_t)strlen(s));
}

static void expect_contents(const char *path, const char *want)
{
	struct file *f = open_ok(path, O_RDONLY);
	char buf[256];
	int64_t n = vfs_read_file(f, buf, sizeof(buf) - 1, NULL);

	assert_true(n >= 0);
	buf[n] = '\0';
	assert_string_equal(buf, want);
	file_put(f);
}

/* Lists a directory (without "." and "..") as "name/ name ..." sorted by the order given. */
static void list_dir(const char *path, char *out, size_t size)
{
	struct file *f = open_ok(path, O_RDONLY | O_DIRECTORY);
	struct vfs_dirent ent;
	int n = 0;

	out[0] = '\0';
	while (vfs_getdents(f, &ent) == 1) {
		if (n++ < 2) {
			assert_string_equal(ent.name, n == 1 ? "." : "..");
			continue;
		}
		snprintf(out + strlen(out), size - strlen(out), "%s%s ", ent.name,
			 ent.type == DT_DIR ? "/" : "");
	}
	file_put(f);
}

/* --- tests ------------------------------------------------------------------------------------ */
static void test_root_missing_gives_enodev(void **state)
{
	struct file *f;
	struct kstat st;

	(void)state;
	assert_int_equal(vfs_open_abs("/bin/sh", O_RDONLY, &f), -ENODEV);
	assert_int_equal(vfs_stat_abs("/", &st), -ENODEV);
	assert_int_equal(root_readies, 2);
	/* /tmp is served by tmpfs, not by the root, even though the root is not there. */
	assert_int_equal(vfs_stat_abs("/tmp", &st), 0);
	assert_int_equal(st.mode & S_IFMT, S_IFDIR);
	assert_int_equal(root_readies, 2);
	assert_int_equal(vfs_stat_abs("/tmpx", &st), -ENODEV);
}

static void test_tmpfs_files(void **state)
{
	struct file *f, *g;
	struct kstat st;
	char buf[16];

	(void)state;
	assert_int_equal(vfs_open_abs("/tmp/a", O_RDONLY, &f), -ENOENT);
	f = open_ok("/tmp/a", O_CREAT | O_WRONLY);
	write_str(f, "hello");
	assert_int_equal(vfs_read_file(f, buf, 1, NULL), -EBADF);
	/* A write past the end leaves a zero-filled hole. */
	assert_int_equal(vfs_lseek(f, 8, SEEK_SET), 8);
	write_str(f, "!");
	assert_int_equal(vfs_fstat_kernel(f, &st), 0);
	assert_int_equal(st.size, 9);
	assert_int_equal(st.mode & S_IFMT, S_IFREG);
	assert_int_equal(st.mtime_s, WALL_S); /* file times are wall-clock times */
	assert_int_equal(vfs_lseek(f, -2, SEEK_END), 7);
	assert_int_equal(vfs_lseek(f, -20, SEEK_CUR), -EINVAL);
	assert_int_equal(vfs_lseek(f, 0, 7), -EINVAL);
	file_put(f);

	f = open_ok("/tmp/a", O_RDONLY);
	assert_int_equal(vfs_read_file(f, buf, sizeof(buf), NULL), 9);
	assert_memory_equal(buf, "hello\0\0\0!", 9);
	assert_int_equal(vfs_read_file(f, buf, sizeof(buf), NULL), 0);
	assert_int_equal(vfs_pread_kernel(f, buf, 3, 1), 3);
	assert_memory_equal(buf, "ell", 3);
	assert_int_equal(vfs_write_file(f, "x", 1, NULL), -EBADF);
	file_put(f);

	assert_int_equal(vfs_open_abs("/tmp/a", O_CREAT | O_EXCL | O_RDWR, &f), -EEXIST);
	assert_int_equal(vfs_open_abs("/tmp/a", O_RDONLY | O_DIRECTORY, &f), -ENOTDIR);
	assert_int_equal(vfs_open_abs("/tmp/a/b", O_RDONLY, &f), -ENOTDIR);

	/* O_APPEND writes at the end whatever the position; O_TRUNC empties. */
	f = open_ok("/tmp/a", O_WRONLY | O_APPEND);
	write_str(f, "++");
	file_put(f);
	expect_contents("/tmp/a", "hello\0\0\0!++");
	f = open_ok("/tmp/a", O_RDWR | O_TRUNC);
	write_str(f, "new");
	assert_int_equal(f->ops->truncate(f, 2), 0);
	file_put(f);
	expect_contents("/tmp/a", "ne");

	/* Unlinked while open: still readable through the open file, gone by name. */
	f = open_ok("/tmp/a", O_RDONLY);
	g = open_ok("/tmp/a", O_RDONLY);
	assert_int_equal(vfs_unlink_abs("/tmp/a"), 0);
	assert_int_equal(vfs_stat_abs("/tmp/a", &st), -ENOENT);
	file_put(g);
	assert_int_equal(vfs_read_file(f, buf, sizeof(buf), NULL), 2);
	file_put(f);
	assert_int_equal(vfs_unlink_abs("/tmp/a"), -ENOENT);
}

static void test_tmpfs_dirs(void **state)
{
	struct mount *m;
	char list[256];
	struct file *f;
	struct kstat st;

	(void)state;
	assert_int_equal(vfs_mkdir_abs("/tmp/d"), 0);
	assert_int_equal(vfs_mkdir_abs("/tmp/d"), -EEXIST);
	assert_int_equal(vfs_mkdir_abs("/tmp"), -EEXIST);
	assert_int_equal(vfs_mkdir_abs("/tmp/none/x"), -ENOENT);
	assert_int_equal(vfs_mkdir_abs("/tmp/d/e"), 0);
	f = open_ok("/tmp/d/f", O_CREAT | O_RDWR);
	file_put(f);
	list_dir("/tmp/d", list, sizeof(list));
	assert_string_equal(list, "f e/ ");
	assert_int_equal(vfs_open_abs("/tmp/d", O_RDWR, &f), -EISDIR);
	f = open_ok("/tmp/d", O_RDONLY);
	assert_true(f->is_dir);
	assert_int_equal(vfs_read_file(f, list, 1, NULL), -EISDIR);
	file_put(f);

	assert_int_equal(vfs_rmdir_abs("/tmp/d"), -ENOTEMPTY);
	assert_int_equal(vfs_rmdir_abs("/tmp/d/f"), -ENOTDIR);
	assert_int_equal(vfs_unlink_abs("/tmp/d/e"), -EISDIR);
	assert_int_equal(vfs_rmdir_abs("/tmp"), -EBUSY);

	/* rename: a file over a file, a directory into a new place, not into itself. */
	assert_int_equal(vfs_rename_abs("/tmp/d/f", "/tmp/g"), 0);
	assert_int_equal(vfs_stat_abs("/tmp/g", &st), 0);
	assert_int_equal(vfs_rename_abs("/tmp/d", "/tmp/d/e/x"), -EINVAL);
	assert_int_equal(vfs_rename_abs("/tmp/g", "/tmp/d"), -EISDIR);
	assert_int_equal(vfs_rename_abs("/tmp/d", "/tmp/g"), -ENOTDIR);
	assert_int_equal(vfs_rename_abs("/tmp/d", "/tmp/d2"), 0);
	assert_int_equal(vfs_stat_abs("/tmp/d2/e", &st), 0);
	assert_int_equal(st.mode & S_IFMT, S_IFDIR);
	assert_int_equal(vfs_rename_abs("/tmp/g", "/bin/g"), -ENODEV);
	assert_int_equal(vfs_rename_abs("/tmp/nope", "/tmp/x"), -ENOENT);
	assert_int_equal(vfs_rmdir_abs("/tmp/d2/e"), 0);
	assert_int_equal(vfs_rmdir_abs("/tmp/d2"), 0);
	list_dir("/tmp", list, sizeof(list));
	assert_string_equal(list, "g ");

	/* Rewinding a directory lists it again. */
	f = open_ok("/tmp", O_RDONLY | O_DIRECTORY);
	{
		struct vfs_dirent ent;

		for (int i = 0; i < 3; i++)
			assert_int_equal(vfs_getdents(f, &ent), 1);
		assert_int_equal(vfs_getdents(f, &ent), 0);
		assert_int_equal(vfs_lseek(f, 2, SEEK_SET), 2);
		assert_int_equal(vfs_getdents(f, &ent), 1);
		assert_string_equal(ent.name, "g");
		assert_int_equal(vfs_lseek(f, 0, SEEK_END), -EINVAL);
	}
	file_put(f);

	/* A mount point inside /tmp shows in its listing and hides the entry it covers. */
	assert_int_equal(vfs_mkdir_abs("/tmp/mnt"), 0);
	m = mount_add("/tmp/mnt", &tmpfs_ops, "tmpfs", "tmpfs", NULL, true);
	assert_non_null(m);
	tmpfs_init(m);
	list_dir("/tmp", list, sizeof(list));
	assert_string_equal(list, "g mnt/ ");
	assert_int_equal(vfs_mkdir_abs("/tmp/mnt/inner"), 0);
	list_dir("/tmp/mnt", list, sizeof(list));
	assert_string_equal(list, "inner/ ");
	assert_int_equal(vfs_rename_abs("/tmp/g", "/tmp/mnt/g"), -EXDEV);
	tmpfs_free(m);
}

/* Every read and write a file sees tells epoll, so that EPOLLET notices the file going
 * not-ready (a read that finds nothing) before it becomes ready again. */
static void test_io_tells_epoll(void **state)
{
	struct file *rd, *wr;
	char buf[4];

	(void)state;
	assert_int_equal(pipe_create(O_NONBLOCK, &rd, &wr), 0);
	nnoted = 0;
	assert_int_equal(vfs_read_file(rd, buf, 1, NULL), -EAGAIN);
	assert_int_equal(nnoted, 1);
	assert_ptr_equal(noted[0], rd);
	assert_int_equal(vfs_write_file(wr, "x", 1, NULL), 1);
	assert_int_equal(nnoted, 2);
	assert_ptr_equal(noted[1], wr);
	/* Refused before the file saw it: nothing changed. */
	assert_int_equal(vfs_write_file(rd, "x", 1, NULL), -EBADF);
	assert_int_equal(nnoted, 2);
	file_put(rd);
	file_put(wr);
}

static void test_pipe(void **state)
{
	static char buf[65536 + 4096];
	struct file *rd, *wr;
	struct kstat st;

	(void)state;
	assert_int_equal(pipe_create(O_NONBLOCK, &rd, &wr), 0);
	assert_int_equal(pipe_get_size(rd), 65536);
	assert_int_equal(rd->ops->poll(rd), 0);
	assert_int_equal(wr->ops->poll(wr), POLLOUT);
	assert_int_equal(vfs_read_file(rd, buf, 10, NULL), -EAGAIN);
	assert_int_equal(vfs_write_file(rd, "x", 1, NULL), -EBADF);
	assert_int_equal(vfs_lseek(rd, 0, SEEK_SET), -ESPIPE);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 7 + i / 4096);
	/* The ring holds 64 KiB, as Linux's: a bigger non-blocking write is cut short. */
	assert_int_equal(vfs_write_file(wr, buf, sizeof(buf), NULL), 65536);
	assert_int_equal(vfs_write_file(wr, buf, 1, NULL), -EAGAIN);
	assert_int_equal(rd->ops->poll(rd), POLLIN);
	assert_int_equal(wr->ops->poll(wr), 0);
	assert_int_equal(vfs_fstat_kernel(rd, &st), 0);
	assert_int_equal(st.mode & S_IFMT, S_IFIFO);
	assert_int_equal(st.size, 65536);
	assert_int_equal(vfs_read_file(rd, buf + 65536, 100, NULL), 100);
	assert_memory_equal(buf + 65536, buf, 100);
	/* A PIPE_BUF write goes in whole or not at all; a smaller one fits. */
	assert_int_equal(vfs_write_file(wr, buf, 4096, NULL), -EAGAIN);
	assert_int_equal(wr->ops->poll(wr), 0);
	/* Wrapping around the end of the ring keeps the bytes in order. */
	assert_int_equal(vfs_write_file(wr, "0123456789", 10, NULL), 10);
	/* A resize moves the bytes held, wrapped as they are, to the start of the new ring. */
	assert_int_equal(pipe_set_size(wr, 32768), -EBUSY);
	assert_int_equal(pipe_set_size(wr, 3 * 65536), 262144);
	assert_int_equal(pipe_get_size(rd), 262144);
	assert_int_equal(pipe_set_size(wr, 2 << 20), -EPERM);
	assert_int_equal(vfs_read_file(rd, buf + 65536, 4000, NULL), 4000);
	assert_memory_equal(buf + 65536, buf + 100, 4000);
	assert_int_equal(vfs_read_file(rd, buf, 65536, NULL), 65436 - 4000 + 10);
	assert_memory_equal(buf + 65436 - 4000, "0123456789", 10);
	/* No writers: EOF. */
	file_put(wr);
	assert_int_equal(rd->ops->poll(rd), POLLHUP);
	assert_int_equal(vfs_read_file(rd, buf, 100, NULL), 0);
	assert_int_equal(pipe_get_size(rd), 262144);
	file_put(rd);

	/* No readers: EPIPE and SIGPIPE. */
	assert_int_equal(pipe_create(0, &rd, &wr), 0);
	file_put(rd);
	assert_int_equal(wr->ops->poll(wr), POLLERR);
	assert_int_equal(vfs_write_file(wr, "x", 1, NULL), -EPIPE);
	assert_int_equal(sigpipes, 1);
	file_put(wr);

	/* A blocking read on an empty pipe sleeps; a signal ends the sleep. */
	assert_int_equal(pipe_create(0, &rd, &wr), 0);
	assert_int_equal(vfs_read_file(rd, buf, 1, NULL), -ERESTARTSYS);
	assert_int_equal(waits, 1);
	assert_int_equal(vfs_write_file(wr, buf, 65536, NULL), 65536);
	/* A full pipe blocks a writer: what was written before the signal is reported. */
	assert_int_equal(vfs_write_file(wr, buf, 1, NULL), -ERESTARTSYS);
	assert_int_equal(waits, 2);
	file_put(rd);
	file_put(wr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_root_missing_gives_enodev, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tmpfs_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_tmpfs_dirs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pipe, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_io_tells_epoll, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
