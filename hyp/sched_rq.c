/* vCPU scheduling decisions: a FIFO of ready vCPUs per physical CPU, slices, block and wake. */
#include "sched_rq.h"
#include <stddef.h>

void sched_rq_init(struct sched_rq *rq, uint64_t slice)
{
	*rq = (struct sched_rq){.slice = slice ? slice : 1, .slice_end = SCHED_NEVER};
}

void sched_add_member(struct sched_rq *rq, struct sched_entity *se)
{
	*se = (struct sched_entity){.state = SCHED_OFF, .wake_at = SCHED_NEVER};
	se->next_member = rq->members;
	rq->members = se;
	rq->nr_members++;
}

static void enqueue(struct sched_rq *rq, struct sched_entity *se)
{
	se->state = SCHED_READY;
	se->next = NULL;
	if (rq->tail)
		rq->tail->next = se;
	else
		rq->head = se;
	rq->tail = se;
}

static struct sched_entity *dequeue(struct sched_rq *rq)
{
	struct sched_entity *se = rq->head;

	if (se) {
		rq->head = se->next;
		if (!rq->head)
			rq->tail = NULL;
		se->next = NULL;
	}
	return se;
}

static void unlink(struct sched_rq *rq, struct sched_entity *se)
{
	struct sched_entity **p = &rq->head, *prev = NULL;

	while (*p && *p != se) {
		prev = *p;
		p = &(*p)->next;
	}
	if (!*p)
		return;
	*p = se->next;
	if (rq->tail == se)
		rq->tail = prev;
	se->next = NULL;
}

/* The current vCPU lets go of the CPU at `now`: its time is counted. */
static void leave_cpu(struct sched_rq *rq, struct sched_entity *se, uint64_t now)
{
	if (now > se->since)
		se->ran += now - se->since;
	rq->current = NULL;
	rq->slice_end = SCHED_NEVER;
}

bool sched_wake(struct sched_rq *rq, struct sched_entity *se)
{
	if (se->state == SCHED_READY || se->state == SCHED_RUNNING)
		return false;
	se->wake_at = SCHED_NEVER;
	enqueue(rq, se);
	return rq->current == NULL;
}

void sched_remove(struct sched_rq *rq, struct sched_entity *se, uint64_t now)
{
	if (se->state == SCHED_READY)
		unlink(rq, se);
	if (rq->current == se)
		leave_cpu(rq, se, now);
	se->state = SCHED_OFF;
	se->wake_at = SCHED_NEVER;
}

enum sched_wfi sched_wfi(struct sched_rq *rq, struct sched_entity *se, bool pending,
			 uint64_t wake_at, uint64_t now)
{
	if (pending)
		return SCHED_WFI_RETURN;
	if (!sched_is_shared(rq))
		return SCHED_WFI_WAIT_IN_PLACE;
	if (rq->current == se)
		leave_cpu(rq, se, now);
	se->state = SCHED_BLOCKED;
	se->wake_at = wake_at;
	return SCHED_WFI_YIELD;
}

unsigned sched_wake_expired(struct sched_rq *rq, uint64_t now)
{
	unsigned woken = 0;

	for (struct sched_entity *se = rq->members; se; se = se->next_member) {
		if (se->state == SCHED_BLOCKED && se->wake_at <= now) {
			sched_wake(rq, se);
			woken++;
		}
	}
	return woken;
}

struct sched_entity *sched_pick(struct sched_rq *rq, uint64_t now)
{
	struct sched_entity *cur = rq->current, *next;

	if (cur) {
		if (now < rq->slice_end)
			return cur;
		if (!rq->head) {
			rq->slice_end = now + rq->slice; /* nobody waits: a new slice */
			return cur;
		}
		leave_cpu(rq, cur, now);
		enqueue(rq, cur);
	}
	next = dequeue(rq);
	if (!next)
		return NULL;
	if (rq->last && next != rq->last)
		rq->switches++;
	rq->last = next;
	next->state = SCHED_RUNNING;
	next->since = now;
	rq->current = next;
	rq->slice_end = now + rq->slice;
	return next;
}

uint64_t sched_next_event(const struct sched_rq *rq)
{
	uint64_t at = rq->current ? rq->slice_end : SCHED_NEVER;

	for (const struct sched_entity *se = rq->members; se; se = se->next_member)
		if (se->state == SCHED_BLOCKED && se->wake_at < at)
			at = se->wake_at;
	return at;
}
