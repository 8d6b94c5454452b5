/* Shell commands on the disk: ls, cat, echo with redirection, mkdir, rm. */
#include "los_printf.h"
#include <fmt.h>
#include "los_vfs.h"
#include "shell_pri.h"
#include <string.h>

#define SHELL_IO_CHUNK 256

INT32 OsShellCmdLs(INT32 argc, const CHAR **argv)
{
	const CHAR *path = argc > 1 ? argv[1] : "/";
	DIR *dir = opendir(path);
	const struct dirent *ent;
	UINT32 count = 0;

	if (dir == NULL) {
		dprintf("ls: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((ent = readdir(dir)) != NULL) {
		CHAR full[NAME_MAX + 2];
		struct stat st;

		count++;
		if (ent->d_type == DT_DIR) {
			dprintf("  %s/\n", ent->d_name);
			continue;
		}
		fmt_snprintf(full, sizeof(full), "%s/%s", strcmp(path, "/") ? path : "",
			     ent->d_name);
		if (stat(full, &st) == 0)
			dprintf("  %-24s %8ld\n", ent->d_name, (long)st.st_size);
		else
			dprintf("  %s\n", ent->d_name);
	}
	(void)closedir(dir);
	dprintf("%u entries\n", count);
	return 0;
}

INT32 OsShellCmdCat(INT32 argc, const CHAR **argv)
{
	CHAR buf[SHELL_IO_CHUNK];
	ssize_t n;
	CHAR last = '\n';
	int fd;

	if (argc != 2) {
		dprintf("usage: cat <file>\n");
		return -1;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		dprintf("cat: %s: %s\n", argv[1], strerror(errno));
		return -1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		LOS_ConsoleWrite(buf, (UINT32)n);
		last = buf[n - 1];
	}
	if (n < 0)
		dprintf("\ncat: %s: %s\n", argv[1], strerror(errno));
	else if (last != '\n')
		dprintf("\n");
	(void)close(fd);
	return n < 0 ? -1 : 0;
}

INT32 OsShellCmdEcho(INT32 argc, const CHAR **argv)
{
	CHAR text[SHELL_LINE_MAX + 1]; /* the longest line's words and a newline */
	UINT32 len = 0;
	INT32 i;
	int fd;
	int flags = O_WRONLY | O_CREAT | O_TRUNC;

	text[0] = '\0';
	for (i = 1; i < argc && strcmp(argv[i], ">") != 0 && strcmp(argv[i], ">>") != 0; i++)
		if (len < sizeof(text) - 1)
			len += (UINT32)fmt_snprintf(text + len, sizeof(text) - len, "%s%s",
						    i > 1 ? " " : "", argv[i]);
	len = (UINT32)strnlen(text, sizeof(text) - 2);
	text[len++] = '\n';
	text[len] = '\0';
	if (i >= argc) {
		LOS_ConsoleWrite(text, len);
		return 0;
	}
	if (i + 2 != argc) {
		dprintf("usage: echo <text> > <file>\n");
		return -1;
	}
	if (strcmp(argv[i], ">>") == 0)
		flags = O_WRONLY | O_CREAT | O_APPEND;
	fd = open(argv[i + 1], flags);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		dprintf("echo: %s: %s\n", argv[i + 1], strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	(void)close(fd);
	sync();
	dprintf("wrote %u bytes to %s\n", len, argv[i + 1]);
	return 0;
}

INT32 OsShellCmdMkdir(INT32 argc, const CHAR **argv)
{
	if (argc != 2) {
		dprintf("usage: mkdir <dir>\n");
		return -1;
	}
	if (mkdir(argv[1], 0755) != 0) {
		dprintf("mkdir: %s: %s\n", argv[1], strerror(errno));
		return -1;
	}
	sync();
	dprintf("made directory %s\n", argv[1]);
	return 0;
}

INT32 OsShellCmdRm(INT32 argc, const CHAR **argv)
{
	int ret;

	if (argc != 2) {
		dprintf("usage: rm <path>\n");
		return -1;
	}
	ret = unlink(argv[1]);
	if (ret != 0 && errno == EISDIR)
		ret = rmdir(argv[1]);
	if (ret != 0) {
		dprintf("rm: %s: %s\n", argv[1], strerror(errno));
		return -1;
	}
	sync();
	dprintf("removed %s\n", argv[1]);
	return 0;
}
