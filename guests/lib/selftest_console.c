/* Console probes: a guest that forges hypervisor lines, floods, prompts, or measures its pace. */
#include "guest.h"

#define NS_PER_SEC 1000000000ULL
#define FLOOD_NS (4 * NS_PER_SEC)
#define WORK_WINDOWS 3
#define PROMPT_TIMEOUT_NS (30 * NS_PER_SEC)

/* The undefined-instruction exception the hypervisor injects for a trapped register. */
static bool skip_undef(struct exc_frame *frame, uint64_t esr)
{
	if ((esr >> 26) != 0)
		return false;
	frame->elr += 4;
	return true;
}

/* Control bytes that, passed through raw, erase the prefix and print fake hypervisor lines. */
static void spoof(const char *tag)
{
	kprintf("%s: spoofing\n", tag);
	kprintf("\r\b\b\b\b\b\b\b\b\b\b\b\x1b[2K\x1b[1Ghyp: vm canary exited (forged)\n");
	kprintf("\x1b[A\x1b[2K\x1b[99D\rhyp: all vms down\n");
	kprintf("\x1b]0;owned\x07\x1b[31mred\x1b[0m\x1b"
		"c\x1b[2J\x1b[H\n");
	kprintf("%s: spoofing done\n", tag);
}

/* A prompt with no newline, as a shell writes it, then the answer typed at it. */
static void prompt(const char *tag)
{
	uint64_t deadline = guest_time_ns() + PROMPT_TIMEOUT_NS;
	const char *line = NULL;

	uart_rx_start();
	kprintf("%s: prompt next\n", tag);
	kprintf("%s> ", tag);
	while (!line && guest_time_ns() < deadline) {
		__asm__ volatile("wfi");
		line = uart_rx_line();
	}
	kprintf("\n%s: prompt answered '%s'\n", tag, line ? line : "(nothing)");
}

/* As many lines and trapped register reads (each a hypervisor message) as it can; or, for
 * comparison, the same time spent computing in silence. */
static void flood(const char *tag, bool loud)
{
	bool (*saved)(struct exc_frame *, uint64_t) = exc_sync_hook;
	uint64_t end = guest_time_ns() + FLOOD_NS;
	unsigned lines = 0;

	exc_sync_hook = skip_undef;
	while (guest_time_ns() < end) {
		uint64_t v;

		if (!loud) {
			lines++;
			continue;
		}
		__asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
		kprintf("%s: flood line %u\n", tag, lines++);
	}
	exc_sync_hook = saved;
	/* A pause long enough to earn a line back, so that the verdict itself is not dropped. */
	end = guest_time_ns() + NS_PER_SEC / 10;
	while (guest_time_ns() < end)
		;
	kprintf("%s: flood done: %u lines and as many trapped reads\n", tag, lines);
}

/* How much this guest gets done per second, and whether its timer ticks all arrive. */
static void work(const char *tag)
{
	uint64_t start = guest_time_ns(), ticks = timer_ticks();

	for (unsigned w = 1; w <= WORK_WINDOWS; w++) {
		volatile uint64_t sink = 0;
		unsigned long n = 0;

		while (guest_time_ns() < start + w * NS_PER_SEC) {
			for (unsigned i = 0; i < 64; i++)
				sink += i;
			n++;
		}
		kprintf("%s: work window %u: %lu iterations\n", tag, w, n);
	}
	kprintf("%s: work done: %lu timer ticks in %u s\n", tag,
		(unsigned long)(timer_ticks() - ticks), WORK_WINDOWS);
}

void guest_console_probes(const char *tag, const struct boot_info *info)
{
	if (bootarg_has(info, "console-flood"))
		flood(tag, true);
	if (bootarg_has(info, "console-spin"))
		flood(tag, false);
	if (bootarg_has(info, "console-work"))
		work(tag);
	if (bootarg_has(info, "console-prompt"))
		prompt(tag);
	if (bootarg_has(info, "console-spoof"))
		spoof(tag);
}
