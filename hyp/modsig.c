/* Verifies module signatures with mbedtls' ECDSA (built freestanding from Debian's source). */
#include "modsig.h"
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <modvisor/status.h>
#include <sha256.h>
#include <stdbool.h>
#include <string.h>

/* mbedtls' bignums live here: one P-256 verification peaks under 4 KiB of them (measured on
 * the host), allocator headers and fragmentation aside. */
static unsigned char heap[24 * 1024] __attribute__((aligned(16)));
static bool heap_ready;

static const char domain[16] = "modvisor module";

void modsig_message_digest(const char *name, const uint8_t build_id[MODSIG_BUILD_ID_LEN],
			   const uint8_t image_sha256[32], uint8_t out[32])
{
	struct sha256_ctx ctx;
	char padded[16];
	size_t len = 0;

	/* Names are at most 15 bytes (the scenario and the bundle check them); cut, never read
	 * past. strnlen is POSIX, not C11. */
	while (len < sizeof(padded) - 1 && name[len])
		len++;
	memset(padded, 0, sizeof(padded));
	memcpy(padded, name, len);
	sha256_init(&ctx);
	sha256_update(&ctx, domain, sizeof(domain));
	sha256_update(&ctx, padded, sizeof(padded));
	sha256_update(&ctx, build_id, MODSIG_BUILD_ID_LEN);
	sha256_update(&ctx, image_sha256, 32);
	sha256_final(&ctx, out);
}

void modsig_key_id(const uint8_t pubkey[MODSIG_PUBKEY_LEN], uint8_t out[MODSIG_KEY_ID_LEN])
{
	uint8_t digest[32];

	sha256(pubkey, MODSIG_PUBKEY_LEN, digest);
	memcpy(out, digest, MODSIG_KEY_ID_LEN);
}

static int refuse(const char **reason, const char *why)
{
	*reason = why;
	return MV_ERR_DENIED;
}

/* The mbedtls part: 0 if (r, s) is a valid signature of digest under pubkey. */
static int ecdsa_p256_verify(const uint8_t *pubkey, const uint8_t digest[32], const uint8_t *rs)
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi r, s;
	int ret;

	if (!heap_ready) {
		mbedtls_memory_buffer_alloc_init(heap, sizeof(heap));
		heap_ready = true;
	}
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (ret == 0)
		ret = mbedtls_ecp_point_read_binary(&grp, &q, pubkey, MODSIG_PUBKEY_LEN);
	if (ret == 0)
		ret = mbedtls_mpi_read_binary(&r, rs, 32);
	if (ret == 0)
		ret = mbedtls_mpi_read_binary(&s, rs + 32, 32);
	if (ret == 0)
		ret = mbedtls_ecdsa_verify(&grp, digest, 32, &q, &r, &s);
	mbedtls_mpi_free(&s);
	mbedtls_mpi_free(&r);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	return ret;
}

int modsig_verify(const struct modsig_trust *trust, const char *name,
		  const uint8_t image_sha256[32], const struct modsig_record *rec,
		  const char **reason)
{
	uint8_t key_id[MODSIG_KEY_ID_LEN], digest[32];

	if (!rec)
		return refuse(reason, "not signed");
	if (!rec->algo || strcmp(rec->algo, MODSIG_ALGO) != 0)
		return refuse(reason, "signature: unknown algorithm (want " MODSIG_ALGO ")");
	if (!rec->key_id || rec->key_id_len != MODSIG_KEY_ID_LEN || !rec->build_id ||
	    rec->build_id_len != MODSIG_BUILD_ID_LEN || !rec->value ||
	    rec->value_len != MODSIG_VALUE_LEN)
		return refuse(reason, "signature: malformed (key-id, build-id or value)");
	modsig_key_id(trust->pubkey, key_id);
	if (memcmp(key_id, rec->key_id, MODSIG_KEY_ID_LEN) != 0)
		return refuse(reason, "signed by another key");
	/* The build id is part of what is signed, so it is trusted only once this verifies. */
	modsig_message_digest(name, rec->build_id, image_sha256, digest);
	if (ecdsa_p256_verify(trust->pubkey, digest, rec->value) != 0)
		return refuse(reason, "bad signature");
	if (memcmp(rec->build_id, trust->build_id, MODSIG_BUILD_ID_LEN) != 0)
		return refuse(reason, "signed for another build");
	*reason = "signature ok";
	return MV_OK;
}
