/* The Linux syscalls Starry implements: numbers from the aarch64 (asm-generic) table. */
#ifndef STARRY_SYS_SYSCALLS_H
#define STARRY_SYS_SYSCALLS_H

#include "../kernel.h"

/* Every handler takes the argument registers and returns a value or -errno. */
#define SYSCALL(name) long sys_##name(const struct syscall_args *a)

/* --- files and directories (sys/sys_fs.c) ---------------------------------------------------- */
#define NR_getcwd 17
#define NR_eventfd2 19
#define NR_dup 23
#define NR_dup3 24
#define NR_fcntl 25
#define NR_ioctl 29
#define NR_mkdirat 34
#define NR_unlinkat 35
#define NR_symlinkat 36
#define NR_linkat 37
#define NR_renameat 38
#define NR_statfs 43
#define NR_fstatfs 44
#define NR_truncate 45
#define NR_ftruncate 46
#define NR_faccessat 48
#define NR_chdir 49
#define NR_fchdir 50
#define NR_fchmod 52
#define NR_fchmodat 53
#define NR_fchownat 54
#define NR_fchown 55
#define NR_openat 56
#define NR_close 57
#define NR_pipe2 59
#define NR_getdents64 61
#define NR_lseek 62
#define NR_read 63
#define NR_write 64
#define NR_readv 65
#define NR_writev 66
#define NR_pread64 67
#define NR_pwrite64 68
#define NR_readlinkat 78
#define NR_newfstatat 79
#define NR_fstat 80
#define NR_sync 81
#define NR_timerfd_create 85
#define NR_timerfd_settime 86
#define NR_timerfd_gettime 87
#define NR_fsync 82
#define NR_fdatasync 83
#define NR_utimensat 88
#define NR_umask 166
#define NR_sendfile 71
#define NR_pselect6 72
#define NR_ppoll 73
#define NR_renameat2 276
#define NR_close_range 436
#define NR_faccessat2 439
SYSCALL(getcwd);
SYSCALL(eventfd2);
SYSCALL(timerfd_create);
SYSCALL(timerfd_settime);
SYSCALL(timerfd_gettime);
SYSCALL(linkat);
SYSCALL(symlinkat);
SYSCALL(dup);
SYSCALL(dup3);
SYSCALL(fcntl);
SYSCALL(ioctl);
SYSCALL(mkdirat);
SYSCALL(unlinkat);
SYSCALL(renameat);
SYSCALL(truncate);
SYSCALL(ftruncate);
SYSCALL(faccessat);
SYSCALL(chdir);
SYSCALL(fchdir);
SYSCALL(openat);
SYSCALL(close);
SYSCALL(close_range);
SYSCALL(pipe2);
SYSCALL(getdents64);
SYSCALL(lseek);
SYSCALL(read);
SYSCALL(write);
SYSCALL(readv);
SYSCALL(writev);
SYSCALL(pread64);
SYSCALL(pwrite64);
SYSCALL(readlinkat);
SYSCALL(newfstatat);
SYSCALL(fstat);
SYSCALL(sync);
SYSCALL(fsync);
SYSCALL(fdatasync);
SYSCALL(utimensat);
SYSCALL(fchmod);
SYSCALL(fchmodat);
SYSCALL(fchown);
SYSCALL(fchownat);
SYSCALL(statfs);
SYSCALL(fstatfs);
SYSCALL(umask);
SYSCALL(renameat2);
SYSCALL(faccessat2);
SYSCALL(sendfile);
SYSCALL(pselect6);
SYSCALL(ppoll);

/* --- processes (sys/sys_proc.c) -------------------------------------------------------------- */
#define NR_exit 93
#define NR_exit_group 94
#define NR_waitid 95
#define NR_set_tid_address 96
#define NR_futex 98
#define NR_set_robust_list 99
#define NR_get_robust_list 100
#define NR_setpriority 140
#define NR_getpriority 141
#define NR_setpgid 154
#define NR_getgroups 158
#define NR_getpgid 155
#define NR_getsid 156
#define NR_setsid 157
#define NR_getpid 172
#define NR_getppid 173
#define NR_getuid 174
#define NR_geteuid 175
#define NR_getgid 176
#define NR_getegid 177
#define NR_gettid 178
#define NR_clone 220
#define NR_execve 221
#define NR_wait4 260
#define NR_clone3 435
SYSCALL(exit);
SYSCALL(exit_group);
SYSCALL(waitid);
SYSCALL(set_tid_address);
SYSCALL(set_robust_list);
SYSCALL(futex); /* sys/sys_futex.c, with the robust lists */
SYSCALL(get_robust_list);
SYSCALL(setpgid);
SYSCALL(getpriority);
SYSCALL(setpriority);
SYSCALL(getgroups);
SYSCALL(prctl);
SYSCALL(getpgid);
SYSCALL(getsid);
SYSCALL(setsid);
SYSCALL(getpid);
SYSCALL(getppid);
SYSCALL(getuid);
SYSCALL(gettid);
SYSCALL(clone);
SYSCALL(execve);
SYSCALL(wait4);
SYSCALL(clone3);

/* --- memory (sys/sys_mm.c) ------------------------------------------------------------------- */
#define NR_brk 214
#define NR_munmap 215
#define NR_mremap 216
#define NR_mmap 222
#define NR_mprotect 226
#define NR_madvise 233
SYSCALL(brk);
SYSCALL(munmap);
SYSCALL(mremap);
SYSCALL(mmap);
SYSCALL(mprotect);
SYSCALL(madvise);

/* --- signals (sys/sys_signal.c) -------------------------------------------------------------- */
#define NR_kill 129
#define NR_tkill 130
#define NR_tgkill 131
#define NR_sigaltstack 132
#define NR_rt_sigsuspend 133
#define NR_rt_sigaction 134
#define NR_rt_sigprocmask 135
#define NR_rt_sigpending 136
#define NR_rt_sigtimedwait 137
#define NR_rt_sigqueueinfo 138
#define NR_rt_sigreturn 139
#define NR_rt_tgsigqueueinfo 240
SYSCALL(kill);
SYSCALL(tkill);
SYSCALL(tgkill);
SYSCALL(sigaltstack);
SYSCALL(rt_sigsuspend);
SYSCALL(rt_sigaction);
SYSCALL(rt_sigprocmask);
SYSCALL(rt_sigpending);
SYSCALL(rt_sigreturn);
SYSCALL(rt_sigtimedwait);
SYSCALL(rt_sigqueueinfo);
SYSCALL(rt_tgsigqueueinfo);

/* --- time, identity, limits (sys/sys_misc.c) ------------------------------------------------- */
#define NR_nanosleep 101
#define NR_getitimer 102
#define NR_setitimer 103
#define NR_clock_settime 112
#define NR_clock_gettime 113
#define NR_clock_getres 114
#define NR_clock_nanosleep 115
#define NR_sched_setaffinity 122
#define NR_sched_getaffinity 123
#define NR_sched_yield 124
#define NR_times 153
#define NR_uname 160
#define NR_getrlimit 163
#define NR_getrusage 165
#define NR_prctl 167
#define NR_gettimeofday 169
#define NR_settimeofday 170
#define NR_sysinfo 179
#define NR_prlimit64 261
#define NR_getrandom 278
#define NR_rseq 293
SYSCALL(nanosleep);
SYSCALL(getitimer);
SYSCALL(setitimer);
SYSCALL(clock_settime);
SYSCALL(clock_gettime);
SYSCALL(clock_getres);
SYSCALL(clock_nanosleep);
SYSCALL(sched_yield);
SYSCALL(sched_getaffinity);
SYSCALL(sched_setaffinity);
SYSCALL(times);
SYSCALL(uname);
SYSCALL(getrlimit);
SYSCALL(getrusage);
SYSCALL(gettimeofday);
SYSCALL(settimeofday);
SYSCALL(sysinfo);
SYSCALL(prlimit64);
SYSCALL(getrandom);

/* Writes a struct rusage: CPU time in ticks, peak memory in pages (sys/sys_misc.c). */
int rusage_copy_out(uint64_t uaddr, uint64_t uticks, uint64_t sticks, uint64_t maxrss_pages);

/* --- power, record locks, epoll, POSIX timers (sys/sys_power.c, sys_epoll.c, sys_timer.c) ---- */
#define NR_reboot 142
#define NR_epoll_create1 20
#define NR_epoll_ctl 21
#define NR_epoll_pwait 22
#define NR_epoll_pwait2 441
SYSCALL(reboot);
SYSCALL(epoll_create1);
SYSCALL(epoll_ctl);
SYSCALL(epoll_pwait);
SYSCALL(epoll_pwait2);
#define NR_timer_create 107
#define NR_timer_gettime 108
#define NR_timer_getoverrun 109
#define NR_timer_settime 110
#define NR_timer_delete 111
SYSCALL(timer_create);
SYSCALL(timer_gettime);
SYSCALL(timer_getoverrun);
SYSCALL(timer_settime);
SYSCALL(timer_delete);
/* The tick fires due POSIX timers; a process's end and its exec delete its timers. */
void posix_timers_tick(uint64_t now);
void posix_timers_exit(pid_t tgid);
/* How many timers notify by a signal: each keeps the signal module loaded, since its expiry
 * (in the tick) may not load it. */
unsigned posix_timers_signalling(void);

#define NR_SYSCALLS 450

/* Runs syscall tf->syscallno for the current task (sys/table.c). */
struct trap_frame;
void syscall_dispatch(struct trap_frame *tf);

#endif /* STARRY_SYS_SYSCALLS_H */
