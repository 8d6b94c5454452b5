/* Process lifecycle: clone, exit, wait, and the first process. */
#ifndef STARRY_PROC_PROCESS_H
#define STARRY_PROC_PROCESS_H

#include "task.h"

/* clone flags (Linux values) this kernel understands. */
#define CLONE_VM 0x00000100UL
#define CLONE_FS 0x00000200UL
#define CLONE_FILES 0x00000400UL
#define CLONE_SIGHAND 0x00000800UL
#define CLONE_VFORK 0x00004000UL
#define CLONE_PARENT 0x00008000UL
#define CLONE_THREAD 0x00010000UL
#define CLONE_SETTLS 0x00080000UL
#define CLONE_PARENT_SETTID 0x00100000UL
#define CLONE_CHILD_CLEARTID 0x00200000UL
#define CLONE_CHILD_SETTID 0x01000000UL

/* A new process copying the current one; returns the child's pid or -errno. */
long do_clone(uint64_t flags, uint64_t stack, uint64_t ptid, uint64_t tls, uint64_t ctid);
/* Ends the current thread (exit); the last one to go ends the process with the wait status
 * word (or with what exit_group gave). Never returns. */
__noreturn void do_exit(int status);
/* Ends every thread of the current process (exit_group, a fatal signal). */
__noreturn void do_group_exit(int status);
/* execve: ends the other threads; a non-leader thread takes the leader's pid. */
void process_exec_single(void);
/* What a wait found: the child, its wait4 status word, and for waitid its CLD_* code and
 * si_status; its CPU time (with its reaped children's) and peak memory for the rusage. */
struct wait_info {
	pid_t pid;
	int status, code, si_status;
	uint64_t utime, stime; /* ticks */
	uint64_t maxrss;       /* pages */
};
/* Waits for a child pid selects (wait4's convention) to change state as options ask
 * (WEXITED, WSTOPPED, WCONTINUED, WNOHANG, WNOWAIT): its pid, 0 (WNOHANG, nothing yet) or
 * -errno. */
long do_wait(pid_t pid, int options, struct wait_info *wi);
/* Records pid 1, which inherits orphans and whose exit powers the VM off (proc/init.c). */
void process_set_init(struct task *t);
/* Starts pid 1: it execs init_path from the root filesystem with the given arguments (the
 * bootargs after "--", as Linux passes them; at most INIT_MAX_ARGS). */
#define INIT_MAX_ARGS 8
void process_start_init(const char *init_path, const char *args);

#define WNOHANG 1
#define WUNTRACED 2
#define WSTOPPED 2
#define WEXITED 4
#define WCONTINUED 8
#define WNOWAIT 0x01000000
#define W_EXITCODE(code) (((code)&0xff) << 8)

#endif /* STARRY_PROC_PROCESS_H */
