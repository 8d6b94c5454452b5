/* Default actions of signals 1..64 (POSIX, as Linux numbers them) and "is it ignored". */
#include "sig_internal.h"

/* Real-time signals (32..64) all terminate by default, so the table stops at 31. */
static const uint8_t std_default[SIG_NSTD + 1] = {
    [MV_SIGHUP] = MV_SIGDFL_TERM,    [MV_SIGINT] = MV_SIGDFL_TERM,    [MV_SIGQUIT] = MV_SIGDFL_CORE,
    [MV_SIGILL] = MV_SIGDFL_CORE,    [MV_SIGTRAP] = MV_SIGDFL_CORE,   [MV_SIGABRT] = MV_SIGDFL_CORE,
    [MV_SIGBUS] = MV_SIGDFL_CORE,    [MV_SIGFPE] = MV_SIGDFL_CORE,    [MV_SIGKILL] = MV_SIGDFL_TERM,
    [MV_SIGUSR1] = MV_SIGDFL_TERM,   [MV_SIGSEGV] = MV_SIGDFL_CORE,   [MV_SIGUSR2] = MV_SIGDFL_TERM,
    [MV_SIGPIPE] = MV_SIGDFL_TERM,   [MV_SIGALRM] = MV_SIGDFL_TERM,   [MV_SIGTERM] = MV_SIGDFL_TERM,
    [MV_SIGSTKFLT] = MV_SIGDFL_TERM, [MV_SIGCHLD] = MV_SIGDFL_IGN,    [MV_SIGCONT] = MV_SIGDFL_CONT,
    [MV_SIGSTOP] = MV_SIGDFL_STOP,   [MV_SIGTSTP] = MV_SIGDFL_STOP,   [MV_SIGTTIN] = MV_SIGDFL_STOP,
    [MV_SIGTTOU] = MV_SIGDFL_STOP,   [MV_SIGURG] = MV_SIGDFL_IGN,     [MV_SIGXCPU] = MV_SIGDFL_CORE,
    [MV_SIGXFSZ] = MV_SIGDFL_CORE,   [MV_SIGVTALRM] = MV_SIGDFL_TERM, [MV_SIGPROF] = MV_SIGDFL_TERM,
    [MV_SIGWINCH] = MV_SIGDFL_IGN,   [MV_SIGIO] = MV_SIGDFL_TERM,     [MV_SIGPWR] = MV_SIGDFL_TERM,
    [MV_SIGSYS] = MV_SIGDFL_CORE,
};

/* Out-of-range numbers cannot be generated; IGN tells a careless caller "nothing to do". */
enum mv_sig_default sig_default_action(int sig)
{
	if (!sig_valid(sig))
		return MV_SIGDFL_IGN;
	if (sig > SIG_NSTD)
		return MV_SIGDFL_TERM;
	return (enum mv_sig_default)std_default[sig];
}

/*
 * Whether generating sig would have no effect on the task, so that it may be discarded. SIGCONT
 * counts (as in Linux's sig_kernel_ignore): its effect, resuming a stopped task, is applied by
 * the guest kernel when it is generated, not when it is delivered.
 */
bool sig_ignores(const struct mv_sigaction *act, int sig)
{
	enum mv_sig_default d;

	if (act->handler == MV_SIG_IGN)
		return true;
	if (act->handler != MV_SIG_DFL)
		return false;
	d = sig_default_action(sig);
	return d == MV_SIGDFL_IGN || d == MV_SIGDFL_CONT;
}
