/* "#!" scripts: the interpreter line an execve of a script names (pure C, host-tested). */
#ifndef STARRY_PROC_SHEBANG_H
#define STARRY_PROC_SHEBANG_H

#include <stddef.h>
#include <stdint.h>

/* How much of a file the line may take, as Linux's BINPRM_BUF_SIZE. */
#define SHEBANG_MAX 256

/* Reads the "#!interpreter [argument]" line at the start of hdr (n bytes). Like Linux: blanks
 * after "#!" are skipped, the interpreter ends at a blank, the rest of the line (trimmed) is
 * one optional argument, not split further. 1 with interp and arg filled (arg "" when none),
 * 0 when hdr does not start with "#!", -1 when the line names no interpreter or either does
 * not fit (isz, asz bytes with the NUL). */
int shebang_parse(const uint8_t *hdr, size_t n, char *interp, size_t isz, char *arg, size_t asz);

#endif /* STARRY_PROC_SHEBANG_H */
