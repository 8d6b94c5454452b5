# Busybox script: ps and cat reading procfs.
ps -o pid,comm
test -r /proc/self/stat && echo "self stat readable"
head -n 1 /proc/meminfo | cut -d: -f1
echo ps done
