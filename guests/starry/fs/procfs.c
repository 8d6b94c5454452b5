/* procfs on /proc: system and per-process information, generated as text when opened. */
#include "fs.h"
#include "../kmod.h"
#include "../mm/mm.h"
#include "../mm/pmm.h"
#include "../proc/task.h"
#include <stdarg.h>
#include <string.h>

#define PROC_BUF 4096
#define USER_HZ 100

/* What a /proc path names. */
enum pkind {
	P_ROOT,
	P_MEMINFO,
	P_MOUNTS,
	P_MODULES,
	P_UPTIME,
	P_CPUINFO,
	P_VERSION,
	P_PIDDIR,
	P_TASKDIR, /* /proc/<pid>/task: the process's threads */
	P_TIDDIR,  /* /proc/<pid>/task/<tid> */
	P_STAT,
	P_CMDLINE,
	P_STATUS,
	P_COMM,
	P_MAPS,
	P_FDDIR, /* /proc/<pid>/fd: the process's descriptors */
	P_FD,	 /* /proc/<pid>/fd/<n>: a link to what descriptor n refers to */
};

static const char *const root_files[] = {"meminfo", "mounts",  "modules",
					 "uptime",  "cpuinfo", "version"};
static const char *const pid_files[] = {"stat", "cmdline", "status", "comm", "maps"};
#define NROOT (sizeof(root_files) / sizeof(root_files[0]))
#define NPID (sizeof(pid_files) / sizeof(pid_files[0]))

struct pnode {
	enum pkind kind;
	pid_t pid;  /* whose files: the process (its leader) or, under task/, the thread */
	pid_t tgid; /* the process of a directory */
	int fd;	    /* P_FD */
};

/* An open /proc file: its whole text, made at open. */
struct ptext {
	char *buf;
	size_t len;
};

static bool parse_pid(const char *s, size_t len, pid_t *pid)
{
	int64_t v = 0;

	if (len == 0 || len > 9)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*pid = (pid_t)v;
	return v > 0;
}

/* The file of a process or thread directory that rest names ("stat", "cmdline"...). */
static int lookup_file(const char *rest, struct pnode *n)
{
	for (unsigned i = 0; i < NPID; i++) {
		if (strcmp(rest, pid_files[i]) == 0) {
			n->kind = (enum pkind)(P_STAT + i);
			return 0;
		}
	}
	return -ENOENT;
}

/* What a process or thread directory holds: its files, and fd/ with a link per descriptor. */
static int lookup_in_dir(const char *rest, struct pnode *n)
{
	struct file *f;
	pid_t fd;

	if (strcmp(rest, "fd") == 0) {
		n->kind = P_FDDIR;
		return 0;
	}
	if (strncmp(rest, "fd/", 3) != 0)
		return lookup_file(rest, n);
	if (!parse_pid(rest + 3, strlen(rest + 3), &fd) && strcmp(rest + 3, "0") != 0)
		return -ENOENT;
	f = fdlink_file(task_find(n->tgid), fd);
	if (!f)
		return -ENOENT;
	file_put(f);
	n->kind = P_FD;
	n->fd = fd;
	return 0;
}

/* A path component that is a number; *end gets what follows it ("" or "/..."). */
static bool parse_component(const char *s, pid_t *pid, const char **end)
{
	const char *slash = strchr(s, '/');
	size_t len = slash ? (size_t)(slash - s) : strlen(s);

	*end = s + len;
	return parse_pid(s, len, pid);
}

static int lookup(const char *path, struct pnode *n)
{
	const char *s = path + 1, *rest;
	struct task *p, *th;

	if (!*s) {
		n->kind = P_ROOT;
		return 0;
	}
	if (!strchr(s, '/')) {
		for (unsigned i = 0; i < NROOT; i++) {
			if (strcmp(s, root_files[i]) == 0) {
				n->kind = (enum pkind)(P_MEMINFO + i);
				return 0;
			}
		}
	}
	if (strncmp(s, "self", 4) == 0 && (s[4] == '/' || !s[4])) {
		n->pid = current->tgid;
		rest = s + 4;
	} else if (!parse_component(s, &n->pid, &rest)) {
		return -ENOENT;
	}
	/* A thread's id names its process's directory too (unlisted), as on Linux. */
	p = task_find(n->pid);
	if (!p)
		return -ENOENT;
	n->tgid = p->tgid;
	if (!*rest) {
		n->kind = P_PIDDIR;
		return 0;
	}
	rest++;
	if (strcmp(rest, "task") == 0) {
		n->kind = P_TASKDIR;
		return 0;
	}
	if (strncmp(rest, "task/", 5) != 0)
		return lookup_in_dir(rest, n);
	if (!parse_component(rest + 5, &n->pid, &rest))
		return -ENOENT;
	th = task_find(n->pid);
	if (!th || th->leader != p->leader || th->thread_dead)
		return -ENOENT;
	if (!*rest) {
		n->kind = P_TIDDIR;
		return 0;
	}
	return lookup_in_dir(rest + 1, n);
}

static void fill_stat(const struct pnode *n, struct kstat *st)
{
	bool dir =
	    n->kind == P_ROOT || (n->kind >= P_PIDDIR && n->kind <= P_TIDDIR) || n->kind == P_FDDIR;

	st->ino = ((uint64_t)n->pid << 8) | (uint64_t)n->kind;
	st->mode = dir ? S_IFDIR | 0555 : S_IFREG | 0444;
	st->nlink = dir ? 2 : 1;
	st->blksize = 1024;
	st->mtime_s = wallclock_ns() / 1000000000ULL;
}

__attribute__((format(printf, 2, 3))) static void put(struct ptext *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(t->buf + t->len, PROC_BUF - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n < PROC_BUF - t->len ? (size_t)n : PROC_BUF - 1 - t->len;
}

static void gen_meminfo(struct ptext *t)
{
	unsigned long total = pmm_total_pages() * (PAGE_SIZE / 1024);
	unsigned long free = pmm_free_pages() * (PAGE_SIZE / 1024);

	put(t, "MemTotal:       %8lu kB\n", total);
	put(t, "MemFree:        %8lu kB\n", free);
	put(t, "MemAvailable:   %8lu kB\n", free);
	put(t, "Buffers:        %8lu kB\nCached:         %8lu kB\n", 0UL, 0UL);
	put(t, "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\n", 0UL, 0UL);
}

static void gen_mounts(struct ptext *t)
{
	for (unsigned i = 0; i < mount_count(); i++) {
		const struct mount *m = mount_at(i);

		if (m->mounted)
			put(t, "%s %s %s rw 0 0\n", m->source, m->path, m->type);
	}
}

static void gen_modules(struct ptext *t)
{
	for (unsigned i = 0; i < kmod_count(); i++) {
		const struct gmod *m = kmod_at(i);

		/* Then what the idle unloader goes by: what pins it, when it was last used. */
		uint64_t ago = m->idle.loads ? (ktime_ns() - m->idle.last_use_ns) / 1000000 : 0;

		if (m->desc)
			put(t, "%s %u.%u loaded %s %#lx", m->name, m->desc->version >> 16,
			    m->desc->version & 0xffff, m->from_miss ? "on-miss" : "at-boot",
			    (unsigned long)m->base);
		else
			put(t, "%s - %s - 0x0", m->name, gmod_state(m));
		put(t, " users=%u last_use_ms_ago=%lu loads=%u idle_unloads=%u reloads=%u\n",
		    kmod_users(m), (unsigned long)ago, m->idle.loads, m->idle.idle_unloads,
		    m->idle.reloads);
	}
}

static void gen_uptime(struct ptext *t)
{
	uint64_t cs = ktime_ns() / 10000000ULL;

	put(t, "%lu.%02lu %lu.%02lu\n", (unsigned long)(cs / 100), (unsigned long)(cs % 100),
	    (unsigned long)(cs / 100), (unsigned long)(cs % 100));
}

/* Linux's arm64 lines (one CPU: the kernel runs on one). Features as Linux names the fields of
 * ID_AA64PFR0/ISAR0 it knows; cpuid because Linux (and this kernel's hypervisor) let EL0 read
 * the ID registers. BogoMIPS is Linux's value with the timer as delay loop: 2 * CNTFRQ / 1e6. */
static void gen_cpuinfo(struct ptext *t)
{
	struct cpu_ids id;
	unsigned fp, simd, aes, sha1, sha2, crc, atomics;

	cpu_id_regs(&id);
	fp = (id.pfr0 >> 16) & 0xf;
	simd = (id.pfr0 >> 20) & 0xf;
	aes = (id.isar0 >> 4) & 0xf;
	sha1 = (id.isar0 >> 8) & 0xf;
	sha2 = (id.isar0 >> 12) & 0xf;
	crc = (id.isar0 >> 16) & 0xf;
	atomics = (id.isar0 >> 20) & 0xf;
	put(t, "processor\t: 0\nBogoMIPS\t: %lu.%02lu\nFeatures\t:",
	    (unsigned long)(id.cntfrq / 500000), (unsigned long)(id.cntfrq / 5000 % 100));
	put(t, "%s%s%s%s%s%s%s%s%s cpuid\n", fp != 0xf ? " fp" : "", simd != 0xf ? " asimd" : "",
	    aes >= 1 ? " aes" : "", aes >= 2 ? " pmull" : "", sha1 ? " sha1" : "",
	    sha2 ? " sha2" : "", sha2 >= 2 ? " sha512" : "", crc ? " crc32" : "",
	    atomics >= 2 ? " atomics" : "");
	put(t, "CPU implementer\t: 0x%02lx\nCPU architecture: 8\nCPU variant\t: 0x%lx\n",
	    (unsigned long)((id.midr >> 24) & 0xff), (unsigned long)((id.midr >> 20) & 0xf));
	put(t, "CPU part\t: 0x%03lx\nCPU revision\t: %lu\n\n",
	    (unsigned long)((id.midr >> 4) & 0xfff), (unsigned long)(id.midr & 0xf));
}

static void gen_stat(struct ptext *t, const struct task *p)
{
	uint64_t vsize, rss;
	pid_t ppid = p->leader->parent ? p->leader->parent->tgid : 0;

	task_mem_usage(p, &vsize, &rss);
	/* pid comm state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
	 * stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss rsslim */
	put(t, "%d (%.16s) %s %d %d %d %d %d 0 0 0 0 0 %lu %lu 0 0 20 0 %d 0 %lu %lu %lu %lu",
	    p->pid, p->comm, task_state_name(p), ppid, p->pgid, p->sid, 0x0501,
	    devfs_console_pgrp(), (unsigned long)p->user_ticks, (unsigned long)p->system_ticks,
	    p->leader->nthreads, (unsigned long)(p->start_ns / (1000000000ULL / USER_HZ)),
	    (unsigned long)vsize, (unsigned long)rss, 0xffffffffffffffffUL);
	/* startcode .. exit_code: the remaining 28 fields of Linux's line */
	for (int i = 0; i < 28; i++)
		put(t, " 0");
	put(t, "\n");
}

static const char *state_words(const struct task *p)
{
	switch (p->state) {
	case TASK_RUNNABLE:
		return "R (running)";
	case TASK_SLEEPING:
		return "S (sleeping)";
	case TASK_STOPPED:
		return "T (stopped)";
	default:
		return "Z (zombie)";
	}
}

static void gen_status(struct ptext *t, const struct task *p)
{
	uint64_t vsize, rss;

	task_mem_usage(p, &vsize, &rss);
	put(t, "Name:\t%.16s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", p->comm,
	    state_words(p), p->tgid, p->pid, p->leader->parent ? p->leader->parent->tgid : 0);
	put(t, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n");
	put(t, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\nThreads:\t%d\n", (unsigned long)(vsize / 1024),
	    (unsigned long)(rss * (PAGE_SIZE / 1024)), p->leader->nthreads);
}

/* The regions, as Linux lists them (no file offsets or inodes: only the image is a file). */
static void gen_maps(struct ptext *t, const struct task *p)
{
	for (const struct vma *v = p->mm ? p->mm->vmas.head : NULL; v; v = v->next) {
		const char *name = "";

		if (v->flags & VMA_STACK)
			name = "[stack]";
		else if (v->flags & VMA_HEAP)
			name = "[heap]";
		else if (v->start == USER_SIGTRAMP)
			name = "[vdso]"; /* the sigreturn trampoline page */
		else if (v->flags & VMA_IMAGE)
			name = p->exe;
		put(t, "%08lx-%08lx %c%c%cp 00000000 00:00 0%s%s\n", (unsigned long)v->start,
		    (unsigned long)v->end, (v->prot & PROT_READ) ? 'r' : '-',
		    (v->prot & PROT_WRITE) ? 'w' : '-', (v->prot & PROT_EXEC) ? 'x' : '-',
		    name[0] ? "                    " : "", name);
	}
}

static int generate(const struct pnode *n, struct ptext *t)
{
	const struct task *p = NULL;

	t->buf = kmalloc(PROC_BUF);
	if (!t->buf)
		return -ENOMEM;
	t->len = 0;
	t->buf[0] = '\0';
	if (n->kind >= P_STAT) {
		p = task_find(n->pid);
		if (!p) {
			kfree(t->buf);
			return -ENOENT;
		}
	}
	switch (n->kind) {
	case P_MEMINFO:
		gen_meminfo(t);
		break;
	case P_MOUNTS:
		gen_mounts(t);
		break;
	case P_MODULES:
		gen_modules(t);
		break;
	case P_UPTIME:
		gen_uptime(t);
		break;
	case P_CPUINFO:
		gen_cpuinfo(t);
		break;
	case P_VERSION:
		put(t, "Linux version " STARRY_RELEASE " (starry@modvisor) (the Starry guest of "
		       "modvisor) " STARRY_VERSION "\n");
		break;
	case P_STAT:
		gen_stat(t, p);
		break;
	case P_STATUS:
		gen_status(t, p);
		break;
	case P_COMM:
		put(t, "%.16s\n", p->comm);
		break;
	case P_MAPS:
		gen_maps(t, p);
		break;
	default: /* cmdline: read from the process's own stack, where exec put it */
		t->len = task_cmdline(p, t->buf, PROC_BUF);
		break;
	}
	return 0;
}

static int64_t ptext_read(struct file *f, void *buf, uint64_t len, uint64_t *pos)
{
	const struct ptext *t = f->priv;
	uint64_t n;

	if (*pos >= t->len)
		return 0;
	n = t->len - *pos < len ? t->len - *pos : len;
	memcpy(buf, t->buf + *pos, n);
	*pos += n;
	return (int64_t)n;
}

static int ptext_fstat(struct file *f, struct kstat *st)
{
	(void)f;
	st->mode = S_IFREG | 0444;
	st->nlink = 1;
	st->blksize = 1024;
	return 0;
}

static void ptext_release(struct file *f)
{
	struct ptext *t = f->priv;

	kfree(t->buf);
	kfree(t);
}

/* The index-th task a directory lists: processes for /proc, a process's threads for task/. */
struct collect {
	uint64_t want, seen;
	pid_t tgid; /* 0: processes */
	pid_t pid;
};

static int collect_pid(struct task *t, void *arg)
{
	struct collect *c = arg;

	if (c->tgid ? t->tgid != c->tgid || t->thread_dead : !task_is_leader(t))
		return 0;
	if (c->seen++ == c->want) {
		c->pid = t->pid;
		return 1;
	}
	return 0;
}

/* The index-th open descriptor of the process, as a link named by its number. */
static int fddir_getdents(const struct pnode *n, uint64_t index, struct vfs_dirent *ent)
{
	struct task *p = task_find(n->tgid);
	int fd = p && p->files ? fd_nth(p->files, index) : -1;

	if (fd < 0)
		return 0;
	/* fds reach FD_NR_OPEN (17 bits, from bit 8 on): the pid goes above them. */
	ent->ino = ((uint64_t)n->pid << 32) | ((uint64_t)fd << 8) | P_FD;
	ent->type = DT_LNK;
	fmt_snprintf(ent->name, sizeof(ent->name), "%d", fd);
	return 1;
}

static int pdir_getdents(struct file *f, uint64_t index, struct vfs_dirent *ent)
{
	const struct pnode *n = f->priv;
	struct collect c = {0};

	if (n->kind == P_FDDIR)
		return fddir_getdents(n, index, ent);
	if (n->kind == P_PIDDIR || n->kind == P_TIDDIR) {
		if (n->kind == P_PIDDIR && index == NPID) {
			ent->ino = ((uint64_t)n->pid << 8) | P_TASKDIR;
			ent->type = DT_DIR;
			memcpy(ent->name, "task", 5);
			return 1;
		}
		if (index == NPID + (n->kind == P_PIDDIR)) {
			ent->ino = ((uint64_t)n->pid << 8) | P_FDDIR;
			ent->type = DT_DIR;
			memcpy(ent->name, "fd", 3);
			return 1;
		}
		if (index >= NPID)
			return 0;
		ent->ino = ((uint64_t)n->pid << 8) | (P_STAT + index);
		ent->type = DT_REG;
		memcpy(ent->name, pid_files[index], strlen(pid_files[index]) + 1);
		return 1;
	}
	if (n->kind == P_TASKDIR) {
		c.want = index;
		c.tgid = n->tgid;
	} else if (index < NROOT) {
		ent->ino = P_MEMINFO + index;
		ent->type = DT_REG;
		memcpy(ent->name, root_files[index], strlen(root_files[index]) + 1);
		return 1;
	} else if (index == NROOT) {
		ent->ino = 0xff;
		ent->type = DT_DIR;
		memcpy(ent->name, "self", 5);
		return 1;
	} else {
		c.want = index - NROOT - 1;
	}
	task_for_each(collect_pid, &c);
	if (!c.pid)
		return 0;
	ent->ino = ((uint64_t)c.pid << 8) | (n->kind == P_TASKDIR ? P_TIDDIR : P_PIDDIR);
	ent->type = DT_DIR;
	fmt_snprintf(ent->name, sizeof(ent->name), "%d", c.pid);
	return 1;
}

static int pdir_fstat(struct file *f, struct kstat *st)
{
	fill_stat(f->priv, st);
	return 0;
}

static void pdir_release(struct file *f)
{
	kfree(f->priv);
}

static const struct file_ops ptext_ops = {
    .read = ptext_read,
    .fstat = ptext_fstat,
    .release = ptext_release,
};
static const struct file_ops pdir_ops = {
    .getdents = pdir_getdents,
    .fstat = pdir_fstat,
    .release = pdir_release,
};

static int proc_open(struct mount *m, const char *path, unsigned flags, struct file *f)
{
	struct pnode n = {P_ROOT, 0, 0, 0};
	int ret = lookup(path, &n);

	(void)m;
	if (ret < 0)
		return (flags & O_CREAT) ? -EACCES : ret;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC))
		return -EACCES;
	if (n.kind == P_FD)
		return -EACCES; /* opened as the file it names, by the open syscall itself */
	if (n.kind == P_ROOT || n.kind == P_PIDDIR || n.kind == P_TASKDIR || n.kind == P_TIDDIR ||
	    n.kind == P_FDDIR) {
		struct pnode *d = kmalloc(sizeof(*d));

		if (!d)
			return -ENOMEM;
		*d = n;
		f->priv = d;
		f->is_dir = true;
		f->ops = &pdir_ops;
	} else {
		struct ptext *t = kmalloc(sizeof(*t));

		if (!t)
			return -ENOMEM;
		ret = generate(&n, t);
		if (ret < 0) {
			kfree(t);
			return ret;
		}
		f->priv = t;
		f->ops = &ptext_ops;
	}
	return 0;
}

static int proc_stat(struct mount *m, const char *path, struct kstat *st)
{
	struct pnode n = {P_ROOT, 0, 0, 0};
	int ret = lookup(path, &n);

	(void)m;
	if (ret == 0 && n.kind == P_FD) { /* stat follows the link to the file */
		struct file *f = fdlink_file(task_find(n.tgid), n.fd);

		if (!f)
			return -ENOENT;
		ret = vfs_fstat_kernel(f, st);
		file_put(f);
		return ret;
	}
	if (ret == 0)
		fill_stat(&n, st);
	return ret;
}

static int proc_readonly(struct mount *m, const char *path)
{
	(void)m;
	(void)path;
	return -EPERM;
}

static int proc_rename(struct mount *m, const char *from, const char *to)
{
	(void)m;
	(void)from;
	(void)to;
	return -EPERM;
}

int procfs_readlink(const char *path, char *out, size_t size)
{
	struct pnode n = {P_ROOT, 0, 0, 0};
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	const struct task *p;
	const char *target;
	size_t len;

	if (lookup(path, &n) == 0 && n.kind == P_FD)
		return fdlink_text(task_find(n.tgid), n.fd, out, size);
	if (!slash || (strcmp(slash, "/exe") != 0 && strcmp(slash, "/cwd") != 0))
		return -EINVAL;
	len = (size_t)(slash - path);
	if (len >= sizeof(dir))
		return -ENOENT;
	memcpy(dir, path, len);
	dir[len] = '\0';
	if (lookup(dir, &n) || (n.kind != P_PIDDIR && n.kind != P_TIDDIR))
		return -ENOENT;
	p = task_find(n.pid);
	if (!p)
		return -ENOENT;
	target = slash[1] == 'e' ? p->exe : p->cwd;
	if (!target[0])
		return -ENOENT; /* a process that has exited */
	len = strlen(target);
	if (len > size)
		len = size;
	memcpy(out, target, len);
	return (int)len;
}

const struct fs_ops procfs_ops = {
    .open = proc_open,
    .stat = proc_stat,
    .mkdir = proc_readonly,
    .rmdir = proc_readonly,
    .unlink = proc_readonly,
    .rename = proc_rename,
};
