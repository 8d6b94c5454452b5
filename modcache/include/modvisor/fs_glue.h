/* What every filesystem module does alike with the guest's services: check, log, lock. */
#ifndef MODVISOR_FS_GLUE_H
#define MODVISOR_FS_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <modvisor/module.h>

/* Whether a filesystem module can run on this services table (its init's only check). */
static inline bool mv_fs_kservices_ok(const struct mv_kservices *ks)
{
	/* An older guest's table may end before fields we call; refuse rather than read past it. */
	if (ks->version != MV_KSERVICES_VERSION || ks->size < sizeof(*ks))
		return false;
	if (!ks->alloc || !ks->free || !ks->blk_read || !ks->blk_write || !ks->blk_sectors)
		return false;
	if (ks->lock_create && (!ks->lock || !ks->unlock))
		return false;
	return true;
}

/* Logging is optional for the guest: no table or no log callback drops the line. */
static inline void mv_fs_log(const struct mv_kservices *ks, enum mv_log_level level,
			     const char *msg)
{
	if (ks && ks->log)
		ks->log(ks->ctx, level, msg);
}

/* The per-mount lock around every operation; a guest without locks gets no lock (NULL). */
static inline void mv_fs_lock(const struct mv_kservices *ks, void *lock)
{
	if (lock)
		ks->lock(ks->ctx, lock);
}

static inline void mv_fs_unlock(const struct mv_kservices *ks, void *lock)
{
	if (lock)
		ks->unlock(ks->ctx, lock);
}

#endif
