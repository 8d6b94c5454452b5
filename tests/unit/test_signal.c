/* Unit tests for the signal module (modcache/modules/signal) against POSIX rules and a model. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <modvisor/module.h>
#include "../../modcache/modules/signal/sig_internal.h"

extern struct mv_module_desc mv_module_desc;

/* ---- a fake guest kernel: counting allocator and locks ---------------------------------- */

#define LOCK_MAGIC 0x4c4f434bU

struct fake_lock {
	uint32_t magic;
	int held;
};

static struct fake {
	long allocs, frees; /* successful ones */
	bool fail_all;	    /* every allocation fails */
	bool fail_next;	    /* the next allocation fails, then this clears */
	size_t only_size;   /* if set, allocations of any other size fail */
	bool fail_lock_create;
	int locks_live;
	long lock_calls, unlock_calls;
	int depth; /* locks held right now */
	struct fake_lock *the_lock;
} fk;

static void *f_alloc(void *ctx, size_t size, size_t align)
{
	assert_ptr_equal(ctx, &fk);
	assert_true(align != 0 && (align & (align - 1)) == 0 && align <= 16);
	assert_true(size > 0);
	if (fk.fail_next) {
		fk.fail_next = false;
		return NULL;
	}
	if (fk.fail_all || (fk.only_size && size != fk.only_size))
		return NULL;
	void *p = malloc(size);
	assert_non_null(p);
	memset(p, 0xa5, size); /* the module must not rely on zeroed memory */
	fk.allocs++;
	return p;
}

static void f_free(void *ctx, void *p)
{
	assert_ptr_equal(ctx, &fk);
	assert_non_null(p);
	fk.frees++;
	free(p);
}

static void *f_lock_create(void *ctx)
{
	assert_ptr_equal(ctx, &fk);
	if (fk.fail_lock_create)
		return NULL;
	struct fake_lock *l = calloc(1, sizeof(*l));
	assert_non_null(l);
	l->magic = LOCK_MAGIC;
	fk.locks_live++;
	fk.the_lock = l;
	return l;
}

static void f_lock_destroy(void *ctx, void *lock)
{
	struct fake_lock *l = lock;

	assert_ptr_equal(ctx, &fk);
	assert_int_equal(l->magic, LOCK_MAGIC);
	assert_int_equal(l->held, 0);
	fk.locks_live--;
	free(l);
}

static void f_lock(void *ctx, void *lock)
{
	struct fake_lock *l = lock;

	assert_ptr_equal(ctx, &fk);
	assert_int_equal(l->magic, LOCK_MAGIC);
	assert_int_equal(l->held, 0); /* not recursive: a nested lock would deadlock a guest */
	l->held = 1;
	fk.depth++;
	fk.lock_calls++;
}

static void f_unlock(void *ctx, void *lock)
{
	struct fake_lock *l = lock;

	assert_ptr_equal(ctx, &fk);
	assert_int_equal(l->magic, LOCK_MAGIC);
	assert_int_equal(l->held, 1);
	l->held = 0;
	fk.depth--;
	fk.unlock_calls++;
}

static void f_log(void *ctx, enum mv_log_level level, const char *msg)
{
	(void)ctx;
	(void)level;
	(void)msg;
}

static uint32_t f_current_task(void *ctx)
{
	(void)ctx;
	return 1;
}

static struct mv_kservices ks;
static const struct mv_sig_ops *ops;

static void fake_reset(void)
{
	memset(&fk, 0, sizeof(fk));
	memset(&ks, 0, sizeof(ks));
	ks.version = MV_KSERVICES_VERSION;
	ks.size = sizeof(ks);
	ks.ctx = &fk;
	ks.alloc = f_alloc;
	ks.free = f_free;
	ks.lock_create = f_lock_create;
	ks.lock_destroy = f_lock_destroy;
	ks.lock = f_lock;
	ks.unlock = f_unlock;
	ks.log = f_log;
	ks.current_task = f_current_task;
}

/* Tids a test created, so teardown can exit them and prove nothing leaked. */
#define MAX_TRACKED 64
static uint32_t tracked[MAX_TRACKED];
static int ntracked;

static int setup(void **state)
{
	const void *o = NULL;

	(void)state;
	mv_module_desc.exit(); /* a failed test's teardown may have left it loaded */
	fake_reset();
	ntracked = 0;
	assert_int_equal(mv_module_desc.init(&ks, &o), 0);
	assert_non_null(o);
	ops = o;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < ntracked; i++) {
		int r = ops->task_exit(tracked[i]);
		assert_true(r == 0 || r == -MV_ESRCH);
	}
	/* Every allocation is given back once every task has exited. */
	assert_int_equal(fk.allocs, fk.frees);
	assert_int_equal(fk.depth, 0);
	assert_int_equal(fk.lock_calls, fk.unlock_calls);
	mv_module_desc.exit();
	assert_int_equal(fk.locks_live, 0);
	assert_int_equal(fk.allocs, fk.frees);
	return 0;
}

/* For the tests that load the module themselves: unload it even if they failed half-way. */
static int unload(void **state)
{
	(void)state;
	mv_module_desc.exit();
	return 0;
}

/* ---- helpers ----------------------------------------------------------------------------- */

#define B(sig) ((mv_sigset_t)1 << ((sig)-1))
#define H(n) (0x400000ULL + 0x100ULL * (uint64_t)(n)) /* some user handler address */

static void mk(uint32_t tid)
{
	assert_int_equal(ops->task_create(tid), 0);
	if (ntracked < MAX_TRACKED)
		tracked[ntracked++] = tid;
}

static void track(uint32_t tid)
{
	if (ntracked < MAX_TRACKED)
		tracked[ntracked++] = tid;
}

static struct mv_sigaction act_of(uint64_t handler, uint32_t flags, mv_sigset_t mask)
{
	struct mv_sigaction a;

	memset(&a, 0, sizeof(a));
	a.handler = handler;
	a.flags = flags;
	a.mask = mask;
	a.restorer = 0x7000;
	return a;
}

static void set_action(uint32_t tid, int sig, uint64_t handler, uint32_t flags, mv_sigset_t mask)
{
	struct mv_sigaction a = act_of(handler, flags, mask);

	assert_int_equal(ops->sigaction(tid, sig, &a, NULL), 0);
}

static struct mv_sigaction get_action(uint32_t tid, int sig)
{
	struct mv_sigaction a;

	memset(&a, 0x5a, sizeof(a));
	assert_int_equal(ops->sigaction(tid, sig, NULL, &a), 0);
	return a;
}

static mv_sigset_t mask_of(uint32_t tid)
{
	mv_sigset_t m = 0x5a5a;

	assert_int_equal(ops->sigprocmask(tid, MV_SIG_BLOCK, NULL, &m), 0);
	return m;
}

static void set_mask(uint32_t tid, mv_sigset_t m)
{
	assert_int_equal(ops->sigprocmask(tid, MV_SIG_SETMASK, &m, NULL), 0);
}

static mv_sigset_t pend(uint32_t tid)
{
	mv_sigset_t p = 0x5a5a;

	assert_int_equal(ops->pending(tid, &p), 0);
	return p;
}

static void sendv(uint32_t tid, int sig, int64_t value)
{
	struct mv_siginfo si = {.signo = sig, .code = -1, .pid = 77, .uid = 1000, .value = value};

	assert_int_equal(ops->kill(tid, sig, &si), 0);
}

static void send(uint32_t tid, int sig)
{
	assert_int_equal(ops->kill(tid, sig, NULL), 0);
}

static struct mv_sigdelivery deq(uint32_t tid)
{
	struct mv_sigdelivery d;

	assert_int_equal(ops->dequeue(tid, &d), 1);
	return d;
}

static void assert_nothing(uint32_t tid)
{
	struct mv_sigdelivery d;

	assert_int_equal(ops->dequeue(tid, &d), 0);
}

/* ---- module descriptor and init ---------------------------------------------------------- */

static void test_descriptor(void **state)
{
	(void)state;
	assert_int_equal(mv_module_desc.magic, MV_MODULE_MAGIC);
	assert_int_equal(mv_module_desc.abi_version, MV_MODULE_ABI_VERSION);
	assert_string_equal(mv_module_desc.name, "signal");
	assert_int_equal(mv_module_desc.kind, MV_MODULE_SIGNAL);
	assert_non_null(mv_module_desc.init);
	assert_non_null(mv_module_desc.exit);
	assert_int_equal(ops->version, MV_SIG_OPS_VERSION);
	assert_int_equal(ops->size, sizeof(struct mv_sig_ops));
	assert_non_null(ops->task_create);
	assert_non_null(ops->task_fork);
	assert_non_null(ops->task_exec);
	assert_non_null(ops->task_exit);
	assert_non_null(ops->sigaction);
	assert_non_null(ops->sigprocmask);
	assert_non_null(ops->kill);
	assert_non_null(ops->pending);
	assert_non_null(ops->dequeue);
	assert_non_null(ops->default_action);
	assert_non_null(ops->task_busy);
}

static void test_init_rejects_bad_kservices(void **state)
{
	const void *o = NULL;

	(void)state;
	fake_reset();
	assert_int_equal(mv_module_desc.init(NULL, &o), -MV_EINVAL);
	assert_int_equal(mv_module_desc.init(&ks, NULL), -MV_EINVAL);
	ks.version = MV_KSERVICES_VERSION + 1;
	assert_int_equal(mv_module_desc.init(&ks, &o), -MV_EINVAL);
	fake_reset();
	ks.size = offsetof(struct mv_kservices, current_task);
	assert_int_equal(mv_module_desc.init(&ks, &o), -MV_EINVAL);
	fake_reset();
	ks.alloc = NULL;
	assert_int_equal(mv_module_desc.init(&ks, &o), -MV_EINVAL);
	fake_reset();
	ks.unlock = NULL;
	assert_int_equal(mv_module_desc.init(&ks, &o), -MV_EINVAL);
	fake_reset();
	fk.fail_lock_create = true;
	assert_int_equal(mv_module_desc.init(&ks, &o), -MV_ENOMEM);
	assert_null(o);
	assert_int_equal(fk.locks_live, 0);

	/* A failed init leaves the module unloaded: a good one then works, a second one is busy. */
	fake_reset();
	assert_int_equal(mv_module_desc.init(&ks, &o), 0);
	assert_int_equal(fk.locks_live, 1);
	assert_int_equal(mv_module_desc.init(&ks, &o), -MV_EBUSY);
	assert_int_equal(fk.locks_live, 1);
	mv_module_desc.exit();
	assert_int_equal(fk.locks_live, 0);
	mv_module_desc.exit(); /* harmless when not loaded */
}

static void test_exit_frees_remaining_tasks(void **state)
{
	const void *o = NULL;

	(void)state;
	fake_reset();
	assert_int_equal(mv_module_desc.init(&ks, &o), 0);
	ops = o;
	for (uint32_t i = 0; i < 100; i++) {
		assert_int_equal(ops->task_create(i * 13 + 1), 0);
		sendv(i * 13 + 1, MV_SIGRTMIN + (int)(i % 5), i);
		sendv(i * 13 + 1, MV_SIGRTMIN, i);
	}
	assert_true(fk.allocs > 300);
	mv_module_desc.exit();
	assert_int_equal(fk.allocs, fk.frees);
	assert_int_equal(fk.locks_live, 0);
	/* and it can be loaded again */
	assert_int_equal(mv_module_desc.init(&ks, &o), 0);
	ops = o;
	assert_int_equal(ops->task_create(1), 0);
	assert_int_equal(pend(1), 0);
	mv_module_desc.exit();
	assert_int_equal(fk.allocs, fk.frees);
}

/* ---- task lifecycle ---------------------------------------------------------------------- */

static void test_unknown_task_is_esrch(void **state)
{
	struct mv_sigaction a = act_of(H(1), 0, 0);
	mv_sigset_t m = 0;
	struct mv_sigdelivery d;

	(void)state;
	mk(5);
	assert_int_equal(ops->task_exec(6), -MV_ESRCH);
	assert_int_equal(ops->task_exit(6), -MV_ESRCH);
	assert_int_equal(ops->task_fork(6, 7), -MV_ESRCH);
	assert_int_equal(ops->sigaction(6, MV_SIGUSR1, &a, NULL), -MV_ESRCH);
	assert_int_equal(ops->sigprocmask(6, MV_SIG_BLOCK, &m, NULL), -MV_ESRCH);
	assert_int_equal(ops->kill(6, MV_SIGUSR1, NULL), -MV_ESRCH);
	assert_int_equal(ops->kill(6, 0, NULL), -MV_ESRCH);
	assert_int_equal(ops->pending(6, &m), -MV_ESRCH);
	assert_int_equal(ops->dequeue(6, &d), -MV_ESRCH);
	/* the failed fork made no child */
	assert_int_equal(ops->kill(7, 0, NULL), -MV_ESRCH);

	assert_int_equal(ops->task_create(5), -MV_EEXIST);
	assert_int_equal(ops->task_fork(5, 5), -MV_EEXIST);
	assert_int_equal(ops->task_exit(5), 0);
	assert_int_equal(ops->task_exit(5), -MV_ESRCH);
	assert_int_equal(ops->kill(5, 0, NULL), -MV_ESRCH);
	/* a tid can be reused and starts clean */
	assert_int_equal(ops->task_create(5), 0);
	assert_int_equal(get_action(5, MV_SIGUSR1).handler, MV_SIG_DFL);
	assert_int_equal(mask_of(5), 0);
	assert_int_equal(pend(5), 0);
}

static void test_new_task_is_clean(void **state)
{
	(void)state;
	/* the fake fills fresh memory with 0xa5: a module that forgot to clear it shows here */
	mk(1);
	for (int sig = 1; sig <= MV_NSIG; sig++) {
		struct mv_sigaction a = get_action(1, sig);

		assert_int_equal(a.handler, MV_SIG_DFL);
		assert_int_equal(a.flags, 0);
		assert_int_equal(a.mask, 0);
	}
	assert_int_equal(mask_of(1), 0);
	assert_int_equal(pend(1), 0);
	assert_nothing(1);
}

static void test_many_tasks_table_grows(void **state)
{
	enum { N = 3000 };

	(void)state;
	for (uint32_t i = 0; i < N; i++) {
		uint32_t tid = i * 7919U + 3U;

		assert_int_equal(ops->task_create(tid), 0);
		set_mask(tid, (mv_sigset_t)tid << 20 | 0x5);
	}
	/* more than one allocation per task: the table grew through ks->alloc */
	assert_true(fk.allocs > N);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t tid = i * 7919U + 3U;

		assert_int_equal(mask_of(tid), (mv_sigset_t)tid << 20 | 0x5);
		assert_int_equal(ops->kill(tid + 1, 0, NULL), -MV_ESRCH);
	}
	for (uint32_t i = 0; i < N; i += 2)
		assert_int_equal(ops->task_exit(i * 7919U + 3U), 0);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t tid = i * 7919U + 3U;

		if (i % 2)
			assert_int_equal(mask_of(tid), (mv_sigset_t)tid << 20 | 0x5);
		else
			assert_int_equal(ops->kill(tid, 0, NULL), -MV_ESRCH);
	}
	for (uint32_t i = 1; i < N; i += 2)
		assert_int_equal(ops->task_exit(i * 7919U + 3U), 0);
	/* with every task gone, the grown table is given back too */
	assert_int_equal(fk.allocs, fk.frees);
}

static void test_table_is_bounded(void **state)
{
	(void)state;
	for (uint32_t tid = 1; tid <= SIG_MAX_TASKS; tid++)
		assert_int_equal(ops->task_create(tid), 0);
	long allocs = fk.allocs;
	assert_int_equal(ops->task_create(SIG_MAX_TASKS + 1), -MV_EAGAIN);
	assert_int_equal(ops->task_fork(1, SIG_MAX_TASKS + 1), -MV_EAGAIN);
	assert_int_equal(fk.allocs, allocs);
	assert_int_equal(ops->task_exit(1), 0);
	assert_int_equal(ops->task_create(SIG_MAX_TASKS + 1), 0);
	assert_int_equal(ops->task_exit(SIG_MAX_TASKS + 1), 0);
	for (uint32_t tid = 2; tid <= SIG_MAX_TASKS; tid++)
		assert_int_equal(ops->task_exit(tid), 0);
	assert_int_equal(fk.allocs, fk.frees);
}

static void test_table_growth_failure_is_harmless(void **state)
{
	(void)state;
	/* only task-sized allocations succeed, so the buckets can never grow */
	fk.only_size = sizeof(struct sig_task);
	for (uint32_t tid = 1; tid <= 200; tid++) {
		assert_int_equal(ops->task_create(tid), 0);
		set_mask(tid, tid);
	}
	for (uint32_t tid = 1; tid <= 200; tid++)
		assert_int_equal(mask_of(tid), tid);
	for (uint32_t tid = 1; tid <= 200; tid++)
		assert_int_equal(ops->task_exit(tid), 0);
	fk.only_size = 0;
}

static void test_alloc_failure_leaves_state_unchanged(void **state)
{
	(void)state;
	fk.fail_all = true;
	assert_int_equal(ops->task_create(1), -MV_ENOMEM);
	assert_int_equal(ops->kill(1, 0, NULL), -MV_ESRCH);
	fk.fail_all = false;

	mk(1);
	set_action(1, MV_SIGUSR1, H(1), MV_SA_SIGINFO, B(MV_SIGUSR2));
	set_mask(1, B(MV_SIGINT));
	sendv(1, MV_SIGRTMIN, 1);
	long allocs = fk.allocs;

	fk.fail_all = true;
	assert_int_equal(ops->task_fork(1, 2), -MV_ENOMEM);
	assert_int_equal(ops->kill(2, 0, NULL), -MV_ESRCH);
	/* a real-time signal needs memory: EAGAIN, and the queue is as it was */
	struct mv_siginfo si = {.signo = MV_SIGRTMIN, .code = -1, .value = 2};
	assert_int_equal(ops->kill(1, MV_SIGRTMIN, &si), -MV_EAGAIN);
	assert_int_equal(ops->kill(1, MV_SIGRTMIN + 1, &si), -MV_EAGAIN);
	assert_int_equal(pend(1), B(MV_SIGRTMIN));
	/* standard signals need none */
	send(1, MV_SIGUSR1);
	send(1, MV_SIGINT);
	/* nor do the other operations */
	set_action(1, MV_SIGUSR2, H(2), 0, 0);
	set_mask(1, B(MV_SIGINT) | B(MV_SIGHUP));
	assert_int_equal(ops->task_exec(1), 0);
	set_action(1, MV_SIGUSR1, H(1), 0, 0);
	assert_int_equal(fk.allocs, allocs);

	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGUSR1);
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGRTMIN);
	assert_int_equal(d.info.value, 1);
	assert_nothing(1);
	assert_int_equal(pend(1), B(MV_SIGINT));
	fk.fail_all = false;
	assert_int_equal(ops->task_exit(1), 0);
	assert_int_equal(fk.allocs, fk.frees);
}

/* ---- sigaction --------------------------------------------------------------------------- */

static void test_sigaction_validation(void **state)
{
	struct mv_sigaction a = act_of(H(1), 0, 0), old;

	(void)state;
	mk(1);
	assert_int_equal(ops->sigaction(1, 0, &a, NULL), -MV_EINVAL);
	assert_int_equal(ops->sigaction(1, -1, &a, NULL), -MV_EINVAL);
	assert_int_equal(ops->sigaction(1, MV_NSIG + 1, &a, NULL), -MV_EINVAL);
	assert_int_equal(ops->sigaction(1, MV_NSIG + 1, NULL, &old), -MV_EINVAL);
	assert_int_equal(ops->sigaction(1, 0, NULL, NULL), -MV_EINVAL);
	assert_int_equal(ops->sigaction(1, MV_NSIG, &a, NULL), 0);
	assert_int_equal(ops->sigaction(1, 1, &a, NULL), 0);
	assert_int_equal(ops->sigaction(1, 1, NULL, NULL), 0);
}

static void test_kill_and_stop_cannot_be_caught_or_ignored(void **state)
{
	static const int sigs[] = {MV_SIGKILL, MV_SIGSTOP};
	static const uint64_t handlers[] = {H(1), MV_SIG_IGN, MV_SIG_DFL};

	(void)state;
	mk(1);
	for (size_t i = 0; i < 2; i++) {
		for (size_t h = 0; h < 3; h++) {
			struct mv_sigaction a = act_of(handlers[h], 0, 0), old;

			memset(&old, 0x5a, sizeof(old));
			assert_int_equal(ops->sigaction(1, sigs[i], &a, &old), -MV_EINVAL);
			assert_int_equal(old.flags, 0x5a5a5a5a); /* untouched on error */
		}
		/* query is allowed and shows SIG_DFL */
		assert_int_equal(get_action(1, sigs[i]).handler, MV_SIG_DFL);
	}
	/* and they are delivered with their default action */
	send(1, MV_SIGSTOP);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGSTOP);
	assert_int_equal(d.disposition, MV_SIG_STOP);
	send(1, MV_SIGKILL);
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGKILL);
	assert_int_equal(d.disposition, MV_SIG_TERMINATE);
	assert_int_equal(d.core, 0);
}

static void test_sigaction_stores_and_returns_old(void **state)
{
	const uint32_t flags = MV_SA_SIGINFO | MV_SA_RESTART | MV_SA_RESETHAND | MV_SA_NODEFER |
			       MV_SA_ONSTACK | MV_SA_NOCLDSTOP;
	struct mv_sigaction a = act_of(H(3), flags, B(MV_SIGINT) | B(MV_SIGRTMIN + 3));
	struct mv_sigaction old;

	(void)state;
	mk(1);
	memset(&old, 0x5a, sizeof(old));
	assert_int_equal(ops->sigaction(1, MV_SIGCHLD, &a, &old), 0);
	assert_int_equal(old.handler, MV_SIG_DFL);
	assert_int_equal(old.flags, 0);
	assert_int_equal(old.mask, 0);

	struct mv_sigaction b = act_of(MV_SIG_IGN, 0, 0);
	assert_int_equal(ops->sigaction(1, MV_SIGCHLD, &b, &old), 0);
	assert_int_equal(old.handler, H(3));
	assert_int_equal(old.flags, flags);
	assert_int_equal(old.mask, B(MV_SIGINT) | B(MV_SIGRTMIN + 3));
	assert_int_equal(old.restorer, 0x7000);
	assert_int_equal(get_action(1, MV_SIGCHLD).handler, MV_SIG_IGN);

	/* act and old may be the same buffer: old is the previous action */
	struct mv_sigaction c = act_of(H(4), MV_SA_RESTART, 0);
	assert_int_equal(ops->sigaction(1, MV_SIGCHLD, &c, &c), 0);
	assert_int_equal(c.handler, MV_SIG_IGN);
	assert_int_equal(get_action(1, MV_SIGCHLD).handler, H(4));

	/* SIGKILL and SIGSTOP are taken out of sa_mask; unknown flags are dropped */
	struct mv_sigaction d = act_of(H(5), MV_SA_RESTART | 0x00000100U, ~(mv_sigset_t)0);
	assert_int_equal(ops->sigaction(1, MV_SIGUSR1, &d, NULL), 0);
	struct mv_sigaction e = get_action(1, MV_SIGUSR1);
	assert_int_equal(e.mask, ~(B(MV_SIGKILL) | B(MV_SIGSTOP)));
	assert_int_equal(e.flags, MV_SA_RESTART);

	/* actions are per signal and per task */
	mk(2);
	assert_int_equal(get_action(2, MV_SIGUSR1).handler, MV_SIG_DFL);
	assert_int_equal(get_action(1, MV_SIGUSR2).handler, MV_SIG_DFL);
}

/* ---- sigprocmask ------------------------------------------------------------------------- */

static void test_sigprocmask_ops(void **state)
{
	mv_sigset_t set, old;

	(void)state;
	mk(1);
	set = B(MV_SIGINT) | B(MV_SIGUSR1);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_BLOCK, &set, &old), 0);
	assert_int_equal(old, 0);
	set = B(MV_SIGRTMAX);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_BLOCK, &set, &old), 0);
	assert_int_equal(old, B(MV_SIGINT) | B(MV_SIGUSR1));
	set = B(MV_SIGINT) | B(MV_SIGHUP);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_UNBLOCK, &set, &old), 0);
	assert_int_equal(old, B(MV_SIGINT) | B(MV_SIGUSR1) | B(MV_SIGRTMAX));
	assert_int_equal(mask_of(1), B(MV_SIGUSR1) | B(MV_SIGRTMAX));
	set = B(MV_SIGTERM);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_SETMASK, &set, NULL), 0);
	assert_int_equal(mask_of(1), B(MV_SIGTERM));

	/* query only: set NULL; then how does not matter (POSIX) */
	old = 0;
	assert_int_equal(ops->sigprocmask(1, MV_SIG_SETMASK, NULL, &old), 0);
	assert_int_equal(old, B(MV_SIGTERM));
	assert_int_equal(ops->sigprocmask(1, 77, NULL, &old), 0);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_BLOCK, NULL, NULL), 0);
	assert_int_equal(mask_of(1), B(MV_SIGTERM));

	/* bad how with a set: EINVAL, nothing changes, old untouched */
	set = ~(mv_sigset_t)0;
	old = 0x1234;
	assert_int_equal(ops->sigprocmask(1, 3, &set, &old), -MV_EINVAL);
	assert_int_equal(ops->sigprocmask(1, -1, &set, &old), -MV_EINVAL);
	assert_int_equal(old, 0x1234);
	assert_int_equal(mask_of(1), B(MV_SIGTERM));

	/* set and old may be the same variable */
	set = B(MV_SIGHUP);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_BLOCK, &set, &set), 0);
	assert_int_equal(set, B(MV_SIGTERM));
	assert_int_equal(mask_of(1), B(MV_SIGTERM) | B(MV_SIGHUP));
}

static void test_kill_and_stop_cannot_be_blocked(void **state)
{
	mv_sigset_t all = ~(mv_sigset_t)0;
	const mv_sigset_t want = ~(B(MV_SIGKILL) | B(MV_SIGSTOP));

	(void)state;
	mk(1);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_SETMASK, &all, NULL), 0);
	assert_int_equal(mask_of(1), want);
	set_mask(1, 0);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_BLOCK, &all, NULL), 0);
	assert_int_equal(mask_of(1), want);

	/* with everything blocked, SIGKILL and SIGSTOP still come through */
	send(1, MV_SIGUSR1);
	send(1, MV_SIGSTOP);
	send(1, MV_SIGKILL);
	assert_int_equal(deq(1).signo, MV_SIGKILL);
	assert_int_equal(deq(1).signo, MV_SIGSTOP);
	assert_nothing(1);
	assert_int_equal(pend(1), B(MV_SIGUSR1));
	assert_int_equal(mask_of(1), want);
}

/* ---- kill: generation -------------------------------------------------------------------- */

static void test_kill_validation_and_sig0(void **state)
{
	(void)state;
	mk(1);
	assert_int_equal(ops->kill(1, 0, NULL), 0);
	assert_int_equal(pend(1), 0);
	assert_int_equal(ops->kill(1, -1, NULL), -MV_EINVAL);
	assert_int_equal(ops->kill(1, MV_NSIG + 1, NULL), -MV_EINVAL);
	assert_int_equal(ops->kill(1, 1000, NULL), -MV_EINVAL);
	assert_int_equal(pend(1), 0);
	assert_int_equal(ops->kill(1, MV_NSIG, NULL), 0);
	assert_int_equal(pend(1), B(MV_NSIG));
	assert_int_equal(ops->pending(1, NULL), -MV_EINVAL);
	assert_int_equal(ops->dequeue(1, NULL), -MV_EINVAL);
}

static void test_standard_signals_coalesce(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), MV_SA_SIGINFO, 0);
	set_mask(1, B(MV_SIGUSR1));
	sendv(1, MV_SIGUSR1, 111);
	sendv(1, MV_SIGUSR1, 222);
	send(1, MV_SIGUSR1);
	assert_int_equal(pend(1), B(MV_SIGUSR1));
	assert_nothing(1);
	set_mask(1, 0);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGUSR1);
	assert_int_equal(d.info.signo, MV_SIGUSR1);
	assert_int_equal(d.info.value, 111); /* the first siginfo is kept */
	assert_int_equal(d.info.pid, 77);
	assert_int_equal(d.info.uid, 1000);
	assert_int_equal(d.info.code, -1);
	/* delivered once only */
	set_mask(1, 0);
	assert_nothing(1);
	assert_int_equal(pend(1), 0);
}

static void test_realtime_signals_queue_in_order(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGRTMIN, H(1), MV_SA_SIGINFO, 0);
	set_action(1, MV_SIGRTMIN + 1, H(2), MV_SA_SIGINFO, 0);
	set_mask(1, ~(mv_sigset_t)0);
	sendv(1, MV_SIGRTMIN + 1, 10);
	sendv(1, MV_SIGRTMIN, 20);
	sendv(1, MV_SIGRTMIN + 1, 11);
	sendv(1, MV_SIGRTMIN, 21);
	sendv(1, MV_SIGRTMIN + 1, 12);
	sendv(1, MV_SIGRTMIN + 1, 12); /* identical ones queue too */
	assert_int_equal(pend(1), B(MV_SIGRTMIN) | B(MV_SIGRTMIN + 1));

	static const struct {
		int sig;
		int64_t value;
	} want[] = {{MV_SIGRTMIN, 20},	   {MV_SIGRTMIN, 21},	  {MV_SIGRTMIN + 1, 10},
		    {MV_SIGRTMIN + 1, 11}, {MV_SIGRTMIN + 1, 12}, {MV_SIGRTMIN + 1, 12}};
	for (size_t i = 0; i < 6; i++) {
		set_mask(1, 0); /* the handler's mask would block the rest */
		struct mv_sigdelivery d = deq(1);
		assert_int_equal(d.signo, want[i].sig);
		assert_int_equal(d.info.signo, want[i].sig);
		assert_int_equal(d.info.value, want[i].value);
		assert_int_equal(d.disposition, MV_SIG_RUN_HANDLER);
		/* the pending bit stays while instances remain */
		mv_sigset_t p = 0;
		for (size_t j = i + 1; j < 6; j++)
			p |= B(want[j].sig);
		assert_int_equal(pend(1), p);
	}
	set_mask(1, 0);
	assert_nothing(1);
}

static void test_realtime_queue_limit(void **state)
{
	struct mv_siginfo si = {.code = -1};

	(void)state;
	mk(1);
	set_mask(1, ~(mv_sigset_t)0);
	for (int i = 0; i < SIG_RTQUEUE_MAX; i++)
		sendv(1, MV_SIGRTMIN + i % 3, i);
	si.value = 999;
	assert_int_equal(ops->kill(1, MV_SIGRTMIN, &si), -MV_EAGAIN);
	assert_int_equal(ops->kill(1, MV_SIGRTMAX, &si), -MV_EAGAIN);
	assert_int_equal(pend(1), B(MV_SIGRTMIN) | B(MV_SIGRTMIN + 1) | B(MV_SIGRTMIN + 2));
	/* standard signals are not limited by the queue */
	send(1, MV_SIGUSR2);
	/* the limit is per task */
	mk(2);
	sendv(2, MV_SIGRTMIN, 5);

	set_mask(1, 0);
	assert_int_equal(deq(1).signo, MV_SIGUSR2);
	struct mv_sigdelivery d = deq(1); /* SIGRTMIN terminates by default */
	assert_int_equal(d.signo, MV_SIGRTMIN);
	assert_int_equal(d.info.value, 0);
	assert_int_equal(d.disposition, MV_SIG_TERMINATE);
	/* one slot free again */
	assert_int_equal(ops->kill(1, MV_SIGRTMAX, &si), 0);
	assert_int_equal(ops->kill(1, MV_SIGRTMAX, &si), -MV_EAGAIN);
	/* the overflow attempts were not queued: count what is left */
	int n = 0, last = 0;
	while (ops->dequeue(1, &d) == 1) {
		assert_true(d.signo >= last); /* number order */
		last = d.signo;
		n++;
	}
	assert_int_equal(n, SIG_RTQUEUE_MAX);
	assert_int_equal(last, MV_SIGRTMAX);
}

static void test_siginfo_synthesised_or_fixed(void **state)
{
	struct mv_siginfo si = {.signo = MV_SIGTERM, .code = 0, .pid = 9, .uid = 8, .value = 7};

	(void)state;
	mk(1);
	send(1, MV_SIGUSR1);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.info.signo, MV_SIGUSR1);
	assert_int_equal(d.info.code, SIG_SI_KERNEL);
	assert_int_equal(d.info.pid, 0);
	assert_int_equal(d.info.value, 0);
	send(1, MV_SIGRTMIN + 4);
	d = deq(1);
	assert_int_equal(d.info.signo, MV_SIGRTMIN + 4);
	assert_int_equal(d.info.code, SIG_SI_KERNEL);
	/* a siginfo naming another signal is corrected, the rest is kept */
	assert_int_equal(ops->kill(1, MV_SIGRTMIN + 2, &si), 0);
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGRTMIN + 2);
	assert_int_equal(d.info.signo, MV_SIGRTMIN + 2);
	assert_int_equal(d.info.code, 0);
	assert_int_equal(d.info.pid, 9);
	assert_int_equal(d.info.uid, 8);
	assert_int_equal(d.info.value, 7);
}

static void test_ignored_discarded_at_generation(void **state)
{
	static const int dfl_ign[] = {MV_SIGCHLD, MV_SIGURG, MV_SIGWINCH, MV_SIGCONT};

	(void)state;
	mk(1);
	for (size_t i = 0; i < 4; i++) {
		send(1, dfl_ign[i]);
		assert_int_equal(pend(1), 0);
	}
	set_action(1, MV_SIGUSR1, MV_SIG_IGN, 0, 0);
	set_action(1, MV_SIGRTMIN, MV_SIG_IGN, 0, 0);
	send(1, MV_SIGUSR1);
	sendv(1, MV_SIGRTMIN, 1);
	assert_int_equal(pend(1), 0);
	assert_nothing(1);
	/* a caught SIGCHLD is not ignored */
	set_action(1, MV_SIGCHLD, H(1), 0, 0);
	send(1, MV_SIGCHLD);
	assert_int_equal(pend(1), B(MV_SIGCHLD));
	assert_int_equal(deq(1).disposition, MV_SIG_RUN_HANDLER);
}

static void test_blocked_ignored_stays_pending_then_dropped(void **state)
{
	(void)state;
	mk(1);
	/* Linux: blocked signals are never discarded at generation, even if ignored */
	set_action(1, MV_SIGUSR1, MV_SIG_IGN, 0, 0);
	set_action(1, MV_SIGRTMIN, MV_SIG_IGN, 0, 0);
	set_mask(1, B(MV_SIGUSR1) | B(MV_SIGCHLD) | B(MV_SIGRTMIN) | B(MV_SIGCONT));
	send(1, MV_SIGUSR1);
	send(1, MV_SIGCHLD);
	sendv(1, MV_SIGRTMIN, 1);
	sendv(1, MV_SIGRTMIN, 2);
	send(1, MV_SIGCONT);
	assert_int_equal(pend(1), B(MV_SIGUSR1) | B(MV_SIGCHLD) | B(MV_SIGRTMIN) | B(MV_SIGCONT));
	assert_nothing(1);
	/* unblocked while still ignored: dequeue drops them and finds the next real one */
	send(1, MV_SIGHUP);
	set_mask(1, 0);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGHUP);
	/* a SIGCONT kept pending by its mask reports CONTINUE */
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGCONT);
	assert_int_equal(d.disposition, MV_SIG_CONTINUE);
	assert_nothing(1);
	assert_int_equal(pend(1), 0);
	assert_int_equal(fk.allocs - fk.frees, 1); /* only the task: queue nodes freed */

	/* if the action changed to a handler while blocked, it is delivered */
	set_action(1, MV_SIGUSR2, MV_SIG_IGN, 0, 0);
	set_mask(1, B(MV_SIGUSR2));
	send(1, MV_SIGUSR2);
	struct mv_sigaction a = act_of(H(2), 0, 0);
	assert_int_equal(ops->sigaction(1, MV_SIGUSR2, &a, NULL), 0);
	set_mask(1, 0);
	assert_int_equal(deq(1).signo, MV_SIGUSR2);
}

static void test_setting_ignore_discards_pending(void **state)
{
	(void)state;
	mk(1);
	set_mask(1, ~(mv_sigset_t)0);
	send(1, MV_SIGUSR1);
	send(1, MV_SIGUSR2);
	sendv(1, MV_SIGRTMIN, 1);
	sendv(1, MV_SIGRTMIN + 1, 2);
	sendv(1, MV_SIGRTMIN, 3);
	set_action(1, MV_SIGCHLD, H(1), 0, 0);
	send(1, MV_SIGCHLD);
	send(1, MV_SIGCONT);
	mv_sigset_t all = B(MV_SIGUSR1) | B(MV_SIGUSR2) | B(MV_SIGRTMIN) | B(MV_SIGRTMIN + 1) |
			  B(MV_SIGCHLD) | B(MV_SIGCONT);
	assert_int_equal(pend(1), all);

	/* SIG_IGN discards, blocked or not, standard and every queued real-time instance */
	set_action(1, MV_SIGUSR1, MV_SIG_IGN, 0, 0);
	set_action(1, MV_SIGRTMIN, MV_SIG_IGN, 0, 0);
	all &= ~(B(MV_SIGUSR1) | B(MV_SIGRTMIN));
	assert_int_equal(pend(1), all);
	/* SIG_DFL discards when the default is to ignore (SIGCHLD, and SIGCONT as on Linux) */
	set_action(1, MV_SIGCHLD, MV_SIG_DFL, 0, 0);
	set_action(1, MV_SIGCONT, MV_SIG_DFL, 0, 0);
	all &= ~(B(MV_SIGCHLD) | B(MV_SIGCONT));
	assert_int_equal(pend(1), all);
	/* but not when the default does something */
	set_action(1, MV_SIGUSR2, MV_SIG_DFL, 0, 0);
	set_action(1, MV_SIGRTMIN + 1, MV_SIG_DFL, 0, 0);
	assert_int_equal(pend(1), all);
	/* a query changes nothing */
	get_action(1, MV_SIGUSR2);
	assert_int_equal(pend(1), all);

	set_mask(1, 0);
	assert_int_equal(deq(1).signo, MV_SIGUSR2);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGRTMIN + 1);
	assert_int_equal(d.info.value, 2);
	assert_nothing(1);
	assert_int_equal(fk.allocs - fk.frees, 1);
}

static void test_sigcont_and_stop_signals_cancel(void **state)
{
	static const int stops[] = {MV_SIGSTOP, MV_SIGTSTP, MV_SIGTTIN, MV_SIGTTOU};

	(void)state;
	mk(1);
	set_mask(1, ~(mv_sigset_t)0);
	for (size_t i = 0; i < 4; i++)
		send(1, stops[i]);
	send(1, MV_SIGUSR1);
	assert_int_equal(pend(1), B(MV_SIGSTOP) | B(MV_SIGTSTP) | B(MV_SIGTTIN) | B(MV_SIGTTOU) |
				      B(MV_SIGUSR1));
	send(1, MV_SIGCONT);
	assert_int_equal(pend(1), B(MV_SIGUSR1) | B(MV_SIGCONT));
	/* each stop signal discards a pending SIGCONT */
	for (size_t i = 0; i < 4; i++) {
		send(1, MV_SIGCONT);
		assert_int_equal(pend(1) & B(MV_SIGCONT), B(MV_SIGCONT));
		send(1, stops[i]);
		assert_int_equal(pend(1), B(MV_SIGUSR1) | B(stops[i]));
		send(1, MV_SIGCONT);
		assert_int_equal(pend(1), B(MV_SIGUSR1) | B(MV_SIGCONT));
	}
	/* SIGCONT cancels stops even when SIGCONT itself is ignored and discarded */
	set_action(1, MV_SIGCONT, MV_SIG_IGN, 0, 0);
	set_mask(1, B(MV_SIGTSTP));
	send(1, MV_SIGTSTP);
	send(1, MV_SIGSTOP);
	assert_int_equal(pend(1), B(MV_SIGUSR1) | B(MV_SIGTSTP) | B(MV_SIGSTOP));
	send(1, MV_SIGCONT);
	assert_int_equal(pend(1), B(MV_SIGUSR1));
	/* and an ignored stop signal still cancels a pending SIGCONT */
	set_action(1, MV_SIGCONT, H(1), 0, 0);
	set_action(1, MV_SIGTTIN, MV_SIG_IGN, 0, 0);
	set_mask(1, B(MV_SIGCONT) | B(MV_SIGUSR1));
	send(1, MV_SIGCONT);
	send(1, MV_SIGTTIN);
	assert_int_equal(pend(1), B(MV_SIGUSR1));
}

/* ---- dequeue: order and dispositions ----------------------------------------------------- */

static void test_delivery_order(void **state)
{
	static const int order[] = {MV_SIGKILL,	     MV_SIGSTOP, MV_SIGHUP,   MV_SIGINT,
				    MV_SIGUSR2,	     MV_SIGSYS,	 MV_SIGRTMIN, MV_SIGRTMIN,
				    MV_SIGRTMIN + 5, MV_SIGRTMAX};

	(void)state;
	mk(1);
	for (int sig = 1; sig <= MV_NSIG; sig++)
		if (sig != MV_SIGKILL && sig != MV_SIGSTOP)
			set_action(1, sig, H(sig), MV_SA_NODEFER, 0);
	/* generated in a scrambled order */
	sendv(1, MV_SIGRTMAX, 1);
	sendv(1, MV_SIGRTMIN + 5, 2);
	sendv(1, MV_SIGSYS, 3);
	sendv(1, MV_SIGRTMIN, 4);
	sendv(1, MV_SIGUSR2, 5);
	sendv(1, MV_SIGINT, 6);
	sendv(1, MV_SIGSTOP, 7);
	sendv(1, MV_SIGRTMIN, 8);
	sendv(1, MV_SIGHUP, 9);
	sendv(1, MV_SIGKILL, 10);
	for (size_t i = 0; i < 10; i++) {
		struct mv_sigdelivery d = deq(1);
		assert_int_equal(d.signo, order[i]);
	}
	assert_nothing(1);
}

static void test_blocked_not_delivered_until_unblocked(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), 0, 0);
	set_action(1, MV_SIGRTMIN, H(2), 0, 0);
	set_mask(1, B(MV_SIGUSR1) | B(MV_SIGRTMIN));
	send(1, MV_SIGUSR1);
	send(1, MV_SIGRTMIN);
	send(1, MV_SIGHUP);
	/* blocked ones stay pending and show in pending() */
	assert_int_equal(deq(1).signo, MV_SIGHUP);
	assert_nothing(1);
	assert_int_equal(pend(1), B(MV_SIGUSR1) | B(MV_SIGRTMIN));
	mv_sigset_t un = B(MV_SIGRTMIN);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_UNBLOCK, &un, NULL), 0);
	assert_int_equal(deq(1).signo, MV_SIGRTMIN);
	assert_nothing(1);
	assert_int_equal(pend(1), B(MV_SIGUSR1));
	set_mask(1, 0);
	assert_int_equal(deq(1).signo, MV_SIGUSR1);
}

static void test_handler_masks(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), MV_SA_SIGINFO,
		   B(MV_SIGINT) | B(MV_SIGKILL) | B(MV_SIGRTMIN));
	set_action(1, MV_SIGUSR2, H(2), 0, B(MV_SIGHUP));
	set_mask(1, B(MV_SIGTERM));
	send(1, MV_SIGUSR1);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGUSR1);
	assert_int_equal(d.disposition, MV_SIG_RUN_HANDLER);
	assert_int_equal(d.core, 0);
	assert_int_equal(d.action.handler, H(1));
	assert_int_equal(d.action.flags, MV_SA_SIGINFO);
	assert_int_equal(d.action.restorer, 0x7000);
	assert_int_equal(d.mask_before, B(MV_SIGTERM));
	assert_int_equal(d.mask_during,
			 B(MV_SIGTERM) | B(MV_SIGINT) | B(MV_SIGRTMIN) | B(MV_SIGUSR1));
	/* the module already applied mask_during */
	assert_int_equal(mask_of(1), d.mask_during);

	/* while the handler runs, SIGUSR1 is deferred; SIGUSR2 nests */
	send(1, MV_SIGUSR1);
	send(1, MV_SIGINT);
	send(1, MV_SIGUSR2);
	struct mv_sigdelivery d2 = deq(1);
	assert_int_equal(d2.signo, MV_SIGUSR2);
	assert_int_equal(d2.mask_before, d.mask_during);
	assert_int_equal(d2.mask_during, d.mask_during | B(MV_SIGUSR2) | B(MV_SIGHUP));
	assert_nothing(1);
	/* sigreturn of the inner, then the outer handler: the kernel restores mask_before */
	assert_int_equal(ops->sigprocmask(1, MV_SIG_SETMASK, &d2.mask_before, NULL), 0);
	assert_nothing(1);
	assert_int_equal(ops->sigprocmask(1, MV_SIG_SETMASK, &d.mask_before, NULL), 0);
	assert_int_equal(mask_of(1), B(MV_SIGTERM));
	assert_int_equal(deq(1).signo, MV_SIGINT);
}

static void test_default_dispositions_leave_mask(void **state)
{
	(void)state;
	mk(1);
	set_mask(1, B(MV_SIGHUP));
	send(1, MV_SIGTERM);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.disposition, MV_SIG_TERMINATE);
	assert_int_equal(d.action.handler, MV_SIG_DFL);
	assert_int_equal(d.mask_before, B(MV_SIGHUP));
	assert_int_equal(d.mask_during, B(MV_SIGHUP));
	assert_int_equal(mask_of(1), B(MV_SIGHUP));
}

static void test_sa_nodefer(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), MV_SA_NODEFER, B(MV_SIGINT));
	send(1, MV_SIGUSR1);
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.mask_during, B(MV_SIGINT));
	assert_int_equal(mask_of(1), B(MV_SIGINT));
	/* the same signal can interrupt its own handler */
	send(1, MV_SIGUSR1);
	assert_int_equal(deq(1).signo, MV_SIGUSR1);
	/* but SA_NODEFER does not unblock it if sa_mask names it */
	set_mask(1, 0);
	set_action(1, MV_SIGUSR2, H(2), MV_SA_NODEFER, B(MV_SIGUSR2));
	send(1, MV_SIGUSR2);
	d = deq(1);
	assert_int_equal(d.mask_during, B(MV_SIGUSR2));
}

static void test_sa_resethand(void **state)
{
	const uint32_t flags = MV_SA_RESETHAND | MV_SA_SIGINFO | MV_SA_RESTART;

	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), flags, B(MV_SIGINT));
	send(1, MV_SIGUSR1);
	struct mv_sigdelivery d = deq(1);
	/* the delivery carries the action as it was */
	assert_int_equal(d.disposition, MV_SIG_RUN_HANDLER);
	assert_int_equal(d.action.handler, H(1));
	assert_int_equal(d.action.flags, flags);
	/* like Linux, SA_RESETHAND does not imply SA_NODEFER */
	assert_int_equal(d.mask_during, B(MV_SIGINT) | B(MV_SIGUSR1));
	/* afterwards: SIG_DFL, SA_SIGINFO cleared */
	struct mv_sigaction a = get_action(1, MV_SIGUSR1);
	assert_int_equal(a.handler, MV_SIG_DFL);
	assert_int_equal(a.flags & MV_SA_SIGINFO, 0);
	/* the next one takes the default action */
	set_mask(1, 0);
	send(1, MV_SIGUSR1);
	d = deq(1);
	assert_int_equal(d.disposition, MV_SIG_TERMINATE);
	/* without SA_RESETHAND the handler stays */
	set_action(1, MV_SIGUSR2, H(2), MV_SA_SIGINFO, 0);
	send(1, MV_SIGUSR2);
	deq(1);
	assert_int_equal(get_action(1, MV_SIGUSR2).handler, H(2));
	assert_int_equal(get_action(1, MV_SIGUSR2).flags, MV_SA_SIGINFO);
}

/* The expected table, written out here independently of the module's. */
static enum mv_sig_default expected_default(int sig)
{
	switch (sig) {
	case MV_SIGQUIT:
	case MV_SIGILL:
	case MV_SIGTRAP:
	case MV_SIGABRT:
	case MV_SIGBUS:
	case MV_SIGFPE:
	case MV_SIGSEGV:
	case MV_SIGXCPU:
	case MV_SIGXFSZ:
	case MV_SIGSYS:
		return MV_SIGDFL_CORE;
	case MV_SIGCHLD:
	case MV_SIGURG:
	case MV_SIGWINCH:
		return MV_SIGDFL_IGN;
	case MV_SIGCONT:
		return MV_SIGDFL_CONT;
	case MV_SIGSTOP:
	case MV_SIGTSTP:
	case MV_SIGTTIN:
	case MV_SIGTTOU:
		return MV_SIGDFL_STOP;
	default:
		return MV_SIGDFL_TERM;
	}
}

static void test_default_actions_and_core(void **state)
{
	(void)state;
	mk(1);
	for (int sig = 1; sig <= MV_NSIG; sig++) {
		enum mv_sig_default want = expected_default(sig);
		struct mv_sigdelivery d;

		assert_int_equal(ops->default_action(sig), want);
		/* blocked first, so even the "ignore" and "continue" ones stay pending */
		set_mask(1, B(sig));
		send(1, sig);
		set_mask(1, 0);
		int r = ops->dequeue(1, &d);
		switch (want) {
		case MV_SIGDFL_IGN:
			assert_int_equal(r, 0);
			break;
		case MV_SIGDFL_CONT:
			assert_int_equal(r, 1);
			assert_int_equal(d.disposition, MV_SIG_CONTINUE);
			break;
		case MV_SIGDFL_STOP:
			assert_int_equal(r, 1);
			assert_int_equal(d.disposition, MV_SIG_STOP);
			break;
		case MV_SIGDFL_TERM:
		case MV_SIGDFL_CORE:
			assert_int_equal(r, 1);
			assert_int_equal(d.disposition, MV_SIG_TERMINATE);
			assert_int_equal(d.core, want == MV_SIGDFL_CORE);
			break;
		}
		if (r == 1)
			assert_int_equal(d.signo, sig);
		assert_int_equal(pend(1), 0);
	}
	/* numbers outside 1..64 have no action to take */
	assert_int_equal(ops->default_action(0), MV_SIGDFL_IGN);
	assert_int_equal(ops->default_action(65), MV_SIGDFL_IGN);
	assert_int_equal(ops->default_action(-3), MV_SIGDFL_IGN);
}

/* ---- fork and exec ----------------------------------------------------------------------- */

static void test_fork_inherits_actions_and_mask(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), MV_SA_SIGINFO | MV_SA_RESTART, B(MV_SIGINT));
	set_action(1, MV_SIGPIPE, MV_SIG_IGN, 0, 0);
	set_action(1, MV_SIGRTMIN + 3, H(3), 0, 0);
	set_mask(1, B(MV_SIGHUP) | B(MV_SIGRTMIN));
	send(1, MV_SIGHUP);
	sendv(1, MV_SIGRTMIN, 1);
	assert_int_equal(ops->task_fork(1, 2), 0);
	track(2);

	struct mv_sigaction a = get_action(2, MV_SIGUSR1);
	assert_int_equal(a.handler, H(1));
	assert_int_equal(a.flags, MV_SA_SIGINFO | MV_SA_RESTART);
	assert_int_equal(a.mask, B(MV_SIGINT));
	assert_int_equal(get_action(2, MV_SIGPIPE).handler, MV_SIG_IGN);
	assert_int_equal(get_action(2, MV_SIGRTMIN + 3).handler, H(3));
	assert_int_equal(mask_of(2), B(MV_SIGHUP) | B(MV_SIGRTMIN));
	/* POSIX fork: the child's pending set is empty */
	assert_int_equal(pend(2), 0);
	assert_int_equal(pend(1), B(MV_SIGHUP) | B(MV_SIGRTMIN));

	/* after the fork they are independent */
	set_action(2, MV_SIGUSR1, MV_SIG_DFL, 0, 0);
	set_mask(2, 0);
	assert_int_equal(get_action(1, MV_SIGUSR1).handler, H(1));
	assert_int_equal(mask_of(1), B(MV_SIGHUP) | B(MV_SIGRTMIN));
	send(2, MV_SIGUSR2);
	assert_int_equal(pend(1), B(MV_SIGHUP) | B(MV_SIGRTMIN));
	assert_int_equal(ops->task_exit(1), 0);
	assert_int_equal(deq(2).signo, MV_SIGUSR2);
	assert_nothing(2);
}

static void test_exec_resets_caught_signals(void **state)
{
	(void)state;
	mk(1);
	set_action(1, MV_SIGUSR1, H(1), MV_SA_SIGINFO | MV_SA_RESETHAND, B(MV_SIGINT));
	set_action(1, MV_SIGRTMIN, H(2), 0, 0);
	set_action(1, MV_SIGPIPE, MV_SIG_IGN, MV_SA_RESTART, B(MV_SIGINT));
	set_action(1, MV_SIGCHLD, H(3), MV_SA_NOCLDSTOP, 0);
	set_mask(1, B(MV_SIGUSR1) | B(MV_SIGRTMIN) | B(MV_SIGCHLD));
	send(1, MV_SIGUSR1);
	sendv(1, MV_SIGRTMIN, 5);
	send(1, MV_SIGCHLD);
	assert_int_equal(ops->task_exec(1), 0);

	struct mv_sigaction a = get_action(1, MV_SIGUSR1);
	assert_int_equal(a.handler, MV_SIG_DFL);
	assert_int_equal(a.flags, 0);
	assert_int_equal(a.mask, 0);
	assert_int_equal(get_action(1, MV_SIGRTMIN).handler, MV_SIG_DFL);
	assert_int_equal(get_action(1, MV_SIGCHLD).handler, MV_SIG_DFL);
	/* ignored stays ignored */
	assert_int_equal(get_action(1, MV_SIGPIPE).handler, MV_SIG_IGN);
	/* mask and pending survive */
	assert_int_equal(mask_of(1), B(MV_SIGUSR1) | B(MV_SIGRTMIN) | B(MV_SIGCHLD));
	assert_int_equal(pend(1), B(MV_SIGUSR1) | B(MV_SIGRTMIN) | B(MV_SIGCHLD));
	send(1, MV_SIGPIPE);
	set_mask(1, 0);
	/* now with default actions; SIGCHLD (default ignore) is dropped */
	struct mv_sigdelivery d = deq(1);
	assert_int_equal(d.signo, MV_SIGUSR1);
	assert_int_equal(d.disposition, MV_SIG_TERMINATE);
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGRTMIN);
	assert_int_equal(d.disposition, MV_SIG_TERMINATE);
	assert_int_equal(d.info.value, 5);
	assert_nothing(1);
}

/* ---- what an unload would lose ----------------------------------------------------------- */

static void test_task_busy_says_what_an_unload_would_lose(void **state)
{
	struct mv_sigdelivery d;

	(void)state;
	assert_int_equal(ops->task_busy(1), -MV_ESRCH);
	mk(1);
	assert_int_equal(ops->task_busy(1), 0);
	/* A handler, an ignored signal, a blocked signal: each alone keeps the state. */
	set_action(1, MV_SIGUSR1, H(1), 0, 0);
	assert_int_equal(ops->task_busy(1), 1);
	set_action(1, MV_SIGUSR1, MV_SIG_DFL, MV_SA_RESTART, B(MV_SIGINT));
	assert_int_equal(ops->task_busy(1), 0); /* flags and mask mean nothing without a handler */
	set_action(1, MV_SIGRTMAX, MV_SIG_IGN, 0, 0);
	assert_int_equal(ops->task_busy(1), 1);
	set_action(1, MV_SIGRTMAX, MV_SIG_DFL, 0, 0);
	set_action(1, MV_SIGCHLD, MV_SIG_DFL, MV_SA_NOCLDSTOP, 0);
	assert_int_equal(ops->task_busy(1), 1);
	set_action(1, MV_SIGCHLD, MV_SIG_DFL, SIG_SA_NOCLDWAIT, 0);
	assert_int_equal(ops->task_busy(1), 1);
	set_action(1, MV_SIGCHLD, MV_SIG_DFL, 0, 0);
	set_mask(1, B(MV_SIGRTMIN));
	assert_int_equal(ops->task_busy(1), 1);
	/* A pending signal, standard or queued, until it is delivered. */
	sendv(1, MV_SIGRTMIN, 7);
	set_mask(1, B(MV_SIGRTMIN));
	assert_int_equal(ops->task_busy(1), 1);
	set_mask(1, 0);
	assert_int_equal(ops->task_busy(1), 1);
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGRTMIN);
	assert_int_equal(ops->task_busy(1), 0);
	set_mask(1, B(MV_SIGUSR2));
	send(1, MV_SIGUSR2);
	set_mask(1, 0);
	assert_int_equal(ops->task_busy(1), 1);
	d = deq(1);
	assert_int_equal(d.signo, MV_SIGUSR2);
	assert_int_equal(ops->task_busy(1), 0);
	/* A fork inherits what keeps it; exec drops handlers but keeps ignored ones. */
	set_action(1, MV_SIGUSR1, H(1), 0, 0);
	assert_int_equal(ops->task_fork(1, 2), 0);
	track(2);
	assert_int_equal(ops->task_busy(2), 1);
	assert_int_equal(ops->task_exec(2), 0);
	assert_int_equal(ops->task_busy(2), 0);
	set_action(2, MV_SIGPIPE, MV_SIG_IGN, 0, 0);
	assert_int_equal(ops->task_exec(2), 0);
	assert_int_equal(ops->task_busy(2), 1);
}

/* ---- locking ----------------------------------------------------------------------------- */

static void test_every_operation_locks_and_unlocks(void **state)
{
	struct mv_sigaction a = act_of(H(1), 0, 0);
	mv_sigset_t m = B(MV_SIGINT);
	struct mv_sigdelivery d;

	(void)state;
	mk(1);
	track(2);
	track(3);
#define LOCKED(call)                                                                               \
	do {                                                                                       \
		long before = fk.lock_calls;                                                       \
		(void)(call);                                                                      \
		assert_int_equal(fk.lock_calls, before + 1);                                       \
		assert_int_equal(fk.unlock_calls, fk.lock_calls);                                  \
		assert_int_equal(fk.depth, 0);                                                     \
	} while (0)
	LOCKED(ops->task_create(2));
	LOCKED(ops->task_create(2));
	LOCKED(ops->task_fork(1, 3));
	LOCKED(ops->task_fork(9, 4));
	LOCKED(ops->task_exec(1));
	LOCKED(ops->task_exec(9));
	LOCKED(ops->sigaction(1, MV_SIGUSR1, &a, NULL));
	LOCKED(ops->sigaction(9, MV_SIGUSR1, &a, NULL));
	LOCKED(ops->sigprocmask(1, MV_SIG_BLOCK, &m, NULL));
	LOCKED(ops->sigprocmask(9, MV_SIG_BLOCK, &m, NULL));
	LOCKED(ops->kill(1, MV_SIGUSR1, NULL));
	LOCKED(ops->kill(1, MV_SIGRTMIN, NULL));
	LOCKED(ops->kill(9, MV_SIGUSR1, NULL));
	LOCKED(ops->pending(1, &m));
	LOCKED(ops->pending(9, &m));
	LOCKED(ops->dequeue(1, &d));
	LOCKED(ops->dequeue(9, &d));
	LOCKED(ops->task_busy(1));
	LOCKED(ops->task_busy(9));
	LOCKED(ops->task_exit(3));
	LOCKED(ops->task_exit(3));
	fk.fail_all = true;
	LOCKED(ops->task_create(4));
	LOCKED(ops->kill(1, MV_SIGRTMIN, NULL));
	fk.fail_all = false;
#undef LOCKED
}

/* ---- randomized sequence against a model ------------------------------------------------- */

#define NT 6
#define MAXQ SIG_RTQUEUE_MAX

struct mtask {
	bool live;
	struct mv_sigaction act[MV_NSIG + 1];
	mv_sigset_t blocked, std_pending;
	struct mv_siginfo std_info[32];
	struct mv_siginfo q[MAXQ];
	int nq;
};

static struct mtask model[NT];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static uint32_t mtid(int i)
{
	return 100U + 37U * (uint32_t)i;
}

static const mv_sigset_t UNBLOCKABLE = B(MV_SIGKILL) | B(MV_SIGSTOP);
static const uint32_t KNOWN_FLAGS = MV_SA_NOCLDSTOP | 0x2U | MV_SA_SIGINFO | 0x04000000U |
				    MV_SA_ONSTACK | MV_SA_RESTART | MV_SA_NODEFER | MV_SA_RESETHAND;

static void assert_action_eq(const struct mv_sigaction *a, const struct mv_sigaction *b)
{
	assert_int_equal(a->handler, b->handler);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->mask, b->mask);
	assert_int_equal(a->restorer, b->restorer);
}

static void assert_delivery_eq(const struct mv_sigdelivery *a, const struct mv_sigdelivery *b)
{
	assert_int_equal(a->signo, b->signo);
	assert_int_equal(a->disposition, b->disposition);
	assert_int_equal(a->core, b->core);
	assert_action_eq(&a->action, &b->action);
	assert_int_equal(a->mask_during, b->mask_during);
	assert_int_equal(a->mask_before, b->mask_before);
	assert_int_equal(a->info.signo, b->info.signo);
	assert_int_equal(a->info.code, b->info.code);
	assert_int_equal(a->info.pid, b->info.pid);
	assert_int_equal(a->info.uid, b->info.uid);
	assert_int_equal(a->info.value, b->info.value);
}

static bool m_ignored(const struct mtask *t, int sig)
{
	uint64_t h = t->act[sig].handler;

	return h == MV_SIG_IGN || (h == MV_SIG_DFL && (expected_default(sig) == MV_SIGDFL_IGN ||
						       expected_default(sig) == MV_SIGDFL_CONT));
}

static mv_sigset_t m_pending(const struct mtask *t)
{
	mv_sigset_t p = t->std_pending;

	for (int i = 0; i < t->nq; i++)
		p |= B(t->q[i].signo);
	return p;
}

static void m_remove_q(struct mtask *t, int i)
{
	memmove(&t->q[i], &t->q[i + 1], (size_t)(t->nq - i - 1) * sizeof(t->q[0]));
	t->nq--;
}

static void m_discard(struct mtask *t, int sig)
{
	t->std_pending &= ~B(sig);
	for (int i = 0; i < t->nq;)
		if (t->q[i].signo == sig)
			m_remove_q(t, i);
		else
			i++;
}

static int m_kill(struct mtask *t, int sig, const struct mv_siginfo *info, bool nomem)
{
	struct mv_siginfo si;

	if (sig < 0 || sig > MV_NSIG)
		return -MV_EINVAL;
	if (!t->live)
		return -MV_ESRCH;
	if (sig == 0)
		return 0;
	if (sig == MV_SIGCONT)
		t->std_pending &= ~(B(MV_SIGSTOP) | B(MV_SIGTSTP) | B(MV_SIGTTIN) | B(MV_SIGTTOU));
	if (sig >= MV_SIGSTOP && sig <= MV_SIGTTOU)
		t->std_pending &= ~B(MV_SIGCONT);
	if (!(t->blocked & B(sig)) && m_ignored(t, sig))
		return 0;
	if (info) {
		si = *info;
	} else {
		memset(&si, 0, sizeof(si));
		si.code = 0x80;
	}
	si.signo = sig;
	if (sig < MV_SIGRTMIN) {
		if (!(t->std_pending & B(sig))) {
			t->std_pending |= B(sig);
			t->std_info[sig] = si;
		}
		return 0;
	}
	if (t->nq >= MAXQ || nomem)
		return -MV_EAGAIN;
	t->q[t->nq++] = si;
	return 0;
}

static int m_dequeue(struct mtask *t, struct mv_sigdelivery *d)
{
	if (!t->live)
		return -MV_ESRCH;
	for (;;) {
		mv_sigset_t ready = m_pending(t) & ~t->blocked;
		int sig = 0;

		memset(d, 0, sizeof(*d));
		if (!ready)
			return 0;
		if (ready & B(MV_SIGKILL))
			sig = MV_SIGKILL;
		else if (ready & B(MV_SIGSTOP))
			sig = MV_SIGSTOP;
		else
			for (sig = 1; !(ready & B(sig)); sig++)
				;
		if (sig < MV_SIGRTMIN) {
			d->info = t->std_info[sig];
			t->std_pending &= ~B(sig);
		} else {
			int i = 0;
			while (t->q[i].signo != sig)
				i++;
			d->info = t->q[i];
			m_remove_q(t, i);
		}
		struct mv_sigaction *a = &t->act[sig];
		if (a->handler == MV_SIG_IGN)
			continue;
		d->signo = sig;
		d->action = *a;
		d->mask_before = d->mask_during = t->blocked;
		if (a->handler != MV_SIG_DFL) {
			d->disposition = MV_SIG_RUN_HANDLER;
			d->mask_during = t->blocked | a->mask;
			if (!(a->flags & MV_SA_NODEFER))
				d->mask_during |= B(sig);
			d->mask_during &= ~UNBLOCKABLE;
			t->blocked = d->mask_during;
			if (a->flags & MV_SA_RESETHAND) {
				a->handler = MV_SIG_DFL;
				a->flags &= ~MV_SA_SIGINFO;
			}
			return 1;
		}
		switch (expected_default(sig)) {
		case MV_SIGDFL_IGN:
			continue;
		case MV_SIGDFL_CORE:
			d->core = 1;
			d->disposition = MV_SIG_TERMINATE;
			return 1;
		case MV_SIGDFL_TERM:
			d->disposition = MV_SIG_TERMINATE;
			return 1;
		case MV_SIGDFL_STOP:
			d->disposition = MV_SIG_STOP;
			return 1;
		case MV_SIGDFL_CONT:
			d->disposition = MV_SIG_CONTINUE;
			return 1;
		}
	}
}

static int rnd_sig(void)
{
	static const int hot[] = {MV_SIGKILL,  MV_SIGSTOP,	MV_SIGCONT, MV_SIGTSTP,
				  MV_SIGCHLD,  MV_SIGUSR1,	MV_SIGUSR2, MV_SIGSEGV,
				  MV_SIGRTMIN, MV_SIGRTMIN + 1, MV_SIGRTMAX};
	uint32_t r = rnd(100);

	if (r < 3)
		return (int)rnd(3) == 0 ? -1 : (rnd(2) ? 0 : MV_NSIG + 1);
	if (r < 60)
		return hot[rnd(sizeof(hot) / sizeof(hot[0]))];
	return 1 + (int)rnd(MV_NSIG);
}

static mv_sigset_t rnd_set(void)
{
	static const mv_sigset_t parts[] = {B(MV_SIGUSR1), B(MV_SIGCHLD) | B(MV_SIGCONT),
					    B(MV_SIGRTMIN), B(MV_SIGKILL) | B(MV_SIGSTOP),
					    B(MV_SIGTSTP) | B(MV_SIGUSR2)};
	mv_sigset_t s = 0;

	if (rnd(8) == 0)
		return ((mv_sigset_t)rnd(1U << 31) << 33) ^ rnd(1U << 31);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (rnd(3) == 0)
			s |= parts[i];
	return s;
}

static void check_task_matches(int i)
{
	struct mtask *t = &model[i];
	mv_sigset_t p;

	if (!t->live) {
		assert_int_equal(ops->pending(mtid(i), &p), -MV_ESRCH);
		return;
	}
	assert_int_equal(pend(mtid(i)), m_pending(t));
	assert_int_equal(mask_of(mtid(i)), t->blocked);
}

static void test_random_against_model(void **state)
{
	long seq = 0, seen[4] = {0}, seen_core = 0, seen_reset = 0, seen_full = 0;

	(void)state;
	memset(model, 0, sizeof(model));
	for (int i = 0; i < NT; i++)
		track(mtid(i));
	for (int step = 0; step < 40000; step++) {
		int i = (int)rnd(NT);
		struct mtask *t = &model[i];
		uint32_t tid = mtid(i);
		bool nomem = rnd(12) == 0;
		/* every other phase has no dequeues, so real-time queues fill up to their limit */
		bool flood = (step / 2000) % 2 == 1;
		uint32_t op = rnd(flood ? 750 : 1000);

		if (!t->live && rnd(2))
			op = 0; /* most operations on a dead task only say ESRCH */
		int r, want;

		fk.fail_next = nomem;
		if (op < 10) { /* create */
			want = t->live ? -MV_EEXIST : nomem ? -MV_ENOMEM : 0;
			r = ops->task_create(tid);
			if (want == 0) {
				memset(t, 0, sizeof(*t));
				t->live = true;
			}
		} else if (op < 20) { /* fork */
			int c = (int)rnd(NT);
			struct mtask *ct = &model[c];
			want = !t->live	  ? -MV_ESRCH
			       : ct->live ? -MV_EEXIST
			       : nomem	  ? -MV_ENOMEM
					  : 0;
			r = ops->task_fork(tid, mtid(c));
			if (want == 0) {
				memset(ct, 0, sizeof(*ct));
				ct->live = true;
				memcpy(ct->act, t->act, sizeof(ct->act));
				ct->blocked = t->blocked;
			}
		} else if (op < 30) { /* exec */
			want = t->live ? 0 : -MV_ESRCH;
			r = ops->task_exec(tid);
			for (int s = 1; want == 0 && s <= MV_NSIG; s++) {
				if (t->act[s].handler != MV_SIG_IGN)
					t->act[s].handler = MV_SIG_DFL;
				t->act[s].flags = 0;
				t->act[s].mask = 0;
				t->act[s].restorer = 0;
			}
		} else if (op < 38) { /* exit */
			want = t->live ? 0 : -MV_ESRCH;
			r = ops->task_exit(tid);
			t->live = false;
		} else if (op < 180) { /* sigaction */
			int sig = rnd_sig();
			static const uint64_t hs[] = {MV_SIG_DFL, MV_SIG_IGN, 0x400000, 0x400100};
			struct mv_sigaction a = act_of(hs[rnd(4)], 0, rnd_set()), old;
			static const uint32_t fl[] = {MV_SA_SIGINFO, MV_SA_NODEFER, MV_SA_RESETHAND,
						      MV_SA_RESTART, 0x100};
			for (size_t k = 0; k < 5; k++)
				if (rnd(3) == 0)
					a.flags |= fl[k];
			bool query = rnd(5) == 0;
			memset(&old, 0x5a, sizeof(old));
			if (sig < 1 || sig > MV_NSIG ||
			    (!query && (sig == MV_SIGKILL || sig == MV_SIGSTOP)))
				want = -MV_EINVAL;
			else
				want = t->live ? 0 : -MV_ESRCH;
			r = ops->sigaction(tid, sig, query ? NULL : &a, &old);
			if (want == 0 && r == 0) {
				assert_action_eq(&old, &t->act[sig]);
				if (!query) {
					a.flags &= KNOWN_FLAGS;
					a.mask &= ~UNBLOCKABLE;
					t->act[sig] = a;
					if (m_ignored(t, sig))
						m_discard(t, sig);
				}
			}
		} else if (op < 350) {	       /* sigprocmask */
			int how = (int)rnd(4); /* 3 is invalid */
			mv_sigset_t set = rnd_set(), old = 0x77;
			bool query = rnd(6) == 0;
			want = (!query && how == 3) ? -MV_EINVAL : t->live ? 0 : -MV_ESRCH;
			r = ops->sigprocmask(tid, how, query ? NULL : &set, &old);
			if (want == 0 && r == 0) {
				assert_int_equal(old, t->blocked);
				if (!query) {
					mv_sigset_t nb = how == MV_SIG_BLOCK	 ? t->blocked | set
							 : how == MV_SIG_UNBLOCK ? t->blocked & ~set
										 : set;
					t->blocked = nb & ~UNBLOCKABLE;
				}
			}
		} else if (op < 750) { /* kill */
			int sig = flood && rnd(2) ? MV_SIGRTMIN + (int)rnd(4) : rnd_sig();
			struct mv_siginfo si = {.signo = rnd(4) ? sig : 5,
						.code = -1,
						.pid = (int32_t)rnd(1000),
						.uid = (int32_t)rnd(3),
						.value = ++seq};
			const struct mv_siginfo *pi = rnd(4) ? &si : NULL;
			want = m_kill(t, sig, pi, nomem);
			r = ops->kill(tid, sig, pi);
			seen_full += want == -MV_EAGAIN && !nomem;
		} else { /* dequeue */
			struct mv_sigdelivery got, exp;
			memset(&got, 0x5a, sizeof(got));
			want = m_dequeue(t, &exp);
			r = ops->dequeue(tid, &got);
			if (want == 1 && r == 1) {
				assert_delivery_eq(&got, &exp);
				seen[exp.disposition]++;
				seen_core += exp.core;
				seen_reset += (exp.action.flags & MV_SA_RESETHAND) != 0 &&
					      exp.disposition == MV_SIG_RUN_HANDLER;
			}
		}
		fk.fail_next = false;
		if (r != want)
			fail_msg("step %d op %u task %d: got %d want %d", step, op, i, r, want);
		assert_int_equal(fk.depth, 0);
		check_task_matches(i);
		if (step % 500 == 0)
			for (int k = 0; k < NT; k++)
				check_task_matches(k);
	}
	for (int k = 0; k < NT; k++)
		check_task_matches(k);
	/* the sequence really exercised every kind of outcome */
	for (int k = 0; k < 4; k++)
		assert_true(seen[k] > 10);
	assert_true(seen_core > 10);
	assert_true(seen_reset > 10);
	assert_true(seen_full > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(test_descriptor),
	    cmocka_unit_test_teardown(test_init_rejects_bad_kservices, unload),
	    cmocka_unit_test_teardown(test_exit_frees_remaining_tasks, unload),
	    T(test_unknown_task_is_esrch),
	    T(test_new_task_is_clean),
	    T(test_many_tasks_table_grows),
	    T(test_table_is_bounded),
	    T(test_table_growth_failure_is_harmless),
	    T(test_alloc_failure_leaves_state_unchanged),
	    T(test_sigaction_validation),
	    T(test_kill_and_stop_cannot_be_caught_or_ignored),
	    T(test_sigaction_stores_and_returns_old),
	    T(test_sigprocmask_ops),
	    T(test_kill_and_stop_cannot_be_blocked),
	    T(test_kill_validation_and_sig0),
	    T(test_standard_signals_coalesce),
	    T(test_realtime_signals_queue_in_order),
	    T(test_realtime_queue_limit),
	    T(test_siginfo_synthesised_or_fixed),
	    T(test_ignored_discarded_at_generation),
	    T(test_blocked_ignored_stays_pending_then_dropped),
	    T(test_setting_ignore_discards_pending),
	    T(test_sigcont_and_stop_signals_cancel),
	    T(test_delivery_order),
	    T(test_blocked_not_delivered_until_unblocked),
	    T(test_handler_masks),
	    T(test_default_dispositions_leave_mask),
	    T(test_sa_nodefer),
	    T(test_sa_resethand),
	    T(test_default_actions_and_core),
	    T(test_fork_inherits_actions_and_mask),
	    T(test_exec_resets_caught_signals),
	    T(test_task_busy_says_what_an_unload_would_lose),
	    T(test_every_operation_locks_and_unlocks),
	    T(test_random_against_model),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
