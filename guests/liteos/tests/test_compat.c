/* In-guest tests of the POSIX-style layer: files through fatfs, per-task signals. */
#include "guest.h"
#include "los_signal.h"
#include "los_sys.h"
#include "los_test.h"
#include "los_vfs.h"
#include <string.h>

static volatile UINT32 g_handled[_NSIG];
static volatile UINT32 g_handledBy;
static volatile UINT32 g_phase;

static BOOL TestHaveDisk(VOID)
{
	const struct boot_info *info = LOS_BootInfo();

	return info->has_disk && info->module_window_size;
}

/* Write, seek, read back, stat, list, rename and remove, with errno on the failures. */
static UINT32 TestVfsFiles(VOID)
{
	static const CHAR text[] = "0123456789abcdef";
	CHAR back[32] = {0};
	struct stat st;
	const struct dirent *ent;
	DIR *dir;
	BOOL seen = FALSE;
	int fd;

	if (!TestHaveDisk())
		return 0;
	(void)mkdir("/lostest", 0755);
	fd = open("/lostest/a.txt", O_RDWR | O_CREAT | O_TRUNC);
	TEST_ASSERT(fd >= 3);
	TEST_EQ(write(fd, text, 16), 16);
	TEST_EQ(lseek(fd, 10, SEEK_SET), 10);
	TEST_EQ(read(fd, back, sizeof(back)), 6);
	TEST_ASSERT(memcmp(back, "abcdef", 6) == 0);
	TEST_EQ(fstat(fd, &st), 0);
	TEST_EQ(st.st_size, 16);
	TEST_EQ(close(fd), 0);
	TEST_EQ(close(fd), -1);
	TEST_EQ(errno, EBADF);
	TEST_EQ(stat("/lostest/a.txt", &st), 0);
	TEST_ASSERT(S_ISREG(st.st_mode) && st.st_size == 16);
	TEST_EQ(rename("/lostest/a.txt", "/lostest/b.txt"), 0);
	dir = opendir("/lostest");
	TEST_ASSERT(dir != NULL);
	while ((ent = readdir(dir)) != NULL)
		seen = seen || strcmp(ent->d_name, "b.txt") == 0;
	TEST_EQ(closedir(dir), 0);
	TEST_ASSERT(seen);
	TEST_EQ(open("/lostest/a.txt", O_RDONLY), -1);
	TEST_EQ(errno, ENOENT);
	TEST_EQ(rmdir("/lostest"), -1);
	TEST_EQ(errno, ENOTEMPTY);
	TEST_EQ(unlink("/lostest/b.txt"), 0);
	TEST_EQ(rmdir("/lostest"), 0);
	TEST_EQ(stat("/lostest", &st), -1);
	TEST_EQ(errno, ENOENT);
	TEST_EQ(read(99, back, 1), -1);
	TEST_EQ(errno, EBADF);
	sync();
	return 0;
}

static void TestOnSignal(int signo)
{
	g_handled[signo]++;
	g_handledBy = LOS_CurTaskIDGet();
}

static VOID *TestSigTarget(VOID *arg)
{
	struct sigaction act = {.sa_handler = TestOnSignal};

	(void)arg;
	(void)sigaction(SIGUSR1, &act, NULL);
	(void)sigaction(SIGUSR2, &act, NULL);
	g_phase = 1;
	for (;;)
		(void)LOS_TaskDelay(2);
	return NULL;
}

/* Handlers run in the target task, when it next comes back from the kernel; masks block. */
static UINT32 TestSignalsPerTask(VOID)
{
	UINT32 id;
	sigset_t usr2, pending;
	struct sigaction old;

	if (!TestHaveDisk())
		return 0;
	g_phase = 0;
	g_handled[SIGUSR1] = g_handled[SIGUSR2] = 0;
	TEST_EQ(TestTaskCreate(&id, "sigtarget", TestSigTarget, TEST_PRIO + 1, 0), LOS_OK);
	TEST_WAIT(g_phase == 1);
	TEST_EQ(g_phase, 1);
	TEST_EQ(kill((int)id, SIGUSR1), 0);
	TEST_EQ(g_handled[SIGUSR1], 0); /* it is asleep: nothing runs yet */
	TEST_WAIT(g_handled[SIGUSR1] == 1);
	TEST_EQ(g_handled[SIGUSR1], 1);
	TEST_EQ(g_handledBy, id);
	/* The runner's own mask does not affect the target; its own handler table is empty. */
	(void)sigemptyset(&usr2);
	(void)sigaddset(&usr2, SIGUSR2);
	TEST_EQ(sigprocmask(SIG_BLOCK, &usr2, NULL), 0);
	TEST_EQ(sigaction(SIGUSR2, NULL, &old), 0);
	TEST_EQ(old.sa_handler, SIG_DFL);
	TEST_EQ(raise(SIGUSR2), 0);
	TEST_EQ(sigpending(&pending), 0);
	TEST_EQ(sigismember(&pending, SIGUSR2), 1);
	TEST_EQ(sigaction(SIGUSR2, &(struct sigaction){.sa_handler = SIG_IGN}, NULL), 0);
	TEST_EQ(sigprocmask(SIG_UNBLOCK, &usr2, NULL), 0); /* ignored: dropped, nothing runs */
	TEST_EQ(kill((int)id, SIGUSR2), 0);
	TEST_WAIT(g_handled[SIGUSR2] == 1);
	TEST_EQ(g_handled[SIGUSR2], 1);
	TEST_EQ(kill((int)id, 0), 0);
	TEST_EQ(kill(200, SIGUSR1), -1);
	TEST_EQ(errno, ESRCH);
	TEST_EQ(kill((int)id, 65), -1);
	TEST_EQ(errno, EINVAL);
	TEST_EQ(sigaction(SIGKILL, &(struct sigaction){.sa_handler = TestOnSignal}, NULL), -1);
	TEST_EQ(errno, EINVAL);
	/* SIGKILL ends the task at once. */
	TEST_EQ(kill((int)id, SIGKILL), 0);
	TEST_EQ(kill((int)id, 0), -1);
	TEST_EQ(errno, ESRCH);
	return 0;
}

static const LosTestCase g_cases[] = {
    {"vfs_files", TestVfsFiles},
    {"signals_per_task", TestSignalsPerTask},
};

const LosTestSuite g_testSuiteCompat = {g_cases, ARRAY_SIZE(g_cases)};
