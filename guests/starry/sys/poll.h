/* What the waits on descriptors share (sys/sys_fs.c's ppoll and pselect6, sys/sys_epoll.c):
 * readiness of a file, the sleep between two looks, the signal mask held for the call. */
#ifndef STARRY_SYS_POLL_H
#define STARRY_SYS_POLL_H

#include "../kernel.h"
#include <modvisor/module.h>

struct file;

/* What a file is ready for (POLLIN...), with the "normal data" twins Linux reports along. */
unsigned file_poll(struct file *f);
/* One sleep between two looks at the descriptors: 1 to look again, 0 at the deadline
 * (monotonic ns, UINT64_MAX for none), or -EINTR for a signal. */
int poll_sleep(uint64_t deadline);
/* Installs the user's signal mask (umask, size) for the call; *old gets the mask to put
 * back with poll_mask_end. 0 (also when umask is 0: nothing installed) or -errno. */
int poll_mask_begin(uint64_t umask, uint64_t size, bool *set, mv_sigset_t *old);
/* Puts the mask back: at once, or after the handler when ret is -EINTR. */
void poll_mask_end(bool set, mv_sigset_t old, long ret);

#endif /* STARRY_SYS_POLL_H */
