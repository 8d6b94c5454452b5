/* A tty's canonical input queue: the line discipline and the reader (see lineq.h). */
#include "lineq.h"

#define CTRL_U 0x15
#define DEL 0x7f

_Static_assert((LINEQ_SIZE & (LINEQ_SIZE - 1)) == 0, "counters wrap with the ring");
_Static_assert(LINEQ_SIZE >= 2 * (LINEQ_LINE_MAX + 1), "room for a line typed ahead");

void lineq_put(struct lineq *q, char c)
{
	unsigned h = q->head;
	unsigned used = h + q->edit - __atomic_load_n(&q->tail, __ATOMIC_ACQUIRE);

	if (c == '\n' && q->last_cr) {
		q->last_cr = false;
		return;
	}
	q->last_cr = c == '\r';
	if (c == '\r' || c == '\n') {
		if (used == LINEQ_SIZE)
			return; /* an empty line, and no room left even for its newline */
		q->ring[(h + q->edit) % LINEQ_SIZE] = '\n';
		__atomic_store_n(&q->head, h + q->edit + 1, __ATOMIC_RELEASE);
		q->edit = 0;
	} else if (c == DEL || c == '\b') {
		if (q->edit)
			q->edit--;
	} else if (c == CTRL_U) {
		q->edit = 0;
	} else if (q->edit < LINEQ_LINE_MAX && used + 1 < LINEQ_SIZE) {
		q->ring[(h + q->edit) % LINEQ_SIZE] = c;
		q->edit++;
	}
}

size_t lineq_read(struct lineq *q, char *buf, size_t len)
{
	unsigned t = q->tail, h = __atomic_load_n(&q->head, __ATOMIC_ACQUIRE);
	size_t n = 0;

	while (n < len && t != h) {
		char c = q->ring[t % LINEQ_SIZE];

		buf[n++] = c;
		t++;
		if (c == '\n')
			break;
	}
	__atomic_store_n(&q->tail, t, __ATOMIC_RELEASE);
	return n;
}
