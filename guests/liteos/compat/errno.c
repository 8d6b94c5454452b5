/* errno for the POSIX-style calls: each task has its own, kept in its control block. */
#include "los_compat_pri.h"

static int g_bootErrno;

int *__errno_location(void)
{
	if (g_taskScheduled && OS_INT_INACTIVE)
		return &g_runTask->errNo;
	return &g_bootErrno;
}

const char *strerror(int errnum)
{
	switch (errnum) {
	case 0:
		return "success";
	case EPERM:
		return "operation not permitted";
	case ENOENT:
		return "no such file or directory";
	case ESRCH:
		return "no such task";
	case EIO:
		return "I/O error";
	case EBADF:
		return "bad file descriptor";
	case EAGAIN:
		return "try again";
	case ENOMEM:
		return "out of memory";
	case EBUSY:
		return "busy";
	case EEXIST:
		return "file exists";
	case ENODEV:
		return "no filesystem";
	case ENOTDIR:
		return "not a directory";
	case EISDIR:
		return "is a directory";
	case EINVAL:
		return "invalid argument";
	case EMFILE:
		return "too many open files";
	case ENOSPC:
		return "no space left";
	case ENAMETOOLONG:
		return "name too long";
	case ENOSYS:
		return "not supported";
	case ENOTEMPTY:
		return "directory not empty";
	default:
		return "error";
	}
}
