# Host unit tests for the console's focus keys (hyp/conmux_focus.c).
UNIT_TESTS += conmux_focus
UNIT_SRCS_conmux_focus := tests/unit/test_conmux_focus.c hyp/conmux_focus.c
