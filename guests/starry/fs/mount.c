/* The mount table: which filesystem serves a path (longest prefix on component boundaries). */
#include "fs.h"
#include <string.h>

static struct mount mounts[MOUNT_MAX];
static unsigned nmounts;

struct mount *mount_add(const char *path, const struct fs_ops *fs, const char *source,
			const char *type, void *priv, bool mounted)
{
	struct mount *m;
	size_t len = strlen(path);

	if (nmounts == MOUNT_MAX || len >= PATH_MAX)
		return NULL;
	m = &mounts[nmounts++];
	memset(m, 0, sizeof(*m));
	memcpy(m->path, path, len + 1);
	m->fs = fs;
	m->source = source;
	m->type = type;
	m->priv = priv;
	m->mounted = mounted;
	m->dev = nmounts;
	return m;
}

/* How much of path the mount point covers, or 0 when it does not. */
static size_t prefix_len(const char *mnt, const char *path)
{
	size_t len = strlen(mnt);

	if (len == 1 && mnt[0] == '/')
		return path[0] == '/' ? 1 : 0;
	if (strncmp(mnt, path, len) != 0)
		return 0;
	return path[len] == '\0' || path[len] == '/' ? len : 0;
}

struct mount *mount_find(const char *path, const char **inner)
{
	struct mount *best = NULL;
	size_t best_len = 0;

	for (unsigned i = 0; i < nmounts; i++) {
		size_t len = prefix_len(mounts[i].path, path);

		if (len > best_len) {
			best = &mounts[i];
			best_len = len;
		}
	}
	if (best && inner) {
		/* The root mount keeps the whole path; others keep what follows their prefix. */
		const char *rest = best_len == 1 ? path : path + best_len;

		*inner = rest[0] ? rest : "/";
	}
	return best;
}

/* The name of m's mount point if it sits directly in directory dir, else NULL. */
static const char *child_name(const struct mount *m, const char *dir)
{
	size_t len = strlen(dir);
	const char *rest;

	if (strcmp(m->path, "/") == 0)
		return NULL;
	if (len == 1)
		rest = m->path + 1;
	else if (strncmp(m->path, dir, len) == 0 && m->path[len] == '/')
		rest = m->path + len + 1;
	else
		return NULL;
	return strchr(rest, '/') ? NULL : rest;
}

const char *mount_child(const char *dir, unsigned i)
{
	for (unsigned k = 0; k < nmounts; k++) {
		const char *name = child_name(&mounts[k], dir);

		if (name && i-- == 0)
			return name;
	}
	return NULL;
}

bool mount_shadows(const char *dir, const char *name)
{
	for (unsigned k = 0; k < nmounts; k++) {
		const char *n = child_name(&mounts[k], dir);

		if (n && strcmp(n, name) == 0)
			return true;
	}
	return false;
}

unsigned mount_count(void)
{
	return nmounts;
}

struct mount *mount_at(unsigned i)
{
	return i < nmounts ? &mounts[i] : NULL;
}

void mount_reset(void)
{
	nmounts = 0;
}
