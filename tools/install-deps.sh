#!/bin/sh
# Installs the Debian packages the build needs, and unpacks aarch64 libfdt under build/.
set -eu

STAMP_DIR=${1:-build}
PKGS="make gcc libc6-dev gcc-aarch64-linux-gnu qemu-system-arm u-boot-qemu u-boot-tools
device-tree-compiler libfdt-dev libcmocka-dev python3 python3-pytest mtools dosfstools e2fsprogs
cppcheck clang-format python3-matplotlib libc6-dev-arm64-cross openssl dpkg-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

need_arm64=0
dpkg --print-foreign-architectures | grep -qx arm64 || need_arm64=1

if [ -n "$missing" ] || [ "$need_arm64" = 1 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "modvisor needs Debian packages:$missing" >&2
		echo "run as root:" >&2
		[ "$need_arm64" = 1 ] && echo "  dpkg --add-architecture arm64" >&2
		echo "  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
	[ "$need_arm64" = 1 ] && dpkg --add-architecture arm64
	echo "deps: installing$missing" >&2
	apt-get update -q
	[ -n "$missing" ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing
fi

# libfdt-dev:arm64 conflicts with the host libfdt-dev, so it is unpacked, not installed.
fdt_dir="$STAMP_DIR/deps/libfdt-arm64"
if [ ! -f "$fdt_dir/usr/lib/aarch64-linux-gnu/libfdt.a" ]; then
	"$(dirname "$0")/apt-unpack.sh" libfdt-dev:arm64 "$fdt_dir" "$STAMP_DIR/deps/dl"
fi

mkdir -p "$STAMP_DIR"
touch "$STAMP_DIR/.deps-installed"
