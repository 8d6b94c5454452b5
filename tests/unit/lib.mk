# Host unit tests for lib/: string/stdlib against libc, fmt against snprintf, sha256 against NIST.
UNIT_TESTS += lib_string
UNIT_SRCS_lib_string := tests/unit/test_lib_string.c
# The test #includes these (renamed to t_*), so they are prerequisites but not sources.
$(BUILD)/unit/lib_string: lib/freestanding/string.c lib/freestanding/stdlib.c

UNIT_TESTS += lib_fmt
UNIT_SRCS_lib_fmt := tests/unit/test_lib_fmt.c lib/fmt.c

UNIT_TESTS += lib_sha256
UNIT_SRCS_lib_sha256 := tests/unit/test_lib_sha256.c lib/sha256.c
