/* POSIX record locks: byte ranges per file and process, split, merged and tested for conflicts. */
#include <stddef.h>
#include "reclock.h"

static bool same_key(struct reclock_key a, struct reclock_key b)
{
	return a.dev == b.dev && a.ino == b.ino;
}

static bool overlaps(const struct reclock *l, uint64_t start, uint64_t end)
{
	return l->start <= end && start <= l->end;
}

const struct reclock *reclock_conflict(const struct reclock_table *t, struct reclock_key key,
				       int owner, int type, uint64_t start, uint64_t end)
{
	for (const struct reclock *l = t->head; l; l = l->next)
		if (same_key(l->key, key) && l->owner != owner && overlaps(l, start, end) &&
		    (type == RECLOCK_WR || l->type == RECLOCK_WR))
			return l;
	return NULL;
}

/* Removes *pp from the list and frees it; pp then points at the next record. */
static void drop(struct reclock_table *t, struct reclock **pp)
{
	struct reclock *l = *pp;

	*pp = l->next;
	t->free(l);
}

int reclock_set(struct reclock_table *t, struct reclock_key key, int owner, int type,
		uint64_t start, uint64_t end)
{
	/* At most two new records: the new lock, and the tail of an old lock it splits in two.
	 * Both are taken before anything changes, so running out of memory changes nothing. */
	struct reclock *spare[2] = {NULL, NULL};
	unsigned used = 0;

	if (type != RECLOCK_UN && reclock_conflict(t, key, owner, type, start, end))
		return RECLOCK_EAGAIN;
	for (int i = 0; i < 2; i++) {
		spare[i] = t->alloc(sizeof(struct reclock));
		if (!spare[i]) {
			if (spare[0])
				t->free(spare[0]);
			return RECLOCK_ENOLCK;
		}
	}
	/* Take start..end out of the owner's locks on the file. A neighbour of the same type
	 * that touches or overlaps the new range is absorbed into it instead. */
	for (struct reclock **pp = &t->head; *pp;) {
		struct reclock *l = *pp;

		if (!same_key(l->key, key) || l->owner != owner) {
			pp = &l->next;
			continue;
		}
		if (type == l->type && type != RECLOCK_UN &&
		    (overlaps(l, start, end) || (end != RECLOCK_EOF && l->start == end + 1) ||
		     (start != 0 && l->end == start - 1))) {
			start = l->start < start ? l->start : start;
			end = l->end > end ? l->end : end;
			drop(t, pp);
			continue;
		}
		if (!overlaps(l, start, end)) {
			pp = &l->next;
			continue;
		}
		if (l->start < start && l->end > end) { /* the new range is inside: split */
			struct reclock *tail = spare[used++];

			*tail = *l;
			tail->start = end + 1;
			l->end = start - 1;
			l->next = tail;
			pp = &tail->next;
		} else if (l->start < start) {
			l->end = start - 1;
			pp = &l->next;
		} else if (l->end > end) {
			l->start = end + 1;
			pp = &l->next;
		} else {
			drop(t, pp);
		}
	}
	if (type != RECLOCK_UN) {
		struct reclock *n = spare[used++];

		*n = (struct reclock){.key = key,
				      .owner = owner,
				      .type = type,
				      .start = start,
				      .end = end,
				      .next = t->head};
		t->head = n;
	}
	while (used < 2)
		t->free(spare[used++]);
	return 0;
}

void reclock_release(struct reclock_table *t, struct reclock_key key, int owner)
{
	for (struct reclock **pp = &t->head; *pp;) {
		if (same_key((*pp)->key, key) && (*pp)->owner == owner)
			drop(t, pp);
		else
			pp = &(*pp)->next;
	}
}

unsigned reclock_count(const struct reclock_table *t)
{
	unsigned n = 0;

	for (const struct reclock *l = t->head; l; l = l->next)
		n++;
	return n;
}
