/* Example: an interrupt-safe byte ring between a writer and a reader. */
#include "apps.h"
#include "los_ringbuf.h"
#include <stdio.h>
#include <string.h>

static CHAR g_fifo[16];

UINT32 Example_Ringbuf(VOID)
{
	Ringbuf ring;
	CHAR out[32];
	UINT32 n;

	memset(&ring, 0, sizeof(ring));
	if (LOS_RingbufInit(&ring, g_fifo, sizeof(g_fifo)) != LOS_OK)
		return LOS_NOK;
	n = LOS_RingbufWrite(&ring, "hello, ring buffer!", 19);
	printf("ringbuf: wrote %u of 19 bytes\n", n);
	n = LOS_RingbufRead(&ring, out, 6);
	out[n] = '\0';
	printf("ringbuf: read \"%s\", %u left\n", out, LOS_RingbufUsedSize(&ring));
	(void)LOS_RingbufWrite(&ring, "abc", 3);
	n = LOS_RingbufRead(&ring, out, sizeof(out) - 1);
	out[n] = '\0';
	printf("ringbuf: read \"%s\"\n", out);
	return LOS_OK;
}
