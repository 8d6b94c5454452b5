/* Kernel-wide helpers: panic, monotonic time, a random stream. */
#include "kernel.h"
#include "proc/task.h"

__noreturn void starry_panic(const char *file, int line, const char *msg)
{
	kprintf(KTAG ": PANIC at %s:%d: %s\n", file, line, msg);
	psci_system_off();
}

uint64_t ktime_ns(void)
{
	return guest_time_ns();
}

uint64_t timespec_to_ns(int64_t sec, int64_t nsec)
{
	if ((uint64_t)sec > (UINT64_MAX - (uint64_t)nsec) / 1000000000ULL)
		return UINT64_MAX;
	return (uint64_t)sec * 1000000000ULL + (uint64_t)nsec;
}

uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = ktime_ns();

	return ns > UINT64_MAX - now ? UINT64_MAX : now + ns;
}

/* splitmix64 over the counter: unpredictable enough for AT_RANDOM and getrandom in a test
 * kernel, not a cryptographic generator (documented in docs/starry.md). */
uint64_t random_u64(void)
{
	static uint64_t state = 0x853c49e6748fea9bULL;
	uint64_t z;

	state += 0x9e3779b97f4a7c15ULL ^ ktime_ns();
	z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}
