/* Starry test program: file and directory system calls on a directory given as argv[1]. */
#include "common.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BIG 10000 /* spans several FAT clusters */

static char dir[512];

static const char *at(const char *name)
{
	static char path[2][640];
	static int which;

	which ^= 1;
	snprintf(path[which], sizeof(path[which]), "%s/%s", dir, name);
	return path[which];
}

static int write_file(const char *name, const char *text)
{
	int fd = open(at(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *name)
{
	DIR *d = opendir(at(name));
	char *names[32];
	int n = 0;
	struct dirent *e;

	if (!check(d != NULL, "opendir %s", name))
		return;
	while ((e = readdir(d)) && n < 32)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			names[n++] = strdup(e->d_name);
	closedir(d);
	/* Directory order is the filesystem's business; the sorted set is what must match. */
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	printf("ls %s:", name);
	for (int i = 0; i < n; i++) {
		printf(" %s", names[i]);
		free(names[i]);
	}
	printf("\n");
}

static void big_file(void)
{
	static char buf[BIG], back[BIG];
	struct stat st;
	char four[5] = "";
	int fd;

	for (int i = 0; i < BIG; i++)
		buf[i] = "0123456789abcdef"[(i * 7 + i / 16) % 16];
	fd = open(at("fio/big.bin"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	check(fd >= 0, "create big.bin");
	check(write(fd, buf, BIG) == BIG, "write %d bytes", BIG);
	check(fstat(fd, &st) == 0 && st.st_size == BIG, "fstat size %lld", (long long)st.st_size);
	close(fd);
	check(open(at("fio/big.bin"), O_WRONLY | O_CREAT | O_EXCL, 0644) < 0 && errno == EEXIST,
	      "create existing with O_EXCL: %s", ename(errno));

	fd = open(at("fio/big.bin"), O_RDONLY);
	check(fd >= 0 && read(fd, back, BIG) == BIG && !memcmp(buf, back, BIG), "read back");
	check(read(fd, back, 16) == 0, "read at end of file returns 0");
	check(lseek(fd, 100, SEEK_SET) == 100 && read(fd, four, 4) == 4 &&
		  !memcmp(four, buf + 100, 4),
	      "SEEK_SET 100: %s", four);
	check(lseek(fd, -2, SEEK_CUR) == 102 && read(fd, four, 4) == 4 &&
		  !memcmp(four, buf + 102, 4),
	      "SEEK_CUR -2: %s", four);
	check(lseek(fd, -10, SEEK_END) == BIG - 10 && read(fd, back, 16) == 10 &&
		  !memcmp(back, buf + BIG - 10, 10),
	      "SEEK_END -10 reads the last 10 bytes");
	close(fd);

	fd = open(at("fio/big.bin"), O_WRONLY | O_APPEND);
	check(fd >= 0 && write(fd, "tail", 4) == 4 && fstat(fd, &st) == 0 && st.st_size == BIG + 4,
	      "O_APPEND size %lld", (long long)st.st_size);
	close(fd);
	fd = open(at("fio/big.bin"), O_RDWR | O_TRUNC);
	check(fd >= 0 && fstat(fd, &st) == 0 && st.st_size == 0, "O_TRUNC size %lld",
	      (long long)st.st_size);
	check(write(fd, "short", 5) == 5 && pread(fd, four, 4, 1) == 4 && !memcmp(four, "hort", 4),
	      "rewrite and pread: %s", four);
	close(fd);
}

static void stdio_file(void)
{
	FILE *f = fopen(at("fio/lines.txt"), "w");
	char line[64];
	int n = 0, sum = 0;

	for (int i = 1; f && i <= 50; i++)
		fprintf(f, "line %d\n", i);
	check(f && fclose(f) == 0, "fopen/fprintf/fclose");
	f = fopen(at("fio/lines.txt"), "r");
	while (f && fgets(line, sizeof(line), f)) {
		n++;
		sum += atoi(line + 5);
	}
	check(f && n == 50 && sum == 1275, "fgets %d lines, sum %d", n, sum);
	if (f)
		fclose(f);
}

static void tree(void)
{
	struct stat st;

	check(mkdir(at("fio/a"), 0755) == 0 && mkdir(at("fio/a/b"), 0755) == 0 &&
		  mkdir(at("fio/a/b/c"), 0755) == 0,
	      "mkdir a/b/c");
	check(write_file("fio/a/b/c/deep.txt", "deep\n") == 0, "write a/b/c/deep.txt");
	check(stat(at("fio/a/b/c/deep.txt"), &st) == 0 && st.st_size == 5 && S_ISREG(st.st_mode),
	      "stat deep.txt: regular, %lld bytes", (long long)st.st_size);
	check(stat(at("fio/a/b"), &st) == 0 && S_ISDIR(st.st_mode), "stat a/b: directory");
	check(mkdir(at("fio/a"), 0755) < 0 && errno == EEXIST, "mkdir existing: %s", ename(errno));
	check(rmdir(at("fio/a/b")) < 0 && errno == ENOTEMPTY, "rmdir non-empty: %s", ename(errno));
	check(open(at("fio/a/b/c/deep.txt/x"), O_RDONLY) < 0 && errno == ENOTDIR,
	      "open through a file: %s", ename(errno));
	list("fio/a/b/c");
	check(unlink(at("fio/a/b/c/deep.txt")) == 0 && rmdir(at("fio/a/b/c")) == 0 &&
		  rmdir(at("fio/a/b")) == 0 && rmdir(at("fio/a")) == 0,
	      "remove the tree");
}

int main(int argc, char **argv)
{
	struct stat st;

	line_buffered();
	if (argc < 2) {
		fprintf(stderr, "usage: fileio <dir>\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	check(mkdir(at("fio"), 0755) == 0, "mkdir fio");
	big_file();
	stdio_file();
	tree();
	check(write_file("fio/alpha.txt", "alpha\n") == 0 &&
		  write_file("fio/Beta-Long-Name.txt", "b\n") == 0 &&
		  write_file("fio/z", "z\n") == 0,
	      "write three small files");
	list("fio");
	check(rename(at("fio/alpha.txt"), at("fio/omega.txt")) == 0, "rename alpha.txt omega.txt");
	check(stat(at("fio/alpha.txt"), &st) < 0 && errno == ENOENT, "stat old name: %s",
	      ename(errno));
	check(stat(at("fio/omega.txt"), &st) == 0 && st.st_size == 6, "stat new name: %lld bytes",
	      (long long)st.st_size);
	list("fio");
	check(open(at("fio/missing"), O_RDONLY) < 0 && errno == ENOENT, "open missing: %s",
	      ename(errno));
	check(unlink(at("fio/missing")) < 0 && errno == ENOENT, "unlink missing: %s", ename(errno));
	check(rmdir(at("fio")) < 0 && errno == ENOTEMPTY, "rmdir fio non-empty: %s", ename(errno));
	check(unlink(at("fio/omega.txt")) == 0 && unlink(at("fio/Beta-Long-Name.txt")) == 0 &&
		  unlink(at("fio/z")) == 0 && unlink(at("fio/big.bin")) == 0 &&
		  unlink(at("fio/lines.txt")) == 0,
	      "unlink the files");
	list("fio");
	check(rmdir(at("fio")) == 0, "rmdir fio");
	check(stat(at("fio"), &st) < 0 && errno == ENOENT, "fio gone: %s", ename(errno));
	/* Left behind on purpose: the test reads it from the disk image after the run. */
	check(write_file("fileio.out",
			 "fileio: written by the starry fileio test\nsecond line\n") == 0,
	      "write fileio.out");
	return finish("fileio");
}
