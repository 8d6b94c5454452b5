#!/bin/sh
# Compiles every tracked header on its own (freestanding, as the targets see them).
set -eu
CC=${CC:-aarch64-linux-gnu-gcc}
LIBFDT_INC=${1:-build/deps/libfdt-arm64/usr/include}
inc="$($CC -print-file-name=include)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
count=0
for h in $(git ls-files '*.h' | grep -v '^tests/' | grep -v '^lib/freestanding/' | grep -v '^guests/starry/apps/'); do
	count=$((count + 1))
	printf '#include "%s"\n' "$h" > "$tmp/h.c"
	if ! $CC -std=c11 -Wall -Wextra -Werror -ffreestanding -nostdinc -isystem "$inc" \
		-mgeneral-regs-only -I. -Ilib/freestanding -Ilib/include -Iipc/include -Ihyp \
		-Istage2 -Imodcache -Imodcache/include -Iguests/lib -Iguests/liteos/include \
		-Iguests/liteos/kernel -Iguests/liteos/compat -Iguests/liteos/libc \
		-I"$LIBFDT_INC" -I"${MBEDTLS_INC:-build/deps/mbedtls-src/include}" -fsyntax-only "$tmp/h.c" 2> "$tmp/err"; then
		echo "header does not compile on its own: $h" >&2
		head -3 "$tmp/err" >&2
		fails=$((fails + 1))
	fi
done
# LiteOS's public headers also compile with only what a LiteOS application sees.
for h in $(git ls-files 'guests/liteos/include/*.h'); do
	count=$((count + 1))
	printf '#include "%s"\n' "$(basename "$h")" > "$tmp/h.c"
	if ! $CC -std=c11 -Wall -Wextra -Werror -ffreestanding -nostdinc -isystem "$inc" \
		-mgeneral-regs-only -Ilib/freestanding -Iguests/liteos/include -Iguests/liteos/libc \
		-fsyntax-only "$tmp/h.c" 2> "$tmp/err"; then
		echo "LiteOS header needs a non-public header: $h" >&2
		head -3 "$tmp/err" >&2
		fails=$((fails + 1))
	fi
done
echo "  HEADERS $count checked, $fails failed"
[ "$fails" = 0 ]
