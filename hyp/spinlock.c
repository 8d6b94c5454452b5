/* Ticket spinlock on the GCC atomics (LDAXR/STLXR on ARMv8.0): fair between the two CPUs. */
#include "spinlock.h"
#include "arch/sysregs.h"

void spin_lock(struct spinlock *lock)
{
	uint16_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		__asm__ volatile("yield");
}

void spin_unlock(struct spinlock *lock)
{
	__atomic_store_n(&lock->owner, (uint16_t)(lock->owner + 1), __ATOMIC_RELEASE);
}
