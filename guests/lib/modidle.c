/* Idle tracking for the guests' modules: pure logic (no kernel calls), tested on the host. */
#include "modidle.h"
#include <stddef.h>

#define NS_PER_MS 1000000ULL
#define NS_PER_S 1000000000ULL

/* The value of word key (e.g. "modidle=") in space-separated args, or NULL. */
static const char *arg_value(const char *args, const char *key)
{
	for (const char *p = args; *p; p++) {
		size_t n = 0;

		if (p != args && p[-1] != ' ')
			continue;
		while (key[n] && p[n] == key[n])
			n++;
		if (!key[n])
			return p + n;
	}
	return NULL;
}

uint64_t modidle_parse(const char *bootargs)
{
	const char *v = bootargs ? arg_value(bootargs, "modidle=") : NULL;
	uint64_t n = 0, unit = NS_PER_S;
	const char *p = v;

	if (!v)
		return MODIDLE_DEFAULT_NS;
	/* Digits past a trillion saturate: that long is as good as never, and n cannot wrap. */
	for (; *p >= '0' && *p <= '9'; p++)
		n = n > 1000000000000ULL ? n : n * 10 + (uint64_t)(*p - '0');
	if (p[0] == 'm' && p[1] == 's') {
		unit = NS_PER_MS;
		p += 2;
	} else if (p[0] == 's') {
		p++;
	}
	if (p == v || (*p && *p != ' '))
		return MODIDLE_DEFAULT_NS;
	return n > UINT64_MAX / unit ? UINT64_MAX : n * unit;
}

void modidle_loaded(struct modidle *s, uint64_t now)
{
	s->loads++;
	if (s->idle_unloaded)
		s->reloads++;
	s->idle_unloaded = false;
	s->last_use_ns = now;
}

void modidle_touch(struct modidle *s, uint64_t now)
{
	s->last_use_ns = now;
}

void modidle_get(struct modidle *s, uint64_t now)
{
	s->users++;
	s->last_use_ns = now;
}

bool modidle_put(struct modidle *s, uint64_t now)
{
	if (s->users == 0)
		return false;
	s->users--;
	s->last_use_ns = now;
	return true;
}

uint64_t modidle_unused_left_ns(const struct modidle *s, uint64_t now, uint64_t idle_ns)
{
	/* A clock behind the last use (another CPU's stamp) counts as no time gone by. */
	uint64_t idle = now > s->last_use_ns ? now - s->last_use_ns : 0;

	return idle >= idle_ns ? 0 : idle_ns - idle;
}

uint64_t modidle_wait_ns(const struct modidle *s, bool loaded, uint64_t now, uint64_t idle_ns)
{
	if (!loaded || idle_ns == 0 || s->users)
		return UINT64_MAX;
	return modidle_unused_left_ns(s, now, idle_ns);
}

bool modidle_due(const struct modidle *s, bool loaded, uint64_t now, uint64_t idle_ns)
{
	return modidle_wait_ns(s, loaded, now, idle_ns) == 0;
}

void modidle_unloaded(struct modidle *s)
{
	s->idle_unloads++;
	s->idle_unloaded = true;
}
