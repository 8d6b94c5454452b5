/* Futex waiters: the queue of tasks sleeping on a futex word and FUTEX_WAKE_OP's arithmetic
 * (pure C, host-tested; sys/sys_futex.c does the sleeping and the user memory). */
#ifndef STARRY_PROC_FUTEXQ_H
#define STARRY_PROC_FUTEXQ_H

#include <stdbool.h>
#include <stdint.h>

/* A futex word: its address in one address space. Private and shared futexes key alike:
 * memory is never shared between address spaces here (no MAP_SHARED), so the address space
 * and the virtual address name the word. */
struct futex_key {
	const void *mm;
	uint64_t uaddr;
};

/* One sleeper, on its own kernel stack while it waits. */
struct futex_waiter {
	struct futex_key key;
	uint32_t bitset; /* FUTEX_WAIT_BITSET's mask; ~0 for FUTEX_WAIT */
	bool woken;	 /* set by the waker, which also unlinks it */
	void *owner;	 /* the task, handed to the wake callback */
	struct futex_waiter *next;
};

/* Waiters in arrival order: wakes go first-come first-served, like Linux's per-priority
 * FIFO for tasks of one priority. */
struct futexq {
	struct futex_waiter *first, *last;
};

void futexq_add(struct futexq *q, struct futex_waiter *w);
/* Unlinks w if it is still queued (a timeout or a signal ended its wait); true if it was. */
bool futexq_remove(struct futexq *q, const struct futex_waiter *w);
/* Wakes up to n waiters on k whose bitset meets bitset: unlinks them, sets woken, calls
 * wake(owner). Returns how many. */
int futexq_wake(struct futexq *q, const struct futex_key *k, uint32_t bitset, int n,
		void (*wake)(void *owner));
/* FUTEX_(CMP_)REQUEUE: wakes up to nwake waiters on from, then moves up to nrequeue of the
 * others to wait on to (keeping their order). Returns woken plus moved, as Linux does. */
int futexq_requeue(struct futexq *q, const struct futex_key *from, const struct futex_key *to,
		   int nwake, int nrequeue, void (*wake)(void *owner));

/* FUTEX_WAKE_OP's encoded operation (val3): computes the new value of the second word from
 * its old one into *newval and returns whether the comparison of the old value holds (1 or
 * 0), or -1 for an unknown operation or comparison (the syscall's ENOSYS). */
int futex_op_eval(uint32_t encoded, uint32_t oldval, uint32_t *newval);

#endif /* STARRY_PROC_FUTEXQ_H */
