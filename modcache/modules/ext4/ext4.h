/* Internal interfaces of the ext4 filesystem module, shared by its source files. */
#ifndef EXT4_H
#define EXT4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <modvisor/fs_glue.h>
#include <modvisor/le.h>
#include <modvisor/module.h>
#include "../../fs/fs_ops.h"

/* Everything below is module-internal: hidden symbols are reached PC-relatively, never by GOT. */
#pragma GCC visibility push(hidden)

#define E4_SB_OFFSET 1024U
#define E4_SB_SIZE 1024U
#define E4_MAGIC 0xEF53U
#define E4_ROOT_INO 2U
#define E4_NAME_MAX 255U
#define E4_PATH_MAX 4096U
#define E4_CACHE_SLOTS 8U
#define E4_IO_MAX_SECTORS 128U
#define E4_MAX_EXTENTS 65536U /* per file, in memory */
#define E4_EXT_MAGIC 0xF30AU
#define E4_EXT_INIT_MAX 32768U
#define E4_MAX_DEPTH 5U
#define E4_DIR_TAIL 12U
#define E4_DIR_TAIL_FT 0xDEU
#define E4_MAX_DIR_BLOCKS 65536U

/* Superblock byte offsets. */
#define SB_INODES_COUNT 0x0
#define SB_BLOCKS_LO 0x4
#define SB_FREE_BLOCKS_LO 0xC
#define SB_FREE_INODES 0x10
#define SB_FIRST_DATA_BLOCK 0x14
#define SB_LOG_BLOCK_SIZE 0x18
#define SB_LOG_CLUSTER_SIZE 0x1C
#define SB_BLOCKS_PER_GROUP 0x20
#define SB_CLUSTERS_PER_GROUP 0x24
#define SB_INODES_PER_GROUP 0x28
#define SB_WTIME 0x30
#define SB_MAGIC 0x38
#define SB_STATE 0x3A
#define SB_REV_LEVEL 0x4C
#define SB_FIRST_INO 0x54
#define SB_INODE_SIZE 0x58
#define SB_COMPAT 0x5C
#define SB_INCOMPAT 0x60
#define SB_RO_COMPAT 0x64
#define SB_UUID 0x68
#define SB_HASH_SEED 0xEC
#define SB_DEF_HASH 0xFC
#define SB_DESC_SIZE 0xFE
#define SB_FIRST_META_BG 0x104
#define SB_MKFS_TIME 0x108
#define SB_BLOCKS_HI 0x150
#define SB_FREE_BLOCKS_HI 0x158
#define SB_WANT_EXTRA_ISIZE 0x15E
#define SB_FLAGS 0x160
#define SB_CSUM_TYPE 0x175
#define SB_CSUM_SEED 0x270
#define SB_CSUM 0x3FC

#define E4_STATE_ERROR 0x2U
#define E4_FLAG_UNSIGNED_HASH 0x2U

#define COMPAT_HAS_JOURNAL 0x4U
#define COMPAT_DIR_INDEX 0x20U
#define INCOMPAT_FILETYPE 0x2U
#define INCOMPAT_RECOVER 0x4U
#define INCOMPAT_JOURNAL_DEV 0x8U
#define INCOMPAT_META_BG 0x10U
#define INCOMPAT_EXTENTS 0x40U
#define INCOMPAT_64BIT 0x80U
#define INCOMPAT_MMP 0x100U
#define INCOMPAT_FLEX_BG 0x200U
#define INCOMPAT_EA_INODE 0x400U
#define INCOMPAT_DIRDATA 0x1000U
#define INCOMPAT_CSUM_SEED 0x2000U
#define INCOMPAT_LARGEDIR 0x4000U
#define INCOMPAT_INLINE_DATA 0x8000U
#define INCOMPAT_ENCRYPT 0x10000U
#define INCOMPAT_CASEFOLD 0x20000U
#define RO_SPARSE_SUPER 0x1U
#define RO_LARGE_FILE 0x2U
#define RO_BTREE_DIR 0x4U
#define RO_HUGE_FILE 0x8U
#define RO_GDT_CSUM 0x10U
#define RO_DIR_NLINK 0x20U
#define RO_EXTRA_ISIZE 0x40U
#define RO_METADATA_CSUM 0x400U
#define RO_ORPHAN_PRESENT 0x10000U

/* Group descriptor byte offsets (the _hi halves exist when the descriptor is 64 bytes). */
#define GD_BLOCK_BITMAP 0x0
#define GD_INODE_BITMAP 0x4
#define GD_INODE_TABLE 0x8
#define GD_FREE_BLOCKS 0xC
#define GD_FREE_INODES 0xE
#define GD_USED_DIRS 0x10
#define GD_FLAGS 0x12
#define GD_BBITMAP_CSUM 0x18
#define GD_IBITMAP_CSUM 0x1A
#define GD_ITABLE_UNUSED 0x1C
#define GD_CSUM 0x1E
#define GD_HI 0x20 /* add to a _lo offset for its _hi half (4-byte fields) */
#define GD_FREE_BLOCKS_HI 0x2C
#define GD_FREE_INODES_HI 0x2E
#define GD_USED_DIRS_HI 0x30
#define GD_ITABLE_UNUSED_HI 0x32
#define GD_BBITMAP_CSUM_HI 0x38
#define GD_IBITMAP_CSUM_HI 0x3A
#define BG_INODE_UNINIT 0x1U
#define BG_BLOCK_UNINIT 0x2U

/* Inode byte offsets. */
#define I_MODE 0x0
#define I_UID 0x2
#define I_SIZE_LO 0x4
#define I_ATIME 0x8
#define I_CTIME 0xC
#define I_MTIME 0x10
#define I_DTIME 0x14
#define I_GID 0x18
#define I_LINKS 0x1A
#define I_BLOCKS_LO 0x1C
#define I_FLAGS 0x20
#define I_BLOCK 0x28
#define I_BLOCK_LEN 60U
#define I_GENERATION 0x64
#define I_FILE_ACL_LO 0x68
#define I_SIZE_HI 0x6C
#define I_BLOCKS_HI 0x74
#define I_FILE_ACL_HI 0x76
#define I_CSUM_LO 0x7C
#define I_EXTRA_ISIZE 0x80
#define I_CSUM_HI 0x82
#define I_CRTIME 0x90
#define I_GOOD_OLD_SIZE 128U

#define IF_INDEX 0x1000U
#define IF_HUGE_FILE 0x40000U
#define IF_EXTENTS 0x80000U
#define IF_INLINE_DATA 0x10000000U

#define E4_S_IFMT 0170000U
#define E4_S_IFREG 0100000U
#define E4_S_IFDIR 0040000U
#define E4_S_IFLNK 0120000U

#define E4_FT_REG 1U
#define E4_FT_DIR 2U

struct e4_cache_slot {
	uint64_t block;
	uint64_t stamp;
	uint8_t *data;
	bool valid;
};

/* One run of a file's block map: blocks lblk .. lblk+len-1 live at pblk .. pblk+len-1. */
struct e4_extent {
	uint32_t lblk;
	uint32_t len;
	uint64_t pblk;
	bool uninit; /* allocated but unwritten: reads as zeros */
};

/*
 * An inode in use: shared by every handle on it, so all see one size and one block map. The
 * block map is read whole into memory on first use and written back as a fresh extent tree
 * (reusing the old tree's blocks) whenever it changes.
 */
struct e4_node {
	struct e4_node *next;
	uint32_t refs;
	uint32_t ino;
	bool unlinked;	 /* no name left: freed at the last close */
	bool map_loaded; /* ext/next below are valid */
	bool blockmap;	 /* the inode uses the old indirect map, not extents */
	uint8_t *raw;	 /* the on-disk inode, fs->inode_size bytes */
	struct e4_extent *ext;
	uint32_t next_cnt, ext_cap;
	uint64_t *tree; /* blocks the on-disk map uses besides data (extent or indirect blocks) */
	uint32_t ntree, tree_cap;
};

struct mv_fs {
	const struct mv_kservices *ks;
	void *lock;
	uint8_t sb[E4_SB_SIZE];
	uint32_t bs;  /* block size in bytes */
	uint32_t spb; /* sectors per block */
	uint64_t blocks_count;
	uint32_t first_data_block;
	uint32_t bpg, ipg, ngroups;
	uint32_t inode_size, desc_size, first_ino;
	uint32_t incompat, ro_compat;
	bool rdonly;
	bool csum;     /* metadata_csum: crc32c */
	bool gdt_csum; /* uninit_bg: crc16 group descriptors */
	uint32_t seed; /* crc32c of the uuid, or the stored seed */
	uint8_t *gdt;  /* every group descriptor, desc_size bytes each */
	uint64_t gdt_start;
	uint32_t hash_seed[4];
	uint8_t hash_version;
	uint64_t stamp;
	struct e4_cache_slot cache[E4_CACHE_SLOTS];
	uint8_t *zero; /* one zeroed block */
	struct e4_node *nodes;
	uint32_t gen; /* generation numbers for new inodes */
	uint64_t last_goal;
	bool sb_dirty;
};

#define E4_FILE_MAGIC 0x45585434U

struct mv_file {
	uint32_t magic;
	int flags;
	struct mv_fs *fs;
	struct e4_node *node;
	uint64_t pos; /* byte offset (directories: of the next entry) */
};

/* module.c */
const struct mv_kservices *e4_kservices(void);
void e4_log(const struct mv_fs *fs, enum mv_log_level level, const char *msg);

/* crc.c: the raw CRC32C register (no final inversion) as ext4 uses it, and uninit_bg's CRC16. */
uint32_t e4_crc32c(uint32_t crc, const void *buf, size_t len);
uint16_t e4_crc16(uint16_t crc, const void *buf, size_t len);

/* super.c */
int e4_mount(const struct mv_kservices *ks, struct mv_fs **out);
int e4_unmount(struct mv_fs *fs);
void e4_destroy(struct mv_fs *fs);
int e4_sync(struct mv_fs *fs);
int e4_write_super(struct mv_fs *fs);
void *e4_alloc_mem(const struct mv_fs *fs, size_t size);
void e4_free_mem(const struct mv_fs *fs, void *p);
uint64_t e4_now(const struct mv_fs *fs);

/* group.c */
uint8_t *gd_get(const struct mv_fs *fs, uint32_t group);
uint64_t gd_block_bitmap(const struct mv_fs *fs, uint32_t group);
uint64_t gd_inode_bitmap(const struct mv_fs *fs, uint32_t group);
uint64_t gd_inode_table(const struct mv_fs *fs, uint32_t group);
uint32_t gd_get_count(const struct mv_fs *fs, uint32_t group, uint32_t lo_off, uint32_t hi_off);
void gd_set_count(struct mv_fs *fs, uint32_t group, uint32_t lo_off, uint32_t hi_off, uint32_t v);
bool gd_csum_ok(const struct mv_fs *fs, uint32_t group);
/* Re-checksums the group's descriptor and writes the block that holds it. */
int gd_write(struct mv_fs *fs, uint32_t group);
uint32_t bitmap_csum(const struct mv_fs *fs, const uint8_t *bitmap, uint32_t bits);
uint64_t sb_free_blocks(const struct mv_fs *fs);
void sb_set_free_blocks(struct mv_fs *fs, uint64_t v);

/* bcache.c */
int e4_dev_read(const struct mv_fs *fs, uint64_t block, void *buf, uint32_t nblocks);
int e4_dev_write(const struct mv_fs *fs, uint64_t block, const void *buf, uint32_t nblocks);
int cache_init(struct mv_fs *fs);
void cache_destroy(struct mv_fs *fs);
/* Whole blocks, copied: a caller never holds a pointer into the cache. */
int cache_read(struct mv_fs *fs, uint64_t block, void *buf);
int cache_write(struct mv_fs *fs, uint64_t block, const void *buf);
void cache_forget(struct mv_fs *fs, uint64_t block);
bool e4_block_valid(const struct mv_fs *fs, uint64_t block, uint64_t count);

/* balloc.c: block allocation near goal; count blocks in one run, *got of them allocated. */
int balloc_alloc(struct mv_fs *fs, uint64_t goal, uint32_t count, uint64_t *start, uint32_t *got);
int balloc_free(struct mv_fs *fs, uint64_t start, uint32_t count);

/* inode.c */
int inode_read(struct mv_fs *fs, uint32_t ino, uint8_t *raw);
int inode_write(struct mv_fs *fs, uint32_t ino, uint8_t *raw);
int inode_alloc(struct mv_fs *fs, uint32_t parent, bool dir, uint32_t *ino);
int inode_free(struct mv_fs *fs, uint32_t ino, bool dir);
uint32_t inode_csum_seed(const struct mv_fs *fs, uint32_t ino, const uint8_t *raw);
uint64_t inode_size(const uint8_t *raw);
void inode_set_size(uint8_t *raw, uint64_t size);
uint32_t inode_mode(const uint8_t *raw);
uint64_t inode_file_acl(const struct mv_fs *fs, const uint8_t *raw);
void inode_add_blocks(struct mv_fs *fs, uint8_t *raw, int64_t nblocks);
uint64_t inode_blocks512(const uint8_t *raw);
void inode_touch(struct mv_fs *fs, uint8_t *raw, bool mtime);

/* extent.c: the block map in memory, and its on-disk forms */
int map_load(struct mv_fs *fs, struct e4_node *node);
/* The extent holding lblk, or NULL for a hole. */
const struct e4_extent *map_find(const struct e4_node *node, uint32_t lblk);
int map_insert(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, uint64_t pblk, uint32_t len);
int map_trim(struct mv_fs *fs, struct e4_node *node, uint32_t keep);
int map_store(struct mv_fs *fs, struct e4_node *node);
void map_init_empty(struct e4_node *node);
void map_release(struct mv_fs *fs, struct e4_node *node);
uint32_t map_last_block(const struct e4_node *node, uint64_t *pblk);

/* node.c */
int node_get(struct mv_fs *fs, uint32_t ino, struct e4_node **out);
int node_put(struct mv_fs *fs, struct e4_node *node);
struct e4_node *node_find(const struct mv_fs *fs, uint32_t ino);
int node_write(struct mv_fs *fs, struct e4_node *node);
int node_bmap(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, uint64_t *pblk);
/* Maps lblk to a new block (zeroed when zero), keeping the map on disk in step. */
int node_alloc_block(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, bool zero,
		     uint64_t *pblk);
int node_release(struct mv_fs *fs, struct e4_node *node);

/* dir.c */
struct e4_dirent {
	uint32_t ino;
	uint8_t type;
	uint8_t name_len;
	char name[E4_NAME_MAX + 1];
	uint64_t pos; /* byte offset of the entry in its directory */
};
int dir_block_read(struct mv_fs *fs, struct e4_node *dir, uint32_t lblk, uint8_t *buf,
		   bool *is_leaf);
int dir_block_write(struct mv_fs *fs, struct e4_node *dir, uint32_t lblk, uint8_t *buf);
/* 1 and the entry at or after *pos (advanced past it), 0 at the end. */
int dir_next(struct mv_fs *fs, struct e4_node *dir, uint64_t *pos, struct e4_dirent *de);
int dir_lookup(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len,
	       struct e4_dirent *de);
int dir_add(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len, uint32_t ino,
	    uint8_t type);
int dir_remove(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len);
int dir_set_dotdot(struct mv_fs *fs, struct e4_node *dir, uint32_t parent);
int dir_is_empty(struct mv_fs *fs, struct e4_node *dir);
int dir_init(struct mv_fs *fs, struct e4_node *dir, uint32_t parent);
uint32_t dir_rec_len(const struct mv_fs *fs, const uint8_t *p);
void dir_put_rec_len(const struct mv_fs *fs, uint8_t *p, uint32_t len);
void dir_set_tail(const struct mv_fs *fs, uint8_t *buf);

/* htree.c */
/* Where a hashed lookup stands: the name's hash, and the entry taken in each index block. */
struct dx_path {
	uint32_t hash;
	uint32_t levels; /* interior levels below the root */
	uint32_t blk[3]; /* the index block at each level (the root is block 0) */
	uint32_t at[3];	 /* the entry taken there */
};
/* 1 and the leaf block the hashed index gives for name, 0 if the directory is not indexed;
 * buf is one block of scratch space. */
int htree_find_leaf(struct mv_fs *fs, struct e4_node *dir, const char *name, uint32_t len,
		    struct dx_path *p, uint8_t *buf, uint32_t *lblk);
/* 1 and the next leaf when the run of the name's hash goes on into it, 0 when it does not. */
int htree_next_leaf(struct mv_fs *fs, struct e4_node *dir, struct dx_path *p, uint8_t *buf,
		    uint32_t *lblk);
/* The root block (block 0) of an indexed directory: checked as read, its dx_tail checksum set
 * (with metadata_csum) before it is written. */
int htree_root_check(const struct mv_fs *fs, const struct e4_node *dir, const uint8_t *buf);
int htree_root_seal(const struct mv_fs *fs, const struct e4_node *dir, uint8_t *buf);
int htree_drop(struct mv_fs *fs, struct e4_node *dir);
uint32_t htree_hash(const struct mv_fs *fs, const char *name, uint32_t len, uint8_t version);

/* file.c (its read, write, seek and close, and namei.c's and rename.c's operations, are
 * declared in fs_ops.h) */
int file_truncate(struct mv_fs *fs, struct e4_node *node, uint64_t len);

/* path.c */
struct path_res {
	uint32_t parent; /* directory that holds (or would hold) the last component */
	bool is_root;
	bool trailing_slash;
	uint32_t len;
	char name[E4_NAME_MAX + 1];
};
int path_resolve_parent(struct mv_fs *fs, const char *path, struct path_res *res);

/* namei.c */
/* Drops one link of ino (a directory loses two and its parent one). */
int namei_drop_link(struct mv_fs *fs, uint32_t ino, bool dir);

#pragma GCC visibility pop

#endif /* EXT4_H */
