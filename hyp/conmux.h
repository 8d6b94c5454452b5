/* The console multiplexer: routes keyboard input to the VM in focus, runs Ctrl-A commands. */
#ifndef HYP_CONMUX_H
#define HYP_CONMUX_H

/* Drains the physical UART's receive FIFO (called from its interrupt). */
void conmux_rx(void);
/* Handles one input byte; split out so that the logic does not depend on the UART. */
void conmux_input(char c);
/* Gives one byte to the VM in focus (dropped if it is stopped or its FIFO is full). */
void conmux_input_to_focus(char c);

#endif /* HYP_CONMUX_H */
