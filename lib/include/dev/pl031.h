/* ARM PL031 real-time clock registers, for the hypervisor's driver, its emulation and the guests.
 */
#ifndef LIB_DEV_PL031_H
#define LIB_DEV_PL031_H

#define PL031_DR 0x000	 /* data: the seconds counter (read-only) */
#define PL031_MR 0x004	 /* match: the alarm's counter value */
#define PL031_LR 0x008	 /* load: writing sets the counter */
#define PL031_CR 0x00c	 /* control: bit 0 starts the counter, which cannot be stopped */
#define PL031_IMSC 0x010 /* interrupt mask set/clear */
#define PL031_RIS 0x014	 /* raw interrupt status (read-only) */
#define PL031_MIS 0x018	 /* masked interrupt status (read-only) */
#define PL031_ICR 0x01c	 /* interrupt clear (write-only) */
#define PL031_PERIPHID0 0xfe0
#define PL031_SIZE 0x1000

#define PL031_CR_START 1U
#define PL031_INT_MATCH 1U

/* PeriphID0..3 then PCellID0..3, one byte in each 32-bit register: "PL031 r1, ARM". */
#define PL031_ID_BYTES                                                                             \
	{                                                                                          \
		0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1                                     \
	}

#endif /* LIB_DEV_PL031_H */
