/* The machine's own PL031 RTC and the generic counter: the vRTC's sources of real time. */
#ifndef HYP_ARCH_RTC_HW_H
#define HYP_ARCH_RTC_HW_H

#include <stdint.h>

/* The RTC's seconds at base (mapped at EL2), or MV_ERR_NOT_FOUND unless a PL031 answers there. */
int rtc_hw_read(uint64_t base, uint32_t *secs);
/* The physical counter (the same on every CPU) and its frequency. */
uint64_t rtc_hw_ticks(void);
uint64_t rtc_hw_freq(void);

#endif /* HYP_ARCH_RTC_HW_H */
