/* Open file objects: allocation and reference counting. */
#include "fs.h"
#include <string.h>

struct file *file_alloc(const struct file_ops *ops, void *priv, unsigned flags)
{
	struct file *f = kmalloc(sizeof(*f));

	if (!f)
		return NULL;
	memset(f, 0, sizeof(*f));
	f->refs = 1;
	f->ops = ops;
	f->priv = priv;
	f->flags = flags;
	return f;
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
