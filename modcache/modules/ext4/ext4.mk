MODULES += ext4
MODULE_SRCS_ext4 := $(addprefix modcache/modules/ext4/,module.c ops.c super.c group.c bcache.c balloc.c inode.c extent.c node.c dir.c htree.c path.c namei.c rename.c file.c crc.c)
# The mv_fs_ops table shared with the other filesystem modules.
MODULE_SRCS_ext4 += modcache/fs/fs_ops.c
