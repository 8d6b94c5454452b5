/* What every filesystem module does alike with the guest's services: check, log, lock. */
#ifndef MODVISOR_FS_GLUE_H
#define MODVISOR_FS_GLUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

/* Whether a guest's path runs max bytes without its NUL (strnlen() is POSIX, not C11: host test
 * builds would not see its declaration). */
static inline bool mv_path_too_long(const char *path, uint32_t max)
{
	for (uint32_t i = 0; i < max; i++) {
		if (path[i] == '\0')
			return false;
	}
	return true;
}

/* Splits the path component at p (no leading slash): its length, and in *next where the following
 * one starts, past any slashes. "." and ".." are refused: the modules only walk down from root. */
static inline int mv_path_component(const char *p, size_t *len, const char **next)
{
	const char *end = p, *q;

	while (*end && *end != '/')
		end++;
	for (q = end; *q == '/'; q++)
		;
	*len = (size_t)(end - p);
	*next = q;
	if ((*len == 1 && p[0] == '.') || (*len == 2 && p[0] == '.' && p[1] == '.'))
		return -MV_EINVAL;
	return 0;
}

#endif
