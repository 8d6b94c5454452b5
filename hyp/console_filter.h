/* What a guest's bytes may do on the shared terminal: its own line after its "[name] " prefix. */
#ifndef HYP_CONSOLE_FILTER_H
#define HYP_CONSOLE_FILTER_H

#include <stdbool.h>

#define CF_LINE_MAX 160 /* cells of one guest line; a longer line is split */
#define CF_PREFIX_MAX 24
#define CF_SEQ_MAX 12 /* bytes of an escape sequence held back while it is parsed */
#define CF_NO_CPU (-1)

/* Receives the bytes for the physical terminal, already safe to show. */
typedef void (*cf_sink_fn)(void *arg, const char *s, unsigned n);

enum cf_esc { CF_ESC_NONE, CF_ESC_START, CF_ESC_CSI };

/* One guest's current line, as it is (or will be) on screen after the prefix. Cells hold
 * only printable ASCII and tabs: control bytes have already been spelled out ("\x1b"). */
struct cf_guest {
	char prefix[CF_PREFIX_MAX];
	unsigned prefix_len;
	char cells[CF_LINE_MAX];
	unsigned len;	  /* cells in use */
	unsigned cursor;  /* where the next cell goes, 0..len */
	bool started;	  /* bytes arrived since the last line ended */
	bool dropping;	  /* the current line is discarded (rate limit) */
	unsigned skipped; /* bytes discarded of the current dropped line */
	enum cf_esc esc;
	char seq[CF_SEQ_MAX];
	unsigned seq_len;
};

struct cf_term {
	cf_sink_fn sink;
	void *arg;
	struct cf_guest *focus; /* its partial lines are shown at once; NULL: none */
	struct cf_guest *open;	/* guest whose unfinished line the cursor is on */
	int open_hyp;		/* CPU whose unfinished hypervisor message the cursor is on */
};

void cf_term_init(struct cf_term *t, cf_sink_fn sink, void *arg);
void cf_guest_init(struct cf_guest *g, const char *name);
/* True when the guest's next byte begins a line: the moment to charge its rate limit. */
bool cf_guest_at_line_start(const struct cf_guest *g);
/* Feeds one byte the guest wrote; returns true when it ended a line (shown or dropped). */
bool cf_guest_putc(struct cf_term *t, struct cf_guest *g, char c);
/* Ends the guest's unfinished line (at VM stop) so nothing it wrote is lost. */
void cf_guest_flush(struct cf_term *t, struct cf_guest *g);
/* Chooses the guest shown at once (NULL: none); its pending partial line reappears after
 * the next line shown, or at once with cf_show_focus(). */
void cf_set_focus(struct cf_term *t, struct cf_guest *g);
void cf_show_focus(struct cf_term *t);
/* One byte of a hypervisor message written on `cpu`; its lines always start at column 0. */
void cf_hyp_putc(struct cf_term *t, int cpu, char c);

#endif /* HYP_CONSOLE_FILTER_H */
