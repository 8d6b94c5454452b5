/* Generates the device tree each guest boots with, describing only what that VM owns. */
#ifndef HYP_GUEST_DTB_H
#define HYP_GUEST_DTB_H

#include <stddef.h>

struct vm;

/* Writes the blob into buf; returns its size, or a negative status if it does not fit. */
int guest_dtb_build(const struct vm *vm, void *buf, size_t size);

#endif /* HYP_GUEST_DTB_H */
