# Module signatures: mbedtls' ECDSA built from Debian's source with the hypervisor's freestanding
# flags, the signing key (generated under build/keys unless MODULE_KEY=path names one) and its
# public half baked into the hypervisor (docs/modules.md, "Signatures").
MBEDTLS_DIR := $(BUILD)/deps/mbedtls-src
MBEDTLS_LIB_SRCS := ecdsa ecp ecp_curves bignum constant_time platform platform_util \
	memory_buffer_alloc asn1parse asn1write
MBEDTLS_OBJS := $(patsubst %,$(BUILD)/x/mbedtls/%.o,$(MBEDTLS_LIB_SRCS))
MBEDTLS_CFLAGS = -Ihyp/crypto/include -I$(MBEDTLS_DIR)/include \
	'-DMBEDTLS_CONFIG_FILE="modsig_mbedtls_config.h"'
XCFLAGS_hyp += $(MBEDTLS_CFLAGS)

MBEDTLS_STAMP := $(MBEDTLS_DIR)/.unpacked

# Debian's source package, fetched with apt-get source (tools/apt-source.sh).
$(MBEDTLS_STAMP): tools/apt-source.sh | $(DEPS)
	@echo "  APT-SRC mbedtls -> $(MBEDTLS_DIR)"
	$(Q)tools/apt-source.sh mbedtls $(MBEDTLS_DIR) $(BUILD)/deps/src
	$(Q)touch $@

$(MBEDTLS_DIR)/library/%.c: $(MBEDTLS_STAMP)
	@test -f $@

$(BUILD)/x/hyp/modsig.o: | $(MBEDTLS_STAMP)
headers-check: $(MBEDTLS_STAMP)

$(BUILD)/x/mbedtls/%.o: $(MBEDTLS_DIR)/library/%.c hyp/crypto/include/modsig_mbedtls_config.h | $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CC [C]  mbedtls/$*.c"
	$(Q)$(XCC) $(XCFLAGS_COMMON) $(MBEDTLS_CFLAGS) -c $< -o $@

MODSIG_DIR := $(BUILD)/keys
MODSIG_KEY := $(MODSIG_DIR)/module-key.pem
MODSIG_BUILD_ID := $(MODSIG_DIR)/build-id
MODSIG_C := $(MODSIG_DIR)/modkey.c
MODSIG_OBJ := $(BUILD)/x/keys/modkey.o
HYP_OBJS += $(MBEDTLS_OBJS) $(MODSIG_OBJ)

# The key the modules are signed with: a link to MODULE_KEY, or to a key made here once per
# build directory (kept when MODULE_KEY comes and goes). Checked every time, changed only when
# it must: what depends on it is rebuilt through modkey.c, which changes with the key.
MODSIG_GENERATED := $(MODSIG_DIR)/generated-key.pem
$(MODSIG_KEY): FORCE | $(DEPS)
	@mkdir -p $(dir $@)
	$(Q)if [ -n "$(MODULE_KEY)" ]; then \
		test -f "$(MODULE_KEY)" || { echo "MODULE_KEY=$(MODULE_KEY): no such file" >&2; exit 1; }; \
		target="$(abspath $(MODULE_KEY))"; \
	else \
		if [ ! -f $(MODSIG_GENERATED) ]; then \
			echo "  KEYGEN  $(MODSIG_GENERATED) (ECDSA P-256; MODULE_KEY=path for your own)"; \
			(umask 077 && openssl ecparam -name prime256v1 -genkey -noout \
				-out $(MODSIG_GENERATED).tmp) && mv $(MODSIG_GENERATED).tmp $(MODSIG_GENERATED); \
		fi; \
		target=generated-key.pem; \
	fi; \
	[ -L $@ ] && [ "$$(readlink $@)" = "$$target" ] || ln -sfn "$$target" $@

# Ties signed modules to this build: a module signed by another build is refused.
$(MODSIG_BUILD_ID): | $(DEPS)
	@mkdir -p $(dir $@)
	$(Q)od -An -tx1 -N16 /dev/urandom | tr -d ' \n' > $@

$(MODSIG_C): $(MODSIG_KEY) $(MODSIG_BUILD_ID) tools/mkbundle.py FORCE
	$(Q)$(PYTHON) tools/mkbundle.py --key-c $@.tmp --sign $(MODSIG_DIR)
	$(Q)cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(MODSIG_OBJ): $(MODSIG_C) | $(DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(XCC) $(XCFLAGS_COMMON) -Ihyp -c $< -o $@
