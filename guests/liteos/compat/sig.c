/* LiteOS-A-style signals for tasks: per-task state in the signal module, handlers run here. */
#include "guest.h"
#include "los_compat_pri.h"
#include "los_module.h"
#include "los_printf.h"
#include "los_signal.h"

/* The module is asked only once something uses signals; until then nothing is pending. */
static const struct mv_sig_ops *OsSigOps(const char *what)
{
	const VOID *ops = NULL;

	if (LOS_ModuleOps("signal", what, &ops) != 0)
		return NULL;
	return ops;
}

static const struct mv_sig_ops *OsSigOpsLoaded(VOID)
{
	const struct gmod *mod = ondemand_module(1);

	return mod && mod->desc ? mod->ops : NULL;
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
	const struct mv_sig_ops *ops = OsSigOpsLoaded();

	if (ops && (task->taskFlags & OS_TASK_FLAG_SIGNAL)) {
		task->taskFlags &= ~OS_TASK_FLAG_SIGNAL;
		(void)ops->task_exit(task->taskID);
	}
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
	const struct mv_sig_ops *ops = OsSigOpsLoaded();
	LosTaskCB *run = g_runTask;
	struct mv_sigdelivery d;
	UINT32 intSave;

	run->sigPending = 0;
	if (ops == NULL)
		return;
	/* Handlers are task code: they run with interrupts on, even on an interrupt's way out. */
	intSave = LOS_IntUnLock();
	for (;;) {
		int got;

		run->sigDefer++;
		got = ops->dequeue(run->taskID, &d);
		run->sigDefer--;
		if (got != 1)
			break;
		if (d.disposition == MV_SIG_RUN_HANDLER) {
			OsSigRunHandler(&d);
			run->sigDefer++;
			(void)ops->sigprocmask(run->taskID, MV_SIG_SETMASK, &d.mask_before, NULL);
			run->sigDefer--;
		} else if (d.disposition == MV_SIG_TERMINATE) {
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

/* The calling task's module state, loading the module on the first call. */
static const struct mv_sig_ops *OsSigSelf(const char *what)
{
	const struct mv_sig_ops *ops;

	if (!g_taskScheduled || OS_INT_ACTIVE)
		return NULL;
	ops = OsSigOps(what);
	if (ops && OsSigTaskEnsure(ops, g_runTask) != 0)
		return NULL;
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
	ops = OsSigOps("kill");
	ret = ops ? OsSigTaskEnsure(ops, task) : -ENOSYS;
	info.pid = (int32_t)LOS_CurTaskIDGet();
	if (ret == 0)
		ret = ops->kill(task->taskID, sig, &info);
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
