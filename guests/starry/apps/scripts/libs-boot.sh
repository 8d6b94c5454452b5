# Starry's init for tests/integration/test_starry_libs.py (init=/bin/sh -- /etc/libs-boot.sh):
# the first boot runs Lua and builds the SQLite database, then reboots the VM; the second
# finds the database, checks it, and lets the VM power off.
if [ -f /data/libs.db ]; then
	echo "libs: second boot"
	/bin/sqlite check /data/libs.db
	echo "libs: sqlite check exited $?"
else
	echo "libs: first boot"
	/bin/lua /etc/test.lua /data
	echo "libs: lua exited $?"
	/bin/sqlite create /data/libs.db
	echo "libs: sqlite create exited $?"
	sync
	reboot -f
	echo "libs: reboot failed"
fi
