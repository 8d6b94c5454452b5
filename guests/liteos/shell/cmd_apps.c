/* The example applications (guests/liteos/apps/): run by name from the shell, or all of them
 * at boot (bootargs "los-apps") with a tally. */
#include "apps.h"
#include "guest.h"
#include "los_app.h"
#include "los_printf.h"
#include "los_task.h"
#include "shell_pri.h"
#include <string.h>

typedef struct {
	const CHAR *name;
	UINT32 (*entry)(VOID);
} LosApp;

static const LosApp g_losApps[] = {
    {"task_demo", Example_Task},     {"sem_demo", Example_Sem},
    {"mux_demo", Example_Mux},	     {"queue_demo", Example_Queue},
    {"event_demo", Example_Event},   {"swtmr_demo", Example_Swtmr},
    {"memory_demo", Example_Memory}, {"membox_demo", Example_Membox},
    {"list_demo", Example_List},     {"hwi_demo", Example_Hwi},
    {"cpup_demo", Example_Cpup},     {"ringbuf_demo", Example_Ringbuf},
};

static UINT32 OsAppRun(const LosApp *app)
{
	UINT32 ret;

	dprintf("app %s: start\n", app->name);
	ret = app->entry();
	dprintf("app %s: %s\n", app->name, ret == LOS_OK ? "ok" : "FAILED");
	return ret;
}

BOOL OsShellRunApp(const CHAR *name)
{
	for (UINT32 i = 0; i < ARRAY_SIZE(g_losApps); i++) {
		if (strcmp(name, g_losApps[i].name) == 0) {
			(void)OsAppRun(&g_losApps[i]);
			return TRUE;
		}
	}
	return FALSE;
}

INT32 OsShellCmdApps(INT32 argc, const CHAR **argv)
{
	(void)argc;
	(void)argv;
	for (UINT32 i = 0; i < ARRAY_SIZE(g_losApps); i++)
		dprintf("  %s\n", g_losApps[i].name);
	return 0;
}

static VOID *OsAppsRunner(VOID *arg)
{
	UINT32 failed = 0;

	(void)arg;
	for (UINT32 i = 0; i < ARRAY_SIZE(g_losApps); i++)
		if (OsAppRun(&g_losApps[i]) != LOS_OK)
			failed++;
	dprintf("los-apps: %u ok, %u failed\n", (UINT32)ARRAY_SIZE(g_losApps) - failed, failed);
	psci_system_off();
	return NULL;
}

UINT32 LOS_AppsStart(VOID)
{
	UINT32 taskID;
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = OsAppsRunner,
	    .usTaskPrio = 10,
	    .uwStackSize = 0x4000,
	    .pcName = "AppRunner",
	};

	return LOS_TaskCreate(&taskID, &param);
}
