UNIT_TESTS += starry_elf starry_exec_stack starry_vma
UNIT_SRCS_starry_elf := tests/unit/test_starry_elf.c guests/starry/proc/elf.c
UNIT_CFLAGS_starry_elf := -Iguests/starry
UNIT_SRCS_starry_exec_stack := tests/unit/test_starry_exec_stack.c guests/starry/proc/exec_stack.c
UNIT_CFLAGS_starry_exec_stack := -Iguests/starry
UNIT_SRCS_starry_vma := tests/unit/test_starry_vma.c guests/starry/mm/vma.c
UNIT_CFLAGS_starry_vma := -Iguests/starry
