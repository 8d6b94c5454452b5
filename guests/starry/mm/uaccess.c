/* User copies for the current process: every address is checked against its regions. */
#include "uaccess.h"
#include "mm.h"
#include "../proc/task.h"

int copy_from_user(void *dst, uint64_t usrc, size_t len)
{
	if (usrc + len < usrc)
		return -EFAULT;
	return mm_copy_in(current->mm, dst, usrc, len);
}

int copy_to_user(uint64_t udst, const void *src, size_t len)
{
	if (udst + len < udst)
		return -EFAULT;
	return mm_copy_out(current->mm, udst, src, len);
}

long strncpy_from_user(char *dst, uint64_t usrc, size_t size)
{
	size_t n = 0;

	while (n < size) {
		size_t chunk = PAGE_SIZE - (usrc & (PAGE_SIZE - 1));
		uint64_t pa;
		const char *p;

		if (mm_resolve(current->mm, usrc, ACCESS_READ, &pa) != 0)
			return -EFAULT;
		p = (const char *)(uintptr_t)(pa + (usrc & (PAGE_SIZE - 1)));
		for (size_t i = 0; i < chunk && n < size; i++, n++, usrc++) {
			dst[n] = p[i];
			if (!p[i])
				return (long)n;
		}
	}
	return -ENAMETOOLONG;
}
