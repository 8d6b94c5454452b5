# Host unit tests for the virtual PL031 RTC's register model (hyp/vrtc_model.c).
UNIT_TESTS += vrtc
UNIT_SRCS_vrtc := tests/unit/test_vrtc.c hyp/vrtc_model.c
UNIT_LIBS_vrtc :=
