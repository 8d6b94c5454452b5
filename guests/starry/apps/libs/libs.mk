# Two real libraries as Starry workloads: our own static programs against Debian's arm64 static
# libraries (libsqlite3.a, liblua5.4.a), unpacked like busybox, on the disk as /bin/sqlite and
# /bin/lua with the Lua script as /etc/test.lua. tests/integration/test_starry_libs.py runs
# them in the guest and under qemu-aarch64 (user mode) and compares their output.
SQLITE_DEV := $(BUILD)/deps/sqlite3-arm64
LUA_DEV := $(BUILD)/deps/lua5.4-arm64
SQLITE_A := $(SQLITE_DEV)/usr/lib/aarch64-linux-gnu/libsqlite3.a
LUA_A := $(LUA_DEV)/usr/lib/aarch64-linux-gnu/liblua5.4.a
QEMU_USER := /usr/bin/qemu-aarch64

$(SQLITE_A): tools/apt-unpack.sh | $(DEPS)
	@echo "  FETCH   libsqlite3-dev:arm64"
	$(Q)tools/apt-unpack.sh libsqlite3-dev:arm64 $(SQLITE_DEV) $(BUILD)/deps/dl
	$(Q)touch $@

$(LUA_A): tools/apt-unpack.sh | $(DEPS)
	@echo "  FETCH   liblua5.4-dev:arm64"
	$(Q)tools/apt-unpack.sh liblua5.4-dev:arm64 $(LUA_DEV) $(BUILD)/deps/dl
	$(Q)touch $@

# The libraries' optional dlopen() (SQLite's extensions, Lua's C modules) makes the static
# linker warn; nothing here loads a shared object.
$(BUILD)/starry-apps/aarch64/sqlite: guests/starry/apps/libs/sqlite.c $(SQLITE_A)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(XCC) $(STARRY_APPS_CFLAGS) -I$(SQLITE_DEV)/usr/include -static -s -o $@ $< \
		$(SQLITE_A) -lm -lpthread -ldl 2>&1 | { grep -v -e dlopen -e unixDlOpen || true; }
	$(Q)test -x $@

$(BUILD)/starry-apps/aarch64/lua: guests/starry/apps/libs/lua.c $(LUA_A)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(XCC) $(STARRY_APPS_CFLAGS) -I$(LUA_DEV)/usr/include/lua5.4 \
		-I$(LUA_DEV)/usr/include/aarch64-linux-gnu -static -s -o $@ $< $(LUA_A) -lm -ldl 2>&1 | \
		{ grep -v -e dlopen -e lookforfunc || true; }
	$(Q)test -x $@

# The reference runs: qemu-user, installed when missing (Debian's qemu-user).
$(QEMU_USER):
	@echo "  APT     qemu-user"
	$(Q)if [ "$$(id -u)" != 0 ]; then echo "run as root: apt-get install -y qemu-user" >&2; \
		exit 1; fi
	$(Q)DEBIAN_FRONTEND=noninteractive apt-get install -y -q qemu-user >/dev/null

STARRY_LIB_APPS := $(BUILD)/starry-apps/aarch64/sqlite $(BUILD)/starry-apps/aarch64/lua
STARRY_APPS_AARCH64 += $(STARRY_LIB_APPS)
STARRY_ETC += guests/starry/apps/libs/test.lua
integration: $(QEMU_USER)
starry-apps: $(STARRY_LIB_APPS)
$(BUILD)/disks/starry.img $(BUILD)/disks/starry-ext4.img: guests/starry/apps/libs/test.lua \
	guests/starry/apps/libs/libs.mk
