/* ARM PL011 UART registers and bits, for the hypervisor's driver, its emulation and the guests. */
#ifndef LIB_DEV_PL011_H
#define LIB_DEV_PL011_H

#define PL011_DR 0x000
#define PL011_RSR 0x004
#define PL011_FR 0x018
#define PL011_IBRD 0x024
#define PL011_FBRD 0x028
#define PL011_LCR_H 0x02c
#define PL011_CR 0x030
#define PL011_IFLS 0x034
#define PL011_IMSC 0x038
#define PL011_RIS 0x03c
#define PL011_MIS 0x040
#define PL011_ICR 0x044
#define PL011_PERIPHID0 0xfe0

/* Flag register */
#define PL011_FR_RXFE (1U << 4)
#define PL011_FR_TXFF (1U << 5)
#define PL011_FR_RXFF (1U << 6)
#define PL011_FR_TXFE (1U << 7)

/* Interrupt bits (IMSC, RIS, MIS, ICR) */
#define PL011_INT_RX (1U << 4)
#define PL011_INT_TX (1U << 5)
#define PL011_INT_RT (1U << 6)
#define PL011_INT_ALL 0x7ffU

#endif /* LIB_DEV_PL011_H */
