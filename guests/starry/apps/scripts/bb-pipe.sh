# Busybox script: pipelines, command substitution, redirection of stderr, exit statuses.
echo a b c | wc -w
seq 1 100 | grep 7 | wc -l
printf 'pear\napple\nfig\n' | sort | tr a-z A-Z
n=$(echo hello | wc -c)
echo "substituted $n"
ls /no/such/dir 2>/dev/null || echo "ls failed with $?"
cat /dev/null | wc -c
head -c 16 /dev/zero | wc -c
false | true && echo "pipeline status is the last command's"
echo pipe done
