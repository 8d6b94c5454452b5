/* Holds back an unfocused guest's output so the shared console lock is taken per line. */
#ifndef HYP_CONSOLE_STAGE_H
#define HYP_CONSOLE_STAGE_H

#include <stdbool.h>

/* Bytes held per guest: a short line goes in one piece, a long one in a few. */
#define CONSOLE_STAGE_MAX 64

struct console_stage {
	char buf[CONSOLE_STAGE_MAX];
	unsigned len;
};

/*
 * Keeps `c` back when it can wait and returns true. Returns false, keeping nothing, when `c`
 * must reach the console now together with what is held: the guest has the focus (it is
 * shown as typed), `c` ends a line, or the stage is full. The caller then writes
 * console_stage_bytes() and `c` under the console lock and calls console_stage_clear().
 */
bool console_stage_hold(struct console_stage *s, char c, bool focused);
static inline const char *console_stage_bytes(const struct console_stage *s, unsigned *len)
{
	*len = s->len;
	return s->buf;
}
static inline void console_stage_clear(struct console_stage *s)
{
	s->len = 0;
}

#endif /* HYP_CONSOLE_STAGE_H */
