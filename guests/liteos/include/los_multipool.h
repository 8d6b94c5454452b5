/* LiteOS multi-pool support: every dynamic pool on one list, overlaps refused, de-init, listing. */
#ifndef _LOS_MULTIPOOL_H
#define _LOS_MULTIPOOL_H

#include "los_errno.h"

/*
 * Takes the pool off the list and invalidates its header, so later calls on it are refused
 * and its memory may be reused. Blocks still allocated from it are simply abandoned, as in
 * LiteOS; their bytes leave the per-task totals. LOS_OK, or LOS_NOK if it is not on the list.
 */
UINT32 LOS_MemDeInit(VOID *pool);
/* Prints every pool's figures through the print hook; returns the number of pools. */
UINT32 LOS_MemPoolList(VOID);
/* The first pool on the list (NULL if none); for walking pools, as in LiteOS. */
VOID *OsMemMulPoolHeadGet(VOID);

#endif /* _LOS_MULTIPOOL_H */
