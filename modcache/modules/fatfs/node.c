/* Open-file nodes: one per directory entry in use, shared by its handles; chain bookkeeping. */
#include <string.h>
#include "fatfs.h"

uint64_t node_ino(const struct mv_fs *fs, uint64_t sector, uint32_t off)
{
	(void)fs;
	/* By the directory entry's slot, not the first cluster: an empty file owns no cluster
	 * and gets one when first written, and its number must not change then (SQLite checks
	 * that fstat of its open database and stat of its path agree). Above any cluster
	 * number, clear of the root's. */
	return (1ULL << 32) + sector * FAT_SLOTS_PER_SECTOR + off / FAT_SLOT;
}

struct fat_node *node_find(const struct mv_fs *fs, uint64_t sector, uint32_t off)
{
	for (struct fat_node *n = fs->nodes; n; n = n->next) {
		if (!n->is_root && !n->unlinked && n->ent_sector == sector && n->ent_off == off)
			return n;
	}
	return NULL;
}

static uint32_t max_dir_clusters(const struct mv_fs *fs)
{
	uint32_t m = FAT_MAX_DIR_SLOTS / fs->slots_per_clus;

	return m ? m : 1;
}

/* The whole chain is checked once, when the node is made, so that later walks can trust it. */
static int check_chain(struct mv_fs *fs, struct fat_node *n)
{
	uint32_t len = 0, last = 0;
	int ret;

	if (n->attr & FAT_ATTR_DIR) {
		if (n->first_clus == 0)
			return n->is_root && fs->type != FAT32 ? 0 : -MV_EUCLEAN;
		return fat_chain_len(fs, n->first_clus, max_dir_clusters(fs), &len, &last);
	}
	n->nclus = (uint32_t)((n->size + (uint64_t)fs->clus_bytes - 1) / fs->clus_bytes);
	if ((n->nclus == 0) != (n->first_clus == 0))
		return -MV_EUCLEAN;
	ret = fat_chain_len(fs, n->first_clus, n->nclus, &len, &last);
	if (ret != 0)
		return ret;
	if (len != n->nclus)
		return -MV_EUCLEAN; /* shorter than the size says */
	n->last_clus = last;
	n->hint_idx = 0;
	n->hint_clus = n->first_clus;
	return 0;
}

static int node_new(struct mv_fs *fs, struct fat_node *tmpl, struct fat_node **out)
{
	struct fat_node *n;
	int ret = check_chain(fs, tmpl);

	if (ret != 0)
		return ret;
	n = fat_alloc_mem(fs, sizeof(*n));
	if (!n)
		return -MV_ENOMEM;
	*n = *tmpl;
	n->refs = 1;
	n->next = fs->nodes;
	fs->nodes = n;
	*out = n;
	return 0;
}

int node_get(struct mv_fs *fs, const struct fat_dirent *de, struct fat_node **out)
{
	struct fat_node *n = node_find(fs, de->sector, de->off);
	struct fat_node t;
	int ret;

	if (n) {
		n->refs++;
		*out = n;
		return 0;
	}
	ret = dir_check_clus(fs, de);
	if (ret != 0)
		return ret;
	memset(&t, 0, sizeof(t));
	t.attr = de->attr;
	t.first_clus = de->clus;
	t.size = (de->attr & FAT_ATTR_DIR) ? 0 : de->size;
	t.wdate = get16(de->raw + DE_WDATE);
	t.wtime = get16(de->raw + DE_WTIME);
	t.ent_sector = de->sector;
	t.ent_off = de->off;
	return node_new(fs, &t, out);
}

int node_get_root(struct mv_fs *fs, struct fat_node **out)
{
	struct fat_node t;

	for (struct fat_node *n = fs->nodes; n; n = n->next) {
		if (n->is_root) {
			n->refs++;
			*out = n;
			return 0;
		}
	}
	memset(&t, 0, sizeof(t));
	t.is_root = true;
	t.attr = FAT_ATTR_DIR;
	t.first_clus = dir_root_clus(fs);
	return node_new(fs, &t, out);
}

int node_put(struct mv_fs *fs, struct fat_node *node)
{
	int ret = 0;

	if (--node->refs > 0)
		return 0;
	for (struct fat_node **pp = &fs->nodes; *pp; pp = &(*pp)->next) {
		if (*pp == node) {
			*pp = node->next;
			break;
		}
	}
	if (node->unlinked && node->first_clus != 0)
		ret = fat_free_chain(fs, node->first_clus);
	fat_free_mem(fs, node);
	return ret;
}

int node_clus_at(struct mv_fs *fs, struct fat_node *node, uint32_t idx, uint32_t *clus)
{
	uint32_t c, i;

	if (idx >= node->nclus)
		return -MV_EUCLEAN;
	if (idx == node->nclus - 1) {
		*clus = node->last_clus;
		return 0;
	}
	if (node->hint_clus != 0 && node->hint_idx <= idx) {
		c = node->hint_clus;
		i = node->hint_idx;
	} else {
		c = node->first_clus;
		i = 0;
	}
	for (; i < idx; i++) {
		int ret = fat_next(fs, c, &c);

		if (ret != 0)
			return ret;
		if (c == 0)
			return -MV_EUCLEAN;
	}
	node->hint_idx = idx;
	node->hint_clus = c;
	*clus = c;
	return 0;
}

int node_grow(struct mv_fs *fs, struct fat_node *node, uint32_t want)
{
	while (node->nclus < want) {
		uint32_t c;
		int ret = fat_alloc(fs, node->nclus ? node->last_clus : 0, &c);

		if (ret != 0)
			return ret;
		if (node->nclus == 0) {
			node->first_clus = c;
			node->hint_idx = 0;
			node->hint_clus = c;
		}
		node->last_clus = c;
		node->nclus++;
	}
	return 0;
}

int node_trim(struct mv_fs *fs, struct fat_node *node, uint32_t keep)
{
	uint32_t start, c;

	if (keep >= node->nclus)
		return 0;
	if (keep == 0) {
		start = node->first_clus;
		node->first_clus = 0;
		node->last_clus = 0;
	} else {
		int ret = node_clus_at(fs, node, keep - 1, &c);

		if (ret == 0)
			ret = fat_next(fs, c, &start);
		if (ret == 0)
			ret = fat_end_chain(fs, c);
		if (ret != 0)
			return ret;
		node->last_clus = c;
	}
	node->nclus = keep;
	if (node->hint_idx >= keep || keep == 0) {
		node->hint_idx = 0;
		node->hint_clus = node->first_clus;
	}
	return start ? fat_free_chain(fs, start) : 0;
}

int node_write_dirent(struct mv_fs *fs, struct fat_node *node, bool touch)
{
	uint8_t raw[FAT_SLOT];
	int ret;

	if (touch)
		fat_time_now(fs, &node->wdate, &node->wtime, NULL);
	if (node->is_root || node->unlinked)
		return 0;
	ret = cache_read(fs, node->ent_sector, node->ent_off, raw, FAT_SLOT);
	if (ret != 0)
		return ret;
	dir_set_clus(raw, node->first_clus);
	if (!(node->attr & FAT_ATTR_DIR))
		put32(raw + DE_SIZE, node->size);
	if (touch) {
		put16(raw + DE_WDATE, node->wdate);
		put16(raw + DE_WTIME, node->wtime);
		put16(raw + DE_ADATE, node->wdate);
		raw[DE_ATTR] |= FAT_ATTR_ARCHIVE;
	}
	return dir_write_slot(fs, node->ent_sector, node->ent_off, raw);
}
