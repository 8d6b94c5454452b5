# Host unit tests for the boot bundle (hyp/bundle.c): FIT images built with libfdt, sha256 checks.
UNIT_TESTS += bundle
UNIT_SRCS_bundle := tests/unit/test_bundle.c hyp/bundle.c lib/fmt.c lib/sha256.c
UNIT_LIBS_bundle := -lfdt
