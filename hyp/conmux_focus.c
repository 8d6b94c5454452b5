/* Which VM a console focus key selects (Ctrl-A 1..9, n, p); pure C, tested on the host. */
#include "conmux_focus.h"

#define MAX_VMS 32 /* bits of `running` */

/* The first running VM `step` away from `focus` (step 1 or count - 1), or focus itself. */
static unsigned next_running(unsigned focus, unsigned count, uint32_t running, unsigned step)
{
	for (unsigned i = 1; i < count; i++) {
		unsigned vm = (focus + i * step) % count;

		if (running & (UINT32_C(1) << vm))
			return vm;
	}
	return focus;
}

int conmux_focus_key(char c, unsigned focus, unsigned count, uint32_t running)
{
	if (count > MAX_VMS)
		count = MAX_VMS;
	if (c >= '1' && c <= '9') {
		unsigned vm = (unsigned)(c - '1');

		return vm < count ? (int)vm : CONMUX_NO_VM;
	}
	if (c != 'n' && c != 'p')
		return CONMUX_NOT_FOCUS;
	if (count == 0)
		return CONMUX_NO_VM;
	if (focus >= count)
		focus = 0;
	return (int)next_running(focus, count, running, c == 'n' ? 1 : count - 1);
}
