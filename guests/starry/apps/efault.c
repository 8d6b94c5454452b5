/* Starry test program: system calls given bad user pointers fail with EFAULT, never crash. */
#include "common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Raw system calls: glibc must not look at (or fix up) the pointers first. */
static void expect_efault(const char *what, long ret)
{
	check(ret == -1 && errno == EFAULT, "%s: %s", what, ret == -1 ? ename(errno) : "succeeded");
}

int main(void)
{
	void *low = (void *)8, *kernel = (void *)0xffff000000000000UL;
	struct stat st;
	int fd;

	line_buffered();
	expect_efault("write from address 8", syscall(SYS_write, 1, low, 16));
	expect_efault("write from a kernel address", syscall(SYS_write, 1, kernel, 16));
	fd = open("/dev/zero", O_RDONLY);
	check(fd >= 0, "open /dev/zero");
	expect_efault("read into address 8", syscall(SYS_read, fd, low, 16));
	expect_efault("read into a kernel address", syscall(SYS_read, fd, kernel, 16));
	close(fd);
	expect_efault("openat of path at address 8", syscall(SYS_openat, AT_FDCWD, low, O_RDONLY));
	expect_efault("fstatat of path at address 8",
		      syscall(SYS_newfstatat, AT_FDCWD, low, &st, 0));
	expect_efault("fstatat into address 8", syscall(SYS_newfstatat, AT_FDCWD, "/", low, 0));
	expect_efault("pipe2 into address 8", syscall(SYS_pipe2, low, 0));
	check(write(1, "", 0) == 0, "still alive");
	return finish("efault");
}
