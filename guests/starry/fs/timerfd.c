/* timerfd: a timer read as a file. The scheduler's tick counts expirations (timerfd_tick);
 * read returns and clears the count, blocking while it is 0; poll says it is readable. */
#include "fs.h"
#include "../proc/itimer.h"
#include "../proc/task.h"
#include <string.h>

struct timerfd {
	struct itimer it; /* a real-time timer: absolute deadline, reload */
	uint64_t expirations;
	struct waitq rq;
	struct timerfd *next; /* every timerfd, for the tick */
	bool realtime;	      /* absolute times are on CLOCK_REALTIME */
};

static struct timerfd *all_timerfds;

void timerfd_tick(uint64_t now)
{
	for (struct timerfd *t = all_timerfds; t; t = t->next) {
		uint64_t n;

		if (!t->it.value || now < t->it.value)
			continue;
		/* Every period that ended counts, the late tick's missed ones too. */
		n = t->it.interval ? (now - t->it.value) / t->it.interval + 1 : 1;
		(void)itimer_real_expire(&t->it, now);
		t->expirations += n;
		waitq_wake_all(&t->rq);
	}
}

static int64_t tfd_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	struct timerfd *t = f->priv;

	(void)pos;
	if (len < sizeof(t->expirations))
		return -EINVAL;
	while (!t->expirations) {
		int ret;

		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		ret = waitq_wait(&t->rq);
		if (ret < 0)
			return ret;
	}
	memcpy(buf, &t->expirations, sizeof(t->expirations));
	t->expirations = 0;
	return sizeof(t->expirations);
}

static unsigned tfd_poll(struct file *f)
{
	return ((const struct timerfd *)f->priv)->expirations ? POLLIN : 0;
}

static void tfd_release(struct file *f)
{
	struct timerfd *t = f->priv;

	for (struct timerfd **pp = &all_timerfds; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	kfree(t);
}

static const struct file_ops timerfd_ops = {
    .read = tfd_read,
    .fstat = anon_inode_fstat,
    .poll = tfd_poll,
    .release = tfd_release,
};

int timerfd_create_file(unsigned flags, bool realtime, struct file **out)
{
	struct timerfd *t = kmalloc(sizeof(*t));

	if (!t)
		return -ENOMEM;
	memset(t, 0, sizeof(*t));
	t->realtime = realtime;
	*out = file_alloc(&timerfd_ops, t, O_RDONLY | (flags & O_NONBLOCK));
	if (!*out) {
		kfree(t);
		return -ENOMEM;
	}
	(*out)->anon_name = "timerfd";
	t->next = all_timerfds;
	all_timerfds = t;
	return 0;
}

int timerfd_set(struct file *f, uint64_t value_ns, uint64_t interval_ns, bool absolute,
		uint64_t *old_left, uint64_t *old_interval)
{
	struct timerfd *t = f->priv;
	uint64_t now = ktime_ns();

	if (f->ops != &timerfd_ops)
		return -EINVAL;
	*old_left = itimer_left(&t->it, true, now);
	*old_interval = t->it.interval;
	t->expirations = 0; /* Linux: a new setting drops what was not read */
	if (absolute && value_ns) {
		/* Taken at the current offset: a later clock_settime does not move it. */
		if (t->realtime)
			value_ns = wallclock_to_mono(value_ns);
		itimer_set(&t->it, true, 1, interval_ns, 0);
		t->it.value = value_ns ? value_ns : 1;
	} else {
		itimer_set(&t->it, true, value_ns, interval_ns, now);
	}
	return 0;
}

int timerfd_get(struct file *f, uint64_t *left, uint64_t *interval)
{
	const struct timerfd *t = f->priv;

	if (f->ops != &timerfd_ops)
		return -EINVAL;
	*left = itimer_left(&t->it, true, ktime_ns());
	*interval = t->it.interval;
	return 0;
}
