/* The guest's module loader: asks the hypervisor for a module, checks it, runs its init. */
#include "guest.h"
#include <modvisor/hypercall.h>
#include <string.h>

#define MOD_LOAD_BUSY_RETRIES 100000u

int gmod_load(struct gmod *m, const struct mv_kservices *ks)
{
	struct smccc_res r;
	const struct mv_module_desc *desc;
	int ret;

	if (m->desc)
		return 0;
	/* BUSY means another vCPU of this VM is loading the same module right now: it finishes in
	 * bounded time, after which the call answers with that load (MV_MOD_F_ALREADY). */
	for (unsigned tries = 0;; tries++) {
		r = smccc_hvc(MV_HVC_MOD_LOAD, (uint64_t)(uintptr_t)m->name, strlen(m->name), 0, 0,
			      0, 0);
		if ((int64_t)r.a0 != MV_ERR_BUSY || tries == MOD_LOAD_BUSY_RETRIES)
			break;
		__asm__ volatile("yield");
	}
	if (r.a0 != MV_OK)
		return (int)r.a0;
	desc = (const struct mv_module_desc *)(uintptr_t)r.a2;
	/* The hypervisor checked the image; the kernel still checks what it is about to call. */
	if (desc->magic != MV_MODULE_MAGIC || desc->abi_version != MV_MODULE_ABI_VERSION ||
	    strcmp(desc->name, m->name) != 0 || desc->kind != m->kind)
		return MV_ERR_INVALID;
	ret = desc->init(ks, &m->ops);
	if (ret < 0)
		return MV_ERR_INVALID;
	m->desc = desc;
	m->base = r.a1;
	m->flags = (uint32_t)r.a3;
	modidle_loaded(&m->idle, guest_time_ns());
	return 0;
}

int gmod_unload(struct gmod *m)
{
	struct smccc_res r;

	if (!m->desc)
		return MV_ERR_NOT_FOUND;
	if (m->desc->exit)
		m->desc->exit();
	r = smccc_hvc(MV_HVC_MOD_UNLOAD, (uint64_t)(uintptr_t)m->name, strlen(m->name), 0, 0, 0, 0);
	m->desc = NULL;
	m->ops = NULL;
	return (int)r.a0;
}

uint64_t gmod_idle_ns = MODIDLE_DEFAULT_NS;

void gmod_idle_init(const struct boot_info *info)
{
	gmod_idle_ns = modidle_parse(info->bootargs);
}

int gmod_unload_idle(struct gmod *m, const char *tag)
{
	uint64_t idle_ms = (guest_time_ns() - m->idle.last_use_ns) / 1000000;
	int ret = gmod_unload(m);

	if (ret != 0) {
		kprintf("%s: unloading idle module %s failed: %s (%d)\n", tag, m->name,
			gmod_status_text(ret), ret);
		return ret;
	}
	modidle_unloaded(&m->idle);
	kprintf("%s: module %s unused for %lu.%03lu s: unloaded (idle unload %u); the next use "
		"loads it again\n",
		tag, m->name, (unsigned long)(idle_ms / 1000), (unsigned long)(idle_ms % 1000),
		m->idle.idle_unloads);
	return 0;
}

void gmod_log_reload(const struct gmod *m, const char *tag)
{
	kprintf("%s: module %s reloaded after an idle unload (reload %u, %s)\n", tag, m->name,
		m->idle.reloads,
		(m->flags & (MV_MOD_F_RESIDENT | MV_MOD_F_SHARED)) ? "warm" : "cold");
}

const char *gmod_state(const struct gmod *m)
{
	if (m->desc)
		return "loaded";
	return m->idle.idle_unloaded ? "idle-unloaded" : "not-loaded";
}

int gmod_load_on_miss(struct gmod *m, const char *tag, const char *what)
{
	bool was_idle = m->idle.idle_unloaded;
	int ret;

	kprintf("%s: %s missed: no %s module, loading it\n", tag, what, m->name);
	ret = gmod_load(m, guest_kservices(tag));
	if (ret != 0) {
		kprintf("%s: loading module %s failed: %s (%d)\n", tag, m->name,
			gmod_status_text(ret), ret);
		return ret;
	}
	if (m->flags & MV_MOD_F_ALREADY) {
		kprintf("%s: module %s %u.%u already present at %#lx (mapped at boot)\n", tag,
			m->name, m->desc->version >> 16, m->desc->version & 0xffff,
			(unsigned long)m->base);
		return 0;
	}
	m->from_miss = true;
	kprintf("%s: module %s %u.%u loaded at %#lx on a miss (%s)\n", tag, m->name,
		m->desc->version >> 16, m->desc->version & 0xffff, (unsigned long)m->base,
		gmod_how(m));
	if (was_idle)
		gmod_log_reload(m, tag);
	return 0;
}

const char *gmod_status_text(int ret)
{
	switch (ret) {
	case MV_ERR_DENIED:
		return "denied";
	case MV_ERR_NOT_FOUND:
		return "not found";
	case MV_ERR_NO_MEMORY:
		return "no memory";
	case MV_ERR_INVALID:
		return "invalid";
	default:
		return "failed";
	}
}

const char *gmod_how(const struct gmod *m)
{
	if (m->flags & MV_MOD_F_ALREADY)
		return "mapped by the hypervisor at boot";
	if (m->flags & MV_MOD_F_SHARED)
		return "text shared with another VM, nothing copied";
	if (m->flags & MV_MOD_F_RESIDENT)
		return "text already cached, nothing copied";
	return "text copied from the bundle";
}
