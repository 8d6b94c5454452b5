# Host unit tests for the fatfs module (modcache/modules/fatfs) on mkfs.vfat/mtools images.
UNIT_TESTS += fatfs
UNIT_SRCS_fatfs := tests/unit/test_fatfs.c modcache/modules/fatfs/module.c modcache/modules/fatfs/ops.c modcache/modules/fatfs/bpb.c modcache/modules/fatfs/cache.c modcache/modules/fatfs/fat.c modcache/modules/fatfs/dir.c modcache/modules/fatfs/dindex.c modcache/modules/fatfs/name.c modcache/modules/fatfs/path.c modcache/modules/fatfs/namei.c modcache/modules/fatfs/rename.c modcache/modules/fatfs/node.c modcache/modules/fatfs/file.c modcache/modules/fatfs/fattime.c modcache/fs/fs_ops.c lib/fmt.c
UNIT_CFLAGS_fatfs := -Imodcache/include
$(BUILD)/unit/fatfs: $(wildcard modcache/modules/fatfs/*.h) modcache/include/modvisor/fs_glue.h \
	modcache/include/modvisor/le.h tests/unit/host_io.h tests/unit/fake_ks.h tests/unit/fs_test.h modcache/fs/fs_ops.h
