/* Private declarations shared by the signal module's files: per-task state, tid table, helpers. */
#ifndef MV_SIG_INTERNAL_H
#define MV_SIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <modvisor/module.h>

#define SIG_NSTD 31 /* 1..31 coalesce; MV_SIGRTMIN..MV_SIGRTMAX queue */
/* Like Linux's RLIMIT_SIGPENDING, but per task: one task cannot exhaust the guest's memory. */
#define SIG_RTQUEUE_MAX 64
#define SIG_TABLE_INITIAL 16	   /* buckets that live in the module's data, power of two */
#define SIG_TABLE_MAX_BUCKETS 4096 /* past this, chains just grow longer */
#define SIG_MAX_TASKS 32768	   /* task_create/task_fork beyond this fail with -MV_EAGAIN */

#define SIG_SI_KERNEL 0x80 /* si_code of a siginfo the module had to make up */

/* Linux flags the ABI header does not name yet; kept so a Linux-ABI guest reads them back. */
#define SIG_SA_NOCLDWAIT 0x00000002U
#define SIG_SA_RESTORER 0x04000000U
#define SIG_SA_KNOWN                                                                               \
	(MV_SA_NOCLDSTOP | SIG_SA_NOCLDWAIT | MV_SA_SIGINFO | SIG_SA_RESTORER | MV_SA_ONSTACK |    \
	 MV_SA_RESTART | MV_SA_NODEFER | MV_SA_RESETHAND)

#define SIG_BIT(sig) ((mv_sigset_t)1 << ((sig)-1))
#define SIG_UNBLOCKABLE (SIG_BIT(MV_SIGKILL) | SIG_BIT(MV_SIGSTOP))
#define SIG_STOP_SET                                                                               \
	(SIG_BIT(MV_SIGSTOP) | SIG_BIT(MV_SIGTSTP) | SIG_BIT(MV_SIGTTIN) | SIG_BIT(MV_SIGTTOU))

/* One queued real-time signal; standard signals keep their one siginfo inline in the task. */
struct sig_qnode {
	struct sig_qnode *next;
	struct mv_siginfo info;
};

struct sig_task {
	struct sig_task *next; /* hash chain */
	uint32_t tid;
	uint32_t nqueued; /* nodes on rt_head */
	mv_sigset_t blocked;
	mv_sigset_t pending; /* a real-time bit is set while any node of that signal is queued */
	struct sig_qnode *rt_head; /* all queued real-time signals, oldest first */
	struct sig_qnode *rt_tail;
	struct mv_sigaction action[MV_NSIG];
	struct mv_siginfo std_info[SIG_NSTD]; /* valid while the signal's pending bit is set */
};

struct sig_table {
	struct sig_task **buckets;
	uint32_t nbuckets; /* power of two */
	uint32_t shift;	   /* 32 - log2(nbuckets) */
	uint32_t count;
	struct sig_task *initial[SIG_TABLE_INITIAL];
};

/* Everything the module knows about its guest; the module's data pages are private per guest. */
struct sig_state {
	const struct mv_kservices *ks;
	void *lock;
	struct sig_table table;
};

static inline bool sig_valid(int sig)
{
	return sig >= 1 && sig <= MV_NSIG;
}

static inline void *sig_alloc(struct sig_state *s, size_t size, size_t align)
{
	return s->ks->alloc(s->ks->ctx, size, align);
}

static inline void sig_free(struct sig_state *s, void *p)
{
	s->ks->free(s->ks->ctx, p);
}

/* sig_table.c */
void sig_table_init(struct sig_table *t);
struct sig_task *sig_table_find(const struct sig_table *t, uint32_t tid);
bool sig_table_full(const struct sig_table *t);
void sig_table_insert(struct sig_state *s, struct sig_task *task);
void sig_table_remove(struct sig_state *s, const struct sig_task *task);
void sig_table_release(struct sig_state *s);

/* sig_default.c */
enum mv_sig_default sig_default_action(int sig);
bool sig_ignores(const struct mv_sigaction *act, int sig);

/* sig_queue.c */
int sig_queue_rt(struct sig_state *s, struct sig_task *t, const struct mv_siginfo *info);
void sig_take(struct sig_state *s, struct sig_task *t, int sig, struct mv_siginfo *info);
void sig_discard(struct sig_state *s, struct sig_task *t, int sig);
void sig_queue_flush(struct sig_state *s, struct sig_task *t);

/* sig_task.c */
int sig_task_create(struct sig_state *s, uint32_t tid);
int sig_task_fork(struct sig_state *s, uint32_t parent, uint32_t child);
int sig_task_exec(struct sig_state *s, uint32_t tid);
int sig_task_exit(struct sig_state *s, uint32_t tid);
void sig_task_exit_all(struct sig_state *s);
int sig_task_busy(struct sig_state *s, uint32_t tid);

/* sig_action.c */
int sig_do_sigaction(struct sig_state *s, uint32_t tid, int sig, const struct mv_sigaction *act,
		     struct mv_sigaction *old);
int sig_do_sigprocmask(struct sig_state *s, uint32_t tid, int how, const mv_sigset_t *set,
		       mv_sigset_t *old);

/* sig_generate.c */
int sig_do_kill(struct sig_state *s, uint32_t tid, int sig, const struct mv_siginfo *info);

/* sig_deliver.c */
int sig_do_pending(struct sig_state *s, uint32_t tid, mv_sigset_t *set);
int sig_do_dequeue(struct sig_state *s, uint32_t tid, struct mv_sigdelivery *out);

#endif /* MV_SIG_INTERNAL_H */
