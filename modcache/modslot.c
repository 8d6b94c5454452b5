/* The module slot state machine: pure logic, called under the VM's lock, tested on the host. */
#include "modslot.h"
#include <modvisor/status.h>
#include <string.h>

int modslot_load_begin(struct modslot *s, uint64_t *ticket, bool *already,
		       struct modslot_contents *cur)
{
	*already = false;
	switch (s->state) {
	case MODSLOT_EMPTY:
		s->state = MODSLOT_LOADING;
		*ticket = s->seq;
		return MV_OK;
	case MODSLOT_LOADED:
		*already = true;
		*cur = s->c;
		return MV_OK;
	case MODSLOT_LOADING:
	default:
		return MV_ERR_BUSY;
	}
}

bool modslot_owns(const struct modslot *s, uint64_t ticket)
{
	return s->state == MODSLOT_LOADING && s->seq == ticket;
}

/* Every way out of LOADING retires the ticket it was entered with. */
static void end_loading(struct modslot *s, enum modslot_state next)
{
	s->state = next;
	s->seq++;
}

int modslot_load_commit(struct modslot *s, uint64_t ticket, const struct modslot_contents *c)
{
	if (!modslot_owns(s, ticket))
		return MV_ERR_BUSY;
	if (!c->entry)
		return MV_ERR_INVALID;
	s->c = *c;
	end_loading(s, MODSLOT_LOADED);
	return MV_OK;
}

void modslot_load_abort(struct modslot *s, uint64_t ticket)
{
	if (modslot_owns(s, ticket))
		end_loading(s, MODSLOT_EMPTY);
}

int modslot_unload(struct modslot *s, struct modslot_contents *out)
{
	if (s->state == MODSLOT_EMPTY)
		return MV_ERR_NOT_FOUND;
	if (s->state != MODSLOT_LOADED)
		return MV_ERR_BUSY;
	*out = s->c;
	memset(&s->c, 0, sizeof(s->c));
	s->state = MODSLOT_EMPTY;
	return MV_OK;
}

bool modslot_reset(struct modslot *s, struct modslot_contents *out)
{
	if (s->state == MODSLOT_LOADING) {
		end_loading(s, MODSLOT_EMPTY);
		return false;
	}
	return modslot_unload(s, out) == MV_OK;
}

bool modslot_loaded(const struct modslot *s, struct modslot_contents *out)
{
	if (s->state != MODSLOT_LOADED)
		return false;
	*out = s->c;
	return true;
}
