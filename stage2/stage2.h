/* Stage-2 translation tables of one VM (VMSAv8-64, 4 KiB granule), shared by EL2 and host tests. */
#ifndef MODVISOR_STAGE2_H
#define MODVISOR_STAGE2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "modvisor/status.h"

/*
 * Internal invariant violations only (a hook breaking its contract, a bug in this library);
 * caller input never reaches it. Define S2_BUG_ON before including this header to report
 * through the hypervisor's panic instead.
 */
#ifndef S2_BUG_ON
#define S2_BUG_ON(cond)                                                                            \
	do {                                                                                       \
		if (cond)                                                                          \
			__builtin_trap();                                                          \
	} while (0)
#endif

#define S2_PAGE_SHIFT 12
#define S2_PAGE_SIZE (UINT64_C(1) << S2_PAGE_SHIFT)
#define S2_BLOCK_2M_SIZE (UINT64_C(1) << 21)
#define S2_BLOCK_1G_SIZE (UINT64_C(1) << 30)

#define S2_MIN_IPA_BITS 32
#define S2_MAX_IPA_BITS 48
/* Output addresses are limited to what a 4 KiB-granule descriptor holds without FEAT_LPA2. */
#define S2_MAX_PA_BITS 48
/* 42-bit IPA spaces start at level 1 with 8 concatenated root pages; larger ones start at 0. */
#define S2_MAX_ROOT_PAGES 8
/* s2_vtcr() leaves VTCR_EL2.VS clear, so VMIDs are 8 bits wide. */
#define S2_MAX_VMID 255

/*
 * Arch-neutral access modes. A mode needs S2_READ or S2_WRITE: an execute-only mode cannot be
 * told apart from "no access" in S2AP. S2_DEVICE (Device-nGnRE, never executable) excludes
 * S2_EXEC; without it memory is Normal write-back, inner shareable. S2_SHARED marks a frame
 * owned elsewhere and mapped into several VMs (module text); hardware ignores it, walks report it.
 */
#define S2_READ (1u << 0)
#define S2_WRITE (1u << 1)
#define S2_EXEC (1u << 2)
#define S2_DEVICE (1u << 3)
#define S2_SHARED (1u << 4)
#define S2_MODE_MASK (S2_READ | S2_WRITE | S2_EXEC | S2_DEVICE | S2_SHARED)

/*
 * What the environment provides. Every hook is required. On the host they run over simulated
 * memory; at EL2 they wrap the frame allocator and the TLB maintenance instructions.
 */
struct s2_hooks {
	/* One zeroed, page-aligned 4 KiB table page and its physical address, or NULL. */
	void *(*alloc_table)(void *ctx, uint64_t *pa_out);
	void (*free_table)(void *ctx, void *va, uint64_t pa);
	/*
	 * The root: `pages` (1, 2, 4 or 8) zeroed, physically contiguous pages aligned to
	 * pages * 4 KiB, mapped virtually contiguous; or NULL.
	 */
	void *(*alloc_root)(void *ctx, unsigned pages, uint64_t *pa_out);
	void (*free_root)(void *ctx, void *va, uint64_t pa, unsigned pages);
	/* Virtual address of a table page this library allocated. */
	void *(*phys_to_virt)(void *ctx, uint64_t pa);
	/*
	 * The entry at `level` translating `ipa` (aligned to that level's size) was valid and is
	 * now invalid: drop every TLB and walk-cache entry derived from it, and wait for that.
	 */
	void (*tlb_flush_ipa)(void *ctx, uint16_t vmid, uint64_t ipa, unsigned level);
	/* Drop every TLB and walk-cache entry of this VMID, and wait for that. */
	void (*tlb_flush_vmid)(void *ctx, uint16_t vmid);
	/* Make earlier table writes visible to the table walker before any later write. */
	void (*sync)(void *ctx);
};

/*
 * One VM's tables. Callers read the fields, never write them. Write-side calls (map, unmap,
 * protect, destroy) are not thread-safe: the caller serialises them; lookup and walk may run
 * concurrently with each other but not with a writer.
 */
struct s2_table {
	uint64_t *root;	      /* virtual address of the (possibly concatenated) root */
	uint64_t root_pa;     /* physical address, aligned to root_pages * 4 KiB */
	unsigned root_pages;  /* concatenated root pages: 1, 2, 4 or 8 */
	unsigned ipa_bits;    /* the IPA space is [0, 2^ipa_bits) */
	unsigned start_level; /* 0 or 1 */
	uint16_t vmid;	      /* tagged on every TLB maintenance hook call */
	size_t table_pages;   /* table pages in use, root pages included */
	const struct s2_hooks *hooks;
	void *ctx; /* passed to every hook */
};

/* Called for one leaf (page or block) mapping; a non-zero return stops the walk. */
typedef int (*s2_walk_fn)(void *arg, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode);

/*
 * IPA size for an ID_AA64MMFR0_EL1.PARange value: 0..5 give 32, 36, 40, 42, 44, 48 bits;
 * 52-bit and reserved values are capped to 48, since the descriptors hold no more.
 */
unsigned s2_ipa_bits_from_parange(unsigned parange_field);

/*
 * VTCR_EL2 for the geometry s2_init() chooses: T0SZ, SL0, write-back write-allocate inner
 * shareable walks, 4 KiB granule, PS = pa_range_field (capped at 48 bits), 8-bit VMIDs, RES1
 * bit 31. Returns 0, never a valid VTCR, if ipa_bits is outside [32, 48] or beyond the PA range.
 */
uint64_t s2_vtcr(unsigned ipa_bits, unsigned pa_range_field);

/*
 * The only translation between modes and leaf attribute bits (AF, S2AP, MemAttr, SH, XN and the
 * software shared bit). MV_ERR_INVALID for unknown bits, no S2_READ/S2_WRITE, or device + exec.
 */
enum mv_status s2_mode_to_desc(unsigned mode, uint64_t *attrs_out);
/* Mode of a valid leaf descriptor; 0 for an invalid one. */
unsigned s2_desc_to_mode(uint64_t desc);

/*
 * Allocates the root. ipa_bits <= 39 starts at level 1 with one page, 40..42 at level 1 with
 * 2^(ipa_bits - 39) concatenated pages, 43..48 at level 0. MV_ERR_INVALID for a NULL or
 * incomplete hooks, ipa_bits outside [32, 48] or vmid > S2_MAX_VMID; MV_ERR_NO_MEMORY.
 */
enum mv_status s2_init(struct s2_table *t, unsigned ipa_bits, uint16_t vmid,
		       const struct s2_hooks *hooks, void *ctx);
/*
 * Flushes the VMID from the TLBs and frees every table page, root included. The VM must not be
 * running anywhere. Destroying it again returns MV_ERR_INVALID; s2_init() may reuse it.
 */
enum mv_status s2_destroy(struct s2_table *t);

/*
 * Maps [ipa, ipa + size) to [pa, pa + size), using 1 GiB and 2 MiB blocks wherever ipa and pa
 * are both aligned and enough size remains. All or nothing: MV_ERR_INVALID for unaligned or
 * empty ranges, ranges past the IPA space or 2^48 PA, or a bad mode; MV_ERR_BUSY if any page
 * is already mapped; MV_ERR_NO_MEMORY if table pages run out. On error nothing has changed.
 * Tables that end up holding one contiguous uniform range are folded into a block.
 */
enum mv_status s2_map(struct s2_table *t, uint64_t ipa, uint64_t pa, uint64_t size, unsigned mode);
/*
 * Unmaps whatever is mapped in [ipa, ipa + size); holes are fine. Blocks partly inside are
 * split; MV_ERR_NO_MEMORY (nothing changed) if the pages for that are missing. Emptied table
 * pages are freed.
 */
enum mv_status s2_unmap(struct s2_table *t, uint64_t ipa, uint64_t size);
/*
 * s2_unmap for a range that will be mapped again soon (a module slot): every table page stays,
 * emptied or not, so the next s2_map of the range allocates none. One sync and one VMID flush
 * cover every entry cleared, and no table is scanned for emptiness. Empty tables left behind
 * are freed by a later s2_unmap over them, or by s2_destroy.
 */
enum mv_status s2_unmap_keep(struct s2_table *t, uint64_t ipa, uint64_t size);
/*
 * Allocates the tables that [ipa, ipa + size) needs down to the last level, mapping nothing
 * (where a block or page already translates part of it, nothing is needed there). A range set
 * up so is mapped later without allocating (a VM's module slots, prepared when it is created).
 * MV_ERR_NO_MEMORY if table pages run out: nothing changed then. Like s2_unmap_keep's, these
 * tables stay until a plain s2_unmap over them or s2_destroy.
 */
enum mv_status s2_prepare(struct s2_table *t, uint64_t ipa, uint64_t size);
/*
 * Gives every page of [ipa, ipa + size) the new mode, splitting blocks partly inside the range
 * and folding tables that become uniform back into blocks. MV_ERR_NOT_FOUND if any page is
 * unmapped, MV_ERR_NO_MEMORY if a split lacks pages; in both cases nothing has changed.
 */
enum mv_status s2_protect(struct s2_table *t, uint64_t ipa, uint64_t size, unsigned mode);
/*
 * Translates one IPA: pa (with the offset inside the page or block), mode and leaf level; any
 * output may be NULL. MV_ERR_INVALID past the IPA space, MV_ERR_NOT_FOUND when unmapped.
 */
enum mv_status s2_lookup(const struct s2_table *t, uint64_t ipa, uint64_t *pa, unsigned *mode,
			 unsigned *level);
/*
 * Calls fn for every leaf mapping in increasing IPA order. Returns 0 after a full walk, the
 * first non-zero value fn returned, or MV_ERR_INVALID for a NULL table or callback.
 */
int s2_walk(const struct s2_table *t, s2_walk_fn fn, void *arg);

/* VTTBR_EL2: root address and VMID; 0 for a table that is not initialised. */
uint64_t s2_vttbr(const struct s2_table *t);

#endif /* MODVISOR_STAGE2_H */
