/* epoll: an instance is a file holding the descriptors it watches; epoll_pwait looks at their
 * readiness (level-triggered, EPOLLET, EPOLLONESHOT) the way ppoll does, every 10 ms. */
#include "syscalls.h"
#include "poll.h"
#include "../fs/fs.h"
#include "../mm/uaccess.h"
#include "../proc/task.h"
#include <string.h>

#define EPOLL_CLOEXEC O_CLOEXEC
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3
#define EPOLLEXCLUSIVE (1U << 28)
#define EPOLLWAKEUP (1U << 29)
#define EPOLLONESHOT (1U << 30)
#define EPOLLET (1U << 31)
#define EPOLL_INPUT_FLAGS (EPOLLEXCLUSIVE | EPOLLWAKEUP | EPOLLONESHOT | EPOLLET)
#define EP_MAX_EVENTS (INT32_MAX / 16)
#define EP_MAX_NESTS 4 /* Linux's limit on epoll instances watching epoll instances */

/* struct epoll_event of arm64 (not packed there, unlike x86-64). */
struct epoll_event {
	uint32_t events;
	uint64_t data;
};
_Static_assert(sizeof(struct epoll_event) == 16, "arm64 struct epoll_event is 16 bytes");

/* One watched descriptor. The instance holds no reference on the file: as on Linux, closing
 * the descriptor takes it out of the set; an item whose descriptor no longer names its file
 * is dropped at the next look. */
struct epitem {
	int fd;
	struct file *file; /* compared, never used without a reference from fd_get */
	uint32_t events;   /* what the caller asked for, with its EPOLL* flags */
	uint64_t data;
	unsigned seen; /* EPOLLET: readiness at the last look, so that only new bits count */
	bool disarmed; /* EPOLLONESHOT: reported once, waiting for EPOLL_CTL_MOD */
	struct epitem *next;
};

struct eventpoll {
	struct epitem *items;
	struct eventpoll *next; /* every instance, for epoll_note_io */
};

static struct eventpoll *instances;
static const struct file_ops epoll_ops;

static bool is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

static struct epitem *find_item(struct eventpoll *ep, int fd, const struct file *f)
{
	for (struct epitem *it = ep->items; it; it = it->next)
		if (it->fd == fd && it->file == f)
			return it;
	return NULL;
}

static void drop_item(struct eventpoll *ep, struct epitem *victim)
{
	for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next) {
		if (*pp == victim) {
			*pp = victim->next;
			kfree(victim);
			return;
		}
	}
}

/* The events an item has now (those it asks for, and errors and hang-ups), looked up in the
 * current process's descriptor table; -1 when its descriptor was closed: then it is dropped. */
static int item_events(struct eventpoll *ep, struct epitem *it, int depth);

/* An epoll instance is readable when one of its items has an event: epoll within epoll. */
static unsigned ep_ready(struct eventpoll *ep, int depth)
{
	if (depth > EP_MAX_NESTS)
		return 0;
	for (struct epitem *it = ep->items, *next; it; it = next) {
		next = it->next;
		if (!it->disarmed && item_events(ep, it, depth) > 0)
			return POLLIN;
	}
	return 0;
}

static int item_events(struct eventpoll *ep, struct epitem *it, int depth)
{
	struct file *f = fd_get(current->files, it->fd);
	unsigned ev;

	if (f != it->file) {
		if (f)
			file_put(f);
		drop_item(ep, it);
		return -1;
	}
	ev = is_epoll(f) ? ep_ready(f->priv, depth + 1) : file_poll(f);
	file_put(f);
	return (int)(ev & (it->events | POLLERR | POLLHUP));
}

static unsigned epoll_poll(struct file *f)
{
	return ep_ready(f->priv, 1);
}

static void epoll_release(struct file *f)
{
	struct eventpoll *ep = f->priv;

	for (struct eventpoll **pp = &instances; *pp; pp = &(*pp)->next) {
		if (*pp == ep) {
			*pp = ep->next;
			break;
		}
	}
	while (ep->items) {
		struct epitem *it = ep->items;

		ep->items = it->next;
		kfree(it);
	}
	kfree(ep);
}

static const struct file_ops epoll_ops = {
    .fstat = anon_inode_fstat,
    .poll = epoll_poll,
    .release = epoll_release,
};

void epoll_note_io(struct file *f)
{
	for (struct eventpoll *ep = instances; ep; ep = ep->next)
		for (struct epitem *it = ep->items; it; it = it->next)
			if (it->file == f && (it->events & EPOLLET))
				it->seen = file_poll(f) & (it->events | POLLERR | POLLHUP);
}

SYSCALL(epoll_create1)
{
	struct eventpoll *ep;
	struct file *f;
	int fd;

	if (a->arg[0] & ~(uint64_t)EPOLL_CLOEXEC)
		return -EINVAL;
	ep = kmalloc(sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	memset(ep, 0, sizeof(*ep));
	f = file_alloc(&epoll_ops, ep, O_RDWR);
	if (!f) {
		kfree(ep);
		return -ENOMEM;
	}
	f->anon_name = "eventpoll";
	ep->next = instances;
	instances = ep;
	fd = fd_install(current->files, f, 0, a->arg[0] & EPOLL_CLOEXEC);
	file_put(f);
	return fd;
}

/* Whether watching `target` from `ep` would close a loop of epoll instances (or nest them
 * deeper than Linux allows). Items are followed through the caller's descriptors: an item's
 * file pointer may name a file already closed. */
static bool makes_loop(struct eventpoll *ep, struct eventpoll *target, int depth)
{
	if (target == ep || depth > EP_MAX_NESTS)
		return true;
	for (struct epitem *it = target->items; it; it = it->next) {
		struct file *f = fd_get(current->files, it->fd);
		bool loop = f == it->file && is_epoll(f) && makes_loop(ep, f->priv, depth + 1);

		if (f)
			file_put(f);
		if (loop)
			return true;
	}
	return false;
}

static long ctl(struct file *epf, int op, int fd, struct file *f, uint64_t uevent)
{
	struct eventpoll *ep = epf->priv;
	struct epitem *it = find_item(ep, fd, f);
	struct epoll_event ev = {0, 0};

	if (op != EPOLL_CTL_DEL && copy_from_user(&ev, uevent, sizeof(ev)))
		return -EFAULT;
	if (!f->ops->poll)
		return -EPERM; /* regular files and directories: nothing to wait for */
	switch (op) {
	case EPOLL_CTL_ADD:
		if (it)
			return -EEXIST;
		if (is_epoll(f) && makes_loop(ep, f->priv, 1))
			return -ELOOP;
		if ((ev.events & EPOLLEXCLUSIVE) && is_epoll(f))
			return -EINVAL;
		it = kmalloc(sizeof(*it));
		if (!it)
			return -ENOMEM;
		*it = (struct epitem){
		    .fd = fd, .file = f, .events = ev.events, .data = ev.data, .next = ep->items};
		ep->items = it;
		return 0;
	case EPOLL_CTL_MOD:
		if (!it)
			return -ENOENT;
		/* EPOLLEXCLUSIVE is for EPOLL_CTL_ADD only, and cannot be changed after. */
		if ((ev.events & EPOLLEXCLUSIVE) || (it->events & EPOLLEXCLUSIVE))
			return -EINVAL;
		it->events = ev.events;
		it->data = ev.data;
		it->seen = 0;
		it->disarmed = false;
		return 0;
	case EPOLL_CTL_DEL:
		if (!it)
			return -ENOENT;
		drop_item(ep, it);
		return 0;
	default:
		return -EINVAL;
	}
}

SYSCALL(epoll_ctl)
{
	int epfd = (int)a->arg[0], op = (int)a->arg[1], fd = (int)a->arg[2];
	struct file *epf = fd_get(current->files, epfd), *f = fd_get(current->files, fd);
	long ret;

	if (!epf || !f)
		ret = -EBADF;
	else if (!is_epoll(epf) || epf == f)
		ret = -EINVAL;
	else
		ret = ctl(epf, op, fd, f, a->arg[3]);
	if (epf)
		file_put(epf);
	if (f)
		file_put(f);
	return ret;
}

/* One look at the set: up to max events into out (a kernel buffer), the items most recently
 * added first. */
static int collect(struct eventpoll *ep, struct epoll_event *out, int max)
{
	int n = 0;

	for (struct epitem *it = ep->items, *next; it && n < max; it = next) {
		int ev;

		next = it->next;
		if (it->disarmed)
			continue;
		ev = item_events(ep, it, 1);
		if (ev < 0)
			continue; /* its descriptor was closed: dropped */
		if (it->events & EPOLLET) {
			unsigned fresh = (unsigned)ev & ~it->seen;

			it->seen = (unsigned)ev;
			if (!fresh)
				continue;
		} else if (!ev) {
			continue;
		}
		out[n].events = (uint32_t)ev;
		out[n].data = it->data;
		n++;
		if (it->events & EPOLLONESHOT)
			it->disarmed = true;
	}
	return n;
}

static long epoll_wait_common(int epfd, uint64_t uevents, int max, uint64_t deadline,
			      uint64_t umask, uint64_t masksize)
{
	struct file *epf = fd_get(current->files, epfd);
	struct epoll_event *out;
	mv_sigset_t old = 0;
	bool masked;
	long ret;

	if (!epf)
		return -EBADF;
	if (!is_epoll(epf) || max <= 0 || max > EP_MAX_EVENTS) {
		file_put(epf);
		return -EINVAL;
	}
	if (max > 256)
		max = 256; /* a bounded kernel buffer; the rest wait for the next call, as ready */
	out = kmalloc((size_t)max * sizeof(*out));
	if (!out) {
		file_put(epf);
		return -ENOMEM;
	}
	ret = poll_mask_begin(umask, masksize, &masked, &old);
	while (ret == 0) {
		ret = collect(epf->priv, out, max);
		if (ret)
			break;
		ret = poll_sleep(deadline);
		if (ret <= 0)
			break;
		ret = 0;
	}
	if (ret > 0 && copy_to_user(uevents, out, (size_t)ret * sizeof(*out)))
		ret = -EFAULT;
	kfree(out);
	file_put(epf);
	poll_mask_end(masked, old, ret);
	return ret;
}

/* epoll_pwait(epfd, events, maxevents, timeout ms, sigmask, sigsetsize): glibc's epoll_wait
 * too (arm64 has no epoll_wait of its own). */
SYSCALL(epoll_pwait)
{
	int timeout = (int)a->arg[3];
	uint64_t deadline = timeout < 0 ? UINT64_MAX : deadline_after((uint64_t)timeout * 1000000);

	return epoll_wait_common((int)a->arg[0], a->arg[1], (int)a->arg[2], deadline, a->arg[4],
				 a->arg[5]);
}

/* epoll_pwait2: the timeout as a timespec (NULL: none). */
SYSCALL(epoll_pwait2)
{
	struct {
		int64_t sec, nsec;
	} ts;
	uint64_t deadline = UINT64_MAX;

	if (a->arg[3]) {
		if (copy_from_user(&ts, a->arg[3], sizeof(ts)))
			return -EFAULT;
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
		deadline = deadline_after(timespec_to_ns(ts.sec, ts.nsec));
	}
	return epoll_wait_common((int)a->arg[0], a->arg[1], (int)a->arg[2], deadline, a->arg[4],
				 a->arg[5]);
}
