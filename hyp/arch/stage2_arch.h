/* The EL2 side of the stage-2 library: table pages from the frame pool, TLB maintenance. */
#ifndef HYP_ARCH_STAGE2_ARCH_H
#define HYP_ARCH_STAGE2_ARCH_H

#include "stage2.h"

/* Hooks whose ctx is the owning struct vm (tables are accounted as FRAME_VM_S2 of that VM). */
extern const struct s2_hooks hyp_s2_hooks;

#endif /* HYP_ARCH_STAGE2_ARCH_H */
