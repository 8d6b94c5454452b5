/* The rule for which guest bytes may wait before they reach the shared console. */
#include "console_stage.h"

bool console_stage_hold(struct console_stage *s, char c, bool focused)
{
	/* An unfocused guest is line-buffered by the filter anyway: nothing is visible until its
	 * line ends, so feeding the filter a line at a time changes nothing on screen. */
	if (focused || c == '\n' || s->len == CONSOLE_STAGE_MAX)
		return false;
	s->buf[s->len++] = c;
	return true;
}
