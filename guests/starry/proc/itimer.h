/* Interval timers (setitimer): the arithmetic of arming, expiring and reading them (pure C,
 * host-tested); the tick (proc/sched.c) charges and fires them. */
#ifndef STARRY_PROC_ITIMER_H
#define STARRY_PROC_ITIMER_H

#include <stdbool.h>
#include <stdint.h>

#define ITIMER_REAL 0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF 2
#define ITIMER_COUNT 3

/* One timer. A real-time one keeps its absolute deadline (monotonic ns), a CPU-time one the
 * CPU time it has left; 0 is disarmed either way. */
struct itimer {
	uint64_t value;
	uint64_t interval; /* reload after each expiry; 0 for a one-shot timer */
};

/* Arms (value_ns > 0) or disarms (0) a timer; a real one counts from now. */
void itimer_set(struct itimer *it, bool real, uint64_t value_ns, uint64_t interval_ns,
		uint64_t now);
/* What getitimer reports: the time left (0 when disarmed). */
uint64_t itimer_left(const struct itimer *it, bool real, uint64_t now);
/* A real timer at time now: true if it expired, then rearmed past now (expiries missed
 * meanwhile coalesce into this one, as one pending SIGALRM would) or disarmed. */
bool itimer_real_expire(struct itimer *it, uint64_t now);
/* A CPU timer charged ns of CPU time: true if that made it expire (then reloaded or
 * disarmed). */
bool itimer_cpu_charge(struct itimer *it, uint64_t ns);

#endif /* STARRY_PROC_ITIMER_H */
