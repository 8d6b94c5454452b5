/* A tty's canonical input queue: typed bytes in, whole lines out (pure logic, host-tested). */
#ifndef GUESTS_LIB_LINEQ_H
#define GUESTS_LIB_LINEQ_H

#include <stdbool.h>
#include <stddef.h>

/* As a Linux tty's 4096-byte buffer: several lines typed ahead, or a few of the longest. */
#define LINEQ_SIZE 4096
/* Characters of one line, its '\n' not counted; the rest of a longer line is dropped. */
#define LINEQ_LINE_MAX 1024

/*
 * Completed lines, each ending in '\n', then the line being typed. One producer (the UART's
 * interrupt) moves `head` and `edit`, one consumer moves `tail`; the counters run freely and
 * wrap together. A full queue drops what is typed, but keeps room for the newline that ends a
 * started line, so no line is cut in two.
 */
struct lineq {
	char ring[LINEQ_SIZE];
	unsigned head; /* end of the completed lines */
	unsigned tail; /* the consumer's position */
	unsigned edit; /* bytes of the line being typed, after head */
	bool last_cr;
};

/* The line discipline for one received byte: CR, LF or CR LF ends a line (an empty one too),
 * DEL and backspace erase the last character, ^U the whole line; other bytes are kept. */
void lineq_put(struct lineq *q, char c);
/* Up to `len` bytes of the oldest complete line, its '\n' included when they reach it (a
 * later call returns the rest); 0 when no line is complete. */
size_t lineq_read(struct lineq *q, char *buf, size_t len);

#endif /* GUESTS_LIB_LINEQ_H */
