/* The shell's internals: input, the command table and the commands' entry points. */
#ifndef _SHELL_PRI_H
#define _SHELL_PRI_H

#include "los_typedef.h"

#define SHELL_PROMPT "liteos# "
#define SHELL_MAX_ARGS 8
/* Characters in a command line and its NUL; the rest of a longer one is dropped. */
#define SHELL_LINE_MAX 1025

typedef INT32 (*ShellCmdFn)(INT32 argc, const CHAR **argv);

typedef struct {
	const CHAR *name;
	const CHAR *usage;
	ShellCmdFn fn;
} ShellCmd;

UINT32 OsShellInputStart(VOID);
/* The next byte typed, sleeping until there is one. */
INT32 OsShellGetc(VOID);

INT32 OsShellCmdHelp(INT32 argc, const CHAR **argv);
INT32 OsShellCmdTask(INT32 argc, const CHAR **argv);
INT32 OsShellCmdFree(INT32 argc, const CHAR **argv);
INT32 OsShellCmdCpup(INT32 argc, const CHAR **argv);
INT32 OsShellCmdApps(INT32 argc, const CHAR **argv);
INT32 OsShellCmdReboot(INT32 argc, const CHAR **argv);
INT32 OsShellCmdPanic(INT32 argc, const CHAR **argv);
/* Runs the example application of that name; FALSE if there is none. */
BOOL OsShellRunApp(const CHAR *name);
INT32 OsShellCmdMemstat(INT32 argc, const CHAR **argv);
INT32 OsShellCmdModules(INT32 argc, const CHAR **argv);
INT32 OsShellCmdHypmem(INT32 argc, const CHAR **argv);
INT32 OsShellCmdKill(INT32 argc, const CHAR **argv);
INT32 OsShellCmdExit(INT32 argc, const CHAR **argv);
INT32 OsShellCmdDate(INT32 argc, const CHAR **argv);
INT32 OsShellCmdLs(INT32 argc, const CHAR **argv);
INT32 OsShellCmdCat(INT32 argc, const CHAR **argv);
INT32 OsShellCmdEcho(INT32 argc, const CHAR **argv);
INT32 OsShellCmdMkdir(INT32 argc, const CHAR **argv);
INT32 OsShellCmdRm(INT32 argc, const CHAR **argv);

extern const ShellCmd g_shellCmds[];
extern const UINT32 g_shellCmdCount;

#endif /* _SHELL_PRI_H */
