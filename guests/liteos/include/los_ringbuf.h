/* LiteOS byte ring buffers: a FIFO over a caller's array, usable from tasks and interrupts. */
#ifndef _LOS_RINGBUF_H
#define _LOS_RINGBUF_H

#include "los_typedef.h"

typedef enum {
	RBUF_UNINIT,
	RBUF_INITED,
} RingbufStatus;

typedef struct {
	UINT32 startIdx; /* next byte to read */
	UINT32 endIdx;	 /* next byte to write */
	UINT32 size;
	UINT32 remain; /* free bytes */
	RingbufStatus status;
	CHAR *fifo;
} Ringbuf;

/* LOS_OK, or LOS_NOK for NULL arguments, size 0 or a ring that is initialised already (so
 * zero the Ringbuf before the first call). */
UINT32 LOS_RingbufInit(Ringbuf *ringbuf, CHAR *fifo, UINT32 size);
/* Empties the ring. */
VOID LOS_RingbufReset(Ringbuf *ringbuf);
/* Copies in as much of buf as fits; returns the bytes taken (0 if full or not initialised). */
UINT32 LOS_RingbufWrite(Ringbuf *ringbuf, const CHAR *buf, UINT32 size);
/* Copies out up to size bytes; returns how many (0 if empty or not initialised). */
UINT32 LOS_RingbufRead(Ringbuf *ringbuf, CHAR *buf, UINT32 size);
UINT32 LOS_RingbufUsedSize(Ringbuf *ringbuf);

#endif /* _LOS_RINGBUF_H */
