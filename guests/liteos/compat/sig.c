/* LiteOS-A-style signals for tasks: per-task state in the signal module, handlers run here. */
#include <stddef.h>
#include "guest.h"
#include "los_compat_pri.h"
#include "los_module.h"
#include "los_printf.h"
#include "los_signal.h"

static UINT16 g_sigIdleTimer;
static BOOL g_sigIdleTimerOn;

static struct gmod *OsSigMod(VOID)
{
	static struct gmod *mod;

	if (mod == NULL)
		mod = ondemand_module_mut("signal");
	return mod;
}

static VOID OsSigIdleTimer(UINTPTR arg);

/*
 * The module's operations with this call counted as one of its users, so that the idle check
 * leaves the module alone until OsSigPut; loaded first when missing and `what` (the operation,
 * for the log) is given. NULL when it is not there.
 */
static const struct mv_sig_ops *OsSigGet(const char *what)
{
	struct gmod *mod = OsSigMod();
	const VOID *ops = NULL;

	if (mod == NULL)
		return NULL;
	for (;;) {
		UINT32 intSave = LOS_IntLock();

		if (mod->desc != NULL) {
			modidle_get(&mod->idle, guest_time_ns());
			LOS_IntRestore(intSave);
			return mod->ops;
		}
		LOS_IntRestore(intSave);
		/* An idle unload may come between the load and the count: then load again. */
		if (what == NULL || LOS_ModuleOps("signal", what, &ops) != 0)
			return NULL;
		LOS_ModuleIdleCheckStart(OsSigIdleTimer, &g_sigIdleTimer, &g_sigIdleTimerOn);
	}
}

static VOID OsSigPut(VOID)
{
	UINT32 intSave = LOS_IntLock();

	(void)modidle_put(&OsSigMod()->idle, guest_time_ns());
	LOS_IntRestore(intSave);
}

/* The module keeps state per task ID, made on the task's first use of signals. */
static int OsSigTaskEnsure(const struct mv_sig_ops *ops, LosTaskCB *task)
{
	int ret;

	if (task->taskFlags & OS_TASK_FLAG_SIGNAL)
		return 0;
	ret = ops->task_create(task->taskID);
	if (ret == -MV_EEXIST) {
		/* A deleted task's ID, whose state could not be dropped then (from an interrupt).
		 */
		(void)ops->task_exit(task->taskID);
		ret = ops->task_create(task->taskID);
	}
	if (ret == 0)
		task->taskFlags |= OS_TASK_FLAG_SIGNAL;
	return ret;
}

static VOID OsSigTaskGone(LosTaskCB *task)
{
	const struct mv_sig_ops *ops;

	if (!(task->taskFlags & OS_TASK_FLAG_SIGNAL))
		return;
	ops = OsSigGet(NULL);
	if (ops && (task->taskFlags & OS_TASK_FLAG_SIGNAL)) {
		task->taskFlags &= ~OS_TASK_FLAG_SIGNAL;
		(void)ops->task_exit(task->taskID);
	}
	if (ops)
		OsSigPut();
}

/* A module older than 1.1 cannot say what an unload would lose: it is never unloaded. */
static BOOL OsSigKnowsBusy(const struct mv_sig_ops *ops)
{
	return ops->size >= offsetof(struct mv_sig_ops, task_busy) + sizeof(ops->task_busy) &&
	       ops->task_busy != NULL;
}

/* Tasks whose signal state is not a new task's: a handler or an ignored signal, a blocked or
 * a pending one. Each keeps the module. */
static UINT32 OsSigBusyTasks(const struct mv_sig_ops *ops)
{
	UINT32 n = 0;

	if (!OsSigKnowsBusy(ops))
		return 1;
	for (UINT32 i = 0; i < g_taskMaxNum; i++) {
		const LosTaskCB *task = OS_TCB_FROM_TID(i);

		if (!(task->taskStatus & OS_TASK_STATUS_UNUSED) &&
		    (task->taskFlags & OS_TASK_FLAG_SIGNAL) && ops->task_busy(task->taskID) != 0)
			n++;
	}
	return n;
}

UINT32 LOS_SigUsers(VOID)
{
	const struct mv_sig_ops *ops = OsSigGet(NULL);
	UINT32 n;

	if (ops == NULL)
		return 0;
	n = OsSigBusyTasks(ops) + OsSigMod()->idle.users - 1; /* not this call */
	OsSigPut();
	return n;
}

/*
 * The idle check (a software timer, in the timer task): unloads the module once no call is in
 * it, it has not been called for the modidle= time, and every task's state is a new task's, so
 * the unload loses nothing; each task gets fresh state at its next use. With interrupts locked
 * throughout, no task and no interrupt can start a call in between.
 */
static VOID OsSigIdleTimer(UINTPTR arg)
{
	struct gmod *mod = OsSigMod();
	UINT32 intSave;

	(void)arg;
	/* Locked, the module's calls take no mutex (OsKsLock): none is held, as no call runs. */
	LOS_TaskLock();
	intSave = LOS_IntLock();
	if (mod->desc == NULL || !modidle_due(&mod->idle, TRUE, guest_time_ns(), gmod_idle_ns) ||
	    OsSigBusyTasks(mod->ops) != 0) {
		LOS_IntRestore(intSave);
		LOS_TaskUnlock();
		return;
	}
	if (LOS_ModuleUnloadIdle("signal") == 0) {
		for (UINT32 i = 0; i < g_taskMaxNum; i++)
			OS_TCB_FROM_TID(i)->taskFlags &= ~OS_TASK_FLAG_SIGNAL;
	} else {
		modidle_touch(&mod->idle, guest_time_ns()); /* not again before another idle time */
	}
	LOS_IntRestore(intSave);
	LOS_TaskUnlock();
}

static VOID OsSigRunHandler(const struct mv_sigdelivery *d)
{
	siginfo_t info = {
	    .si_signo = d->info.signo,
	    .si_code = d->info.code,
	    .si_pid = d->info.pid,
	    .si_value.sival_ptr = (void *)(intptr_t)d->info.value,
	};

	if (d->action.flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))(UINTPTR)d->action.handler)(d->signo, &info,
										 NULL);
	else
		((sighandler_t)(UINTPTR)d->action.handler)(d->signo);
}

/* g_sigDeliverHook: the running task is returning from the kernel with signals pending. */
static VOID OsSigDeliver(VOID)
{
	LosTaskCB *run = g_runTask;
	struct mv_sigdelivery d;
	UINT32 intSave;

	run->sigPending = 0;
	if (!(run->taskFlags & OS_TASK_FLAG_SIGNAL))
		return; /* no state in the module: nothing was sent to this task */
	/* Handlers are task code: they run with interrupts on, even on an interrupt's way out. */
	intSave = LOS_IntUnLock();
	for (;;) {
		/* Held across a handler, which may reset its own action (SA_RESETHAND), and let go
		 * before a default action that ends or stops the task. */
		const struct mv_sig_ops *ops = OsSigGet(NULL);
		int got;

		if (ops == NULL)
			break;
		run->sigDefer++;
		got = ops->dequeue(run->taskID, &d);
		run->sigDefer--;
		if (got == 1 && d.disposition == MV_SIG_RUN_HANDLER) {
			OsSigRunHandler(&d);
			run->sigDefer++;
			(void)ops->sigprocmask(run->taskID, MV_SIG_SETMASK, &d.mask_before, NULL);
			run->sigDefer--;
		}
		OsSigPut();
		if (got != 1)
			break;
		if (d.disposition == MV_SIG_TERMINATE) {
			dprintf("liteos: task %u (%s) terminated by signal %d\n", run->taskID,
				run->taskName, (int)d.signo);
			(void)LOS_TaskDelete(run->taskID);
		} else if (d.disposition == MV_SIG_STOP) {
			dprintf("liteos: task %u (%s) stopped by signal %d\n", run->taskID,
				run->taskName, (int)d.signo);
			(void)LOS_TaskSuspend(run->taskID);
		}
	}
	LOS_IntRestore(intSave);
}

VOID LOS_SigInit(VOID);
VOID LOS_SigInit(VOID)
{
	g_sigDeliverHook = OsSigDeliver;
	g_taskDeleteHook = OsSigTaskGone;
}

/* The calling task's module state, loading the module on the first call; a non-NULL result
 * counts as a user of the module until OsSigPut. */
static const struct mv_sig_ops *OsSigSelf(const char *what)
{
	const struct mv_sig_ops *ops;

	if (!g_taskScheduled || OS_INT_ACTIVE)
		return NULL;
	ops = OsSigGet(what);
	if (ops && OsSigTaskEnsure(ops, g_runTask) != 0) {
		OsSigPut();
		return NULL;
	}
	return ops;
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	struct mv_sigaction newAct;
	struct mv_sigaction oldAct;
	const struct mv_sig_ops *ops;
	int ret;

	if (sig < 1 || sig >= _NSIG)
		return OsSetErrno(EINVAL);
	OsModuleEnter();
	ops = OsSigSelf("sigaction");
	if (ops == NULL) {
		OsModuleLeave();
		return OsSetErrno(ENOSYS);
	}
	if (act) {
		newAct.handler = (uint64_t)(UINTPTR)act->sa_handler;
		newAct.flags = act->sa_flags;
		newAct.mask = act->sa_mask;
		newAct.restorer = 0;
	}
	ret = ops->sigaction(g_runTask->taskID, sig, act ? &newAct : NULL, oact ? &oldAct : NULL);
	OsSigPut();
	OsModuleLeave();
	if (ret < 0)
		return OsSetErrno(ret);
	if (oact) {
		oact->sa_handler = (sighandler_t)(UINTPTR)oldAct.handler;
		oact->sa_flags = oldAct.flags;
		oact->sa_mask = oldAct.mask;
	}
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	const struct mv_sig_ops *ops;
	int ret;

	OsModuleEnter();
	ops = OsSigSelf("sigprocmask");
	if (ops == NULL) {
		OsModuleLeave();
		return OsSetErrno(ENOSYS);
	}
	ret = ops->sigprocmask(g_runTask->taskID, how, set, oset);
	/* Unblocking may have made a pending signal deliverable: look on the way out. */
	if (ret == 0 && set)
		g_runTask->sigPending = 1;
	OsSigPut();
	OsModuleLeave();
	return ret < 0 ? OsSetErrno(ret) : 0;
}

int sigpending(sigset_t *set)
{
	const struct mv_sig_ops *ops;
	mv_sigset_t pending = 0;
	mv_sigset_t blocked = 0;
	int ret;

	if (set == NULL)
		return OsSetErrno(EFAULT);
	OsModuleEnter();
	ops = OsSigSelf("sigpending");
	ret = ops ? ops->pending(g_runTask->taskID, &pending) : -ENOSYS;
	if (ret == 0)
		ret = ops->sigprocmask(g_runTask->taskID, MV_SIG_BLOCK, NULL, &blocked);
	if (ops)
		OsSigPut();
	OsModuleLeave();
	if (ret < 0)
		return OsSetErrno(ret);
	/* POSIX: the pending signals that are blocked (the others are being delivered). */
	*set = pending & blocked;
	return 0;
}

/* What happens at once when a signal is generated; handlers wait for the task's next exit. */
static VOID OsSigGenerated(LosTaskCB *task, int sig)
{
	UINT32 intSave = LOS_IntLock();

	task->sigPending = 1;
	LOS_IntRestore(intSave);
	if (sig == SIGKILL && task != g_runTask) {
		dprintf("liteos: task %u (%s) killed by signal %d\n", task->taskID, task->taskName,
			sig);
		(void)LOS_TaskDelete(task->taskID);
	} else if (sig == SIGCONT && (task->taskStatus & OS_TASK_STATUS_SUSPEND)) {
		(void)LOS_TaskResume(task->taskID);
	}
}

static int OsSigSend(int taskID, int sig, int code, int64_t value)
{
	struct mv_siginfo info = {.signo = sig, .code = code, .value = value};
	const struct mv_sig_ops *ops;
	LosTaskCB *task;
	int ret;

	if (sig < 0 || sig >= _NSIG)
		return OsSetErrno(EINVAL);
	if (taskID < 0 || OS_TASK_ID_CHECK_INVALID((UINT32)taskID))
		return OsSetErrno(ESRCH);
	task = OS_TCB_FROM_TID((UINT32)taskID);
	if (task->taskStatus & (OS_TASK_STATUS_UNUSED | OS_TASK_STATUS_EXIT))
		return OsSetErrno(ESRCH);
	if (task->taskFlags & OS_TASK_FLAG_SYSTEM)
		return OsSetErrno(EPERM);
	OsModuleEnter();
	ops = OsSigGet("kill");
	ret = ops ? OsSigTaskEnsure(ops, task) : -ENOSYS;
	info.pid = (int32_t)LOS_CurTaskIDGet();
	if (ret == 0)
		ret = ops->kill(task->taskID, sig, &info);
	/* Before the default action of a signal to oneself, which may end this task. */
	if (ops)
		OsSigPut();
	if (ret == 0 && sig != 0)
		OsSigGenerated(task, sig);
	OsModuleLeave(); /* a signal to oneself is handled before kill returns */
	return ret < 0 ? OsSetErrno(ret) : 0;
}

int kill(int taskID, int sig)
{
	return OsSigSend(taskID, sig, SI_USER, 0);
}

int sigqueue(int taskID, int sig, const union sigval value)
{
	return OsSigSend(taskID, sig, SI_QUEUE, (int64_t)(intptr_t)value.sival_ptr);
}

int raise(int sig)
{
	return kill((int)LOS_CurTaskIDGet(), sig);
}
