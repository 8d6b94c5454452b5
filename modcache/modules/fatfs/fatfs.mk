MODULES += fatfs
MODULE_SRCS_fatfs := modcache/modules/fatfs/module.c modcache/modules/fatfs/ops.c modcache/modules/fatfs/bpb.c modcache/modules/fatfs/cache.c modcache/modules/fatfs/fat.c modcache/modules/fatfs/dir.c modcache/modules/fatfs/dindex.c modcache/modules/fatfs/name.c modcache/modules/fatfs/path.c modcache/modules/fatfs/namei.c modcache/modules/fatfs/rename.c modcache/modules/fatfs/node.c modcache/modules/fatfs/file.c modcache/modules/fatfs/fattime.c
# The mv_fs_ops table shared with the other filesystem modules.
MODULE_SRCS_fatfs += modcache/fs/fs_ops.c
