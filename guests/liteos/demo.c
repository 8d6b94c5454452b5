/* The boot demo: producer/consumer over a queue, a periodic timer, files and signals, results. */
#include "guest.h"
#include "los_app.h"
#include "los_event.h"
#include "los_printf.h"
#include "los_queue.h"
#include "los_signal.h"
#include "los_swtmr.h"
#include "los_task.h"
#include "los_tick.h"
#include "los_vfs.h"
#include <string.h>

#define DEMO_QUEUE_DONE 0x1U
#define DEMO_TIMER_DONE 0x2U
#define DEMO_FILES_DONE 0x4U
#define DEMO_SIG_READY 0x8U
#define DEMO_SIG_DONE 0x10U
#define DEMO_ALL (DEMO_QUEUE_DONE | DEMO_TIMER_DONE | DEMO_FILES_DONE | DEMO_SIG_DONE)

#define DEMO_MESSAGES 8U
#define DEMO_QUEUE_LEN 4U /* shorter than the run, so that the producer blocks when it is full */
#define DEMO_TIMER_TICKS 10U
#define DEMO_TIMER_FIRES 5U
#define DEMO_WAIT_TICKS 2000U
#define DEMO_LISTEN_TICKS 10U /* how soon a signal from the shell is handled */
#define DEMO_FILE "/liteos-los.txt"
#define DEMO_TEXT "written by a LiteOS task through the shared fatfs module\n"

typedef struct {
	UINT32 seq;
	CHAR text[12];
} DemoMsg;

static EVENT_CB_S g_demoEvent;
static UINT32 g_demoQueue;
static UINT16 g_demoTimer;
static UINT32 g_msgCount;
static UINT32 g_msgSum;
static BOOL g_msgInOrder = TRUE;
static UINT32 g_producerBlocked;
static volatile UINT32 g_timerFires;
static volatile UINT32 g_sigHandled[_NSIG];
static INT32 g_fileBytes = -1;
static BOOL g_fileMatch;

static VOID *DemoProducer(VOID *arg)
{
	for (UINT32 seq = 1; seq <= DEMO_MESSAGES; seq++) {
		DemoMsg msg = {.seq = seq};
		QUEUE_INFO_S info;

		fmt_snprintf(msg.text, sizeof(msg.text), "item %u", seq);
		if (LOS_QueueInfoGet((UINT32)(UINTPTR)arg, &info) == LOS_OK &&
		    info.usWritableCnt == 0)
			g_producerBlocked++;
		if (LOS_QueueWriteCopy((UINT32)(UINTPTR)arg, &msg, sizeof(msg), LOS_WAIT_FOREVER) !=
		    LOS_OK)
			break;
	}
	return NULL;
}

static VOID *DemoConsumer(VOID *arg)
{
	/* Let the producer fill the queue first, so that it has to wait for room. */
	(void)LOS_TaskDelay(2);
	for (UINT32 n = 0; n < DEMO_MESSAGES; n++) {
		DemoMsg msg;
		UINT32 size = sizeof(msg);

		if (LOS_QueueReadCopy((UINT32)(UINTPTR)arg, &msg, &size, 200) != LOS_OK)
			break;
		g_msgCount++;
		g_msgSum += msg.seq;
		g_msgInOrder = g_msgInOrder && msg.seq == n + 1 && size == sizeof(msg);
	}
	(void)LOS_EventWrite(&g_demoEvent, DEMO_QUEUE_DONE);
	return NULL;
}

static VOID DemoTimer(UINTPTR arg)
{
	(void)arg;
	if (++g_timerFires == DEMO_TIMER_FIRES) {
		(void)LOS_SwtmrStop(g_demoTimer);
		(void)LOS_EventWrite(&g_demoEvent, DEMO_TIMER_DONE);
	}
}

static void DemoSignal(int signo, siginfo_t *info, void *context)
{
	(void)context;
	g_sigHandled[signo]++;
	dprintf("liteos: task %u (%s) handled signal %d (value %d, from task %d)\n",
		LOS_CurTaskIDGet(), LOS_TaskNameGet(LOS_CurTaskIDGet()), signo,
		info->si_value.sival_int, info->si_pid);
}

static INT32 DemoWrite(const CHAR *path, const CHAR *text)
{
	INT32 fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	(void)close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static VOID DemoFiles(VOID)
{
	CHAR back[96];
	INT32 fd;
	ssize_t n;

	if (DemoWrite(DEMO_FILE, DEMO_TEXT) != 0) {
		dprintf("liteos: demo: writing %s failed: %s\n", DEMO_FILE, strerror(errno));
		return;
	}
	fd = open(DEMO_FILE, O_RDONLY);
	n = fd >= 0 ? read(fd, back, sizeof(back) - 1) : -1;
	if (fd >= 0)
		(void)close(fd);
	if (n >= 0) {
		back[n] = '\0';
		g_fileBytes = (INT32)n;
		g_fileMatch = strcmp(back, DEMO_TEXT) == 0;
	}
	if (mkdir("/los-dir", 0755) != 0 && errno != EEXIST)
		dprintf("liteos: demo: mkdir /los-dir: %s\n", strerror(errno));
	(void)DemoWrite("/los-dir/note.txt", "a file in a directory, from LiteOS\n");
	sync();
}

static VOID DemoSignals(VOID)
{
	struct sigaction act = {.sa_sigaction = DemoSignal, .sa_flags = SA_SIGINFO};
	sigset_t usr2;

	if (sigaction(SIGUSR1, &act, NULL) != 0) {
		dprintf("liteos: demo: sigaction failed: %s\n", strerror(errno));
		return;
	}
	(void)sigaction(SIGUSR2, &act, NULL);
	(void)sigaction(SIGRTMIN, &act, NULL);
	/* The main demo task signals us while we sleep: the handlers run when we wake. */
	(void)LOS_EventWrite(&g_demoEvent, DEMO_SIG_READY);
	(void)LOS_TaskDelay(5);
	(void)sigemptyset(&usr2);
	(void)sigaddset(&usr2, SIGUSR2);
	(void)sigprocmask(SIG_BLOCK, &usr2, NULL);
	(void)kill((int)LOS_CurTaskIDGet(), SIGUSR2);
	dprintf("liteos: demo: SIGUSR2 blocked: %u handled while blocked\n", g_sigHandled[SIGUSR2]);
	/* Unblocking makes it deliverable: it runs as sigprocmask returns. */
	(void)sigprocmask(SIG_UNBLOCK, &usr2, NULL);
}

static VOID *DemoFsSig(VOID *arg)
{
	(void)arg;
	DemoFiles();
	(void)LOS_EventWrite(&g_demoEvent, DEMO_FILES_DONE);
	DemoSignals();
	(void)LOS_EventWrite(&g_demoEvent, DEMO_SIG_DONE);
	/* Stays, so that the shell's kill has a task with handlers to signal. */
	for (;;)
		(void)LOS_TaskDelay(DEMO_LISTEN_TICKS);
	return NULL;
}

static UINT32 DemoTask(const CHAR *name, TSK_ENTRY_FUNC entry, UINT16 prio, UINTPTR arg,
		       UINT32 *taskID)
{
	TSK_INIT_PARAM_S param = {
	    .pfnTaskEntry = entry,
	    .usTaskPrio = prio,
	    .pArgs = (VOID *)arg,
	    .uwStackSize = 0x4000,
	    .pcName = (CHAR *)name,
	    .uwResved = LOS_TASK_STATUS_DETACHED,
	};

	return LOS_TaskCreate(taskID, &param);
}

static VOID DemoSendSignals(UINT32 fsTask)
{
	union sigval value;

	if (LOS_EventRead(&g_demoEvent, DEMO_SIG_READY, LOS_WAITMODE_OR | LOS_WAITMODE_CLR,
			  DEMO_WAIT_TICKS) != DEMO_SIG_READY)
		return;
	(void)kill((int)fsTask, SIGUSR1);
	value.sival_ptr = (void *)(intptr_t)5;
	(void)sigqueue((int)fsTask, SIGRTMIN, value);
	value.sival_ptr = (void *)(intptr_t)6;
	(void)sigqueue((int)fsTask, SIGRTMIN, value);
	dprintf("liteos: demo: sent SIGUSR1 and SIGRTMIN twice to task %u (FsSigDemo) while it "
		"sleeps\n",
		fsTask);
}

static VOID DemoReport(UINT64 start)
{
	dprintf("liteos: demo: queue: consumer got %u of %u messages %s, sum %u (producer waited "
		"for room %u times)\n",
		g_msgCount, DEMO_MESSAGES, g_msgInOrder ? "in order" : "OUT OF ORDER", g_msgSum,
		g_producerBlocked);
	dprintf("liteos: demo: software timer %u fired %u times, every %u ticks\n", g_demoTimer,
		g_timerFires, DEMO_TIMER_TICKS);
	if (g_fileBytes >= 0)
		dprintf("liteos: demo: files: wrote and read back %s: %d bytes, %s\n", DEMO_FILE,
			(int)g_fileBytes, g_fileMatch ? "contents match" : "CONTENTS DIFFER");
	dprintf("liteos: demo: signals: FsSigDemo handled SIGUSR1 %u, SIGUSR2 %u, SIGRTMIN %u\n",
		g_sigHandled[SIGUSR1], g_sigHandled[SIGUSR2], g_sigHandled[SIGRTMIN]);
	dprintf("liteos: demo: done in %u ticks\n", (UINT32)(LOS_TickCountGet() - start));
}

static VOID *DemoMain(VOID *arg)
{
	UINT64 start = LOS_TickCountGet();
	UINT32 producer;
	UINT32 consumer;
	UINT32 fsTask;
	UINT32 got;

	(void)arg;
	dprintf("liteos: demo: producer/consumer, periodic timer, files and signals\n");
	(void)LOS_EventInit(&g_demoEvent);
	if (LOS_QueueCreate("demo", DEMO_QUEUE_LEN, &g_demoQueue, 0, sizeof(DemoMsg)) != LOS_OK ||
	    LOS_SwtmrCreate(DEMO_TIMER_TICKS, LOS_SWTMR_MODE_PERIOD, DemoTimer, &g_demoTimer, 0) !=
		LOS_OK ||
	    DemoTask("Consumer", DemoConsumer, 6, g_demoQueue, &consumer) != LOS_OK ||
	    DemoTask("Producer", DemoProducer, 5, g_demoQueue, &producer) != LOS_OK ||
	    DemoTask("FsSigDemo", DemoFsSig, 8, 0, &fsTask) != LOS_OK) {
		dprintf("liteos: demo: could not set up its objects\n");
		return NULL;
	}
	(void)LOS_SwtmrStart(g_demoTimer);
	DemoSendSignals(fsTask);
	got = LOS_EventRead(&g_demoEvent, DEMO_ALL, LOS_WAITMODE_AND | LOS_WAITMODE_CLR,
			    DEMO_WAIT_TICKS);
	if (got != DEMO_ALL)
		dprintf("liteos: demo: gave up waiting (%#x)\n", got);
	(void)LOS_SwtmrDelete(g_demoTimer);
	(void)LOS_QueueDelete(g_demoQueue);
	DemoReport(start);
	if (LOS_ShellStart() != LOS_OK)
		dprintf("liteos: the shell could not start\n");
	return NULL;
}

UINT32 LOS_DemoStart(VOID)
{
	UINT32 taskID;

	return DemoTask("DemoMain", DemoMain, 4, 0, &taskID);
}
