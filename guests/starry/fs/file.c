/* Open file objects: allocation and reference counting. */
#include "fs.h"
#include <string.h>

struct file *file_alloc_named(const struct file_ops *ops, void *priv, unsigned flags,
			      const char *path)
{
	/* Every caller's path is a normalised one, shorter than PATH_MAX. */
	size_t len = strlen(path);
	struct file *f = kmalloc(sizeof(*f) + len + 1);

	if (!f)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->refs = 1;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags;
	memcpy(f->path, path, len);
	f->path[len] = '\0';
	return f;
}

struct file *file_alloc(const struct file_ops *ops, void *priv, unsigned flags)
{
	return file_alloc_named(ops, priv, flags, "");
}

struct file *file_get(struct file *f)
{
	f->refs++;
	return f;
}

void file_put(struct file *f)
{
	if (!f || --f->refs > 0)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	kfree(f);
}
