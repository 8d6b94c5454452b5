#!/bin/sh
# Downloads a Debian package (e.g. busybox-static:arm64) and unpacks it into a directory
# without installing it: for foreign-architecture files the build needs (libfdt, busybox).
# usage: apt-unpack.sh <package:arch> <destination dir> <download dir>
set -eu

pkg=$1
dest=$2
dl=$3
deb_glob="${pkg%%:*}_*_${pkg##*:}.deb"

mkdir -p "$dl"
rm -f "$dl"/$deb_glob
# apt-get download as root warns that the download is unsandboxed; that is harmless.
if ! (cd "$dl" && apt-get download -qq "$pkg" 2>/dev/null); then
	if [ "$(id -u)" != 0 ]; then
		echo "cannot download $pkg; run as root: apt-get update" >&2
		exit 1
	fi
	apt-get update -q
	(cd "$dl" && apt-get download -qq "$pkg")
fi
rm -rf "$dest"
dpkg -x "$dl"/$deb_glob "$dest"
