/* LiteOS-A-style signals for tasks (sigaction, sigprocmask, kill), through the signal module. */
#ifndef _LOS_SIGNAL_H
#define _LOS_SIGNAL_H

#include "los_posix.h"

#define SIGHUP 1
#define SIGINT 2
#define SIGQUIT 3
#define SIGILL 4
#define SIGTRAP 5
#define SIGABRT 6
#define SIGBUS 7
#define SIGFPE 8
#define SIGKILL 9
#define SIGUSR1 10
#define SIGSEGV 11
#define SIGUSR2 12
#define SIGPIPE 13
#define SIGALRM 14
#define SIGTERM 15
#define SIGCHLD 17
#define SIGCONT 18
#define SIGSTOP 19
#define SIGTSTP 20
/* The kernel's numbering (no C library reserves any real-time signals here). */
#define SIGRTMIN 32
#define SIGRTMAX 64
#define _NSIG 65

#define SA_NOCLDSTOP 0x00000001U
#define SA_SIGINFO 0x00000004U
#define SA_RESTART 0x10000000U
#define SA_NODEFER 0x40000000U
#define SA_RESETHAND 0x80000000U

#define SIG_BLOCK 0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

#define SI_USER 0
#define SI_QUEUE (-1)

typedef UINT64 sigset_t; /* bit (sig - 1) stands for sig, as the module counts */
typedef void (*sighandler_t)(int);
#define SIG_DFL ((sighandler_t)0)
#define SIG_IGN ((sighandler_t)1)
#define SIG_ERR ((sighandler_t)-1)

union sigval {
	int sival_int;
	void *sival_ptr;
};

typedef struct {
	int si_signo;
	int si_code;
	int si_pid; /* the sending task's ID */
	union sigval si_value;
} siginfo_t;

struct sigaction {
	union {
		sighandler_t sa_handler;
		void (*sa_sigaction)(int signo, siginfo_t *info, void *context);
	};
	sigset_t sa_mask;
	unsigned int sa_flags;
};

/* Handlers run on the task's own stack when it next returns from the kernel: when it is
 * scheduled again after blocking or being preempted, or as a LOS call it made returns. */
int sigaction(int sig, const struct sigaction *act, struct sigaction *oact);
int sigprocmask(int how, const sigset_t *set, sigset_t *oset);
int sigpending(sigset_t *set);
/* Sends sig to a task by its LOS task ID; sig 0 only checks that the task exists. */
int kill(int taskID, int sig);
int sigqueue(int taskID, int sig, const union sigval value);
int raise(int sig);

static inline int sigemptyset(sigset_t *set)
{
	*set = 0;
	return 0;
}

static inline int sigfillset(sigset_t *set)
{
	*set = ~(sigset_t)0;
	return 0;
}

static inline int sigaddset(sigset_t *set, int sig)
{
	if (sig < 1 || sig >= _NSIG)
		return -1;
	*set |= (sigset_t)1 << (sig - 1);
	return 0;
}

static inline int sigdelset(sigset_t *set, int sig)
{
	if (sig < 1 || sig >= _NSIG)
		return -1;
	*set &= ~((sigset_t)1 << (sig - 1));
	return 0;
}

static inline int sigismember(const sigset_t *set, int sig)
{
	if (sig < 1 || sig >= _NSIG)
		return -1;
	return (*set >> (sig - 1)) & 1;
}

#endif /* _LOS_SIGNAL_H */
