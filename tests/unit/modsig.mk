# Host unit tests for module signatures (hyp/modsig.c) against the same mbedtls sources and
# configuration as the hypervisor's (hyp/crypto.mk), keys and signatures made by mbedtls.
UNIT_TESTS += modsig
UNIT_SRCS_modsig = tests/unit/test_modsig.c hyp/modsig.c lib/sha256.c \
	$(patsubst %,$(MBEDTLS_DIR)/library/%.c,$(MBEDTLS_LIB_SRCS))
UNIT_CFLAGS_modsig = $(MBEDTLS_CFLAGS)
