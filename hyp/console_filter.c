/* The console's output filter: keeps every guest byte inside its own prefixed line. */
#include "console_filter.h"
#include <string.h>

/*
 * The terminal is modelled as one unfinished line at a time (t->open or t->open_hyp). The
 * invariant that makes hypervisor lines unforgeable: whatever a guest writes, the cursor
 * stays right of its "[name] " prefix on a line that starts with that prefix. So a guest
 * byte can never end up at column 0, and only the hypervisor writes at column 0.
 */

static const char hex[] = "0123456789abcdef";

static void out(struct cf_term *t, const char *s, unsigned n)
{
	if (n)
		t->sink(t->arg, s, n);
}

static void out_str(struct cf_term *t, const char *s)
{
	out(t, s, (unsigned)strlen(s));
}

/* ESC [ n <final>: the only sequences the filter itself sends for a guest. */
static void out_csi(struct cf_term *t, unsigned n, char final)
{
	char buf[16];
	unsigned i = sizeof(buf);

	buf[--i] = final;
	do {
		buf[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	buf[--i] = '[';
	buf[--i] = '\x1b';
	out(t, buf + i, (unsigned)sizeof(buf) - i);
}

void cf_term_init(struct cf_term *t, cf_sink_fn sink, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->sink = sink;
	t->arg = arg;
	t->open_hyp = CF_NO_CPU;
}

void cf_guest_init(struct cf_guest *g, const char *name)
{
	unsigned n = 0;

	memset(g, 0, sizeof(*g));
	g->prefix[n++] = '[';
	/* Leaves room for "] " and the terminating NUL. */
	for (; *name && n < CF_PREFIX_MAX - 3; name++)
		g->prefix[n++] = *name >= 0x20 && *name < 0x7f ? *name : '?';
	g->prefix[n++] = ']';
	g->prefix[n++] = ' ';
	g->prefix_len = n;
}

bool cf_guest_at_line_start(const struct cf_guest *g)
{
	return !g->started && !g->dropping;
}

/* Ends whatever unfinished line the cursor is on, so the next output starts at column 0. */
static void break_line(struct cf_term *t)
{
	if (t->open || t->open_hyp != CF_NO_CPU)
		out_str(t, "\r\n");
	t->open = NULL;
	t->open_hyp = CF_NO_CPU;
}

/* Puts the guest's unfinished line on screen (prefix, cells, cursor) unless it is there. */
static void show(struct cf_term *t, struct cf_guest *g)
{
	if (t->open == g)
		return;
	break_line(t);
	out(t, g->prefix, g->prefix_len);
	out(t, g->cells, g->len);
	if (g->len > g->cursor)
		out_csi(t, g->len - g->cursor, 'D');
	t->open = g;
}

/* After another source's line: the focused guest's prompt or half-typed line comes back. */
static void restore_focus(struct cf_term *t)
{
	if (t->focus && t->focus->started && !t->focus->dropping)
		show(t, t->focus);
}

static void reset_line(struct cf_guest *g)
{
	g->len = 0;
	g->cursor = 0;
	g->started = false;
	g->dropping = false;
	g->skipped = 0;
}

/* Finishes the guest's line on screen; unfocused lines are written here in one piece. */
static void end_line(struct cf_term *t, struct cf_guest *g)
{
	if (t->open != g) {
		break_line(t);
		out(t, g->prefix, g->prefix_len);
		out(t, g->cells, g->len);
	}
	out_str(t, "\r\n");
	t->open = NULL;
	reset_line(g);
	restore_focus(t);
}

static bool shown_at_once(const struct cf_term *t, const struct cf_guest *g)
{
	return t->focus == g;
}

/* One printable cell at the cursor; returns true when it filled the line (which then ends). */
static bool put_cell(struct cf_term *t, struct cf_guest *g, char c)
{
	g->cells[g->cursor++] = c;
	if (g->cursor > g->len)
		g->len = g->cursor;
	if (shown_at_once(t, g))
		out(t, &c, 1);
	if (g->len < CF_LINE_MAX || g->cursor < g->len)
		return false;
	end_line(t, g);
	return true;
}

/* Text that must stay in one piece on one line (an escaped byte or sequence). */
static bool put_text(struct cf_term *t, struct cf_guest *g, const char *s, unsigned n)
{
	bool ended = false;

	if (g->cursor + n > CF_LINE_MAX && g->cursor > 0) {
		end_line(t, g);
		ended = true;
	}
	for (unsigned i = 0; i < n; i++) {
		g->started = true; /* after a split, the rest still belongs to this guest line */
		if (shown_at_once(t, g))
			show(t, g);
		ended |= put_cell(t, g, s[i]);
	}
	return ended;
}

static bool put_escaped(struct cf_term *t, struct cf_guest *g, unsigned char c)
{
	char buf[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

	return put_text(t, g, buf, 4);
}

/* A held-back escape sequence that is not let through: shown as text, "\x1b[31m". */
static bool spell_seq(struct cf_term *t, struct cf_guest *g)
{
	char buf[CF_SEQ_MAX + 3];
	unsigned n = 0;

	if (g->esc == CF_ESC_NONE)
		return false;
	buf[n++] = '\\';
	buf[n++] = 'x';
	buf[n++] = '1';
	buf[n++] = 'b';
	for (unsigned i = 1; i < g->seq_len; i++)
		buf[n++] = g->seq[i];
	g->esc = CF_ESC_NONE;
	g->seq_len = 0;
	return put_text(t, g, buf, n);
}

/* ESC [ <digits> C|D|K: cursor right, cursor left, erase to the end of the line. Clamped to
 * the guest's own cells, so the cursor never reaches the prefix. */
static bool csi_allowed(struct cf_term *t, struct cf_guest *g, char final)
{
	unsigned n = 0, digits = g->seq_len - 2;

	for (unsigned i = 2; i < g->seq_len; i++) {
		if (g->seq[i] < '0' || g->seq[i] > '9')
			return false;
		n = n * 10 + (unsigned)(g->seq[i] - '0');
	}
	if (final == 'K') {
		if (n != 0)
			return false; /* erasing left of the cursor would reach the prefix */
		g->len = g->cursor;
		out_str(t, "\x1b[K");
		return true;
	}
	if (final != 'C' && final != 'D')
		return false;
	if (digits == 0 || n == 0)
		n = 1;
	if (final == 'D') {
		n = n < g->cursor ? n : g->cursor;
		g->cursor -= n;
	} else {
		n = n < g->len - g->cursor ? n : g->len - g->cursor;
		g->cursor += n;
	}
	if (n)
		out_csi(t, n, final);
	return true;
}

static bool putc_plain(struct cf_term *t, struct cf_guest *g, unsigned char c, bool at_once);

/* Escape sequences are parsed only for the focused guest: everything else is spelled out. */
static bool putc_seq(struct cf_term *t, struct cf_guest *g, unsigned char c)
{
	if (g->esc == CF_ESC_START && c == '[') {
		g->seq[g->seq_len++] = (char)c;
		g->esc = CF_ESC_CSI;
		return false;
	}
	if (g->esc == CF_ESC_CSI && c >= 0x30 && c <= 0x3f && g->seq_len < CF_SEQ_MAX - 1) {
		g->seq[g->seq_len++] = (char)c;
		return false;
	}
	if (g->esc == CF_ESC_CSI && c >= 0x40 && c <= 0x7e) {
		if (csi_allowed(t, g, (char)c)) {
			g->esc = CF_ESC_NONE;
			g->seq_len = 0;
			return false;
		}
		g->seq[g->seq_len++] = (char)c;
		return spell_seq(t, g);
	}
	bool ended = spell_seq(t, g);

	return putc_plain(t, g, c, true) || ended;
}

static bool putc_plain(struct cf_term *t, struct cf_guest *g, unsigned char c, bool at_once)
{
	if (c == '\n') {
		end_line(t, g);
		return true;
	}
	if (c == '\t' || (c >= 0x20 && c < 0x7f))
		return put_cell(t, g, (char)c);
	if (at_once && c == '\r') {
		/* Column 0 belongs to the prefix: a carriage return lands right after it. */
		g->cursor = 0;
		out_str(t, "\r");
		out(t, g->prefix, g->prefix_len);
		return false;
	}
	if (at_once && c == '\b') {
		if (g->cursor) {
			g->cursor--;
			out_str(t, "\b");
		}
		return false;
	}
	if (at_once && c == 0x1b) {
		g->seq[0] = (char)c;
		g->seq_len = 1;
		g->esc = CF_ESC_START;
		return false;
	}
	if (!at_once && c == '\r')
		return false; /* line-buffered output ends lines with \n alone, as it always has */
	return put_escaped(t, g, c);
}

bool cf_guest_putc(struct cf_term *t, struct cf_guest *g, char ch)
{
	unsigned char c = (unsigned char)ch;

	if (g->dropping) {
		/* A dropped line ends at its newline, or where a shown one would have been split.
		 */
		if (c == '\n' || ++g->skipped >= CF_LINE_MAX) {
			reset_line(g);
			return true;
		}
		return false;
	}
	g->started = true;
	if (!shown_at_once(t, g))
		return spell_seq(t, g) | putc_plain(t, g, c, false);
	show(t, g);
	if (g->esc != CF_ESC_NONE)
		return putc_seq(t, g, c);
	return putc_plain(t, g, c, true);
}

void cf_guest_flush(struct cf_term *t, struct cf_guest *g)
{
	if (g->dropping) {
		reset_line(g);
		return;
	}
	spell_seq(t, g);
	if (g->started)
		end_line(t, g);
}

void cf_set_focus(struct cf_term *t, struct cf_guest *g)
{
	struct cf_guest *old = t->focus;

	t->focus = g;
	if (!old || old == g)
		return;
	/* From now on the old focus is line-buffered: its line is written whole when it ends. */
	if (t->open == old)
		break_line(t);
	spell_seq(t, old);
}

void cf_show_focus(struct cf_term *t)
{
	restore_focus(t);
}

void cf_hyp_putc(struct cf_term *t, int cpu, char ch)
{
	unsigned char c = (unsigned char)ch;

	if (t->open_hyp != cpu) {
		break_line(t);
		t->open_hyp = cpu;
	}
	if (c == '\n') {
		out_str(t, "\r\n");
		t->open_hyp = CF_NO_CPU;
		restore_focus(t);
	} else if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
		out(t, (const char *)&ch, 1);
	} else {
		/* Messages quote names a guest chose; nothing in them may steer the terminal. */
		char buf[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};

		out(t, buf, 4);
	}
}
