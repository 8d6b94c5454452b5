#!/bin/sh
# Unpacks Debian's static arm64 busybox under <build>/deps/busybox/ for the starry disk image.
set -eu

BUILD_DIR=${1:-build}
dest="$BUILD_DIR/deps/busybox"
dl="$BUILD_DIR/deps/dl"

[ -f "$dest/bin/busybox" ] && exit 0

mkdir -p "$dl"
rm -f "$dl"/busybox-static_*_arm64.deb
# apt-get download as root warns that the download is unsandboxed; that is harmless.
if ! (cd "$dl" && apt-get download -qq busybox-static:arm64 2>/dev/null); then
	if [ "$(id -u)" != 0 ]; then
		echo "cannot download busybox-static:arm64; run as root: apt-get update" >&2
		exit 1
	fi
	apt-get update -q
	(cd "$dl" && apt-get download -qq busybox-static:arm64)
fi
rm -rf "$dest"
dpkg -x "$dl"/busybox-static_*_arm64.deb "$dest"
test -x "$dest/bin/busybox"
