/* The LiteOS kernel's module miss path: the first operation that needs a module loads it. */
#include "guest.h"
#include "los_module.h"
#include "los_mux.h"
#include "los_printf.h"
#include "los_swtmr.h"
#include "los_sched_pri.h"
#include "los_sys.h"
#include "los_task.h"
#include "los_tick.h"
#include <modvisor/hypercall.h>

static UINT32 g_modMux = OS_INVALID;

static INT32 OsModuleLoad(struct gmod *mod, const CHAR *what)
{
	const struct boot_info *info = LOS_BootInfo();
	BOOL wasIdle = mod->idle.idle_unloaded;
	INT32 ret;

	/* Another task may have loaded it while this one waited for the lock. */
	if (mod->desc != NULL)
		return 0;
	if (info == NULL || info->module_window_size == 0) {
		dprintf("liteos: %s needs module %s, but this VM has no module window\n", what,
			mod->name);
		return MV_ERR_NOT_SUPPORTED;
	}
	/* Maps the module window once (the boot checks may have done it already). */
	ondemand_init("liteos", info);
	dprintf("liteos: %s missed: no %s module, loading it\n", what, mod->name);
	ret = gmod_load(mod, LOS_ModuleServices());
	if (ret != 0) {
		dprintf("liteos: loading module %s failed: %s (%d)\n", mod->name,
			gmod_status_text(ret), (int)ret);
		return ret;
	}
	mod->from_miss = !(mod->flags & MV_MOD_F_ALREADY);
	dprintf("liteos: module %s %u.%u loaded at %#lx on a miss (%s)\n", mod->name,
		mod->desc->version >> 16, mod->desc->version & 0xffff, (unsigned long)mod->base,
		gmod_how(mod));
	if (wasIdle) {
		LOS_TaskLock(); /* the guest library prints with kprintf: one line at a time */
		gmod_log_reload(mod, "liteos");
		LOS_TaskUnlock();
	}
	return 0;
}

INT32 LOS_ModuleUnloadIdle(const CHAR *name)
{
	struct gmod *mod = ondemand_module_mut(name);
	INT32 ret;

	if (mod == NULL || mod->desc == NULL)
		return MV_ERR_NOT_FOUND;
	/* Not g_modMux: the idle check runs in the timer task, a system task, which may not wait
	 * for a mutex; the caller's lock keeps this module's loads away instead. */
	LOS_TaskLock();
	ret = gmod_unload_idle(mod, "liteos");
	LOS_TaskUnlock();
	return ret;
}

/* How often an idle check looks: a quarter of the idle time, at least a tick, at most 1 s. */
#define OS_IDLE_CHECK_MAX_MS 1000U

VOID LOS_ModuleIdleCheckStart(SWTMR_PROC_FUNC check, UINT16 *timer, BOOL *started)
{
	UINT64 ms = gmod_idle_ns / 4000000ULL;
	UINT32 ticks;

	if (*started || gmod_idle_ns == 0)
		return;
	ms = ms > OS_IDLE_CHECK_MAX_MS ? OS_IDLE_CHECK_MAX_MS : ms;
	ticks = LOS_MS2Tick((UINT32)ms);
	if (LOS_SwtmrCreate(ticks ? ticks : 1, LOS_SWTMR_MODE_PERIOD, check, timer, 0) == LOS_OK &&
	    LOS_SwtmrStart(*timer) == LOS_OK)
		*started = TRUE;
}

INT32 LOS_ModuleOps(const CHAR *name, const CHAR *what, const VOID **ops)
{
	struct gmod *mod = ondemand_module_mut(name);
	INT32 ret = 0;

	if (mod == NULL) {
		*ops = NULL;
		return MV_ERR_NOT_FOUND;
	}
	if (mod->desc == NULL) {
		/* Two tasks missing at once: the second waits and finds it loaded. */
		BOOL locked = OsPreemptable() && g_modMux != OS_INVALID &&
			      LOS_MuxPend(g_modMux, LOS_WAIT_FOREVER) == LOS_OK;

		ret = OsModuleLoad(mod, what);
		if (locked)
			(void)LOS_MuxPost(g_modMux);
	}
	*ops = ret == 0 ? mod->ops : NULL;
	return ret;
}

VOID LOS_ModuleAdopt(VOID)
{
	for (unsigned i = 0; ondemand_module(i); i++) {
		const struct gmod *mod = ondemand_module(i);
		struct gmod *own;

		if (mod->desc == NULL)
			continue;
		/* Loaded by the boot checks with the boot heap and spinlocks, which preemptive
		 * tasks cannot share: unload it, and let the first LOS operation load it again. */
		own = ondemand_module_mut(mod->name);
		(void)gmod_unload(own);
		own->from_miss = false;
		dprintf(
		    "liteos: module %s: the boot checks' copy is unloaded; LOS tasks load their "
		    "own\n",
		    mod->name);
	}
	if (g_modMux == OS_INVALID)
		(void)LOS_MuxCreate(&g_modMux);
	gmod_idle_init(LOS_BootInfo());
}
