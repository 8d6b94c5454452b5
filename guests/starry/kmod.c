/* Modules served by the hypervisor: loaded on the first operation that misses them. */
#include <string.h>
#include <modvisor/hypercall.h>
#include "kmod.h"

static struct gmod modules[] = {
    {.name = "fatfs", .kind = MV_MODULE_FS},
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
	int ret;

	if (m->desc)
		return 0;
	kprintf(KTAG ": %s missed: no %s module, loading it from the hypervisor\n", what, m->name);
	ret = gmod_load(m, guest_kservices(KTAG));
	if (ret != 0) {
		kprintf(KTAG ": loading module %s failed: %s (%d)\n", m->name,
			gmod_status_text(ret), ret);
		return ret;
	}
	m->from_miss = !(m->flags & MV_MOD_F_ALREADY);
	kprintf(KTAG ": module %s %u.%u loaded at %#lx on a miss (%s)\n", m->name,
		m->desc->version >> 16, m->desc->version & 0xffff, (unsigned long)m->base,
		gmod_how(m));
	return 0;
}
