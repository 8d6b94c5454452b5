/* The ext4 module's descriptor and init: checks the guest's services, hands out the ops table. */
#include <stddef.h>
#include "ext4.h"

#define EXT4_VERSION ((1U << 16) | 0U)

/* Each guest has its own copy of the data segment, so this is that guest's services table. */
static const struct mv_kservices *e4_ks;

const struct mv_kservices *e4_kservices(void)
{
	return e4_ks;
}

void e4_log(const struct mv_fs *fs, enum mv_log_level level, const char *msg)
{
	mv_fs_log(fs ? fs->ks : e4_ks, level, msg);
}

static int e4_init(const struct mv_kservices *ks, const void **ops)
{
	if (!ks || !ops || !mv_fs_kservices_ok(ks))
		return -MV_EINVAL;
	e4_ks = ks;
	*ops = &fsg_ops;
	return 0;
}

static void e4_exit(void)
{
	e4_ks = NULL;
}

__attribute__((visibility("default"))) struct mv_module_desc mv_module_desc = {
    .magic = MV_MODULE_MAGIC,
    .abi_version = MV_MODULE_ABI_VERSION,
    .name = "ext4",
    .version = EXT4_VERSION,
    .kind = MV_MODULE_FS,
    .init = e4_init,
    .exit = e4_exit,
};
