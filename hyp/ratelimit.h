/* Token buckets on a free-running tick counter: a burst, then a steady rate, drops counted. */
#ifndef HYP_RATELIMIT_H
#define HYP_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct ratelimit {
	uint64_t period;    /* ticks per token (the steady rate) */
	uint64_t cap;	    /* credit ceiling in ticks: burst * period */
	uint64_t credit;    /* ticks earned and not yet spent */
	uint64_t last;	    /* counter value of the last refill */
	uint64_t last_note; /* counter value when the drops were last reported */
	uint32_t dropped;   /* refused since the last report */
};

/* A full bucket of `burst` tokens refilled at `per_sec` tokens per second of `freq` ticks. */
void ratelimit_init(struct ratelimit *rl, uint64_t freq, uint32_t per_sec, uint32_t burst,
		    uint64_t now);
/* Takes one token; false (and the refusal counted) when there is none. */
bool ratelimit_take(struct ratelimit *rl, uint64_t now);
/* The refusals to report now: those counted, if `always` or `interval` ticks have passed since
 * the last report; zero otherwise. Reporting resets the count. */
uint32_t ratelimit_report(struct ratelimit *rl, uint64_t now, uint64_t interval, bool always);

#endif /* HYP_RATELIMIT_H */
