/* The module ABI: what a module exports, what the guest kernel gives it (spec: docs/modules.md). */
#ifndef MODVISOR_MODULE_H
#define MODVISOR_MODULE_H

#include <stddef.h>
#include <stdint.h>

/*
 * A module is a position-independent ELF64 shared object with exactly two PT_LOAD segments
 * (read+exec text, read+write data). It exports one symbol, MV_MODULE_DESC_SYMBOL, naming a
 * struct mv_module_desc in its data segment. The guest calls init() with its kernel-services
 * table; init returns the module's operations table. The module calls the guest in no other
 * way, so one binary serves every guest kernel.
 */

/* 2: the descriptor lists the modules it needs (`needs`). */
#define MV_MODULE_ABI_VERSION 2
#define MV_MODULE_MAGIC 0x444d564dU /* "MVMD" */
#define MV_MODULE_DESC_SYMBOL "mv_module_desc"
#define MV_MODULE_NAME_MAX 16
#define MV_MODULE_NEEDS_MAX 3 /* a VM has 4 module slots: a module and 3 it needs */

/* Module-level error numbers are Linux errno values, negated. */
#define MV_EPERM 1
#define MV_ENOENT 2
#define MV_ESRCH 3
#define MV_EINTR 4
#define MV_EIO 5
#define MV_EBADF 9
#define MV_EAGAIN 11
#define MV_ENOMEM 12
#define MV_EFAULT 14
#define MV_EBUSY 16
#define MV_EEXIST 17
#define MV_EXDEV 18
#define MV_ENODEV 19
#define MV_ENOTDIR 20
#define MV_EISDIR 21
#define MV_EINVAL 22
#define MV_ENFILE 23
#define MV_EMFILE 24
#define MV_EFBIG 27
#define MV_ENOSPC 28
#define MV_ESPIPE 29
#define MV_EROFS 30
#define MV_ENAMETOOLONG 36
#define MV_ENOSYS 38
#define MV_ENOTEMPTY 39
#define MV_EUCLEAN 117 /* corrupt filesystem */

/* ---- what the guest kernel provides ------------------------------------------------------ */

#define MV_KSERVICES_VERSION 1

enum mv_log_level { MV_LOG_ERROR, MV_LOG_WARN, MV_LOG_INFO, MV_LOG_DEBUG };

struct mv_kservices {
	uint32_t version; /* MV_KSERVICES_VERSION */
	uint32_t size;	  /* sizeof(struct mv_kservices) as the guest built it */
	void *ctx;	  /* passed back to every call */

	/* Memory: from the guest's own allocator, so it shows in the guest's statistics. */
	void *(*alloc)(void *ctx, size_t size, size_t align);
	void (*free)(void *ctx, void *ptr);

	/* The block device the module serves (filesystem modules): 512-byte sectors. */
	int (*blk_read)(void *ctx, uint64_t sector, void *buf, uint32_t count);
	int (*blk_write)(void *ctx, uint64_t sector, const void *buf, uint32_t count);
	int (*blk_flush)(void *ctx);
	uint64_t (*blk_sectors)(void *ctx);

	/* Locks created by the guest; the module never spins on its own. */
	void *(*lock_create)(void *ctx);
	void (*lock_destroy)(void *ctx, void *lock);
	void (*lock)(void *ctx, void *lock);
	void (*unlock)(void *ctx, void *lock);

	void (*log)(void *ctx, enum mv_log_level level, const char *msg);
	uint64_t (*time_ns)(void *ctx);	    /* monotonic */
	uint64_t (*wall_time_s)(void *ctx); /* seconds since 1970, for file times; 0 if unknown */
	uint32_t (*current_task)(void *ctx);
};

/* ---- what a module exports --------------------------------------------------------------- */

enum mv_module_kind { MV_MODULE_FS = 1, MV_MODULE_SIGNAL = 2 };

struct mv_module_desc {
	uint32_t magic;	      /* MV_MODULE_MAGIC */
	uint32_t abi_version; /* MV_MODULE_ABI_VERSION */
	char name[MV_MODULE_NAME_MAX];
	uint32_t version; /* the module's own version, major << 16 | minor */
	uint32_t kind;	  /* enum mv_module_kind: which operations table init returns */
	/* Returns 0 and the operations table, or a negative MV_E* value. */
	int (*init)(const struct mv_kservices *ks, const void **ops);
	void (*exit)(void);
	/* The modules that must be loaded in a VM before this one, by name; unused entries are
	 * empty. Read from the image by the hypervisor and the build's checkers: plain bytes, so
	 * they need no relocation. */
	char needs[MV_MODULE_NEEDS_MAX][MV_MODULE_NAME_MAX];
};

/* ---- filesystem operations (MV_MODULE_FS) ------------------------------------------------ */

#define MV_FS_OPS_VERSION 1

#define MV_O_RDONLY 0x0
#define MV_O_WRONLY 0x1
#define MV_O_RDWR 0x2
#define MV_O_ACCMODE 0x3
#define MV_O_CREAT 0x40
#define MV_O_EXCL 0x80
#define MV_O_TRUNC 0x200
#define MV_O_APPEND 0x400
#define MV_O_DIRECTORY 0x10000

#define MV_SEEK_SET 0
#define MV_SEEK_CUR 1
#define MV_SEEK_END 2

#define MV_S_IFDIR 0040000
#define MV_S_IFREG 0100000

struct mv_stat {
	uint64_t size;
	uint32_t mode; /* MV_S_IFDIR or MV_S_IFREG, with permission bits */
	uint32_t nlink;
	uint64_t ino;	 /* stable while mounted */
	uint64_t mtime;	 /* seconds since 1970 */
	uint64_t blocks; /* 512-byte blocks allocated */
	uint32_t blksize;
};

#define MV_NAME_MAX 255

struct mv_dirent {
	uint64_t ino;
	uint32_t type; /* MV_S_IFDIR or MV_S_IFREG */
	char name[MV_NAME_MAX + 1];
};

struct mv_fs;	/* a mounted filesystem, opaque to the guest */
struct mv_file; /* an open file or directory */

/* Paths are absolute within the filesystem ("/dir/file"), '/'-separated, no "." or "..". */
struct mv_fs_ops {
	uint32_t version; /* MV_FS_OPS_VERSION */
	uint32_t size;
	int (*mount)(struct mv_fs **fs);
	int (*unmount)(struct mv_fs *fs);
	int (*open)(struct mv_fs *fs, const char *path, int flags, struct mv_file **file);
	int (*close)(struct mv_fs *fs, struct mv_file *file);
	int64_t (*read)(struct mv_fs *fs, struct mv_file *file, void *buf, uint64_t len);
	int64_t (*write)(struct mv_fs *fs, struct mv_file *file, const void *buf, uint64_t len);
	int64_t (*seek)(struct mv_fs *fs, struct mv_file *file, int64_t off, int whence);
	int (*fstat)(struct mv_fs *fs, struct mv_file *file, struct mv_stat *st);
	int (*stat)(struct mv_fs *fs, const char *path, struct mv_stat *st);
	/* On a file opened with MV_O_DIRECTORY: 1 and the next entry, 0 at the end. */
	int (*readdir)(struct mv_fs *fs, struct mv_file *dir, struct mv_dirent *ent);
	int (*mkdir)(struct mv_fs *fs, const char *path);
	int (*rmdir)(struct mv_fs *fs, const char *path);
	int (*unlink)(struct mv_fs *fs, const char *path);
	int (*rename)(struct mv_fs *fs, const char *from, const char *to);
	int (*truncate)(struct mv_fs *fs, struct mv_file *file, uint64_t len);
	int (*sync)(struct mv_fs *fs);
};

/* ---- signal operations (MV_MODULE_SIGNAL) ------------------------------------------------ */

#define MV_SIG_OPS_VERSION 1
#define MV_NSIG 64 /* signals 1..64; 32..64 are real-time (queued) */

#define MV_SIGHUP 1
#define MV_SIGINT 2
#define MV_SIGQUIT 3
#define MV_SIGILL 4
#define MV_SIGTRAP 5
#define MV_SIGABRT 6
#define MV_SIGBUS 7
#define MV_SIGFPE 8
#define MV_SIGKILL 9
#define MV_SIGUSR1 10
#define MV_SIGSEGV 11
#define MV_SIGUSR2 12
#define MV_SIGPIPE 13
#define MV_SIGALRM 14
#define MV_SIGTERM 15
#define MV_SIGSTKFLT 16
#define MV_SIGCHLD 17
#define MV_SIGCONT 18
#define MV_SIGSTOP 19
#define MV_SIGTSTP 20
#define MV_SIGTTIN 21
#define MV_SIGTTOU 22
#define MV_SIGURG 23
#define MV_SIGXCPU 24
#define MV_SIGXFSZ 25
#define MV_SIGVTALRM 26
#define MV_SIGPROF 27
#define MV_SIGWINCH 28
#define MV_SIGIO 29
#define MV_SIGPWR 30
#define MV_SIGSYS 31
#define MV_SIGRTMIN 32
#define MV_SIGRTMAX 64

/* sigaction flags and handler values, as Linux numbers them. */
#define MV_SA_NOCLDSTOP 0x00000001U
#define MV_SA_SIGINFO 0x00000004U
#define MV_SA_ONSTACK 0x08000000U
#define MV_SA_RESTART 0x10000000U
#define MV_SA_NODEFER 0x40000000U
#define MV_SA_RESETHAND 0x80000000U
#define MV_SIG_DFL 0ULL
#define MV_SIG_IGN 1ULL

#define MV_SIG_BLOCK 0
#define MV_SIG_UNBLOCK 1
#define MV_SIG_SETMASK 2

/* Bit (sig - 1) stands for signal sig. */
typedef uint64_t mv_sigset_t;

struct mv_sigaction {
	uint64_t handler; /* MV_SIG_DFL, MV_SIG_IGN or a user address */
	uint32_t flags;
	mv_sigset_t mask;
	uint64_t restorer;
};

struct mv_siginfo {
	int32_t signo;
	int32_t code; /* SI_USER 0, SI_QUEUE -1, SI_KERNEL 0x80, CLD_EXITED 1 ... */
	int32_t pid;  /* sender */
	int32_t uid;
	int64_t value; /* sigqueue value, or the child's status for SIGCHLD */
};

enum mv_sig_default {
	MV_SIGDFL_TERM,
	MV_SIGDFL_IGN,
	MV_SIGDFL_CORE,
	MV_SIGDFL_STOP,
	MV_SIGDFL_CONT
};

/* What dequeue tells the kernel to do with the next deliverable signal. */
enum mv_sig_disposition {
	MV_SIG_RUN_HANDLER, /* build a frame for action.handler, block `mask_during` */
	MV_SIG_TERMINATE,   /* default action: terminate (core set if it dumps core) */
	MV_SIG_STOP,	    /* default action: stop the task */
	MV_SIG_CONTINUE,    /* default action: continue (already applied to pending stops) */
};

struct mv_sigdelivery {
	int32_t signo;
	uint32_t disposition;	    /* enum mv_sig_disposition */
	uint32_t core;		    /* terminate with a core dump */
	struct mv_sigaction action; /* as it was when dequeued (before SA_RESETHAND reset it) */
	mv_sigset_t mask_during;    /* the mask while the handler runs */
	mv_sigset_t mask_before;    /* the mask to restore at sigreturn */
	struct mv_siginfo info;
};

/* Signal state is per task id (the guest's own numbering). The guest does the architecture part:
 * frames, sigreturn, waking a task that has a deliverable signal. */
struct mv_sig_ops {
	uint32_t version; /* MV_SIG_OPS_VERSION */
	uint32_t size;
	int (*task_create)(uint32_t tid);
	int (*task_fork)(uint32_t parent, uint32_t child); /* child inherits actions and mask */
	int (*task_exec)(uint32_t tid);			   /* caught signals reset to default */
	int (*task_exit)(uint32_t tid);
	int (*sigaction)(uint32_t tid, int sig, const struct mv_sigaction *act,
			 struct mv_sigaction *old);
	int (*sigprocmask)(uint32_t tid, int how, const mv_sigset_t *set, mv_sigset_t *old);
	/* Queues sig for tid (standard signals coalesce, real-time ones queue). Returns 0 or
	 * -errno. */
	int (*kill)(uint32_t tid, int sig, const struct mv_siginfo *info);
	int (*pending)(uint32_t tid, mv_sigset_t *set);
	/* 1 and the next deliverable signal, 0 if none, or -errno. */
	int (*dequeue)(uint32_t tid, struct mv_sigdelivery *out);
	enum mv_sig_default (*default_action)(int sig);
	/* Added in module version 1.1 (look at size before calling it): 1 when tid's state is
	 * not a new task's (an action other than SIG_DFL, or SIG_DFL with SA_NOCLDSTOP or
	 * SA_NOCLDWAIT; a blocked or a pending signal), so unloading the module would lose it;
	 * 0 when it is a new task's; -MV_ESRCH for an unknown tid. */
	int (*task_busy)(uint32_t tid);
};

#endif /* MODVISOR_MODULE_H */
