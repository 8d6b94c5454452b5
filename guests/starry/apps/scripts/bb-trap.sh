# Busybox script: a trap runs on a signal sent with kill; a background job killed by the shell.
trap 'echo got USR1' USR1
kill -USR1 $$
echo after kill
sleep 10 &
job=$!
sleep 0.2
kill -TERM "$job"
{ wait "$job"; } 2>/dev/null
echo "job status $?"
trap - USR1
{ sh -c 'kill -9 $$'; } 2>/dev/null
echo "child shell status $?"
echo trap done
