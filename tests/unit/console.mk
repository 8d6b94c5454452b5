# Host unit tests for the console's output filter and rate limits (hyp/console_filter.c,
# hyp/ratelimit.c).
UNIT_TESTS += console_filter
UNIT_SRCS_console_filter := tests/unit/test_console_filter.c hyp/console_filter.c

UNIT_TESTS += ratelimit
UNIT_SRCS_ratelimit := tests/unit/test_ratelimit.c hyp/ratelimit.c

UNIT_TESTS += console_stage
UNIT_SRCS_console_stage := tests/unit/test_console_stage.c hyp/console_stage.c
