/* Cache and TLB maintenance by address range, for memory the hypervisor hands to guests. */
#ifndef HYP_ARCH_CACHE_H
#define HYP_ARCH_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Write dirty lines to the point of coherency, e.g. before a guest reads with its MMU off. */
void dcache_clean_range(const void *va, size_t len);
/* Clean and invalidate to the PoC. */
void dcache_clean_inval_range(const void *va, size_t len);
/* Zeroes whole cache lines at a time with DC ZVA (falls back to memset where it is barred). */
void zero_range(void *va, size_t len);
/* Make new code visible to instruction fetch (after dcache_clean_range). */
void icache_inval_all(void);

#endif /* HYP_ARCH_CACHE_H */
