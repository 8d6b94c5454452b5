/* Interval timer arithmetic: arming, expiry with reload, what is left (pure C, host-tested). */
#include "itimer.h"

void itimer_set(struct itimer *it, bool real, uint64_t value_ns, uint64_t interval_ns, uint64_t now)
{
	it->interval = value_ns ? interval_ns : 0;
	if (!value_ns)
		it->value = 0;
	else if (real)
		it->value = now + value_ns < now ? UINT64_MAX : now + value_ns;
	else
		it->value = value_ns;
}

uint64_t itimer_left(const struct itimer *it, bool real, uint64_t now)
{
	if (!it->value)
		return 0;
	if (!real)
		return it->value;
	/* Due but not yet fired by the tick: Linux too reports a tiny positive value rather
	 * than 0, which would read as disarmed. */
	return it->value > now ? it->value - now : 1000;
}

bool itimer_real_expire(struct itimer *it, uint64_t now)
{
	if (!it->value || now < it->value)
		return false;
	if (!it->interval) {
		it->value = 0;
		return true;
	}
	/* The next deadline after now on the timer's own grid, so a late tick does not drift it. */
	it->value += ((now - it->value) / it->interval + 1) * it->interval;
	return true;
}

bool itimer_cpu_charge(struct itimer *it, uint64_t ns)
{
	if (!it->value)
		return false;
	if (ns < it->value) {
		it->value -= ns;
		return false;
	}
	it->value = it->interval;
	return true;
}
