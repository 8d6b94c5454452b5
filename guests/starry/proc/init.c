/* pid 1: the first process, which execs init from the root filesystem (its first miss). */
#include <string.h>
#include "exec.h"
#include "process.h"
#include "../fs/vfs.h"

static char init_path[PATH_MAX];
static char init_words[PATH_MAX];
static char *init_argv[INIT_MAX_ARGS + 2];
static unsigned init_argc;

/* The console delivers whole lines and answers no cursor queries: a dumb terminal. */
static void init_entry(void *arg)
{
	char *envp[] = {"HOME=/", "PATH=/bin:/sbin", "TERM=dumb", NULL};
	struct exec_request req = {
	    .path = init_path, .argv = init_argv, .argc = init_argc, .envp = envp, .envc = 3};
	int ret;

	(void)arg;
	for (unsigned i = 0; i < req.argc; i++)
		req.strings_len += strlen(init_argv[i]) + 1;
	for (unsigned i = 0; i < req.envc; i++)
		req.strings_len += strlen(envp[i]) + 1;
	kprintf(KTAG ": starting %s (pid %d)\n", init_path, current->pid);
	ret = do_execve(&req);
	if (ret) {
		kprintf(KTAG ": cannot run %s: error %d\n", init_path, -ret);
		vfs_sync_all();
		psci_system_off();
	}
}

void process_start_init(const char *path, const char *args)
{
	struct task *t = task_alloc();
	char *w = init_words;

	BUG_ON(!t || t->pid != 1);
	strlcpy(init_path, path, sizeof(init_path));
	strlcpy(init_words, args ? args : "", sizeof(init_words));
	init_argv[init_argc++] = init_path;
	/* Words separated by spaces, like the kernel command line Linux hands to init. */
	while (*w && init_argc <= INIT_MAX_ARGS) {
		while (*w == ' ')
			*w++ = '\0';
		if (!*w)
			break;
		init_argv[init_argc++] = w;
		while (*w && *w != ' ')
			w++;
	}
	init_argv[init_argc] = NULL;
	t->files = fdtable_create();
	BUG_ON(!t->files || fdtable_open_console(t->files) != 0);
	strlcpy(t->comm, "init", sizeof(t->comm));
	process_set_init(t);
	task_start(t, init_entry, NULL);
}
