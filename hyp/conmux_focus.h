/* Which VM a console focus key selects: pure logic of the Ctrl-A digits and n/p keys. */
#ifndef HYP_CONMUX_FOCUS_H
#define HYP_CONMUX_FOCUS_H

#include <stdint.h>

#define CONMUX_NOT_FOCUS (-1) /* the key is no focus key */
#define CONMUX_NO_VM (-2)     /* a digit past the last VM */

/*
 * The index of the VM that key `c` (typed after Ctrl-A) gives the focus to, among `count` VMs
 * (at most 32) when VM `focus` has it: '1'..'9' the first nine VMs, running or not; 'n' and 'p'
 * the next and the previous running VM (bit i of `running` for VM i), wrapping around, which
 * reaches the 10th VM and later ones; the focus stays where it is if no other VM runs.
 */
int conmux_focus_key(char c, unsigned focus, unsigned count, uint32_t running);

#endif /* HYP_CONMUX_FOCUS_H */
