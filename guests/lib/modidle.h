/* When a guest kernel may unload a module nobody uses: the idle-tracking rules both share. */
#ifndef GUESTS_LIB_MODIDLE_H
#define GUESTS_LIB_MODIDLE_H

#include <stdbool.h>
#include <stdint.h>

/* The default idle time before an unused module is unloaded: 30 s of guest time. */
#define MODIDLE_DEFAULT_NS (30ULL * 1000000000ULL)

/* One module's use, kept by the kernel across unload and reload. */
struct modidle {
	uint64_t last_use_ns; /* guest time of the last call into it */
	uint32_t users;	      /* what pins it: open files, tasks with signal state, calls running */
	uint32_t loads;	      /* loads in this boot, the first one included */
	uint32_t idle_unloads;
	uint32_t reloads;   /* loads that followed an idle unload */
	bool idle_unloaded; /* unloaded because idle, and not loaded again yet */
};

/*
 * The idle time asked for by bootargs "modidle=N": N seconds, or N milliseconds with "Nms";
 * 0 disables unloading. Without the word, or with a value that is not a number, the default.
 */
uint64_t modidle_parse(const char *bootargs);
/* The module was loaded at guest time now: a fresh start of its idle clock. */
void modidle_loaded(struct modidle *s, uint64_t now);
/* The module was used at now. */
void modidle_touch(struct modidle *s, uint64_t now);
/* Something starts (get) or stops (put) pinning the module. put returns false, changing
 * nothing, when nothing pinned it (an unbalanced put: the caller's bug). */
void modidle_get(struct modidle *s, uint64_t now);
bool modidle_put(struct modidle *s, uint64_t now);
/* True when a loaded module may be unloaded now: unloading enabled, nothing pins it and it has
 * not been used for idle_ns. */
bool modidle_due(const struct modidle *s, bool loaded, uint64_t now, uint64_t idle_ns);
/* Guest time until modidle_due may become true (0: now; UINT64_MAX: not while pinned or
 * disabled), for a checker that sleeps in between. */
uint64_t modidle_wait_ns(const struct modidle *s, bool loaded, uint64_t now, uint64_t idle_ns);
/* Guest time until the module will have gone unused for idle_ns (0: it has), whatever pins
 * it: for a kernel that counts its pins only once the clock alone allows an unload. */
uint64_t modidle_unused_left_ns(const struct modidle *s, uint64_t now, uint64_t idle_ns);
/* The module was unloaded because it was idle. */
void modidle_unloaded(struct modidle *s);

#endif /* GUESTS_LIB_MODIDLE_H */
