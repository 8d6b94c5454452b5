/* Interrupt-driven console input from the guest's PL011 (SPI 33): a queue of typed lines. */
#include <modvisor/guest_map.h>
#include <dev/pl011.h>
#include "guest.h"

#define CTRL_U 0x15
#define DEL 0x7f

/*
 * Completed lines, each ending in '\n', followed by the line being typed. The interrupt
 * handler alone moves `head` (the end of the completed lines) and `edit`; the reader alone
 * moves `tail`. The counters run freely; UART_RX_QUEUE is a power of two, so they wrap
 * together. A full queue drops what is typed, except the newline that ends a started line
 * (room for it is kept), so a line is never cut in two.
 */
static char ring[UART_RX_QUEUE];
static unsigned head, tail, edit;
static bool last_cr;
static char line_copy[UART_RX_LINE_MAX + 1];

_Static_assert((UART_RX_QUEUE & (UART_RX_QUEUE - 1)) == 0, "a power of two");
_Static_assert(UART_RX_QUEUE >= 2 * (UART_RX_LINE_MAX + 1), "room for a line typed ahead");

static inline volatile uint32_t *uart_reg(unsigned off)
{
	return (volatile uint32_t *)(GUEST_PL011_BASE + off);
}

/* The line discipline: CR, LF or CR LF ends a line, DEL and backspace erase, ^U kills. */
static void rx_byte(char c)
{
	unsigned h = head;
	unsigned used = h + edit - __atomic_load_n(&tail, __ATOMIC_ACQUIRE);

	if (c == '\n' && last_cr) {
		last_cr = false;
		return;
	}
	last_cr = c == '\r';
	if (c == '\r' || c == '\n') {
		if (used == UART_RX_QUEUE)
			return; /* an empty line, and no room left even for its newline */
		ring[(h + edit) % UART_RX_QUEUE] = '\n';
		__atomic_store_n(&head, h + edit + 1, __ATOMIC_RELEASE);
		edit = 0;
	} else if (c == DEL || c == '\b') {
		if (edit)
			edit--;
	} else if (c == CTRL_U) {
		edit = 0;
	} else if (edit < UART_RX_LINE_MAX && used + 1 < UART_RX_QUEUE) {
		ring[(h + edit) % UART_RX_QUEUE] = c;
		edit++;
	}
}

static void uart_irq(unsigned intid)
{
	(void)intid;
	while (!(*uart_reg(PL011_FR) & PL011_FR_RXFE))
		rx_byte((char)(*uart_reg(PL011_DR) & 0xff));
	*uart_reg(PL011_ICR) = PL011_INT_RX | PL011_INT_RT;
}

void uart_rx_start(void)
{
	gic_enable_irq(GUEST_PL011_INTID, uart_irq);
	*uart_reg(PL011_IMSC) = PL011_INT_RX | PL011_INT_RT;
}

size_t uart_rx_read(char *buf, size_t len)
{
	unsigned t = tail, h = __atomic_load_n(&head, __ATOMIC_ACQUIRE);
	size_t n = 0;

	while (n < len && t != h) {
		char c = ring[t % UART_RX_QUEUE];

		buf[n++] = c;
		t++;
		if (c == '\n')
			break;
	}
	__atomic_store_n(&tail, t, __ATOMIC_RELEASE);
	return n;
}

const char *uart_rx_line(void)
{
	size_t n;

	do {
		n = uart_rx_read(line_copy, sizeof(line_copy));
		if (n == 0)
			return NULL;
	} while (n == 1); /* empty lines say nothing to a probe */
	line_copy[n - 1] = '\0';
	return line_copy;
}
