/* execve's kernel side: what to run, with which arguments. */
#ifndef STARRY_PROC_EXEC_H
#define STARRY_PROC_EXEC_H

#include "../kernel.h"

struct exec_request {
	const char *path;
	char **argv;
	unsigned argc;
	char **envp;
	unsigned envc;
	size_t strings_len; /* bytes of all argument and environment strings with their NULs */
};

/* Allocates the sigreturn trampoline page every process maps. */
void exec_init(void);
/* Replaces the current process's image. 0 (the new image starts on return to user mode) or
 * -errno with the old image untouched. */
int do_execve(const struct exec_request *req);

#endif /* STARRY_PROC_EXEC_H */
