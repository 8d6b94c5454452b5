/* Futex wakes from the kernel itself: a thread's exit clears its child-tid word and wakes
 * whoever joins it (sys/sys_futex.c). */
#ifndef STARRY_PROC_FUTEX_H
#define STARRY_PROC_FUTEX_H

#include "../kernel.h"

/* Wakes up to n tasks of the current address space waiting on the word at uaddr; returns
 * how many (0 for a misaligned address). */
int futex_wake(uint64_t uaddr, int n);

/* At a thread's exit: each futex on its robust list (set_robust_list) that it still owns gets
 * FUTEX_OWNER_DIED and one waiter woken, so that a waiter does not wait for ever. */
struct task;
void futex_exit_robust_list(struct task *t);

#endif /* STARRY_PROC_FUTEX_H */
