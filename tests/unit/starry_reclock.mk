# Host unit test for Starry's POSIX record lock table (guests/starry/fs/reclock.c).
UNIT_TESTS += starry_reclock
UNIT_SRCS_starry_reclock := tests/unit/test_starry_reclock.c guests/starry/fs/reclock.c
UNIT_CFLAGS_starry_reclock := -Iguests/starry
