/* What the filesystem unit tests share to drive a module: its ops table, and open that must work.
 */
#ifndef TESTS_UNIT_FS_TEST_H
#define TESTS_UNIT_FS_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <modvisor/module.h>

/* What the module's init handed out. */
static const struct mv_fs_ops *ops;

__attribute__((unused)) static struct mv_file *xopen(struct mv_fs *fs, const char *path, int flags)
{
	struct mv_file *f = NULL;
	int ret = ops->open(fs, path, flags, &f);

	if (ret != 0)
		fprintf(stderr, "open %s: %d\n", path, ret);
	assert_int_equal(ret, 0);
	assert_non_null(f);
	return f;
}

#endif
