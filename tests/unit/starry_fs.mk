# Host unit tests for Starry's VFS core: paths, mounts and fd tables (guests/starry/fs), and tmpfs.
STARRY_FS_CORE := guests/starry/fs/path.c guests/starry/fs/mount.c guests/starry/fs/file.c \
	guests/starry/fs/fdtable.c
UNIT_TESTS += starry_fs
UNIT_SRCS_starry_fs := tests/unit/test_starry_fs.c $(STARRY_FS_CORE)
UNIT_CFLAGS_starry_fs := -Iguests/starry -Iguests/lib -Imodcache/include
$(BUILD)/unit/starry_fs: $(wildcard guests/starry/fs/*.h guests/starry/*.h)

UNIT_TESTS += starry_vfs
UNIT_SRCS_starry_vfs := tests/unit/test_starry_vfs.c $(STARRY_FS_CORE) guests/starry/fs/vfs.c \
	guests/starry/fs/tmpfs.c guests/starry/fs/pipe.c lib/fmt.c
UNIT_CFLAGS_starry_vfs := -Iguests/starry -Iguests/lib -Imodcache/include
$(BUILD)/unit/starry_vfs: $(wildcard guests/starry/fs/*.h guests/starry/*.h guests/starry/proc/*.h)
