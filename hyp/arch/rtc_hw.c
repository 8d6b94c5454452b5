/* Reads the machine's PL031 once at boot, and the generic counter the vRTC runs on. */
#include "rtc_hw.h"
#include <dev/pl031.h>
#include <modvisor/status.h>
#include "sysregs.h"

static uint32_t reg(uint64_t base, uint64_t offset)
{
	return *(volatile uint32_t *)(uintptr_t)(base + offset);
}

int rtc_hw_read(uint64_t base, uint32_t *secs)
{
	static const uint8_t id[8] = PL031_ID_BYTES;

	if (!base)
		return MV_ERR_NOT_FOUND;
	/* Part number and designer only: the revision may differ from the one we emulate. */
	if (reg(base, PL031_PERIPHID0) != id[0] ||
	    (reg(base, PL031_PERIPHID0 + 4) & 0xf) != (id[1] & 0xfU))
		return MV_ERR_NOT_FOUND;
	*secs = reg(base, PL031_DR);
	return MV_OK;
}

uint64_t rtc_hw_ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t rtc_hw_freq(void)
{
	return read_sysreg(cntfrq_el0);
}
