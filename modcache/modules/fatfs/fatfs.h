/* Internal interfaces of the FAT12/16/32 filesystem module, shared by its source files. */
#ifndef FATFS_H
#define FATFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <modvisor/fs_glue.h>
#include <modvisor/le.h>
#include <modvisor/module.h>
#include "../../fs/fs_ops.h"

/* Everything below is module-internal: hidden symbols are reached PC-relatively, never by GOT. */
#pragma GCC visibility push(hidden)

#define FAT_SECTOR 512U
#define FAT_SLOT 32U /* bytes per directory slot */
#define FAT_SLOTS_PER_SECTOR (FAT_SECTOR / FAT_SLOT)
#define FAT_MAX_DIR_SLOTS 65536U /* the spec caps a directory at 2 MiB of slots */
#define FAT_MAX_FILE_SIZE 0xFFFFFFFFULL
#define FAT_LFN_MAX 255U
#define FAT_LFN_CHARS 13U /* UCS-2 units per LFN slot */
#define FAT_LFN_SLOTS_MAX 20U
#define FAT_CACHE_SLOTS 8U
#define FAT_IO_MAX_SECTORS 128U /* largest single blk_read/blk_write we issue */
#define FAT_PATH_MAX 4096U
#define FAT_DIX_DIRS 8U		     /* directories indexed at once, per mount */
#define FAT_DIX_BUDGET (64U * 1024U) /* bytes of index per mount (docs/fatfs.md) */
#define FAT_DIX_NOTES 16U	     /* directories remembered as left to the scan */

#define FAT_ATTR_RO 0x01U
#define FAT_ATTR_HIDDEN 0x02U
#define FAT_ATTR_SYSTEM 0x04U
#define FAT_ATTR_VOLUME 0x08U
#define FAT_ATTR_DIR 0x10U
#define FAT_ATTR_ARCHIVE 0x20U
#define FAT_ATTR_LFN 0x0FU
#define FAT_ATTR_LFN_MASK 0x3FU

#define FAT_NT_LOWER_BASE 0x08U
#define FAT_NT_LOWER_EXT 0x10U

#define FAT_SLOT_FREE 0xE5U
#define FAT_SLOT_END 0x00U
#define FAT_LFN_LAST 0x40U

/* Byte offsets inside a 32-byte short-name slot. */
#define DE_NAME 0
#define DE_ATTR 11
#define DE_NTRES 12
#define DE_CTIME_TENTH 13
#define DE_CTIME 14
#define DE_CDATE 16
#define DE_ADATE 18
#define DE_CLUS_HI 20
#define DE_WTIME 22
#define DE_WDATE 24
#define DE_CLUS_LO 26
#define DE_SIZE 28

enum fat_type { FAT12 = 12, FAT16 = 16, FAT32 = 32 };

struct fat_cache_slot {
	uint64_t sector;
	uint64_t stamp; /* last use, for LRU eviction */
	uint8_t *data;
	bool valid;
	bool dirty;
};

/*
 * In-memory state of an open file or directory, shared by every handle on it so that two
 * handles see one size and one cluster chain. The directory entry is written through on
 * every change, so lookups by path never need the node.
 */
struct fat_node {
	struct fat_node *next;
	uint32_t refs;
	uint8_t attr;
	bool is_root;
	bool unlinked; /* entry removed while open: chain freed at the last close */
	uint32_t first_clus;
	uint32_t size;
	uint16_t wdate; /* kept here too: an unlinked node's slot may already be reused */
	uint16_t wtime;
	uint64_t ent_sector; /* where the short-name slot lives */
	uint32_t ent_off;
	/* Files only: the chain was checked against the size when the node was made. */
	uint32_t nclus;
	uint32_t last_clus;
	uint32_t hint_idx; /* a known (index, cluster) pair, so sequential access walks little */
	uint32_t hint_clus;
};

/* A cursor over the slots of one directory. */
struct dir_iter {
	uint32_t dir_clus; /* 0: the fixed FAT12/16 root */
	uint32_t idx;	   /* slot index */
	uint32_t clus;	   /* cluster holding slot idx; 0 once the chain has ended */
	/* Long-name assembly over the slots just before a short-name slot. */
	uint32_t lfn_first;
	uint8_t lfn_sum;
	uint8_t lfn_next;  /* sequence number expected next; 0 when complete */
	uint8_t lfn_count; /* 0: no long name pending */
};

/* A decoded short-name slot and where it (and its long-name slots) live. */
struct fat_dirent {
	uint8_t raw[FAT_SLOT];
	uint8_t attr;
	uint32_t clus;
	uint32_t size;
	bool has_lfn; /* the long name is in fs->lfn until the next directory scan */
	uint32_t dir_clus;
	uint32_t first_idx;
	uint32_t sfn_idx;
	uint64_t sector;
	uint32_t off;
};

struct fat_dix;

/* A directory left to the scan: too big for the budget (until entries have gone), or so small
 * that scanning it is as cheap (until entries have come). */
struct fat_dix_note {
	uint32_t dir_clus;
	uint32_t changes; /* removals (big) or additions (small) since */
	bool used;
	bool big;
};

struct mv_fs {
	const struct mv_kservices *ks;
	void *lock;
	enum fat_type type;
	uint32_t spc; /* sectors per cluster */
	uint32_t clus_bytes;
	uint32_t slots_per_clus;
	uint32_t nfats;
	uint32_t fat_sectors; /* per copy */
	uint32_t fat0_start;  /* first sector of FAT copy 0 */
	uint32_t fat_start;   /* first sector of the FAT copy we read */
	bool fat_mirror;      /* write every FAT copy */
	uint32_t root_start;  /* FAT12/16 fixed root */
	uint32_t root_slots;
	uint32_t root_clus; /* FAT32 */
	uint32_t data_start;
	uint32_t nclusters; /* data clusters: valid numbers are 2 .. nclusters + 1 */
	uint32_t total_sectors;
	uint32_t fsinfo_sector; /* 0: none usable */
	uint32_t free_count;	/* 0xFFFFFFFF: unknown */
	uint32_t next_free;
	bool fsinfo_dirty;
	uint64_t stamp;
	struct fat_cache_slot cache[FAT_CACHE_SLOTS];
	uint8_t *zero; /* one zeroed sector for zero-filling */
	struct fat_node *nodes;
	uint16_t lfn[FAT_LFN_SLOTS_MAX * FAT_LFN_CHARS];
	uint32_t lfn_len;
	/* Directory-entry indexes (dindex.c); dix_budget 0 turns them off. */
	struct fat_dix *dix[FAT_DIX_DIRS];
	struct fat_dix_note dix_note[FAT_DIX_NOTES];
	struct fat_dix *dix_hot; /* what dix_get() said last, for dix_hot_clus (NULL: scan) */
	uint32_t dix_hot_clus;
	bool dix_hot_valid;
	uint32_t dix_bytes;
	uint32_t dix_budget;
	uint64_t dix_stamp;
};

#define FAT_FILE_MAGIC 0x46415446U

struct mv_file {
	uint32_t magic;
	int flags;
	struct mv_fs *fs;
	struct fat_node *node;
	uint64_t pos;	    /* byte offset, or slot index for directories */
	struct dir_iter it; /* directories: cursor at pos */
	bool it_valid;
};

/* module.c */
const struct mv_kservices *fat_kservices(void);
void fat_log(const struct mv_fs *fs, enum mv_log_level level, const char *msg);

/* bpb.c */
int fat_mount(const struct mv_kservices *ks, struct mv_fs **out);
int fat_unmount(struct mv_fs *fs);
void fat_destroy(struct mv_fs *fs);
int fat_sync(struct mv_fs *fs);
void *fat_alloc_mem(const struct mv_fs *fs, size_t size);
void fat_free_mem(const struct mv_fs *fs, void *p);
int fat_blk_read(const struct mv_fs *fs, uint64_t sector, void *buf, uint32_t count);
int fat_blk_write(const struct mv_fs *fs, uint64_t sector, const void *buf, uint32_t count);

/* cache.c */
int cache_init(struct mv_fs *fs);
void cache_destroy(struct mv_fs *fs);
int cache_read(struct mv_fs *fs, uint64_t sector, uint32_t off, void *buf, uint32_t len);
/* buf NULL writes zeros; fresh skips reading a sector whose old contents do not matter. */
int cache_write(struct mv_fs *fs, uint64_t sector, uint32_t off, const void *buf, uint32_t len,
		bool fresh);
int cache_flush(struct mv_fs *fs);
int cache_flush_range(struct mv_fs *fs, uint64_t start, uint32_t count);
void cache_drop_range(struct mv_fs *fs, uint64_t start, uint32_t count);

/* fat.c */
bool fat_clus_valid(const struct mv_fs *fs, uint32_t clus);
uint64_t fat_clus_sector(const struct mv_fs *fs, uint32_t clus);
int fat_get(struct mv_fs *fs, uint32_t clus, uint32_t *val);
int fat_set(struct mv_fs *fs, uint32_t clus, uint32_t val);
/* 0 and the next cluster, or 0 in *next at the end of the chain; -MV_EUCLEAN if broken. */
int fat_next(struct mv_fs *fs, uint32_t clus, uint32_t *next);
/* Allocates a cluster marked end-of-chain and links it after prev (0: none). */
int fat_alloc(struct mv_fs *fs, uint32_t prev, uint32_t *out);
int fat_free_chain(struct mv_fs *fs, uint32_t start);
int fat_end_chain(struct mv_fs *fs, uint32_t clus);
/* Walks a chain of at most limit clusters; -MV_EUCLEAN if it is longer or broken. */
int fat_chain_len(struct mv_fs *fs, uint32_t start, uint32_t limit, uint32_t *len, uint32_t *last);
int fat_zero_clus(struct mv_fs *fs, uint32_t clus);
int fat_write_fsinfo(struct mv_fs *fs);

/* fattime.c */
void fat_time_now(const struct mv_fs *fs, uint16_t *date, uint16_t *time, uint8_t *tenth);
uint64_t fat_time_to_unix(uint16_t date, uint16_t time);

/* name.c */
int name_from_utf8(const char *s, size_t n, uint16_t *out, uint32_t *len);
/* UTF-8 into buf (size bytes with NUL); -MV_ENAMETOOLONG if it does not fit. */
int name_to_utf8(const uint16_t *name, uint32_t len, char *buf, size_t size);
bool name_valid_long(const uint16_t *name, uint32_t len);
bool name_eq(const uint16_t *a, uint32_t alen, const uint16_t *b, uint32_t blen);
uint32_t name_sfn_display(const uint8_t *raw, uint16_t *out);
/* Whether a long name can be handed out as a path component. */
bool name_displayable(const uint16_t *name, uint32_t len);
uint8_t name_lfn_sum(const uint8_t *sfn);
/*
 * The short name for a new entry: *need_lfn when the long name must be kept in LFN slots,
 * *need_tail when the basis must get a ~N tail to be a valid alias.
 */
void name_make_basis(const uint16_t *name, uint32_t len, uint8_t sfn[11], uint8_t *ntres,
		     bool *need_lfn, bool *need_tail);
/* If sfn has the form basis~N (same extension), N; else 0. */
uint32_t name_tail_number(const uint8_t *basis, const uint8_t *sfn);
void name_apply_tail(const uint8_t *basis, uint32_t n, uint8_t *sfn);

/* dir.c */
/* Takes one LFN slot into the long name being assembled at it (fs->lfn). */
void dir_lfn_take(struct mv_fs *fs, struct dir_iter *it, const uint8_t *raw);
/* Fills de from the short-name slot raw at it->idx, with the long name assembled so far. */
void dir_decode(const struct mv_fs *fs, const struct dir_iter *it, const uint8_t *raw,
		struct fat_dirent *de);
/* The plain scans the index stands in for, also used when a directory has no index. */
int dir_lookup_scan(struct mv_fs *fs, uint32_t dir_clus, const uint16_t *name, uint32_t len,
		    struct fat_dirent *de);
int dir_iter_init(struct mv_fs *fs, struct dir_iter *it, uint32_t dir_clus);
int dir_iter_seek(struct mv_fs *fs, struct dir_iter *it, uint32_t dir_clus, uint32_t idx);
/* 1 and the next short-name slot (deleted and LFN slots consumed), 0 at the end. */
int dir_next(struct mv_fs *fs, struct dir_iter *it, struct fat_dirent *de);
int dir_lookup(struct mv_fs *fs, uint32_t dir_clus, const uint16_t *name, uint32_t len,
	       struct fat_dirent *de);
/* Adds an entry named name with the other fields of tmpl; fills *de with where it went. */
int dir_add(struct mv_fs *fs, uint32_t dir_clus, const uint16_t *name, uint32_t len,
	    const uint8_t *tmpl, struct fat_dirent *de);
int dir_remove(struct mv_fs *fs, const struct fat_dirent *de);
int dir_restore(struct mv_fs *fs, const struct fat_dirent *de);
int dir_is_empty(struct mv_fs *fs, uint32_t dir_clus);
int dir_write_slot(struct mv_fs *fs, uint64_t sector, uint32_t off, const uint8_t *raw);
uint32_t dir_entry_clus(const struct mv_fs *fs, const uint8_t *raw);
void dir_set_clus(uint8_t *raw, uint32_t clus);
uint32_t dir_root_clus(const struct mv_fs *fs);
/* A directory's cluster as written in a ".." slot: 0 for the root. */
uint32_t dir_dotdot_value(const struct mv_fs *fs, uint32_t dir_clus);
int dir_check_clus(const struct mv_fs *fs, const struct fat_dirent *de);

/* dindex.c: per-directory index of names, short names and free slots (docs/fatfs.md). */
#define DIX_STALE 2 /* the index disagrees with the disk: drop it and scan */
uint32_t dix_name_hash(const uint16_t *name, uint32_t len);
uint32_t dix_sfn_hash(const uint8_t *sfn);
/* The directory's index, built by one scan if it has none; NULL: scan instead. */
struct fat_dix *dix_get(struct mv_fs *fs, uint32_t dir_clus);
/* The index if there is one, without building it. */
struct fat_dix *dix_find(struct mv_fs *fs, uint32_t dir_clus);
void dix_forget(struct mv_fs *fs, uint32_t dir_clus);
void dix_destroy_all(struct mv_fs *fs);
/* The cluster holding slot idx; false if the index cannot say. */
bool dix_slot_clus(const struct fat_dix *x, uint32_t idx, uint32_t *clus);
/* 1 found (de filled, long name in fs->lfn), 0 not there, DIX_STALE, or an error. */
int dix_lookup(struct mv_fs *fs, struct fat_dix *x, const uint16_t *name, uint32_t len,
	       struct fat_dirent *de);
bool dix_sfn_exists(const struct fat_dix *x, const uint8_t *sfn);
/* The lowest ~N tail of basis no entry uses, as the scan would pick it; -MV_ENOSPC if none. */
int dix_pick_tail(struct fat_dix *x, const uint8_t *basis, uint8_t *sfn);
/* The first run of n free slots (slots past the end marker are free) as the scan would find
 * it: 1 and *first, *past_end; or 0 and in *first the slot where growing must start. */
int dix_find_free(const struct fat_dix *x, uint32_t n, uint32_t *first, bool *past_end);
uint32_t dix_slots(const struct fat_dix *x);
uint32_t dix_last_clus(const struct fat_dix *x);
/* Records clusters just linked to the end of the chain; false if they do not fit. */
bool dix_grown(struct fat_dix *x, const uint32_t *clus, uint32_t count);
/* Records an entry written at slots first..de->sfn_idx; false if it does not fit. */
bool dix_added(struct mv_fs *fs, struct fat_dix *x, const struct fat_dirent *de,
	       const uint16_t *lname, uint32_t llen, bool past_end);
/* Records the slots of de marked deleted; false if the index did not hold it. */
bool dix_removed(struct mv_fs *fs, struct fat_dix *x, const struct fat_dirent *de);
/* An entry added to a directory that has no index. */
void dix_added_unindexed(struct mv_fs *fs, uint32_t dir_clus);

/* node.c */
int node_get(struct mv_fs *fs, const struct fat_dirent *de, struct fat_node **out);
int node_get_root(struct mv_fs *fs, struct fat_node **out);
int node_put(struct mv_fs *fs, struct fat_node *node);
struct fat_node *node_find(const struct mv_fs *fs, uint64_t sector, uint32_t off);
int node_clus_at(struct mv_fs *fs, struct fat_node *node, uint32_t idx, uint32_t *clus);
/* Grows the chain to want clusters; on error the chain may have grown part way. */
int node_grow(struct mv_fs *fs, struct fat_node *node, uint32_t want);
int node_trim(struct mv_fs *fs, struct fat_node *node, uint32_t keep);
/* Writes the node's chain and size to its slot; touch also stamps the modification time. */
int node_write_dirent(struct mv_fs *fs, struct fat_node *node, bool touch);
uint64_t node_ino(const struct mv_fs *fs, uint64_t sector, uint32_t off);

/* file.c (its read, write, seek and close, and namei.c's and rename.c's operations, are
 * declared in fs_ops.h) */
int file_truncate(struct mv_fs *fs, struct fat_node *node, uint64_t len);

/* path.c */
struct path_res {
	uint32_t parent_clus; /* directory that holds (or would hold) the last component */
	bool is_root;	      /* the path names the root itself */
	bool trailing_slash;
	uint32_t len;
	uint16_t name[FAT_LFN_MAX + 1];
};
int path_resolve_parent(struct mv_fs *fs, const char *path, struct path_res *res);

#pragma GCC visibility pop

#endif /* FATFS_H */
