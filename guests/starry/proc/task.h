/* Processes: the task structure, the process tree, the scheduler and wait queues. */
#ifndef STARRY_PROC_TASK_H
#define STARRY_PROC_TASK_H

#include "../kernel.h"
#include "itimer.h"

/* What the exception entry saves from user mode (arch/entry.S knows this layout). */
struct trap_frame {
	uint64_t x[31];
	uint64_t sp;	 /* SP_EL0 */
	uint64_t pc;	 /* ELR_EL1 */
	uint64_t pstate; /* SPSR_EL1 */
	uint64_t orig_x0;
	uint64_t syscallno; /* -1 when the entry was not a syscall */
};

/* Callee-saved registers of a task switched out inside the kernel (arch/switch.S). */
struct cpu_context {
	uint64_t x19_x28[10];
	uint64_t fp, lr, sp;
};

/* User FP/SIMD state: glibc's string functions use the vector registers. */
struct fpsimd_state {
	__uint128_t v[32];
	uint32_t fpsr, fpcr;
};

enum task_state {
	TASK_RUNNABLE,
	TASK_SLEEPING, /* on a wait queue or a timed sleep; a signal wakes it */
	TASK_STOPPED,
	TASK_ZOMBIE, /* exited, waiting for its parent's wait4 */
};

struct mm;
struct fdtable;
struct waitq;

struct task {
	pid_t pid;  /* the thread id (gettid); a process's first thread has pid == tgid */
	pid_t tgid; /* the thread group, i.e. the process (getpid) */
	pid_t pgid;
	pid_t sid;
	char comm[16];
	enum task_state state;
	int exit_status; /* wait4 status word: (code << 8) or the terminating signal */

	struct task *parent;
	struct task *children; /* first child; siblings chain through next_sibling */
	struct task *next_sibling;
	struct task *next_all; /* every task, in pid order of creation */

	struct mm *mm;
	struct fdtable *files;
	char cwd[PATH_MAX]; /* absolute, normalised, no trailing '/' except for "/" */

	uint64_t clear_child_tid; /* set_tid_address */
	uint64_t robust_list;	  /* set_robust_list: the head, walked at exit */

	/* Thread groups. The leader (the process's first thread) carries what belongs to the
	 * process: its place in the process tree, children, pgid/sid, the exit status. It stays
	 * a zombie, unreported, while other threads of its group run. */
	struct task *leader; /* itself for a process's first thread */
	int nthreads;	     /* leader: threads of the group that have not exited */
	bool group_exiting;  /* leader: exit_group or a fatal signal is ending every thread */
	bool group_stop;     /* a stop signal stopped the group: stop on the way to user mode */
	int group_status;    /* leader: the status the group exits with once group_exiting */
	bool thread_dead;    /* an exited thread other than the leader: freed once switched out */
	struct itimer itimer[ITIMER_COUNT]; /* leader: setitimer's timers (not inherited by fork) */

	/* scheduling */
	struct cpu_context ctx;
	void *kstack;	       /* KSTACK_SIZE bytes; the trap frame sits at its top */
	struct trap_frame *tf; /* user registers while in the kernel */
	struct fpsimd_state fp;
	uint64_t tpidr_el0;
	struct task *next_run;	/* run queue */
	struct waitq *waiting;	/* the wait queue it sleeps on, if any */
	struct task *next_wait; /* chain on that queue */
	uint64_t wake_at_ns;	/* timed sleep: 0 when none */
	uint64_t start_ns;
	uint64_t user_ticks, system_ticks;
	/* CPU time and peak memory of reaped children and theirs (times' cutime and cstime,
	 * getrusage(RUSAGE_CHILDREN)) */
	uint64_t child_user_ticks, child_system_ticks, child_maxrss_pages;
	uint64_t maxrss_pages; /* leader: the peak of the images the process exec'd before */
	int nice;	       /* leader: setpriority's value, -20..19 (nothing schedules by it) */
	int stop_signal;       /* what stopped it, for wait4's WUNTRACED */
	bool report_stop, report_cont;

	/* signals (the state itself lives in the signal module, keyed by pid) */
	bool sig_maybe_pending; /* a hint: ask the module on the way back to user mode */
	int fatal_signal;	/* a default-action kill decided before the module was loaded */
	bool mask_saved;	/* rt_sigsuspend: saved_mask goes back after the handler */
	uint64_t sigwait_set;	/* rt_sigtimedwait: blocked signals whose arrival wakes it */
	uint64_t saved_mask;
	uint64_t altstack_sp, altstack_size;
	uint32_t altstack_flags;
	struct task *vfork_parent;   /* CLONE_VFORK: woken when this task execs or exits */
	struct waitq *child_wait;    /* wait4 sleeps here; children's exits wake it */
	char exe[PATH_MAX];	     /* the executable's path, for /proc/self/exe */
	uint64_t arg_start, arg_end; /* its argument strings on the user stack (cmdline) */
	bool vfork_done;
};

#define KSTACK_SIZE (16 * 1024)

/* The task running on this CPU. */
struct task *current_task(void);
#define current (current_task())

struct task *task_find(pid_t pid);
/* A new task (pid assigned, in the task list, not yet runnable), or NULL. */
struct task *task_alloc(void);
/* Frees a reaped task's memory (its kernel stack included). */
void task_free(struct task *t);
/* Makes t runnable: on its first run it calls fn(arg) (if fn) and returns to user mode with
 * the frame at the top of its kernel stack. */
void task_start(struct task *t, void (*fn)(void *), void *arg);
void task_make_runnable(struct task *t);
/* Wakes t if it sleeps (a signal for it, a vfork child done). */
void task_wake(struct task *t);
/* Called from the timer interrupt: time slices and timed sleeps. */
void sched_tick(bool from_user);
/* The boot CPU becomes the idle task and runs the scheduler; never returns. */
__noreturn void sched_run(void);
/* An exited thread other than a leader: nobody waits for it, so the scheduler frees it once
 * it has switched away for good (task_reap_dead, from the next task to run). */
void task_thread_died(struct task *t);
void task_reap_dead(void);
/* Calls fn for every live task (zombies included) until it returns non-zero. */
int task_for_each(int (*fn)(struct task *t, void *arg), void *arg);
const char *task_state_name(const struct task *t); /* "R", "S", "T", "Z" */
/* A process, as kill, wait and /proc see it: a thread group's leader. */
static inline bool task_is_leader(const struct task *t)
{
	return t->leader == t;
}
/* The thread of t's group after prev (NULL: the first), in creation order; NULL at the end.
 * Exited threads are skipped. */
struct task *thread_next(const struct task *t, struct task *prev);

/* --- wait queues ----------------------------------------------------------------------------- */
struct waitq {
	struct task *first;
};
#define WAITQ_INIT                                                                                 \
	{                                                                                          \
		NULL                                                                               \
	}

/* Sleeps until woken. 0 when woken, -ERESTARTSYS when a signal is pending for the caller (the
 * caller then undoes what it must and returns that). The kernel is not preemptible: test the
 * condition, then wait, in a loop; nothing can change between the test and the sleep. */
int waitq_wait(struct waitq *wq);
/* Same, but also gives up at the monotonic deadline (ns): then returns -EAGAIN. */
int waitq_wait_until(struct waitq *wq, uint64_t deadline_ns);
void waitq_wake_all(struct waitq *wq);

/* Gives the CPU to the next runnable task; returns when this task runs again. */
void schedule(void);

#endif /* STARRY_PROC_TASK_H */
