/* Console input for the shell: the UART interrupt fills a ring, a semaphore wakes the reader. */
#include <modvisor/guest_map.h>
#include <dev/pl011.h>
#include "guest.h"
#include "los_hwi.h"
#include "los_sem.h"
#include "shell_pri.h"

/* Bytes typed ahead of the shell: several commands, or a few of the longest (SHELL_LINE_MAX),
 * pasted at once, as a Linux tty's 4096-byte buffer holds them. */
#define OS_UART_RING 4096U

static CHAR g_ring[OS_UART_RING];
static volatile UINT32 g_head; /* written by the interrupt */
static volatile UINT32 g_tail; /* written by the reader */
static UINT32 g_rxSem = OS_INVALID;

static inline volatile UINT32 *OsUartReg(UINT32 off)
{
	return (volatile UINT32 *)(GUEST_PL011_BASE + off);
}

static VOID OsUartIrq(unsigned intid)
{
	BOOL got = FALSE;

	(void)intid;
	while (!(*OsUartReg(PL011_FR) & PL011_FR_RXFE)) {
		CHAR c = (CHAR)(*OsUartReg(PL011_DR) & 0xff);

		/* A full ring drops what does not fit, as a full UART would. */
		if (g_head - g_tail < OS_UART_RING) {
			g_ring[g_head % OS_UART_RING] = c;
			g_head++;
			got = TRUE;
		}
	}
	*OsUartReg(PL011_ICR) = PL011_INT_RX | PL011_INT_RT;
	if (got)
		(void)LOS_SemPost(g_rxSem); /* binary: an overflow only means "already awake" */
}

UINT32 OsShellInputStart(VOID)
{
	UINT32 ret = LOS_BinarySemCreate(0, &g_rxSem);

	if (ret != LOS_OK)
		return ret;
	gic_enable_irq(GUEST_PL011_INTID, OsUartIrq);
	*OsUartReg(PL011_IMSC) = PL011_INT_RX | PL011_INT_RT;
	return LOS_OK;
}

INT32 OsShellGetc(VOID)
{
	for (;;) {
		UINT32 intSave = LOS_IntLock();

		if (g_tail != g_head) {
			CHAR c = g_ring[g_tail % OS_UART_RING];

			g_tail++;
			LOS_IntRestore(intSave);
			return (UINT8)c;
		}
		LOS_IntRestore(intSave);
		if (LOS_SemPend(g_rxSem, LOS_WAIT_FOREVER) != LOS_OK)
			return -1;
	}
}
