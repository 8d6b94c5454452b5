# Busybox script: ps and cat reading procfs (processes, memory, the kernel and the CPU).
ps -o pid,comm
test -r /proc/self/stat && echo "self stat readable"
head -n 1 /proc/meminfo | cut -d: -f1
echo ps done
cat /proc/version
cat /proc/cpuinfo
