/* Ticket spinlocks for the few structures the physical CPUs share. */
#ifndef HYP_SPINLOCK_H
#define HYP_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	uint16_t owner;
	uint16_t next;
};

#define SPINLOCK_INIT                                                                              \
	{                                                                                          \
		0, 0                                                                               \
	}

void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);

#endif /* HYP_SPINLOCK_H */
