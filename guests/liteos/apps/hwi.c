/* Example: a handler on a free SPI of the virtual GIC, raised by software. */
#include "apps.h"
#include "los_hwi.h"
#include "los_task.h"
#include <stdio.h>

#define EXAMPLE_IRQ 50U

static volatile UINT32 g_irqs;

static VOID IrqHandler(VOID)
{
	g_irqs++;
}

UINT32 Example_Hwi(VOID)
{
	g_irqs = 0;
	if (LOS_HwiCreate(EXAMPLE_IRQ, 5, 0, IrqHandler, NULL) != LOS_OK)
		return LOS_NOK;
	printf("hwi: handler on IRQ %u created\n", EXAMPLE_IRQ);
	(void)LOS_HwiTrigger(EXAMPLE_IRQ);
	(void)LOS_TaskDelay(1);
	printf("hwi: raised while disabled: %u calls\n", g_irqs);
	(void)LOS_HwiEnable(EXAMPLE_IRQ);
	for (UINT32 i = 0; i < 100 && g_irqs == 0; i++)
		(void)LOS_TaskDelay(1);
	printf("hwi: enabled, the pending one arrived: %u calls\n", g_irqs);
	for (UINT32 n = 0; n < 3; n++) {
		UINT32 before = g_irqs;

		(void)LOS_HwiTrigger(EXAMPLE_IRQ);
		for (UINT32 i = 0; i < 100 && g_irqs == before; i++)
			(void)LOS_TaskDelay(1);
	}
	printf("hwi: three more: %u calls\n", g_irqs);
	return LOS_HwiDelete(EXAMPLE_IRQ, NULL) == LOS_OK ? LOS_OK : LOS_NOK;
}
