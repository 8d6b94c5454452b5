# Host unit tests for free page reporting's pure parts (hyp/page_runs.c, frame_range_owned).
UNIT_TESTS += page_runs
UNIT_SRCS_page_runs := tests/unit/test_page_runs.c hyp/page_runs.c hyp/frame.c
