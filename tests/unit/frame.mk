# Host unit tests for the hypervisor's frame allocator (hyp/frame.c).
UNIT_TESTS += frame
UNIT_SRCS_frame := tests/unit/test_frame.c hyp/frame.c
