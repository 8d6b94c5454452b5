/* The modvisor hypercall ABI, shared by the hypervisor and the guests (spec: docs/abi.md). */
#ifndef MODVISOR_HYPERCALL_H
#define MODVISOR_HYPERCALL_H

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

/* The UID returned by MV_HVC_CALL_UID in x0..x3, so a guest can tell it runs on modvisor. */
#define MV_UID_0 0x6d6f6476u /* "modv" */
#define MV_UID_1 0x69736f72u /* "isor" */
#define MV_UID_2 0x8b3c41d2u
#define MV_UID_3 0x9e5a7f01u

#endif /* MODVISOR_HYPERCALL_H */
