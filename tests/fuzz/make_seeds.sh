#!/bin/sh
# Makes small seed images for the fatfs and ext4 fuzz targets (mkfs.vfat, mtools, mkfs.ext4;
# not committed).
# Usage: tests/fuzz/make_seeds.sh [output directory, default build/fuzz/seeds]
set -eu

out=${1:-build/fuzz/seeds}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export MTOOLS_SKIP_CHECK=1 LC_ALL=C.UTF-8 PATH="$PATH:/usr/sbin:/sbin"
mkdir -p "$out"

put() { # image, path in image, size, byte
	head -c "$3" /dev/zero | tr '\0' "$4" >"$work/f"
	mcopy -o -i "$1" "$work/f" "::$2"
}

# The fuzz device pads an image with zeros up to the size its BPB claims, so trailing zero
# sectors need not be in the seed.
trim() {
	python3 -c '
import sys
d = open(sys.argv[1], "rb").read().rstrip(b"\0")
open(sys.argv[2], "wb").write(d + b"\0" * (-len(d) % 512))' "$1" "$2"
}

# FAT12: long names, nested directories, an empty file.
img=$work/fat12.img
mkfs.vfat -C -F 12 -n SEED12 "$img" 256 >/dev/null
put "$img" /hello.txt 13 h
put "$img" "/A Long File Name.txt" 3000 a
mmd -i "$img" ::/dir ::/dir/sub
put "$img" /dir/sub/deep.bin 700 d
put "$img" /empty.txt 0 e
trim "$img" "$out/fat12.img"

# FAT12, fragmented: a deleted file leaves a hole that a later file fills.
img=$work/frag.img
mkfs.vfat -C -F 12 -s 1 "$img" 200 >/dev/null
put "$img" /one.bin 4000 1
put "$img" /two.bin 4000 2
put "$img" /three.bin 4000 3
mdel -i "$img" ::/two.bin
put "$img" /big.bin 12000 b
trim "$img" "$out/fat12-frag.img"

# FAT16: a directory grown past one cluster by many long names.
img=$work/fat16.img
mkfs.vfat -C -F 16 -s 1 -n SEED16 "$img" 4200 >/dev/null
mmd -i "$img" ::/many
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	put "$img" "/many/a long file name number $i.txt" 40 x
done
put "$img" /hello.txt 13 h
trim "$img" "$out/fat16.img"

# FAT32: the smallest volume with enough clusters, one FAT.
img=$work/fat32.img
mkfs.vfat -C -F 32 -s 1 -f 1 -n SEED32 "$img" 34000 >/dev/null
mmd -i "$img" ::/dir
put "$img" /hello.txt 13 h
put "$img" "/dir/Mixed Case Name.TXT" 2000 m
trim "$img" "$out/fat32.img"

# ext4 (mke2fs -d, no root needed): a small tree with a hashed directory, in four layouts.
tree=$work/tree
mkdir -p "$tree/dir/sub" "$tree/many" "$tree/empty"
printf 'hello\n' >"$tree/hello.txt"
head -c 700 /dev/zero | tr '\0' d >"$tree/dir/sub/deep.bin"
head -c 40000 /dev/zero | tr '\0' b >"$tree/big.bin"
: >"$tree/zero.len"
i=0
while [ $i -lt 120 ]; do
	printf '%d\n' $i >"$tree/many/a-longer-file-name-$i"
	i=$((i + 1))
done
ext4_seed() { # name, size, mkfs options...
	name=$1 size=$2
	shift 2
	mkfs.ext4 -q -F -E lazy_itable_init=0 -N 256 "$@" -d "$tree" "$work/$name" "$size" \
		>/dev/null 2>&1
	e2fsck -fyD "$work/$name" >/dev/null 2>&1 || [ $? -le 1 ]
	trim "$work/$name" "$out/$name"
}
ext4_seed ext4-1k-csum.img 3M -b 1024 -O ^has_journal,64bit,metadata_csum
ext4_seed ext4-1k-plain.img 3M -b 1024 -O ^has_journal,^64bit,^metadata_csum
ext4_seed ext4-4k-csum.img 8M -b 4096 -O ^has_journal,^64bit,metadata_csum
ext4_seed ext3-1k.img 3M -b 1024 -t ext3 -O ^has_journal
cp "$work/ext4-1k-plain.img" "$work/ext4-recover.img"
debugfs -w -R 'feature has_journal needs_recovery' "$work/ext4-recover.img" >/dev/null 2>&1
trim "$work/ext4-recover.img" "$out/ext4-recover.img"

ls -l "$out"
