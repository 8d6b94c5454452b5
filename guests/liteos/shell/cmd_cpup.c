/* The shell's cpup command (system and per-task CPU usage, as LiteOS's cpup prints it) and the
 * reboot and panic commands. */
#include "los_cpup.h"
#include "los_exc.h"
#include "los_task_pri.h"
#include "shell_pri.h"
#include <stdlib.h>

/* Permille as a percentage with one decimal: "12.3". */
#define CPUP_PCT(permille)                                                                         \
	(permille) / LOS_CPUP_PRECISION_MULT, (permille) % LOS_CPUP_PRECISION_MULT

/* cpup [mode [taskID]]: mode 0 = last ten seconds, 1 = last second, other = all time. */
INT32 OsShellCmdCpup(INT32 argc, const CHAR **argv)
{
	UINT32 mode = argc > 1 ? (UINT32)strtoul(argv[1], NULL, 0) : CPUP_LAST_TEN_SECONDS;
	UINT32 usage;

	if (argc > 2) {
		UINT32 taskID = (UINT32)strtoul(argv[2], NULL, 0);

		usage = LOS_HistoryTaskCpuUsage(taskID, mode);
		if (usage > LOS_CPUP_PRECISION) {
			dprintf("cpup: no task %u (%#x)\n", taskID, usage);
			return -1;
		}
		dprintf("TaskId %u CpuUsage: %u.%u%%\n", taskID, CPUP_PCT(usage));
		return 0;
	}
	usage = LOS_HistorySysCpuUsage(mode);
	dprintf("SysCpuUsage in mode %u: %u.%u%%\n", mode, CPUP_PCT(usage));
	dprintf("  TID  CPU%%   NAME\n");
	for (UINT32 id = 0; id < g_taskMaxNum; id++) {
		usage = LOS_HistoryTaskCpuUsage(id, mode);
		if (usage > LOS_CPUP_PRECISION)
			continue;
		dprintf("%5u %3u.%u   %s\n", id, CPUP_PCT(usage), OS_TCB_FROM_TID(id)->taskName);
	}
	return 0;
}

INT32 OsShellCmdReboot(INT32 argc, const CHAR **argv)
{
	(void)argc;
	(void)argv;
	LOS_Reboot();
}

INT32 OsShellCmdPanic(INT32 argc, const CHAR **argv)
{
	LOS_Panic("%s\n", argc > 1 ? argv[1] : "from the shell");
}
