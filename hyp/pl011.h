/* Driver for the physical PL011 UART the hypervisor owns. */
#ifndef HYP_PL011_H
#define HYP_PL011_H

#include <stdbool.h>
#include <stdint.h>

void pl011_init(uint64_t base);
void pl011_putc(char c);
/* Returns the next received byte, or -1 when the receive FIFO is empty. */
int pl011_getc(void);
void pl011_enable_rx_irq(bool on);

#endif /* HYP_PL011_H */
