/* The hypervisor console: hypervisor messages and guests' output on the one physical UART. */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>
#include <mv_compiler.h>
#include "console_filter.h"
#include "console_stage.h"
#include "ratelimit.h"
#include "spinlock.h"

/* One guest's side of the console: its line on screen and its two rate limits. */
struct console_src {
	const char *name;
	/* Bytes not yet given to the console; taken before the console lock, never after. */
	struct spinlock stage_lock;
	struct console_stage stage;
	struct cf_guest line;
	struct ratelimit out; /* the guest's own lines */
	struct ratelimit hyp; /* hypervisor messages written while handling its traps */
};

/* Lines a source may write at once, and per second after that. Generous enough that a
 * normal boot loses nothing; small enough that a flood costs the other guests little. */
#define CONSOLE_OUT_BURST 1000
#define CONSOLE_OUT_PER_SEC 100
#define CONSOLE_HYP_BURST 200
#define CONSOLE_HYP_PER_SEC 20

/* A message from the hypervisor. Written while a CPU handles a trap of a running VM, it is
 * charged to that VM's rate limit and may be dropped; boot messages, console commands and
 * everything said about a stopped VM (its exit, the final report) never are. */
__printf(1, 2) void hyp_printf(const char *fmt, ...);
void hyp_vprintf(const char *fmt, va_list ap);
/* Registers a VM's console (at VM creation). */
void console_src_init(struct console_src *src, const char *name);
/* One byte the guest wrote to its UART: the focused guest's appear at once, others' a line
 * at a time; control bytes are filtered (hyp/console_filter.c). */
void console_vm_putc(struct console_src *src, char c);
/* Ends the guest's unfinished line and reports its dropped lines (at VM stop or reset). */
void console_vm_flush(struct console_src *src);
/* The keyboard's target, given explicitly (Ctrl-A digit): its partial lines now appear at
 * once. Until someone gives the focus or types, every guest is line-buffered, so logs of
 * unattended runs keep whole lines. */
void console_set_focus(struct console_src *src);
/* A key typed for this guest: it is the focus, shown at once from now on. */
void console_input_for(struct console_src *src);
/* Between these, this CPU's messages are the console's own, never charged to a guest
 * (console commands run in an interrupt taken from whatever guest was running). */
void console_uncharged_begin(void);
void console_uncharged_end(void);
/* Used by panic() so that a CPU dying while holding the lock can still report. */
void console_force_unlock(void);

#endif /* HYP_CONSOLE_H */
