/* The PL031 register model of the virtual RTC: pure logic, time given by the caller in counter
 * ticks, so that it is tested on the host (hyp/vrtc.c adds the lock, the counter and the VM). */
#ifndef HYP_VRTC_MODEL_H
#define HYP_VRTC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

struct vrtc_model {
	uint64_t freq;	    /* counter ticks per second, never 0 */
	uint64_t base_tick; /* counter value when the seconds count was last loaded */
	uint64_t base_secs; /* the seconds count then (64 bits: it never wraps in here) */
	uint64_t checked;   /* seconds count up to which a match has been looked for */
	uint32_t lr;	    /* last value loaded, which RTCLR reads back */
	uint32_t mr;
	uint32_t imsc;
	uint32_t ris;
};

/* A running clock that reads secs at counter value now. */
void vrtc_model_init(struct vrtc_model *m, uint64_t freq, uint64_t now, uint32_t secs);
/* The seconds count at counter value now (RTCDR is its low 32 bits). */
uint64_t vrtc_model_count(const struct vrtc_model *m, uint64_t now);
/*
 * One 32-bit register access at a 4-byte-aligned offset in the 4 KiB frame, at counter value
 * now. Unknown offsets read as zero and ignore writes; so do writes to read-only registers.
 */
uint32_t vrtc_model_read(struct vrtc_model *m, uint64_t now, uint64_t offset);
void vrtc_model_write(struct vrtc_model *m, uint64_t now, uint64_t offset, uint32_t value);
/*
 * A guest's access of size bytes (1, 2, 4 or 8) at an offset aligned to it: MV_ERR_INVALID for
 * 8 bytes (a 32-bit device, as the UART); narrower reads see their bytes of the register,
 * narrower writes are ignored (APB has no byte strobes). MV_OK otherwise.
 */
int vrtc_model_access(struct vrtc_model *m, uint64_t now, uint64_t offset, unsigned size,
		      bool write, uint64_t *value);
/* Whether the (masked) match interrupt is asserted at counter value now. */
bool vrtc_model_irq(struct vrtc_model *m, uint64_t now);

#endif /* HYP_VRTC_MODEL_H */
