# Host unit tests for the vCPU scheduler's decisions (hyp/sched_rq.c).
UNIT_TESTS += sched
UNIT_SRCS_sched := tests/unit/test_sched.c hyp/sched_rq.c
UNIT_LIBS_sched :=
