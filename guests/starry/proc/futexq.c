/* Futex waiter queues and FUTEX_WAKE_OP's operation decoding (pure C, host-tested). */
#include <stddef.h>
#include "futexq.h"

#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8 /* flag in the op field: the operand is 1 << oparg */
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5

static bool key_eq(const struct futex_key *a, const struct futex_key *b)
{
	return a->mm == b->mm && a->uaddr == b->uaddr;
}

void futexq_add(struct futexq *q, struct futex_waiter *w)
{
	w->next = NULL;
	w->woken = false;
	if (q->last)
		q->last->next = w;
	else
		q->first = w;
	q->last = w;
}

/* Unlinks the waiter *pp points at, prev being the one before it (NULL at the head). */
static struct futex_waiter *unlink(struct futexq *q, struct futex_waiter **pp,
				   struct futex_waiter *prev)
{
	struct futex_waiter *w = *pp;

	*pp = w->next;
	if (q->last == w)
		q->last = prev;
	w->next = NULL;
	return w;
}

bool futexq_remove(struct futexq *q, const struct futex_waiter *w)
{
	struct futex_waiter *prev = NULL;

	for (struct futex_waiter **pp = &q->first; *pp; prev = *pp, pp = &(*pp)->next)
		if (*pp == w) {
			unlink(q, pp, prev);
			return true;
		}
	return false;
}

int futexq_wake(struct futexq *q, const struct futex_key *k, uint32_t bitset, int n,
		void (*wake)(void *owner))
{
	struct futex_waiter **pp = &q->first, *prev = NULL;
	int done = 0;

	while (*pp && done < n) {
		struct futex_waiter *w = *pp;

		if (!key_eq(&w->key, k) || !(w->bitset & bitset)) {
			prev = w;
			pp = &w->next;
			continue;
		}
		unlink(q, pp, prev);
		w->woken = true;
		wake(w->owner);
		done++;
	}
	return done;
}

int futexq_requeue(struct futexq *q, const struct futex_key *from, const struct futex_key *to,
		   int nwake, int nrequeue, void (*wake)(void *owner))
{
	int woken = nwake > 0 ? futexq_wake(q, from, ~0u, nwake, wake) : 0;
	int moved = 0;

	/* Re-keying in place keeps every waiter's place in the arrival order. */
	for (struct futex_waiter *w = q->first; w && moved < nrequeue; w = w->next)
		if (key_eq(&w->key, from)) {
			w->key = *to;
			moved++;
		}
	return woken + moved;
}

/* A 12-bit two's complement field. */
static int32_t sext12(uint32_t v)
{
	return (int32_t)(v << 20) >> 20;
}

int futex_op_eval(uint32_t encoded, uint32_t oldval, uint32_t *newval)
{
	uint32_t op = (encoded >> 28) & 0xf, cmp = (encoded >> 24) & 0xf;
	int32_t oparg = sext12(encoded >> 12 & 0xfff), cmparg = sext12(encoded & 0xfff);
	int32_t old = (int32_t)oldval;

	if (op & FUTEX_OP_OPARG_SHIFT) {
		/* Linux takes the shift modulo 32 (and warns about out-of-range ones). */
		oparg = (int32_t)(1u << (oparg & 31));
		op &= ~(uint32_t)FUTEX_OP_OPARG_SHIFT;
	}
	switch (op) {
	case FUTEX_OP_SET:
		*newval = (uint32_t)oparg;
		break;
	case FUTEX_OP_ADD:
		*newval = oldval + (uint32_t)oparg;
		break;
	case FUTEX_OP_OR:
		*newval = oldval | (uint32_t)oparg;
		break;
	case FUTEX_OP_ANDN:
		*newval = oldval & ~(uint32_t)oparg;
		break;
	case FUTEX_OP_XOR:
		*newval = oldval ^ (uint32_t)oparg;
		break;
	default:
		return -1;
	}
	switch (cmp) {
	case FUTEX_OP_CMP_EQ:
		return old == cmparg;
	case FUTEX_OP_CMP_NE:
		return old != cmparg;
	case FUTEX_OP_CMP_LT:
		return old < cmparg;
	case FUTEX_OP_CMP_LE:
		return old <= cmparg;
	case FUTEX_OP_CMP_GT:
		return old > cmparg;
	case FUTEX_OP_CMP_GE:
		return old >= cmparg;
	default:
		return -1;
	}
}
