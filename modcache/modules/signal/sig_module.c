/* The signal module's entry points: descriptor, init/exit, and the locked operations table. */
#include <string.h>
#include "sig_internal.h"

#define SIG_MODULE_VERSION ((1U << 16) | 1U)

/* The module's data pages are private to each guest, so this is one guest's state. */
static struct sig_state state;

static void enter(void)
{
	state.ks->lock(state.ks->ctx, state.lock);
}

static int leave(int ret)
{
	state.ks->unlock(state.ks->ctx, state.lock);
	return ret;
}

static int op_task_create(uint32_t tid)
{
	enter();
	return leave(sig_task_create(&state, tid));
}

static int op_task_fork(uint32_t parent, uint32_t child)
{
	enter();
	return leave(sig_task_fork(&state, parent, child));
}

static int op_task_exec(uint32_t tid)
{
	enter();
	return leave(sig_task_exec(&state, tid));
}

static int op_task_exit(uint32_t tid)
{
	enter();
	return leave(sig_task_exit(&state, tid));
}

static int op_sigaction(uint32_t tid, int sig, const struct mv_sigaction *act,
			struct mv_sigaction *old)
{
	enter();
	return leave(sig_do_sigaction(&state, tid, sig, act, old));
}

static int op_sigprocmask(uint32_t tid, int how, const mv_sigset_t *set, mv_sigset_t *old)
{
	enter();
	return leave(sig_do_sigprocmask(&state, tid, how, set, old));
}

static int op_kill(uint32_t tid, int sig, const struct mv_siginfo *info)
{
	enter();
	return leave(sig_do_kill(&state, tid, sig, info));
}

static int op_pending(uint32_t tid, mv_sigset_t *set)
{
	enter();
	return leave(sig_do_pending(&state, tid, set));
}

static int op_dequeue(uint32_t tid, struct mv_sigdelivery *out)
{
	enter();
	return leave(sig_do_dequeue(&state, tid, out));
}

static int op_task_busy(uint32_t tid)
{
	enter();
	return leave(sig_task_busy(&state, tid));
}

/* Reads only a constant table, so it needs no lock. */
static enum mv_sig_default op_default_action(int sig)
{
	return sig_default_action(sig);
}

static const struct mv_sig_ops sig_ops = {
    .version = MV_SIG_OPS_VERSION,
    .size = sizeof(struct mv_sig_ops),
    .task_create = op_task_create,
    .task_fork = op_task_fork,
    .task_exec = op_task_exec,
    .task_exit = op_task_exit,
    .sigaction = op_sigaction,
    .sigprocmask = op_sigprocmask,
    .kill = op_kill,
    .pending = op_pending,
    .dequeue = op_dequeue,
    .default_action = op_default_action,
    .task_busy = op_task_busy,
};

/* The module calls nothing it has not checked: a guest built against another ABI is refused. */
static bool kservices_usable(const struct mv_kservices *ks)
{
	return ks && ks->version == MV_KSERVICES_VERSION &&
	       ks->size >= offsetof(struct mv_kservices, current_task) + sizeof(ks->current_task) &&
	       ks->alloc && ks->free && ks->lock_create && ks->lock_destroy && ks->lock &&
	       ks->unlock;
}

static int sig_init(const struct mv_kservices *ks, const void **ops)
{
	void *lock;

	if (!ops || !kservices_usable(ks))
		return -MV_EINVAL;
	if (state.ks)
		return -MV_EBUSY;
	lock = ks->lock_create(ks->ctx);
	if (!lock)
		return -MV_ENOMEM;
	state.ks = ks;
	state.lock = lock;
	sig_table_init(&state.table);
	*ops = &sig_ops;
	return 0;
}

/* The guest calls this once no CPU can be inside an operation any more. */
static void sig_exit(void)
{
	if (!state.ks)
		return;
	sig_task_exit_all(&state);
	state.ks->lock_destroy(state.ks->ctx, state.lock);
	memset(&state, 0, sizeof(state));
}

__attribute__((visibility("default"))) struct mv_module_desc mv_module_desc = {
    .magic = MV_MODULE_MAGIC,
    .abi_version = MV_MODULE_ABI_VERSION,
    .name = "signal",
    .version = SIG_MODULE_VERSION,
    .kind = MV_MODULE_SIGNAL,
    .init = sig_init,
    .exit = sig_exit,
};
