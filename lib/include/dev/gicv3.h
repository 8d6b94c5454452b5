/* GICv3 distributor and redistributor registers, for the physical driver, the vGIC and guests. */
#ifndef LIB_DEV_GICV3_H
#define LIB_DEV_GICV3_H

/* Distributor (and the same offsets in a redistributor's SGI frame for INTIDs 0-31). */
#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_ICENABLER 0x0180
#define GICD_ISPENDR 0x0200
#define GICD_ICPENDR 0x0280
#define GICD_ISACTIVER 0x0300
#define GICD_ICACTIVER 0x0380
#define GICD_IPRIORITYR 0x0400
#define GICD_ICFGR 0x0c00
#define GICD_IROUTER 0x6000
#define GICD_PIDR2 0xffe8

#define GICD_CTLR_ENABLE_G1 (1U << 1)
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_DS (1U << 6)
#define GICD_CTLR_RWP (1U << 31)

/* Redistributor: RD frame, then the SGI frame 64 KiB above it; 128 KiB per CPU. */
#define GICR_CTLR 0x0000
#define GICR_IIDR 0x0004
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xffe8
#define GICR_SGI_FRAME 0x10000
#define GICR_STRIDE 0x20000

#define GICR_TYPER_LAST (1ULL << 4)
#define GICR_WAKER_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
#define GICR_WAKER_ASLEEP (GICR_WAKER_SLEEP | GICR_WAKER_CHILDREN_ASLEEP)

#define GIC_IIDR_ARM 0x43bU
#define GIC_PIDR2_V3 0x3bU

#endif /* LIB_DEV_GICV3_H */
