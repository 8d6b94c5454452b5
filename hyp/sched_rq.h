/* vCPU scheduling decisions per physical CPU: run queues, slices, blocking and waking (pure C). */
#ifndef HYP_SCHED_RQ_H
#define HYP_SCHED_RQ_H

#include <stdbool.h>
#include <stdint.h>

/* A deadline that never comes. */
#define SCHED_NEVER UINT64_MAX

enum sched_state {
	SCHED_OFF,     /* not runnable: off, stopped, or taken back by a reset */
	SCHED_READY,   /* runnable, waiting in its CPU's queue */
	SCHED_RUNNING, /* its CPU's current one */
	SCHED_BLOCKED, /* waits for an interrupt (WFI) or for its timer deadline */
};

/* What the scheduler knows of one vCPU; embedded in struct vcpu. */
struct sched_entity {
	struct sched_entity *next;	  /* in its run queue's ready FIFO */
	struct sched_entity *next_member; /* every vCPU with this CPU's affinity */
	enum sched_state state;
	uint64_t wake_at; /* while blocked: when its virtual timer fires, or SCHED_NEVER */
	uint64_t since;	  /* when it last got the CPU (ticks) */
	uint64_t ran;	  /* ticks it held the CPU in total */
};

/* One physical CPU's run queue; the caller serialises calls on it (a lock per CPU). */
struct sched_rq {
	struct sched_entity *head, *tail; /* ready ones, first come first served */
	struct sched_entity *current;	  /* the one on the CPU, or NULL while it idles */
	struct sched_entity *members;
	unsigned nr_members;
	uint64_t slice;	    /* ticks a vCPU may hold a shared CPU while others wait */
	uint64_t slice_end; /* when the current one's slice ends, SCHED_NEVER if idle */
	const struct sched_entity *last; /* the one that held the CPU last */
	uint64_t switches;		 /* times the CPU went from one vCPU to another */
};

/* What a vCPU's WFI does (sched_wfi). */
enum sched_wfi {
	SCHED_WFI_RETURN,	 /* it has an interrupt to take: WFI completes at once */
	SCHED_WFI_WAIT_IN_PLACE, /* the CPU is its alone: wait for an interrupt on the CPU */
	SCHED_WFI_YIELD,	 /* blocked: the CPU goes to another vCPU or idles */
};

void sched_rq_init(struct sched_rq *rq, uint64_t slice);
/* Makes `se` one of the CPU's vCPUs (from the scenario's affinity, at boot); it starts off. */
void sched_add_member(struct sched_rq *rq, struct sched_entity *se);
/* More than one vCPU holds this CPU: slices, saved contexts and WFI yields apply. One alone
 * keeps the pinned path. */
static inline bool sched_is_shared(const struct sched_rq *rq)
{
	return rq->nr_members > 1;
}

/* `se` may run (CPU_ON, a reset's boot vCPU, an interrupt or deadline for a blocked one).
 * True if its CPU idles and must be kicked to notice. A ready or running one stays as it is. */
bool sched_wake(struct sched_rq *rq, struct sched_entity *se);
/* `se` may no longer run (its VM stopped, CPU_OFF, a reset took it back): out of the queue, and
 * no longer current if it was. */
void sched_remove(struct sched_rq *rq, struct sched_entity *se, uint64_t now);
/* The decision for a WFI of the current vCPU: `pending` if it has an interrupt to take;
 * `wake_at` is its virtual timer's deadline. Blocks it when that is the answer. */
enum sched_wfi sched_wfi(struct sched_rq *rq, struct sched_entity *se, bool pending,
			 uint64_t wake_at, uint64_t now);
/* Wakes the blocked vCPUs whose deadline is at or before `now`; returns how many. */
unsigned sched_wake_expired(struct sched_rq *rq, uint64_t now);
/*
 * Who holds the CPU from `now`: the current vCPU until its slice ends, then the first ready
 * one (the current one goes to the back of the queue: round robin); the first ready one if
 * the current one blocked or left; NULL if none is ready (the CPU idles).
 */
struct sched_entity *sched_pick(struct sched_rq *rq, uint64_t now);
/* When the CPU must look again: the slice's end or the earliest deadline of a blocked vCPU. */
uint64_t sched_next_event(const struct sched_rq *rq);

#endif /* HYP_SCHED_RQ_H */
