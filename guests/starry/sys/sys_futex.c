/* futex(2): waiting on and waking user-space words, with the bitset, requeue and wake-op
 * variants glibc's locks, condition variables, semaphores and pthread_once use. */
#include "syscalls.h"
#include "../mm/uaccess.h"
#include "../proc/futex.h"
#include "../proc/futexq.h"
#include "../proc/task.h"

#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_MATCH_ANY 0xffffffffu
#define NSEC_PER_SEC 1000000000LL

/* Every waiter of the system: the kernel runs on one CPU and is not preemptible, so a check of
 * the word and the queueing that follows cannot be split by a waker. */
static struct futexq waiters;

static void wake_task(void *owner)
{
	task_wake(owner);
}

static int key_of(uint64_t uaddr, struct futex_key *k)
{
	if (uaddr & 3)
		return -EINVAL;
	k->mm = current->mm;
	k->uaddr = uaddr;
	return 0;
}

static int read_word(uint64_t uaddr, uint32_t *val)
{
	return copy_from_user(val, uaddr, sizeof(*val)) ? -EFAULT : 0;
}

/* The deadline a timeout argument names: relative for FUTEX_WAIT, absolute (on the monotonic
 * clock, or with FUTEX_CLOCK_REALTIME the real-time one) for FUTEX_WAIT_BITSET. 0 when there is
 * none. */
static int read_deadline(uint64_t uts, bool absolute, bool realtime, uint64_t *deadline)
{
	int64_t ts[2];
	uint64_t ns;

	*deadline = 0;
	if (!uts)
		return 0;
	if (copy_from_user(ts, uts, sizeof(ts)))
		return -EFAULT;
	if (ts[0] < 0 || ts[1] < 0 || ts[1] >= NSEC_PER_SEC)
		return -EINVAL;
	ns = timespec_to_ns(ts[0], ts[1]);
	if (absolute && realtime)
		ns = wallclock_to_mono(ns);
	*deadline = absolute ? (ns ? ns : 1) : deadline_after(ns);
	return 0;
}

static long futex_wait(uint64_t uaddr, uint32_t val, uint64_t deadline, uint32_t bitset)
{
	struct futex_waiter w = {.bitset = bitset, .owner = current};
	struct waitq wq = WAITQ_INIT;
	uint32_t cur;
	int ret = key_of(uaddr, &w.key);

	if (!ret)
		ret = read_word(uaddr, &cur);
	if (ret)
		return ret;
	if (cur != val)
		return -EAGAIN;
	if (deadline && ktime_ns() >= deadline)
		return -ETIMEDOUT;
	futexq_add(&waiters, &w);
	for (;;) {
		ret = deadline ? waitq_wait_until(&wq, deadline) : waitq_wait(&wq);
		if (w.woken)
			return 0; /* a wake that came with a signal or at the deadline still counts
				   */
		if (ret)
			break;
	}
	futexq_remove(&waiters, &w);
	if (ret == -EAGAIN)
		return -ETIMEDOUT;
	/* Linux restarts an untimed wait after a handler with SA_RESTART; a timed one gives
	 * EINTR (its restart block would not survive a handler either). */
	return deadline ? -EINTR : -ERESTARTSYS;
}

int futex_wake(uint64_t uaddr, int n)
{
	struct futex_key k;

	if (key_of(uaddr, &k))
		return 0;
	return futexq_wake(&waiters, &k, FUTEX_BITSET_MATCH_ANY, n, wake_task);
}

static long futex_wake_op(uint64_t uaddr, uint64_t uaddr2, int nwake, int nwake2, uint32_t op)
{
	struct futex_key k1, k2;
	uint32_t old, new;
	int ret = key_of(uaddr, &k1), cmp, woken;

	if (!ret)
		ret = key_of(uaddr2, &k2);
	if (!ret)
		ret = read_word(uaddr2, &old);
	if (ret)
		return ret;
	cmp = futex_op_eval(op, old, &new);
	if (cmp < 0)
		return -ENOSYS;
	if (copy_to_user(uaddr2, &new, sizeof(new)))
		return -EFAULT;
	woken = futexq_wake(&waiters, &k1, FUTEX_BITSET_MATCH_ANY, nwake, wake_task);
	if (cmp)
		woken += futexq_wake(&waiters, &k2, FUTEX_BITSET_MATCH_ANY, nwake2, wake_task);
	return woken;
}

static long futex_requeue(uint64_t uaddr, uint64_t uaddr2, int nwake, int nrequeue, bool cmp,
			  uint32_t val3)
{
	struct futex_key k1, k2;
	uint32_t cur;
	int ret = key_of(uaddr, &k1);

	if (!ret)
		ret = key_of(uaddr2, &k2);
	if (ret)
		return ret;
	if (nwake < 0 || nrequeue < 0)
		return -EINVAL;
	if (cmp) {
		ret = read_word(uaddr, &cur);
		if (ret)
			return ret;
		if (cur != val3)
			return -EAGAIN;
	}
	return futexq_requeue(&waiters, &k1, &k2, nwake, nrequeue, wake_task);
}

/* The robust list (include/uapi/linux/futex.h): a circular list of entries, each pointing at
 * the next, the futex word futex_offset bytes from each entry; list_op_pending is the one
 * being taken or released. Bit 0 of a pointer marks a PI futex. */
struct robust_list_head {
	uint64_t list;
	int64_t futex_offset;
	uint64_t list_op_pending;
};

#define FUTEX_WAITERS 0x80000000u
#define FUTEX_OWNER_DIED 0x40000000u
#define FUTEX_TID_MASK 0x3fffffffu
#define ROBUST_LIST_LIMIT 2048 /* Linux's bound: a looping list ends the walk */

static void robust_death(struct task *t, uint64_t entry, int64_t offset)
{
	uint64_t uaddr = (entry & ~1ULL) + (uint64_t)offset;
	uint32_t word, died;

	if (read_word(uaddr, &word) || (word & FUTEX_TID_MASK) != (uint32_t)t->pid)
		return;
	died = (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
	if (copy_to_user(uaddr, &died, sizeof(died)) == 0 && (word & FUTEX_WAITERS))
		futex_wake(uaddr, 1);
}

void futex_exit_robust_list(struct task *t)
{
	struct robust_list_head head;
	uint64_t entry;

	if (!t->robust_list || copy_from_user(&head, t->robust_list, sizeof(head)))
		return;
	entry = head.list;
	for (int n = 0; n < ROBUST_LIST_LIMIT && entry && entry != t->robust_list; n++) {
		uint64_t next;

		if (copy_from_user(&next, entry & ~1ULL, sizeof(next)))
			break;
		if (entry != head.list_op_pending)
			robust_death(t, entry, head.futex_offset);
		entry = next;
	}
	if (head.list_op_pending)
		robust_death(t, head.list_op_pending, head.futex_offset);
}

SYSCALL(set_robust_list)
{
	if (a->arg[1] != sizeof(struct robust_list_head))
		return -EINVAL;
	current->robust_list = a->arg[0];
	return 0;
}

SYSCALL(get_robust_list)
{
	pid_t pid = (pid_t)a->arg[0];
	struct task *t = pid ? task_find(pid) : current;
	uint64_t len = sizeof(struct robust_list_head);

	if (!t || t->state == TASK_ZOMBIE)
		return -ESRCH;
	if (copy_to_user(a->arg[1], &t->robust_list, sizeof(t->robust_list)) ||
	    copy_to_user(a->arg[2], &len, sizeof(len)))
		return -EFAULT;
	return 0;
}

SYSCALL(futex)
{
	uint64_t uaddr = a->arg[0], uts = a->arg[3], uaddr2 = a->arg[4], deadline;
	uint32_t val = (uint32_t)a->arg[2], val3 = (uint32_t)a->arg[5];
	int op = (int)a->arg[1], cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME), ret;

	/* Linux 4.5 and later take the real-time flag on FUTEX_WAIT too (its timeout is relative,
	 * so the flag changes nothing there). */
	if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT)
		return -ENOSYS;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (cmd == FUTEX_WAIT)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if (!val3)
			return -EINVAL;
		ret = read_deadline(uts, cmd == FUTEX_WAIT_BITSET, op & FUTEX_CLOCK_REALTIME,
				    &deadline);
		return ret ? ret : futex_wait(uaddr, val, deadline, val3);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET: {
		struct futex_key k;

		if (cmd == FUTEX_WAKE)
			val3 = FUTEX_BITSET_MATCH_ANY;
		if (!val3)
			return -EINVAL;
		ret = key_of(uaddr, &k);
		return ret ? ret : futexq_wake(&waiters, &k, val3, (int)val, wake_task);
	}
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		/* The fourth argument is a count here, not a timeout. */
		return futex_requeue(uaddr, uaddr2, (int)val, (int)uts, cmd == FUTEX_CMP_REQUEUE,
				     val3);
	case FUTEX_WAKE_OP:
		return futex_wake_op(uaddr, uaddr2, (int)val, (int)uts, val3);
	default:
		/* The priority-inheritance operations: glibc uses them only for mutexes created
		 * with PTHREAD_PRIO_INHERIT, and reports ENOSYS from pthread_mutex_init. */
		return -ENOSYS;
	}
}
