/* The LiteOS shell task: reads a line from the console, splits it, runs the command. */
#include "guest.h"
#include "los_printf.h"
#include "los_task.h"
#include "shell_pri.h"
#include <string.h>

#define SHELL_TASK_PRIO 9
#define SHELL_STACK_SIZE 0x4000

const ShellCmd g_shellCmds[] = {
    {"help", "help: this list", OsShellCmdHelp},
    {"task", "task: every task, its state, stack and memory", OsShellCmdTask},
    {"free", "free: the system memory pool", OsShellCmdFree},
    {"cpup", "cpup [mode [tid]]: CPU usage (mode 0: last 10 s, 1: last 1 s, other: all)",
     OsShellCmdCpup},
    {"memstat", "memstat: memory held by each task and by the modules", OsShellCmdMemstat},
    {"ls", "ls [dir]: list a directory of the disk", OsShellCmdLs},
    {"cat", "cat <file>: print a file", OsShellCmdCat},
    {"echo", "echo <text> [> file | >> file]: print, or write to a file", OsShellCmdEcho},
    {"mkdir", "mkdir <dir>: make a directory", OsShellCmdMkdir},
    {"rm", "rm <path>: remove a file or an empty directory", OsShellCmdRm},
    {"kill", "kill <task> <signal>: send a signal to a task (by ID or name)", OsShellCmdKill},
    {"modules", "modules: the shared modules and how they came", OsShellCmdModules},
    {"hypmem", "hypmem: what the hypervisor counts for this VM", OsShellCmdHypmem},
    {"date", "date: the wall clock (UTC)", OsShellCmdDate},
    {"apps", "apps: the example applications; type one's name to run it", OsShellCmdApps},
    {"reboot", "reboot: restart this VM (LOS_Reboot)", OsShellCmdReboot},
    {"panic", "panic [text]: LOS_Panic: message, backtrace, VM off", OsShellCmdPanic},
    {"exit", "exit: power this VM off", OsShellCmdExit},
};
const UINT32 g_shellCmdCount = ARRAY_SIZE(g_shellCmds);

INT32 OsShellCmdHelp(INT32 argc, const CHAR **argv)
{
	(void)argc;
	(void)argv;
	dprintf("commands:\n");
	for (UINT32 i = 0; i < g_shellCmdCount; i++)
		dprintf("  %s\n", g_shellCmds[i].usage);
	return 0;
}

static VOID OsShellEcho(CHAR c)
{
	LOS_ConsoleWrite(&c, 1);
}

/* Line editing: printable characters echo, backspace erases, CR or LF (or both) ends. */
static UINT32 OsShellReadLine(CHAR *line, UINT32 size)
{
	static BOOL lastWasCr;
	UINT32 len = 0;

	for (;;) {
		INT32 c = OsShellGetc();

		if (c < 0)
			continue;
		if (c == '\n' && lastWasCr) {
			lastWasCr = FALSE;
			continue;
		}
		lastWasCr = (c == '\r');
		if (c == '\r' || c == '\n') {
			OsShellEcho('\n');
			line[len] = '\0';
			return len;
		}
		if ((c == 0x7f || c == '\b') && len > 0) {
			len--;
			LOS_ConsoleWrite("\b \b", 3);
		} else if (c >= 0x20 && c < 0x7f && len + 1 < size) {
			line[len++] = (CHAR)c;
			OsShellEcho((CHAR)c);
		}
	}
}

static INT32 OsShellSplit(CHAR *line, const CHAR **argv)
{
	INT32 argc = 0;
	CHAR *p = line;

	while (*p && argc < SHELL_MAX_ARGS) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

static VOID OsShellRun(INT32 argc, const CHAR **argv)
{
	for (UINT32 i = 0; i < g_shellCmdCount; i++) {
		if (strcmp(argv[0], g_shellCmds[i].name) == 0) {
			(void)g_shellCmds[i].fn(argc, argv);
			return;
		}
	}
	if (!OsShellRunApp(argv[0]))
		dprintf("%s: command not found (try help)\n", argv[0]);
}

static VOID *OsShellTask(VOID *arg)
{
	CHAR line[SHELL_LINE_MAX];
	const CHAR *argv[SHELL_MAX_ARGS];

	(void)arg;
	dprintf("liteos: shell ready: type help for the commands\n");
	for (;;) {
		INT32 argc;

		dprintf(SHELL_PROMPT);
		if (OsShellReadLine(line, sizeof(line)) == 0)
			continue;
		argc = OsShellSplit(line, argv);
		if (argc > 0)
			OsShellRun(argc, argv);
	}
	return NULL;
}

UINT32 LOS_ShellStart(VOID);
UINT32 LOS_ShellStart(VOID)
{
	UINT32 taskID;
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = OsShellTask,
	    .usTaskPrio = SHELL_TASK_PRIO,
	    .uwStackSize = SHELL_STACK_SIZE,
	    .pcName = "Shell",
	};
	UINT32 ret = OsShellInputStart();

	if (ret == LOS_OK)
		ret = LOS_TaskCreate(&taskID, &param);
	return ret;
}
