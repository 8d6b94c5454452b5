/* The in-guest test framework: cases return 0 or the failing line, helpers for tasks. */
#ifndef _LOS_TEST_H
#define _LOS_TEST_H

#include "los_printf.h"
#include <mv_compiler.h>
#include "los_task.h"

typedef UINT32 (*LosTestFn)(VOID);

typedef struct {
	const CHAR *name;
	LosTestFn fn;
} LosTestCase;

typedef struct {
	const LosTestCase *cases;
	UINT32 count;
} LosTestSuite;

/* Each check reports where it failed and ends the case; the case must clean up first if it
 * created tasks that would otherwise outlive it, so checks come after the cleanup. */
#define TEST_ASSERT(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			dprintf("los-test: %s:%d: %s\n", __FILE__, __LINE__, #cond);               \
			return __LINE__;                                                           \
		}                                                                                  \
	} while (0)

#define TEST_EQ(a, b)                                                                              \
	do {                                                                                       \
		unsigned long long _a = (unsigned long long)(a);                                   \
		unsigned long long _b = (unsigned long long)(b);                                   \
		if (_a != _b) {                                                                    \
			dprintf("los-test: %s:%d: %s == %#llx, expected %s == %#llx\n", __FILE__,  \
				__LINE__, #a, _a, #b, _b);                                         \
			return __LINE__;                                                           \
		}                                                                                  \
	} while (0)

/*
 * Sleeps a tick at a time until cond holds, for at most TEST_WAIT_TICKS. Helpers below the
 * runner's priority get the CPU only while it sleeps, and on a loaded host ticks can come in
 * bursts (the virtual timer follows real time), so "one tick is enough" is never assumed.
 */
#define TEST_WAIT_TICKS 100U
#define TEST_WAIT(cond)                                                                            \
	do {                                                                                       \
		for (UINT32 _n = 0; _n < TEST_WAIT_TICKS && !(cond); _n++)                         \
			(void)LOS_TaskDelay(1);                                                    \
	} while (0)

/*
 * Timing checks start right after a tick and allow one tick more than asked for: a host that
 * stops the vCPU for a while can still let one extra tick in before the call or after it.
 */
#define TEST_TICKS(elapsed, want) TEST_ASSERT((elapsed) >= (want) && (elapsed) <= (want) + 1)
UINT64 TestTickSync(VOID);

/* The runner's own priority: cases make helpers above and below it. */
#define TEST_PRIO 10U

/* Runs fn once inside the tick interrupt (within two ticks) and returns what it returned. */
UINT32 TestInInterrupt(UINT32 (*fn)(VOID));

/* Creates and starts a helper task with one argument; LOS_OK or the error. */
UINT32 TestTaskCreate(UINT32 *taskID, const CHAR *name, TSK_ENTRY_FUNC entry, UINT16 prio,
		      UINTPTR arg);
/* Deletes a helper if it still exists (a helper that returned is gone already). */
VOID TestTaskDelete(UINT32 taskID);

extern const LosTestSuite g_testSuiteTask;
extern const LosTestSuite g_testSuiteSem;
extern const LosTestSuite g_testSuiteMux;
extern const LosTestSuite g_testSuiteQueue;
extern const LosTestSuite g_testSuiteEvent;
extern const LosTestSuite g_testSuiteSwtmr;
extern const LosTestSuite g_testSuiteMem;
extern const LosTestSuite g_testSuiteBad;
extern const LosTestSuite g_testSuiteCompat;
extern const LosTestSuite g_testSuiteApi;

#endif /* _LOS_TEST_H */
