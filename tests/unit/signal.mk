# Host unit tests for the signal module, built from the module's own source list (signal.mk).
UNIT_TESTS += signal
UNIT_SRCS_signal := tests/unit/test_signal.c $(MODULE_SRCS_signal)
# The test includes the module's private header for its limits.
$(BUILD)/unit/signal: modcache/modules/signal/sig_internal.h
