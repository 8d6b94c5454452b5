/* Token buckets kept as tick credit, so refilling needs no division on the hot path. */
#include "ratelimit.h"

void ratelimit_init(struct ratelimit *rl, uint64_t freq, uint32_t per_sec, uint32_t burst,
		    uint64_t now)
{
	rl->period = per_sec ? freq / per_sec : freq;
	if (rl->period == 0)
		rl->period = 1;
	rl->cap = rl->period * burst;
	rl->credit = rl->cap;
	rl->last = now;
	rl->last_note = now;
	rl->dropped = 0;
}

static void refill(struct ratelimit *rl, uint64_t now)
{
	/* Counters read on different CPUs may be a little out of order: never go backwards. */
	if (now <= rl->last)
		return;
	uint64_t earned = now - rl->last;

	rl->credit = earned >= rl->cap - rl->credit ? rl->cap : rl->credit + earned;
	rl->last = now;
}

bool ratelimit_take(struct ratelimit *rl, uint64_t now)
{
	refill(rl, now);
	if (rl->credit >= rl->period) {
		rl->credit -= rl->period;
		return true;
	}
	if (rl->dropped != UINT32_MAX)
		rl->dropped++;
	return false;
}

uint32_t ratelimit_report(struct ratelimit *rl, uint64_t now, uint64_t interval, bool always)
{
	uint32_t n = rl->dropped;

	if (n == 0 || (!always && (now < rl->last_note || now - rl->last_note < interval)))
		return 0;
	rl->dropped = 0;
	rl->last_note = now;
	return n;
}
