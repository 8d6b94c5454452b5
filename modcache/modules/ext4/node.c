/* In-use inodes shared by every handle on them; releasing an inode's blocks and xattr block. */
#include <string.h>
#include "ext4.h"

#define XATTR_MAGIC 0xEA020000U
#define XATTR_REFCOUNT 4
#define XATTR_CSUM 0x10

struct e4_node *node_find(const struct mv_fs *fs, uint32_t ino)
{
	for (struct e4_node *n = fs->nodes; n; n = n->next) {
		if (n->ino == ino)
			return n;
	}
	return NULL;
}

int node_get(struct mv_fs *fs, uint32_t ino, struct e4_node **out)
{
	struct e4_node *n = node_find(fs, ino);
	int ret;

	if (n) {
		n->refs++;
		*out = n;
		return 0;
	}
	n = e4_alloc_mem(fs, sizeof(*n));
	if (!n)
		return -MV_ENOMEM;
	memset(n, 0, sizeof(*n));
	n->raw = e4_alloc_mem(fs, fs->inode_size);
	if (!n->raw) {
		e4_free_mem(fs, n);
		return -MV_ENOMEM;
	}
	n->ino = ino;
	ret = inode_read(fs, ino, n->raw);
	/* A name pointing at a free inode is corrupt, not an empty file. */
	if (ret == 0 && (get16(n->raw + I_LINKS) == 0 || inode_mode(n->raw) == 0))
		ret = -MV_EUCLEAN;
	if (ret != 0) {
		e4_free_mem(fs, n->raw);
		e4_free_mem(fs, n);
		return ret;
	}
	n->refs = 1;
	n->next = fs->nodes;
	fs->nodes = n;
	*out = n;
	return 0;
}

int node_write(struct mv_fs *fs, struct e4_node *node)
{
	return inode_write(fs, node->ino, node->raw);
}

static int drop_xattr_block(struct mv_fs *fs, struct e4_node *node)
{
	uint64_t blk = inode_file_acl(fs, node->raw);
	uint8_t *buf;
	uint32_t refs;
	int ret;

	if (blk == 0)
		return 0;
	if (!e4_block_valid(fs, blk, 1))
		return -MV_EUCLEAN;
	buf = e4_alloc_mem(fs, fs->bs);
	if (!buf)
		return -MV_ENOMEM;
	ret = cache_read(fs, blk, buf);
	if (ret == 0 && get32(buf) != XATTR_MAGIC)
		ret = -MV_EUCLEAN;
	refs = ret == 0 ? get32(buf + XATTR_REFCOUNT) : 0;
	if (ret == 0 && refs > 1) {
		put32(buf + XATTR_REFCOUNT, refs - 1);
		if (fs->csum) {
			uint8_t le[8];
			uint32_t c;

			put32(le, (uint32_t)blk);
			put32(le + 4, (uint32_t)(blk >> 32));
			put32(buf + XATTR_CSUM, 0);
			c = e4_crc32c(fs->seed, le, 8);
			put32(buf + XATTR_CSUM, e4_crc32c(c, buf, fs->bs));
		}
		ret = cache_write(fs, blk, buf);
	} else if (ret == 0) {
		ret = balloc_free(fs, blk, 1);
	}
	e4_free_mem(fs, buf);
	if (ret == 0) {
		inode_add_blocks(fs, node->raw, -1);
		put32(node->raw + I_FILE_ACL_LO, 0);
		put16(node->raw + I_FILE_ACL_HI, 0);
	}
	return ret;
}

/*
 * A deleted inode needs a dtime that fsck cannot take for an orphan-list link (those are inode
 * numbers): without a clock, the time the volume was made stands in.
 */
static uint32_t deletion_time(const struct mv_fs *fs)
{
	uint32_t t = (uint32_t)e4_now(fs), floor = get32(fs->sb + SB_INODES_COUNT);

	if (t < floor)
		t = get32(fs->sb + SB_MKFS_TIME);
	return t < floor ? floor : t;
}

/* The inode has no name and no handle left: its blocks and the inode itself go free. */
int node_release(struct mv_fs *fs, struct e4_node *node)
{
	bool dir = (inode_mode(node->raw) & E4_S_IFMT) == E4_S_IFDIR;
	int ret = map_load(fs, node);

	if (ret == 0 && !(node->blockmap && node->next_cnt == 0 && node->ntree == 0))
		ret = map_trim(fs, node, 0);
	if (ret == 0 && (!node->blockmap || node->ntree))
		ret = map_store(fs, node);
	if (ret == 0)
		ret = drop_xattr_block(fs, node);
	if (ret != 0)
		return ret;
	put16(node->raw + I_LINKS, 0);
	put32(node->raw + I_DTIME, deletion_time(fs));
	inode_set_size(node->raw, 0);
	ret = node_write(fs, node);
	if (ret == 0)
		ret = inode_free(fs, node->ino, dir);
	return ret;
}

int node_put(struct mv_fs *fs, struct e4_node *node)
{
	int ret = 0;

	if (--node->refs > 0)
		return 0;
	if (node->unlinked)
		ret = node_release(fs, node);
	for (struct e4_node **pp = &fs->nodes; *pp; pp = &(*pp)->next) {
		if (*pp == node) {
			*pp = node->next;
			break;
		}
	}
	map_release(fs, node);
	e4_free_mem(fs, node->raw);
	e4_free_mem(fs, node);
	return ret;
}

int node_bmap(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, uint64_t *pblk)
{
	const struct e4_extent *e;
	int ret = map_load(fs, node);

	if (ret != 0)
		return ret;
	e = map_find(node, lblk);
	*pblk = e && !e->uninit ? e->pblk + (lblk - e->lblk) : 0;
	return 0;
}

int node_alloc_block(struct mv_fs *fs, struct e4_node *node, uint32_t lblk, bool zero,
		     uint64_t *pblk)
{
	uint64_t goal;
	uint32_t got;
	int ret = map_load(fs, node);

	if (ret != 0)
		return ret;
	map_last_block(node, &goal);
	ret = balloc_alloc(fs, goal ? goal : fs->last_goal, 1, pblk, &got);
	if (ret != 0)
		return ret;
	if (zero) {
		cache_forget(fs, *pblk);
		ret = e4_dev_write(fs, *pblk, fs->zero, 1);
	}
	if (ret == 0)
		ret = map_insert(fs, node, lblk, *pblk, 1);
	if (ret != 0) {
		balloc_free(fs, *pblk, 1);
		return ret;
	}
	inode_add_blocks(fs, node->raw, 1);
	ret = map_store(fs, node);
	if (ret == 0)
		ret = node_write(fs, node);
	return ret;
}
