/* LiteOS byte ring buffers; IRQs are masked around each operation (one vCPU: that is the lock). */
#include "los_hwi.h"
#include "los_ringbuf.h"
#include <string.h>

UINT32 LOS_RingbufInit(Ringbuf *ringbuf, CHAR *fifo, UINT32 size)
{
	if (ringbuf == NULL || fifo == NULL || size == 0 || ringbuf->status == RBUF_INITED)
		return LOS_NOK;
	memset(ringbuf, 0, sizeof(*ringbuf));
	ringbuf->size = size;
	ringbuf->remain = size;
	ringbuf->fifo = fifo;
	ringbuf->status = RBUF_INITED;
	return LOS_OK;
}

VOID LOS_RingbufReset(Ringbuf *ringbuf)
{
	UINT32 intSave;

	if (ringbuf == NULL || ringbuf->status != RBUF_INITED)
		return;
	intSave = LOS_IntLock();
	ringbuf->startIdx = 0;
	ringbuf->endIdx = 0;
	ringbuf->remain = ringbuf->size;
	LOS_IntRestore(intSave);
}

UINT32 LOS_RingbufWrite(Ringbuf *ringbuf, const CHAR *buf, UINT32 size)
{
	UINT32 intSave;
	UINT32 done = 0;

	if (ringbuf == NULL || buf == NULL || size == 0 || ringbuf->status != RBUF_INITED)
		return 0;
	intSave = LOS_IntLock();
	size = size < ringbuf->remain ? size : ringbuf->remain;
	while (done < size) {
		/* Up to the end of the array, then wrap. */
		UINT32 piece = ringbuf->size - ringbuf->endIdx;

		if (piece > size - done)
			piece = size - done;
		memcpy(ringbuf->fifo + ringbuf->endIdx, buf + done, piece);
		ringbuf->endIdx = (ringbuf->endIdx + piece) % ringbuf->size;
		done += piece;
	}
	ringbuf->remain -= done;
	LOS_IntRestore(intSave);
	return done;
}

UINT32 LOS_RingbufRead(Ringbuf *ringbuf, CHAR *buf, UINT32 size)
{
	UINT32 intSave;
	UINT32 used;
	UINT32 done = 0;

	if (ringbuf == NULL || buf == NULL || size == 0 || ringbuf->status != RBUF_INITED)
		return 0;
	intSave = LOS_IntLock();
	used = ringbuf->size - ringbuf->remain;
	size = size < used ? size : used;
	while (done < size) {
		UINT32 piece = ringbuf->size - ringbuf->startIdx;

		if (piece > size - done)
			piece = size - done;
		memcpy(buf + done, ringbuf->fifo + ringbuf->startIdx, piece);
		ringbuf->startIdx = (ringbuf->startIdx + piece) % ringbuf->size;
		done += piece;
	}
	ringbuf->remain += done;
	LOS_IntRestore(intSave);
	return done;
}

UINT32 LOS_RingbufUsedSize(Ringbuf *ringbuf)
{
	if (ringbuf == NULL || ringbuf->status != RBUF_INITED)
		return 0;
	return ringbuf->size - ringbuf->remain;
}
