/* Path normalisation: absolute or relative paths against a cwd, "." and "..", slashes. */
#include "fs.h"
#include <string.h>

/* Appends one component; "." is skipped, ".." drops the last one (staying at the root). */
static int push_component(char *out, size_t *len, const char *comp, size_t clen)
{
	if (clen == 1 && comp[0] == '.')
		return 0;
	if (clen == 2 && comp[0] == '.' && comp[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the '/' before it */
		out[*len] = '\0';
		return 0;
	}
	if (*len + 1 + clen >= PATH_MAX)
		return -ENAMETOOLONG;
	out[(*len)++] = '/';
	memcpy(out + *len, comp, clen);
	*len += clen;
	out[*len] = '\0';
	return 0;
}

/* Pushes every component of s; out holds the path so far without a trailing '/'. */
static int push_all(char *out, size_t *len, const char *s)
{
	while (*s) {
		const char *end;
		int ret;

		while (*s == '/')
			s++;
		if (!*s)
			break;
		end = s;
		while (*end && *end != '/')
			end++;
		ret = push_component(out, len, s, (size_t)(end - s));
		if (ret < 0)
			return ret;
		s = end;
	}
	return 0;
}

/* strnlen is POSIX, not C11: the host tests build this file with -std=c11. */
static bool longer_than(const char *s, size_t max)
{
	for (size_t i = 0; i <= max; i++)
		if (!s[i])
			return false;
	return true;
}

int path_normalise(const char *cwd, const char *path, char *out)
{
	size_t len = 0;
	int ret;

	out[0] = '\0';
	if (!path[0])
		return -ENOENT;
	if (longer_than(path, PATH_MAX - 1))
		return -ENAMETOOLONG;
	if (path[0] != '/') {
		ret = push_all(out, &len, cwd ? cwd : "/");
		if (ret < 0)
			return ret;
	}
	ret = push_all(out, &len, path);
	if (ret < 0) {
		out[0] = '\0';
		return ret;
	}
	if (len == 0) {
		out[0] = '/';
		out[1] = '\0';
	}
	return 0;
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void path_parent(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;

	if (len == 0) {
		out[0] = '/';
		out[1] = '\0';
		return;
	}
	memcpy(out, path, len);
	out[len] = '\0';
}
