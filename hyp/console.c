/* Serialises hypervisor and guest output on the physical PL011, rate-limited per source. */
#include "console.h"
#include "arch/asm_offsets.h"
#include "arch/sysregs.h"
#include "cpu.h"
#include "pl011.h"
#include "spinlock.h"
#include "vcpu.h"
#include "vm.h"
#include <fmt.h>
#include <string.h>

/*
 * An unfocused guest's bytes wait in its stage (under its own lock) and reach the console
 * a line at a time, so guests writing at once contend for the console lock once per line,
 * not once per byte, even while their lines are dropped.
 *
 * Every lock hold writes a bounded amount: one guest line's worth (at most a broken line,
 * a prefixed 160-cell line, the focused guest's line put back, and one drop note per source)
 * or one hypervisor message. The ticket lock serves CPUs in turn, so a flooding source waits
 * its turn like the others, and its rate limit keeps its share of turns small.
 */

/* Drops are reported at most once a second per source while a flood lasts. */
#define NOTE_INTERVAL_SEC 1

struct hyp_line {
	bool partial;	    /* the CPU's last message did not end its line */
	bool dropping;	    /* ... and that line is being dropped */
	unsigned uncharged; /* nesting of console_uncharged_begin() */
};

static void sink_pl011(void *arg, const char *s, unsigned n)
{
	(void)arg;
	for (unsigned i = 0; i < n; i++)
		pl011_putc(s[i]);
}

static struct spinlock console_lock = SPINLOCK_INIT;
static struct cf_term term = {.sink = sink_pl011, .open_hyp = CF_NO_CPU};
static struct console_src *sources[VM_MAX];
static unsigned nsources;
static struct hyp_line hyp_lines[HYP_MAX_CPUS];
static volatile bool panicking;

static uint64_t ticks(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

static uint64_t ticks_per_sec(void)
{
	return read_sysreg(cntfrq_el0);
}

struct hyp_emit {
	int cpu;
	char last;
};

static void emit_hyp(void *arg, char c)
{
	struct hyp_emit *e = arg;

	cf_hyp_putc(&term, e->cpu, c);
	e->last = c;
}

/* Writes a message of the console's own; called with the lock held. */
__printf(2, 3) static void say(int cpu, const char *fmt, ...)
{
	struct hyp_emit e = {cpu, 0};
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(emit_hyp, &e, fmt, ap);
	va_end(ap);
}

/* Reports what was dropped: due sources only, or everything `src` dropped (at its stop). */
static void note_drops(uint64_t now, const struct console_src *src)
{
	uint64_t interval = ticks_per_sec() * NOTE_INTERVAL_SEC;
	int cpu = (int)cpu_index();

	for (unsigned i = 0; i < nsources; i++) {
		struct console_src *s = sources[i];
		uint32_t n;

		n = ratelimit_report(&s->out, now, interval, s == src);
		if (n)
			say(cpu, "hyp: vm %s: %u lines dropped\n", s->name, (unsigned)n);
		n = ratelimit_report(&s->hyp, now, interval, s == src);
		if (n)
			say(cpu, "hyp: vm %s: %u hypervisor messages dropped\n", s->name,
			    (unsigned)n);
	}
}

/* The VM whose trap this CPU is handling, if a message now is its doing. */
static struct console_src *charged_source(unsigned cpu)
{
	struct vcpu *v;

	if (panicking || hyp_lines[cpu].uncharged)
		return NULL;
	v = vcpu_current();
	if (!v || !v->vm || v->vm->state != VM_RUNNING)
		return NULL;
	return &v->vm->uart.con;
}

static bool ends_line(const char *fmt)
{
	size_t n = strlen(fmt);

	return n && fmt[n - 1] == '\n';
}

void hyp_vprintf(const char *fmt, va_list ap)
{
	unsigned cpu = cpu_index();
	struct console_src *src = charged_source(cpu);
	struct hyp_line *h = &hyp_lines[cpu];
	uint64_t now = ticks();

	spin_lock(&console_lock);
	/* A panic always speaks, even in the middle of a line being dropped. */
	if (!h->partial || panicking) {
		h->dropping = src && !ratelimit_take(&src->hyp, now);
		if (!h->dropping)
			note_drops(now, NULL);
	}
	if (h->dropping) {
		h->partial = !ends_line(fmt);
	} else {
		struct hyp_emit e = {(int)cpu, 0};

		fmt_vformat(emit_hyp, &e, fmt, ap);
		if (e.last)
			h->partial = e.last != '\n';
	}
	spin_unlock(&console_lock);
}

void hyp_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vprintf(fmt, ap);
	va_end(ap);
}

void console_src_init(struct console_src *src, const char *name)
{
	uint64_t now = ticks(), freq = ticks_per_sec();
	unsigned i;

	src->stage_lock = (struct spinlock)SPINLOCK_INIT;
	console_stage_clear(&src->stage);
	spin_lock(&console_lock);
	src->name = name;
	cf_guest_init(&src->line, name);
	ratelimit_init(&src->out, freq, CONSOLE_OUT_PER_SEC, CONSOLE_OUT_BURST, now);
	ratelimit_init(&src->hyp, freq, CONSOLE_HYP_PER_SEC, CONSOLE_HYP_BURST, now);
	/* A VM slot whose creation failed is reused by the next VM: register it once. */
	for (i = 0; i < nsources && sources[i] != src; i++)
		;
	if (i == nsources && nsources < VM_MAX)
		sources[nsources++] = src;
	spin_unlock(&console_lock);
}

/* One byte to the filter, charging the line's rate limit where it starts; console lock held. */
static void feed(struct console_src *src, char c, uint64_t now)
{
	if (cf_guest_at_line_start(&src->line)) {
		if (ratelimit_take(&src->out, now))
			note_drops(now, NULL);
		else
			src->line.dropping = true;
	}
	cf_guest_putc(&term, &src->line, c);
}

/* Gives the console what the guest's stage holds; both locks held. */
static void feed_stage(struct console_src *src, uint64_t now)
{
	unsigned n;
	const char *held = console_stage_bytes(&src->stage, &n);

	for (unsigned i = 0; i < n; i++)
		feed(src, held[i], now);
	console_stage_clear(&src->stage);
}

void console_vm_putc(struct console_src *src, char c)
{
	uint64_t now;
	bool focused;

	spin_lock(&src->stage_lock);
	/* The focus changes only under this lock too (console_set_focus), so a byte is never
	 * held back for a guest that has just been given the focus. */
	focused = __atomic_load_n(&term.focus, __ATOMIC_RELAXED) == &src->line;
	if (console_stage_hold(&src->stage, c, focused)) {
		spin_unlock(&src->stage_lock);
		return;
	}
	now = ticks();
	spin_lock(&console_lock);
	feed_stage(src, now);
	feed(src, c, now);
	spin_unlock(&console_lock);
	spin_unlock(&src->stage_lock);
}

void console_vm_flush(struct console_src *src)
{
	uint64_t now = ticks();

	spin_lock(&src->stage_lock);
	spin_lock(&console_lock);
	feed_stage(src, now);
	cf_guest_flush(&term, &src->line);
	note_drops(now, src);
	spin_unlock(&console_lock);
	spin_unlock(&src->stage_lock);
}

/* Makes `src` the focus, its held bytes given to the console first; locks not held. */
static void focus_on(struct console_src *src, bool show_now)
{
	uint64_t now = ticks();

	spin_lock(&src->stage_lock);
	spin_lock(&console_lock);
	feed_stage(src, now);
	if (term.focus != &src->line) {
		cf_set_focus(&term, &src->line);
		if (show_now)
			cf_show_focus(&term);
	}
	spin_unlock(&console_lock);
	spin_unlock(&src->stage_lock);
}

void console_set_focus(struct console_src *src)
{
	focus_on(src, false);
}

void console_input_for(struct console_src *src)
{
	focus_on(src, true);
}

void console_uncharged_begin(void)
{
	hyp_lines[cpu_index()].uncharged++;
}

void console_uncharged_end(void)
{
	hyp_lines[cpu_index()].uncharged--;
}

void console_force_unlock(void)
{
	panicking = true;
	console_lock.owner = console_lock.next;
}
