# Host unit tests for the EL2 identity map builder (hyp/el2map.c): the NULL guard, W^X, devices.
UNIT_TESTS += el2map
UNIT_SRCS_el2map := tests/unit/test_el2map.c hyp/el2map.c
