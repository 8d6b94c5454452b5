#!/bin/sh
# Downloads and unpacks a Debian source package (e.g. mbedtls) with apt-get source, using a
# private deb-src list under the download directory: the system's apt sources stay untouched.
# usage: apt-source.sh <source package> <destination dir> <download dir>
set -eu

pkg=$1
dest=$2
dl=$(realpath -m "$3")
suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")

mkdir -p "$dl/parts" "$dl/lists/partial" "$dl/src"
cat > "$dl/parts/debian-src.sources" <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $suite
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
apt_opts="-q -o Dir::Etc::SourceList=$dl/none.list -o Dir::Etc::SourceParts=$dl/parts \
-o Dir::State::Lists=$dl/lists"
# apt-get checks the index's signature and every downloaded file's hash.
if ! (cd "$dl/src" && apt-get $apt_opts source --download-only "$pkg" >/dev/null 2>&1); then
	apt-get $apt_opts update >/dev/null
	(cd "$dl/src" && apt-get $apt_opts source --download-only "$pkg" >/dev/null 2>&1)
fi
rm -rf "$dest"
dpkg-source -q -x "$(ls "$dl/src"/"${pkg}"_*.dsc | head -n1)" "$dest" >/dev/null 2>&1
