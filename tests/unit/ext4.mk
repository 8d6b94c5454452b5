# Host unit tests for the ext4 module (modcache/modules/ext4) on mkfs.ext4 images, e2fsck-checked.
UNIT_TESTS += ext4
UNIT_SRCS_ext4 := tests/unit/test_ext4.c $(MODULE_SRCS_ext4) lib/fmt.c
UNIT_CFLAGS_ext4 := -Imodcache/include
$(BUILD)/unit/ext4: $(wildcard modcache/modules/ext4/*.h) modcache/include/modvisor/fs_glue.h \
	modcache/include/modvisor/le.h tests/unit/host_io.h tests/unit/fake_ks.h tests/unit/fs_test.h modcache/fs/fs_ops.h
