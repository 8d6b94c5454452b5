/* Signals as the kernel sees them: sending, checking, delivery on the way back to user mode.
 * All signal state lives in the signal module, loaded from the hypervisor on first use. */
#ifndef STARRY_PROC_SIGNAL_H
#define STARRY_PROC_SIGNAL_H

#include "task.h"

#define SI_KERNEL 0x80 /* si_code of what the kernel itself sends (faults, timers) */

/* Sends sig to t from the kernel (SIGPIPE, SIGCHLD, SIGSEGV...); code is the siginfo code.
 * Loads the signal module if it is not there yet. 0 or -errno. */
int signal_send(struct task *t, int sig, int code, int64_t value);
/* A process-directed signal (kill, SIGCHLD): to the thread of p's group that does not block
 * it, else to one that does. */
int signal_send_process(struct task *p, int sig, int code, int64_t value);
/* The thread of p's group a process-directed sig goes to (NULL: none left). */
struct task *signal_process_target(struct task *p, int sig);
/* signal_send with a siginfo the caller filled (POSIX timers: the timer id and overrun count
 * travel where a sender's pid and uid would, as in Linux's siginfo layout). */
int signal_send_info(struct task *t, const struct mv_siginfo *info);
/* Gives every other thread of t's group t's action for sig: actions belong to the process,
 * the module keeps them per thread. */
void signal_sync_action(struct task *t, int sig);
/* sigtimedwait: takes the first pending signal of set from t's queue, blocked or not, without
 * running its action; its number, or 0 if none of set is pending. */
int signal_take(struct task *t, mv_sigset_t set, struct mv_siginfo *info);
/* Writes a siginfo_t for info to user memory: 0 or -EFAULT. */
int signal_copy_siginfo(uint64_t uaddr, const struct mv_siginfo *info);
/* POSIX: a parent that ignores SIGCHLD (or set SA_NOCLDWAIT) leaves no zombies: its children
 * are reaped as they exit. */
bool signal_no_zombies(struct task *parent);
/* The module's state of thread `from` becomes that of `to` (exec from a non-leader thread). */
void signal_task_rekey(pid_t from, pid_t to);
/* Sends a synchronous fault signal (SIGSEGV, SIGILL...): unblocked and reset to the default
 * first if the process blocks or ignores it. */
int signal_force(struct task *t, int sig, int code, int64_t value);
/* True if t has an unblocked signal pending (cheap when no signal was ever sent). */
bool signal_pending(struct task *t);
/* On return to user mode: runs default actions and builds handler frames. */
void signal_deliver(struct trap_frame *tf);
/* The signal module's operations, loading it (because of `what`) on first use; NULL if it
 * cannot be loaded. */
const struct mv_sig_ops *signal_ops(const char *what);
/* What keeps the signal module loaded now: threads whose signal state is not a new task's
 * (a handler or ignored action, a blocked or pending signal), threads waiting in sigsuspend,
 * sigtimedwait or ppoll with a mask, and POSIX timers that notify by a signal. 0 while the
 * module is not loaded. */
unsigned signal_users(void);
/* Unloads the signal module once nothing keeps it (signal_users) and it has been unused for
 * the modidle= time; the next use loads it again with every task in its initial state, which
 * is all an unload lost. Called from the idle loop, never from an interrupt. */
void signal_idle(uint64_t now);
/* rt_sigreturn: restores what the frame at the user sp saved; returns the restored x0. */
long signal_return(struct trap_frame *tf);
/* Process lifecycle hooks; no-ops while the module is not loaded. */
void signal_task_fork(struct task *parent, struct task *child);
void signal_task_exec(struct task *t);
void signal_task_exit(struct task *t);

#endif /* STARRY_PROC_SIGNAL_H */
