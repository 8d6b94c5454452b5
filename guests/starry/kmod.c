/* Modules served by the hypervisor: loaded on the first operation that misses them. */
#include <string.h>
#include "kmod.h"
#include "fs/fs.h"
#include "proc/signal.h"

static struct gmod modules[] = {
    {.name = "fatfs", .kind = MV_MODULE_FS},
    {.name = "ext4", .kind = MV_MODULE_FS},
    {.name = "signal", .kind = MV_MODULE_SIGNAL},
};

struct gmod *kmod_get(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(modules); i++)
		if (strcmp(modules[i].name, name) == 0)
			return &modules[i];
	return NULL;
}

unsigned kmod_count(void)
{
	return ARRAY_SIZE(modules);
}

const struct gmod *kmod_at(unsigned i)
{
	return i < ARRAY_SIZE(modules) ? &modules[i] : NULL;
}

int kmod_load_on_miss(struct gmod *m, const char *what)
{
	return m->desc ? 0 : gmod_load_on_miss(m, KTAG, what);
}

unsigned kmod_users(const struct gmod *m)
{
	/* The signal module's users are counted when asked: its state is the module's own. */
	if (m->kind == MV_MODULE_SIGNAL)
		return signal_users();
	return m->idle.users;
}

void kmod_idle_check(void)
{
	uint64_t now;

	if (!gmod_idle_ns)
		return;
	now = ktime_ns();
	/* The root filesystem's module goes when nothing is open on it, the signal module when
	 * every task's signal state is a new task's. */
	fatroot_idle(now);
	signal_idle(now);
}
