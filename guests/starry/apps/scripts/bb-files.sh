# Busybox script: files via the shell and its applets (echo > and >>, cat, ls, mkdir, mv, rm, wc).
set -e
cd "$1"
mkdir bb
cd bb
echo first line > f.txt
echo second line >> f.txt
cat f.txt
mkdir -p sub/deeper
mv f.txt sub/g.txt
echo top > top.txt
ls -1
ls -1 sub
wc -l sub/g.txt
wc -c < sub/g.txt
cat sub/g.txt top.txt | wc -l
rm top.txt
rmdir sub/deeper
rm -r sub
ls -1 -a
cd ..
rmdir bb
test ! -e bb && echo files done
