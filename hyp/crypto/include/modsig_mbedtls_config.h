/* The mbedtls build inside the hypervisor: ECDSA P-256 verification only, on a static heap. */
#ifndef MODSIG_MBEDTLS_CONFIG_H
#define MODSIG_MBEDTLS_CONFIG_H

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
/* Verification handles public data only: no blinding, so no random numbers are needed. */
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
/* No libc: allocation from mbedtls' own allocator over a static buffer (hyp/modsig.c). */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_EXIT_MACRO modsig_heap_corrupt
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_NO_PLATFORM_ENTROPY

void modsig_heap_corrupt(int status);

#include "mbedtls/check_config.h"

#endif /* MODSIG_MBEDTLS_CONFIG_H */
