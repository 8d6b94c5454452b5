/* LiteOS-A-style file calls (open, read, opendir ...) over the fatfs module, loaded on first use.
 */
#ifndef _LOS_VFS_H
#define _LOS_VFS_H

#include "los_posix.h"

/* The module ABI's values (Linux's). */
#define O_RDONLY 0x0
#define O_WRONLY 0x1
#define O_RDWR 0x2
#define O_ACCMODE 0x3
#define O_CREAT 0x40
#define O_EXCL 0x80
#define O_TRUNC 0x200
#define O_APPEND 0x400
#define O_DIRECTORY 0x10000

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

#define S_IFMT 0170000
#define S_IFDIR 0040000
#define S_IFREG 0100000
#define S_ISDIR(m) (((m)&S_IFMT) == S_IFDIR)
#define S_ISREG(m) (((m)&S_IFMT) == S_IFREG)

#define DT_DIR 4
#define DT_REG 8
#define NAME_MAX 255
/* Descriptors 0-2 are the console's; files get 3 and up. */
#define CONFIG_NFILE_DESCRIPTORS 16

struct stat {
	ino_t st_ino;
	mode_t st_mode;
	unsigned int st_nlink;
	off_t st_size;
	long st_blksize;
	long st_blocks;
	time_t st_mtime;
};

struct dirent {
	ino_t d_ino;
	unsigned char d_type;
	char d_name[NAME_MAX + 1];
};

typedef struct __dirstream DIR;

/* Sets up the file layer, before any task uses it (LiteOS's name); 0 or -1. */
int los_vfs_init(void);

/* 0 or more on success; -1 and errno on failure, as POSIX says. */
int open(const char *path, int oflags, ...);
int close(int fd);
ssize_t read(int fd, void *buf, size_t nbyte);
ssize_t write(int fd, const void *buf, size_t nbyte);
off_t lseek(int fd, off_t offset, int whence);
int stat(const char *path, struct stat *buf);
int fstat(int fd, struct stat *buf);
int mkdir(const char *path, mode_t mode);
int rmdir(const char *path);
int unlink(const char *path);
int rename(const char *oldpath, const char *newpath);
int fsync(int fd);
/* Writes everything cached to the disk (nothing to do before the first use). */
void sync(void);
DIR *opendir(const char *path);
struct dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif /* _LOS_VFS_H */
