/* Checked copies between the kernel and the current process's user memory. */
#ifndef STARRY_MM_UACCESS_H
#define STARRY_MM_UACCESS_H

#include "../kernel.h"

/* Every user pointer is checked against the process's mappings (faulting in lazy pages of its
 * stack and anonymous regions); a bad one gives -EFAULT and copies nothing past the fault.
 * Returns 0 or -EFAULT. */
int copy_from_user(void *dst, uint64_t usrc, size_t len);
int copy_to_user(uint64_t udst, const void *src, size_t len);
/* Copies a NUL-terminated string of at most size - 1 characters; returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL comes within size bytes. */
long strncpy_from_user(char *dst, uint64_t usrc, size_t size);

#endif /* STARRY_MM_UACCESS_H */
