/* POSIX basics for the LiteOS-A-style calls: errno (per task), its values, ssize_t and friends. */
#ifndef _LOS_POSIX_H
#define _LOS_POSIX_H

#include "los_typedef.h"

typedef long ssize_t;
typedef long off_t;
typedef unsigned int mode_t;
typedef unsigned long ino_t;
typedef long time_t;

/* Linux's numbers, which the shared modules use too. */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define EXDEV 18
#define ENODEV 19
#define ENOTDIR 20
#define EISDIR 21
#define EINVAL 22
#define ENFILE 23
#define EMFILE 24
#define EFBIG 27
#define ENOSPC 28
#define ESPIPE 29
#define EROFS 30
#define ENAMETOOLONG 36
#define ENOSYS 38
#define ENOTEMPTY 39

/* The running task's errno (a kernel-wide one before any task runs). */
int *__errno_location(void);
#define errno (*__errno_location())
/* A short description of an errno value. */
const char *strerror(int errnum);

#endif /* _LOS_POSIX_H */
