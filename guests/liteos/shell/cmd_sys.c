/* Shell commands about the system: tasks, memory, modules, signals, power. */
#include "guest.h"
#include "los_memory.h"
#include "los_module.h"
#include "los_printf.h"
#include "los_signal.h"
#include "los_sys.h"
#include "los_task_pri.h"
#include "los_tick.h"
#include "los_vfs.h"
#include "shell_pri.h"
#include <stdlib.h>
#include <string.h>

#define SHELL_KILL_WAIT_TICKS 50U

INT32 OsShellCmdTask(INT32 argc, const CHAR **argv)
{
	UINT32 count = 0;

	(void)argc;
	(void)argv;
	dprintf("  TID  PRI  STATUS     STACK   PEAK     MEM  NAME\n");
	for (UINT32 id = 0; id < g_taskMaxNum; id++) {
		TSK_INFO_S info;

		if (LOS_TaskInfoGet(id, &info) != LOS_OK)
			continue;
		count++;
		dprintf("%5u %4u  %-9s %6u %6u %7u  %s%s\n", id, info.usTaskPrio,
			OsTaskStatusName(info.usTaskStatus), info.uwStackSize, info.uwPeakUsed,
			LOS_MemTaskUsage(id), info.acName, info.bOvf ? " (STACK OVERFLOW)" : "");
	}
	dprintf("%u tasks, tick %lu\n", count, (unsigned long)LOS_TickCountGet());
	return 0;
}

INT32 OsShellCmdFree(INT32 argc, const CHAR **argv)
{
	LOS_MEM_POOL_STATUS st;

	(void)argc;
	(void)argv;
	if (LOS_MemInfoGet(m_aucSysMem0, &st) != LOS_OK) {
		dprintf("free: the system pool does not answer (damaged?)\n");
		return -1;
	}
	dprintf("system pool at %p: %u bytes\n", (VOID *)m_aucSysMem0,
		LOS_MemPoolSizeGet(m_aucSysMem0));
	dprintf("  total %u used %u free %u, largest free block %u, peak used %u\n",
		LOS_MemPoolSizeGet(m_aucSysMem0), st.uwTotalUsedSize, st.uwTotalFreeSize,
		st.uwMaxFreeNodeSize, st.uwUsageWaterLine);
	dprintf("  blocks: %u used, %u free; integrity %s\n", st.uwUsedNodeNum, st.uwFreeNodeNum,
		LOS_MemIntegrityCheck(m_aucSysMem0) == LOS_OK ? "ok" : "BROKEN");
	return 0;
}

static VOID OsMemstatLine(const CHAR *tid, const CHAR *name, UINT32 id, UINT32 *total)
{
	TaskMemUsedInfo usage;

	if (LOS_MemTaskStatGet(NULL, id, &usage) != LOS_OK)
		return;
	*total += usage.memUsed;
	dprintf("%5s  %-16s %8u %8u\n", tid, name, usage.memUsed, usage.memPeak);
}

INT32 OsShellCmdMemstat(INT32 argc, const CHAR **argv)
{
	UINT32 total = 0;

	(void)argc;
	(void)argv;
	dprintf("memory held per task (los_memstat, bytes with block headers):\n");
	dprintf("  TID  NAME                 USED     PEAK\n");
	for (UINT32 id = 0; id < g_taskMaxNum; id++) {
		CHAR tid[8];
		const CHAR *name = LOS_TaskNameGet(id);

		if (name == NULL)
			continue;
		fmt_snprintf(tid, sizeof(tid), "%u", id);
		OsMemstatLine(tid, name, id, &total);
	}
	OsMemstatLine("-", "(kernel, boot)", OS_MEMSTAT_ID_KERNEL, &total);
	OsMemstatLine("-", "(modules)", OS_MEMSTAT_ID_MODULES, &total);
	dprintf("%5s  %-16s %8u\n", "", "total", total);
	return 0;
}

INT32 OsShellCmdModules(INT32 argc, const CHAR **argv)
{
	(void)argc;
	(void)argv;
	for (UINT32 i = 0; ondemand_module(i); i++) {
		const struct gmod *mod = ondemand_module(i);

		const struct modidle *idle = &mod->idle;
		UINT64 ago = idle->loads ? (guest_time_ns() - idle->last_use_ns) / 1000000 : 0;

		if (mod->desc == NULL)
			dprintf("module %s: %s\n", mod->name,
				idle->idle_unloaded ? "idle-unloaded (loads again on the next use)"
						    : "not loaded");
		else
			dprintf("module %s %u.%u at %#lx: %s, %s\n", mod->name,
				mod->desc->version >> 16, mod->desc->version & 0xffff,
				(unsigned long)mod->base,
				mod->from_miss ? "loaded on a miss" : "already present",
				gmod_how(mod));
		/* The signal module's users are counted when asked: its state is the module's. */
		dprintf("  users %u, last use %lu ms ago, loads %u, idle unloads %u, reloads %u\n",
			mod->kind == MV_MODULE_SIGNAL ? LOS_SigUsers() : idle->users,
			(unsigned long)ago, idle->loads, idle->idle_unloads, idle->reloads);
	}
	dprintf("idle unload after %lu ms unused (bootarg modidle=; 0: never)\n",
		(unsigned long)(gmod_idle_ns / 1000000));
	return 0;
}

INT32 OsShellCmdHypmem(INT32 argc, const CHAR **argv)
{
	(void)argc;
	(void)argv;
	/* The guest library prints with kprintf: keep other tasks from cutting into it. */
	LOS_TaskLock();
	print_hyp_memory("liteos");
	LOS_TaskUnlock();
	return 0;
}

/* A task by its ID or its name. */
static INT32 OsShellTaskArg(const CHAR *arg)
{
	CHAR *end = NULL;
	unsigned long id = strtoul(arg, &end, 0);

	if (end != arg && *end == '\0')
		return id < g_taskMaxNum ? (INT32)id : -1;
	for (UINT32 i = 0; i < g_taskMaxNum; i++) {
		const CHAR *name = LOS_TaskNameGet(i);

		if (name && strcmp(name, arg) == 0)
			return (INT32)i;
	}
	return -1;
}

INT32 OsShellCmdKill(INT32 argc, const CHAR **argv)
{
	INT32 task;
	unsigned long sig;
	CHAR *end = NULL;

	if (argc != 3) {
		dprintf("usage: kill <task> <signal>\n");
		return -1;
	}
	task = OsShellTaskArg(argv[1]);
	sig = strtoul(argv[2], &end, 0);
	if (task < 0 || end == argv[2] || *end != '\0') {
		dprintf("kill: no task %s, or %s is not a signal number\n", argv[1], argv[2]);
		return -1;
	}
	if (kill(task, (int)sig) != 0) {
		dprintf("kill: task %d: %s\n", task, strerror(errno));
		return -1;
	}
	dprintf("liteos: sent signal %lu to task %d (%s)\n", sig, task,
		LOS_TaskNameGet((UINT32)task) ? LOS_TaskNameGet((UINT32)task) : "gone");
	/* The handler runs when the task next leaves the kernel; give it a moment, so that what
	 * it prints comes before the next prompt rather than into it. */
	for (UINT32 n = 0; n < SHELL_KILL_WAIT_TICKS && OS_TCB_FROM_TID((UINT32)task)->sigPending;
	     n++)
		(void)LOS_TaskDelay(1);
	(void)LOS_TaskDelay(1);
	return 0;
}

static bool OsLeapYear(UINT32 y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The VM's wall clock (its PL031 at boot, then the tick counter), in UTC. */
INT32 OsShellCmdDate(INT32 argc, const CHAR **argv)
{
	static const UINT8 monthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	UINT64 secs = wallclock_ns() / 1000000000ULL;
	UINT64 days = secs / 86400;
	UINT32 year = 1970, month = 0, rest = (UINT32)(secs % 86400);

	(void)argc;
	(void)argv;
	while (days >= 365U + OsLeapYear(year)) {
		days -= 365U + OsLeapYear(year);
		year++;
	}
	for (UINT32 len; days >= (len = monthDays[month] + (month == 1 && OsLeapYear(year)));
	     month++)
		days -= len;
	dprintf("%04u-%02u-%02u %02u:%02u:%02u UTC\n", year, month + 1, (UINT32)days + 1,
		rest / 3600, rest / 60 % 60, rest % 60);
	return 0;
}

INT32 OsShellCmdExit(INT32 argc, const CHAR **argv)
{
	(void)argc;
	(void)argv;
	sync();
	dprintf("liteos: powering off\n");
	psci_system_off();
	return 0;
}
