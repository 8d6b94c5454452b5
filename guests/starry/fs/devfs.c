/* devfs on /dev: the console (a line-buffered tty on the UART), null, zero and urandom. */
#include "fs.h"
#include "../mm/uaccess.h"
#include "../proc/task.h"
#include <string.h>

#define TCGETS 0x5401
#define TCSETS 0x5402
#define TCSETSW 0x5403
#define TCSETSF 0x5404
#define TIOCGPGRP 0x540f
#define TIOCSPGRP 0x5410
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414

#define POLL_NS 10000000ULL /* the UART driver has no wait queue: poll for a line this often */

/* The kernel's struct termios (asm-generic/termbits.h), not glibc's larger one. */
struct ktermios {
	uint32_t c_iflag, c_oflag, c_cflag, c_lflag;
	uint8_t c_line;
	uint8_t c_cc[19];
};

struct winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
};

/* A cooked tty: ICRNL|IXON, OPOST|ONLCR, B38400|CS8|CREAD|HUPCL, ISIG|ICANON|IEXTEN and the
 * usual control characters. The UART hands over whole lines and the console echoes each one,
 * so there is no raw mode to offer: ECHO stays clear, which tells line editors (busybox's)
 * to read plain lines instead of driving the cursor. */
static struct ktermios console_termios = {
    .c_iflag = 0x500,
    .c_oflag = 0x5,
    .c_cflag = 0x4bf,
    .c_lflag = 0x8003,
    .c_cc = {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0xf, 0x17, 0x16},
};
static pid_t console_pgrp = 1;
static struct waitq console_wq = WAITQ_INIT;
static char rx_buf[UART_RX_LINE_MAX + 1]; /* the line being read: the longest and its '\n' */
static size_t rx_len, rx_off;

enum devnode { DEV_ROOT, DEV_CONSOLE, DEV_TTY, DEV_NULL, DEV_ZERO, DEV_URANDOM, DEV_RANDOM };

static const struct {
	const char *name;
	uint32_t major, minor;
} devs[] = {
    [DEV_CONSOLE] = {"console", 5, 1}, [DEV_TTY] = {"tty", 5, 0},
    [DEV_NULL] = {"null", 1, 3},       [DEV_ZERO] = {"zero", 1, 5},
    [DEV_URANDOM] = {"urandom", 1, 9}, [DEV_RANDOM] = {"random", 1, 8},
};
#define NDEVS (sizeof(devs) / sizeof(devs[0]))

pid_t devfs_console_pgrp(void)
{
	return console_pgrp;
}

/* Takes the UART's next complete line into rx_buf, with its '\n'; false when none is there.
 * Lines typed ahead wait in the UART's queue, so a line is echoed when it is read, after the
 * prompt that asked for it. */
static bool console_fill(void)
{
	if (rx_off < rx_len)
		return true;
	rx_len = uart_rx_read(rx_buf, sizeof(rx_buf));
	rx_off = 0;
	if (rx_len == 0)
		return false;
	/* The UART collects whole lines without echo; the console shows what was typed. */
	for (size_t i = 0; i < rx_len; i++)
		console_putc(rx_buf[i]);
	return true;
}

static unsigned console_poll(struct file *f)
{
	(void)f;
	return POLLOUT | (console_fill() ? POLLIN : 0);
}

static int64_t console_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	size_t n;

	(void)pos;
	if (len == 0)
		return 0;
	while (!console_fill()) {
		int ret;

		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		ret = waitq_wait_until(&console_wq, ktime_ns() + POLL_NS);
		if (ret == -ERESTARTSYS)
			return ret;
	}
	n = rx_len - rx_off < len ? rx_len - rx_off : (size_t)len;
	memcpy(buf, rx_buf + rx_off, n);
	rx_off += n;
	return (int64_t)n;
}

static int64_t console_write(struct file *f, const void *buf, uint64_t len, uint64_t *pos)
{
	const char *p = buf;

	(void)f;
	(void)pos;
	for (uint64_t i = 0; i < len; i++)
		console_putc(p[i]);
	return (int64_t)len;
}

static int console_ioctl(struct file *f, unsigned long cmd, uint64_t arg)
{
	struct winsize ws = {24, 80, 0, 0};
	struct ktermios t;
	int32_t pgrp;
	int ret;

	(void)f;
	switch (cmd) {
	case TCGETS:
		return copy_to_user(arg, &console_termios, sizeof(console_termios));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		ret = copy_from_user(&t, arg, sizeof(t));
		if (ret == 0)
			console_termios = t;
		return ret;
	case TIOCGWINSZ:
		return copy_to_user(arg, &ws, sizeof(ws));
	case TIOCSWINSZ:
		return 0;
	case TIOCGPGRP:
		pgrp = console_pgrp;
		return copy_to_user(arg, &pgrp, sizeof(pgrp));
	case TIOCSPGRP:
		ret = copy_from_user(&pgrp, arg, sizeof(pgrp));
		if (ret == 0 && pgrp <= 0)
			return -EINVAL;
		if (ret == 0)
			console_pgrp = pgrp;
		return ret;
	default:
		return -ENOTTY;
	}
}

static int64_t null_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)len;
	(void)pos;
	return 0;
}

static int64_t sink_write(struct file *f, const void *buf, uint64_t len, uint64_t *pos)
{
	(void)f;
	(void)buf;
	(void)pos;
	return (int64_t)len;
}

static int64_t zero_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	(void)f;
	(void)pos;
	memset(buf, 0, len);
	return (int64_t)len;
}

static int64_t random_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	uint8_t *p = buf;
	uint64_t r = 0;

	(void)f;
	(void)pos;
	for (uint64_t i = 0; i < len; i++) {
		if (i % 8 == 0)
			r = random_u64();
		p[i] = (uint8_t)(r >> (8 * (i % 8)));
	}
	return (int64_t)len;
}

static void fill_stat(enum devnode n, struct kstat *st)
{
	st->ino = (uint64_t)n + 1;
	st->nlink = n == DEV_ROOT ? 2 : 1;
	st->blksize = 4096;
	if (n == DEV_ROOT) {
		st->mode = S_IFDIR | 0755;
		return;
	}
	st->mode = S_IFCHR | (n == DEV_CONSOLE || n == DEV_TTY ? 0620 : 0666);
	st->rdev = devs[n].major << 8 | devs[n].minor;
}

static int dev_fstat(struct file *f, struct kstat *st)
{
	fill_stat((enum devnode)(uintptr_t)f->priv, st);
	return 0;
}

static int devdir_getdents(struct file *f, uint64_t index, struct vfs_dirent *ent)
{
	uint64_t n = index + 1;

	(void)f;
	if (n >= NDEVS)
		return 0;
	ent->ino = n + 1;
	ent->type = DT_CHR;
	memcpy(ent->name, devs[n].name, strlen(devs[n].name) + 1);
	return 1;
}

static const struct file_ops console_ops = {
    .read = console_read,
    .write = console_write,
    .fstat = dev_fstat,
    .ioctl = console_ioctl,
    .poll = console_poll,
};
static const struct file_ops null_ops = {
    .read = null_read, .write = sink_write, .fstat = dev_fstat};
static const struct file_ops zero_ops = {
    .read = zero_read, .write = sink_write, .fstat = dev_fstat, .fills = true};
static const struct file_ops random_ops = {
    .read = random_read,
    .write = sink_write,
    .fstat = dev_fstat,
    .fills = true,
};
static const struct file_ops devdir_ops = {.getdents = devdir_getdents, .fstat = dev_fstat};

static int lookup(const char *path, enum devnode *out)
{
	if (strcmp(path, "/") == 0) {
		*out = DEV_ROOT;
		return 0;
	}
	for (unsigned i = 1; i < NDEVS; i++) {
		if (strcmp(path + 1, devs[i].name) == 0) {
			*out = (enum devnode)i;
			return 0;
		}
	}
	return -ENOENT;
}

static int devfs_open(struct mount *m, const char *path, unsigned flags, struct file *f)
{
	enum devnode n;
	int ret = lookup(path, &n);

	(void)m;
	if (ret < 0)
		return (flags & O_CREAT) ? -EACCES : ret;
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	f->priv = (void *)(uintptr_t)n;
	f->is_dir = n == DEV_ROOT;
	f->seekable = n == DEV_ROOT || n == DEV_NULL || n == DEV_ZERO;
	switch (n) {
	case DEV_ROOT:
		f->ops = &devdir_ops;
		break;
	case DEV_CONSOLE:
	case DEV_TTY:
		f->ops = &console_ops;
		break;
	case DEV_NULL:
		f->ops = &null_ops;
		break;
	case DEV_ZERO:
		f->ops = &zero_ops;
		break;
	default:
		f->ops = &random_ops;
		break;
	}
	return 0;
}

static int devfs_stat(struct mount *m, const char *path, struct kstat *st)
{
	enum devnode n;
	int ret = lookup(path, &n);

	(void)m;
	if (ret == 0)
		fill_stat(n, st);
	return ret;
}

static int devfs_readonly(struct mount *m, const char *path)
{
	(void)m;
	(void)path;
	return -EPERM;
}

static int devfs_rename(struct mount *m, const char *from, const char *to)
{
	(void)m;
	(void)from;
	(void)to;
	return -EPERM;
}

int devfs_open_console(struct file **out)
{
	struct file *f = file_alloc_named(NULL, NULL, O_RDWR, "/dev/console");
	int ret;

	if (!f)
		return -ENOMEM;
	f->mnt = mount_find("/dev", NULL);
	ret = devfs_open(f->mnt, "/console", O_RDWR, f);
	if (ret < 0) {
		file_put(f);
		return ret;
	}
	*out = f;
	return 0;
}

const struct fs_ops devfs_ops = {
    .open = devfs_open,
    .stat = devfs_stat,
    .mkdir = devfs_readonly,
    .rmdir = devfs_readonly,
    .unlink = devfs_readonly,
    .rename = devfs_rename,
};
