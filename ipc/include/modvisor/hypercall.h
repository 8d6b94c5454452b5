/* The modvisor hypercall ABI, shared by the hypervisor and the guests (spec: docs/abi.md). */
#ifndef MODVISOR_HYPERCALL_H
#define MODVISOR_HYPERCALL_H

#include <stdint.h>
#include "modvisor/status.h"

/* ABI version reported by MV_HVC_VERSION and the guest DTB: major << 16 | minor. */
#define MV_ABI_VERSION 0x00010000u

/* SMCCC architecture calls. */
#define SMCCC_VERSION 0x80000000u
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_VERSION_1_1 0x10001

/* SMCCC vendor-specific hypervisor service queries (owner 6). */
#define MV_HVC_CALL_UID 0x8600ff01u
#define MV_HVC_REVISION 0x8600ff03u

/* modvisor's own calls: SMC64 fast calls, owner 6 (vendor hypervisor), 0xC600_00nn. */
#define MV_HVC_BASE 0xc6000000u
#define MV_HVC_VERSION 0xc6000000u

/*
 * Modules. Names are passed as (IPA, length) of a string in the caller's RAM, 1..15 bytes.
 * MOD_LOOKUP(name, len): x1 = version, x2 = text bytes, x3 = data bytes; nothing is loaded.
 * MOD_LOAD(name, len, window_va): maps the module into the caller's module window, its data
 *   relocated for window_va + slot offset (window_va 0: the window's IPA). x1 = base address,
 *   x2 = descriptor address, x3 = MV_MOD_F_* flags.
 * MOD_UNLOAD(name, len): unmaps it; the text stays cached for others.
 * MOD_LIST(buf, len): writes struct mv_mod_info records; x1 = records written, x2 = total.
 */
#define MV_HVC_MOD_LOOKUP 0xc6000010u
#define MV_HVC_MOD_LOAD 0xc6000011u
#define MV_HVC_MOD_UNLOAD 0xc6000012u
#define MV_HVC_MOD_LIST 0xc6000013u

#define MV_MOD_F_RESIDENT 0x1u /* the text was already in memory: nothing was copied */
#define MV_MOD_F_SHARED 0x2u   /* another VM maps the same text frames */
#define MV_MOD_F_ALREADY 0x4u  /* this VM had it loaded already */

struct mv_mod_info {
	char name[16];
	uint32_t version; /* from the module's descriptor in the bundle, loaded or not */
	uint32_t flags;	  /* MV_MOD_INFO_* */
	uint64_t base;	  /* IPA of its slot */
	uint32_t text_pages;
	uint32_t data_pages;
};

#define MV_MOD_INFO_LOADED 0x1u	  /* loaded in the calling VM */
#define MV_MOD_INFO_RESIDENT 0x2u /* text in the cache */
#define MV_MOD_INFO_REFUSED 0x4u  /* the bundle's image was refused: loads fail */
/* Bits 8..15: the module's kind (enum mv_module_kind), from its descriptor in the bundle. */
#define MV_MOD_INFO_KIND_SHIFT 8
#define MV_MOD_INFO_KIND(flags) (((flags) >> MV_MOD_INFO_KIND_SHIFT) & 0xffu)
/* Bits 16..31: the modules it needs (its descriptor's `needs`), as records of the same list:
 * bit 16 + i is the i-th record. A module may need only modules the VM may load too. */
#define MV_MOD_INFO_NEEDS_SHIFT 16
#define MV_MOD_INFO_NEEDS(flags) (((flags) >> MV_MOD_INFO_NEEDS_SHIFT) & 0xffffu)

/*
 * MEM_STATS(buf, len): writes the caller's own struct mv_mem_stats (a VM may read only its own
 * figures); x1 = bytes written. All sizes are in bytes.
 */
#define MV_HVC_MEM_STATS 0xc6000020u

struct mv_mem_stats {
	uint64_t rss;		 /* every frame its stage 2 maps: RAM, module text and data */
	uint64_t pss;		 /* private + each shared frame divided by its number of mappers */
	uint64_t uss;		 /* private frames only: RAM and module data */
	uint64_t shared;	 /* module text mapped from the shared cache */
	uint64_t module_private; /* its private module data (and text, when sharing is off) */
	uint64_t ram;	    /* RAM frames backing it (all of it under eager, touched under lazy) */
	uint64_t ram_size;  /* RAM the scenario gives it */
	uint64_t s2_tables; /* its stage-2 translation tables (hypervisor overhead) */
	uint64_t device_buffers; /* bounce buffers of its emulated devices (hypervisor overhead) */
	uint32_t modules;	 /* modules loaded */
	uint32_t reserved;
	uint64_t released; /* RAM given back with MEM_RELEASE since the VM started (counted once) */
};

/*
 * MEM_RELEASE(ipa, pages): free page reporting. The caller says the pages [ipa, ipa + pages *
 * 4 KiB) of its RAM hold nothing it needs; the hypervisor unmaps the frames backing them, with
 * one TLB flush, and frees them. The next touch of such a page maps a fresh zeroed frame, so a
 * released page reads as zeroes (or, for a vCPU racing the call, as its old contents). ipa is
 * page-aligned, 1 <= pages <= MV_MEM_RELEASE_MAX_PAGES, the range inside the caller's RAM;
 * pages never backed are skipped. x1 = pages that were backed and are now given back. Lazy
 * memory policy only (NOT_SUPPORTED under eager).
 */
#define MV_HVC_MEM_RELEASE 0xc6000021u
#define MV_MEM_RELEASE_MAX_PAGES 512u

/* The UID returned by MV_HVC_CALL_UID in x0..x3, so a guest can tell it runs on modvisor. */
#define MV_UID_0 0x6d6f6476u /* "modv" */
#define MV_UID_1 0x69736f72u /* "isor" */
#define MV_UID_2 0x8b3c41d2u
#define MV_UID_3 0x9e5a7f01u

#endif /* MODVISOR_HYPERCALL_H */
