/* PL031 register semantics for the virtual RTC: counter, load, match and its interrupt status. */
#include "vrtc_model.h"
#include <dev/pl031.h>
#include <modvisor/status.h>

static const uint8_t pl031_id[8] = PL031_ID_BYTES;

void vrtc_model_init(struct vrtc_model *m, uint64_t freq, uint64_t now, uint32_t secs)
{
	*m = (struct vrtc_model){0};
	m->freq = freq ? freq : 1;
	m->base_tick = now;
	m->base_secs = secs;
	m->checked = secs;
	m->lr = secs; /* as if the firmware had loaded it */
}

uint64_t vrtc_model_count(const struct vrtc_model *m, uint64_t now)
{
	/* A counter that reads behind the base (another CPU's slightly older value) is the base. */
	uint64_t ticks = now > m->base_tick ? now - m->base_tick : 0;

	return m->base_secs + ticks / m->freq;
}

/*
 * The match interrupt is raised when the 32-bit counter equals RTCMR. Nothing runs at that
 * second, so each access looks back over the seconds passed since the last one.
 */
static void sync_match(struct vrtc_model *m, uint64_t now)
{
	uint64_t count = vrtc_model_count(m, now), next;

	if (count <= m->checked)
		return;
	/* The first second after checked whose low 32 bits equal mr. */
	next = m->checked + 1 + (uint32_t)(m->mr - (uint32_t)(m->checked + 1));
	if (next <= count)
		m->ris |= PL031_INT_MATCH;
	m->checked = count;
}

/* A load or a new match value compares at once, as the hardware's comparator does. */
static void compare_now(struct vrtc_model *m, uint64_t now)
{
	uint64_t count = vrtc_model_count(m, now);

	if ((uint32_t)count == m->mr)
		m->ris |= PL031_INT_MATCH;
	m->checked = count;
}

uint32_t vrtc_model_read(struct vrtc_model *m, uint64_t now, uint64_t offset)
{
	sync_match(m, now);
	switch (offset) {
	case PL031_DR:
		return (uint32_t)vrtc_model_count(m, now);
	case PL031_MR:
		return m->mr;
	case PL031_LR:
		return m->lr;
	case PL031_CR:
		return PL031_CR_START; /* started at power-on and cannot be stopped */
	case PL031_IMSC:
		return m->imsc;
	case PL031_RIS:
		return m->ris;
	case PL031_MIS:
		return m->ris & m->imsc;
	default:
		if (offset >= PL031_PERIPHID0 && offset < PL031_PERIPHID0 + 4 * sizeof(pl031_id))
			return pl031_id[(offset - PL031_PERIPHID0) / 4];
		return 0;
	}
}

void vrtc_model_write(struct vrtc_model *m, uint64_t now, uint64_t offset, uint32_t value)
{
	sync_match(m, now);
	switch (offset) {
	case PL031_MR:
		m->mr = value;
		compare_now(m, now);
		break;
	case PL031_LR:
		/* The count restarts from the value with a whole second to its next increment. */
		m->lr = value;
		m->base_secs = value;
		m->base_tick = now;
		compare_now(m, now);
		break;
	case PL031_IMSC:
		m->imsc = value & PL031_INT_MATCH;
		break;
	case PL031_ICR:
		m->ris &= ~(value & PL031_INT_MATCH);
		break;
	default:
		break; /* RTCCR (always started), read-only registers, holes */
	}
}

int vrtc_model_access(struct vrtc_model *m, uint64_t now, uint64_t offset, unsigned size,
		      bool write, uint64_t *value)
{
	if (size == 8 || offset >= PL031_SIZE)
		return MV_ERR_INVALID;
	if (write) {
		if (size == 4)
			vrtc_model_write(m, now, offset, (uint32_t)*value);
	} else {
		uint64_t word = vrtc_model_read(m, now, offset & ~3ULL) >> (8 * (offset & 3));

		*value = size == 4 ? word : word & ((1ULL << (8 * size)) - 1);
	}
	return MV_OK;
}

bool vrtc_model_irq(struct vrtc_model *m, uint64_t now)
{
	sync_match(m, now);
	return (m->ris & m->imsc) != 0;
}
