# Host unit tests for the vCPU scheduler's decisions (hyp/sched.c).
UNIT_TESTS += sched
UNIT_SRCS_sched := tests/unit/test_sched.c hyp/sched.c
UNIT_LIBS_sched :=
