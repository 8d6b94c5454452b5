/* Glue of the per-VM virtual PL031: the host seed, the lock, the counter and access widths. */
#include "vrtc.h"
#include "arch/rtc_hw.h"
#include "console.h"
#include <modvisor/status.h>

/* The machine's time when it was read: the seconds, and the counter value then. */
static uint32_t seed_secs;
static uint64_t seed_tick;

void vrtc_seed_from_host(uint64_t base)
{
	seed_tick = rtc_hw_ticks();
	if (rtc_hw_read(base, &seed_secs) != MV_OK) {
		seed_secs = 0;
		hyp_printf("hyp: no PL031 RTC on this machine: VM clocks start at 1970\n");
	}
}

void vrtc_init(struct vrtc *rtc)
{
	uint64_t freq = rtc_hw_freq();
	uint64_t now = rtc_hw_ticks();
	/* Whole seconds since the seed; the rest stays in the base so no fraction is lost. */
	uint64_t secs = freq ? (now - seed_tick) / freq : 0;

	rtc->lock = (struct spinlock)SPINLOCK_INIT;
	vrtc_model_init(&rtc->model, freq, seed_tick + secs * freq, (uint32_t)(seed_secs + secs));
}

int vrtc_access(void *dev, struct vcpu *vcpu, uint64_t offset, unsigned size, bool write,
		uint64_t *value)
{
	struct vrtc *rtc = dev;
	int ret;

	(void)vcpu;
	spin_lock(&rtc->lock);
	ret = vrtc_model_access(&rtc->model, rtc_hw_ticks(), offset, size, write, value);
	spin_unlock(&rtc->lock);
	return ret;
}
