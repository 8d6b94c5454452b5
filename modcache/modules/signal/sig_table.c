/* The tid -> task table: a chained hash that starts in module data and grows through ks->alloc. */
#include "sig_internal.h"

static uint32_t bucket_of(uint32_t tid, uint32_t shift)
{
	/* Fibonacci hashing: strided tids (some kernels number tasks by slot * k) still spread. */
	return (uint32_t)(tid * 2654435761U) >> shift;
}

void sig_table_init(struct sig_table *t)
{
	for (uint32_t i = 0; i < SIG_TABLE_INITIAL; i++)
		t->initial[i] = NULL;
	t->buckets = t->initial;
	t->nbuckets = SIG_TABLE_INITIAL;
	t->shift = 32 - (uint32_t)__builtin_ctz(SIG_TABLE_INITIAL);
	t->count = 0;
}

struct sig_task *sig_table_find(const struct sig_table *t, uint32_t tid)
{
	struct sig_task *task = t->buckets[bucket_of(tid, t->shift)];

	while (task && task->tid != tid)
		task = task->next;
	return task;
}

bool sig_table_full(const struct sig_table *t)
{
	return t->count >= SIG_MAX_TASKS;
}

/* Growth is best effort: if the guest is short of memory, longer chains are slower, not wrong. */
static void table_grow(struct sig_state *s)
{
	struct sig_table *t = &s->table;
	uint32_t n = t->nbuckets * 2, shift = t->shift - 1;
	struct sig_task **nb = sig_alloc(s, n * sizeof(*nb), _Alignof(struct sig_task *));

	if (!nb)
		return;
	for (uint32_t i = 0; i < n; i++)
		nb[i] = NULL;
	for (uint32_t i = 0; i < t->nbuckets; i++) {
		struct sig_task *task = t->buckets[i];

		while (task) {
			struct sig_task *next = task->next;
			uint32_t b = bucket_of(task->tid, shift);

			task->next = nb[b];
			nb[b] = task;
			task = next;
		}
	}
	if (t->buckets != t->initial)
		sig_free(s, t->buckets);
	t->buckets = nb;
	t->nbuckets = n;
	t->shift = shift;
}

/* The caller has checked that tid is absent and the table is not full. */
void sig_table_insert(struct sig_state *s, struct sig_task *task)
{
	struct sig_table *t = &s->table;
	uint32_t b;

	if (t->count >= t->nbuckets && t->nbuckets < SIG_TABLE_MAX_BUCKETS)
		table_grow(s);
	b = bucket_of(task->tid, t->shift);
	task->next = t->buckets[b];
	t->buckets[b] = task;
	t->count++;
}

/* Back to the inline buckets once empty, so a guest with no tasks holds no memory of ours. */
void sig_table_remove(struct sig_state *s, const struct sig_task *task)
{
	struct sig_table *t = &s->table;
	struct sig_task **pp = &t->buckets[bucket_of(task->tid, t->shift)];

	while (*pp && *pp != task)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = task->next;
	t->count--;
	if (t->count == 0)
		sig_table_release(s);
}

void sig_table_release(struct sig_state *s)
{
	if (s->table.buckets != s->table.initial)
		sig_free(s, s->table.buckets);
	sig_table_init(&s->table);
}
