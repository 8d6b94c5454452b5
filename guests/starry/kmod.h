/* The modules Starry loads from the hypervisor on a miss: fatfs (the root) and signal. */
#ifndef STARRY_KMOD_H
#define STARRY_KMOD_H

#include "kernel.h"

/* The record of a module by name ("fatfs", "signal"); NULL for any other name. */
struct gmod *kmod_get(const char *name);
/* Loads m because `what` found it missing, logging why and how the hypervisor served it.
 * 0 or a negative MV_ERR_* value. Returns 0 at once when m is already loaded. */
int kmod_load_on_miss(struct gmod *m, const char *what);
unsigned kmod_count(void);
const struct gmod *kmod_at(unsigned i);
/* What pins m now (open files for a filesystem; see signal_users for signals). */
unsigned kmod_users(const struct gmod *m);
/* Unloads the modules that have been idle for the modidle= time; called where the kernel has
 * nothing else to do (the idle loop), never from an interrupt. */
void kmod_idle_check(void);

#endif /* STARRY_KMOD_H */
