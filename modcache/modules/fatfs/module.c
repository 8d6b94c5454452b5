/* The fatfs module's descriptor and init: checks the guest's services, hands out the ops table. */
#include <stddef.h>
#include "fatfs.h"

#define FATFS_VERSION ((1U << 16) | 0U)

/* Each guest has its own copy of the data segment, so this is that guest's services table. */
static const struct mv_kservices *fat_ks;

const struct mv_kservices *fat_kservices(void)
{
	return fat_ks;
}

void fat_log(const struct mv_fs *fs, enum mv_log_level level, const char *msg)
{
	mv_fs_log(fs ? fs->ks : fat_ks, level, msg);
}

static int fat_init(const struct mv_kservices *ks, const void **ops)
{
	if (!ks || !ops || !mv_fs_kservices_ok(ks))
		return -MV_EINVAL;
	fat_ks = ks;
	*ops = &fsg_ops;
	return 0;
}

static void fat_exit(void)
{
	fat_ks = NULL;
}

__attribute__((visibility("default"))) struct mv_module_desc mv_module_desc = {
    .magic = MV_MODULE_MAGIC,
    .abi_version = MV_MODULE_ABI_VERSION,
    .name = "fatfs",
    .version = FATFS_VERSION,
    .kind = MV_MODULE_FS,
    .init = fat_init,
    .exit = fat_exit,
};
