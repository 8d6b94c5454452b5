/* Unit tests for hyp/modsig.c: module signatures made with mbedtls, then broken one way each. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "modsig.h"
#include <mbedtls/ecdsa.h>
#include <mbedtls/platform.h>
#include <modvisor/status.h>
#include <sha256.h>

/* Unused by the tests (the hypervisor's copy is generated); they pass their own trust. */
const uint8_t modsig_trusted_pubkey[MODSIG_PUBKEY_LEN];
const uint8_t modsig_trusted_build_id[MODSIG_BUILD_ID_LEN];

void modsig_heap_corrupt(int status)
{
	fail_msg("mbedtls heap corrupted (%d)", status);
}

/* Deterministic "randomness" for key generation and signing in tests only. */
static int test_rng(void *ctx, unsigned char *out, size_t len)
{
	uint64_t *state = ctx;

	for (size_t i = 0; i < len; i++) {
		*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
		out[i] = (unsigned char)(*state >> 56);
	}
	return 0;
}

struct key {
	uint8_t pub[MODSIG_PUBKEY_LEN];
	uint8_t id[MODSIG_KEY_ID_LEN];
	mbedtls_ecdsa_context ctx;
};

static struct key ours, theirs;
static uint64_t rng_state = 1;
static const uint8_t build_a[MODSIG_BUILD_ID_LEN] = "build-a-16bytes";
static const uint8_t build_b[MODSIG_BUILD_ID_LEN] = "build-b-16bytes";
static uint8_t image_sha[32];

static void make_key(struct key *k)
{
	size_t len;

	mbedtls_ecdsa_init(&k->ctx);
	assert_int_equal(
	    mbedtls_ecdsa_genkey(&k->ctx, MBEDTLS_ECP_DP_SECP256R1, test_rng, &rng_state), 0);
	assert_int_equal(mbedtls_ecp_point_write_binary(&k->ctx.grp, &k->ctx.Q,
							MBEDTLS_ECP_PF_UNCOMPRESSED, &len, k->pub,
							sizeof(k->pub)),
			 0);
	assert_int_equal(len, MODSIG_PUBKEY_LEN);
	modsig_key_id(k->pub, k->id);
}

/* A record as mkbundle.py makes it: key k signs (name, build, image digest). */
struct signed_rec {
	struct modsig_record rec;
	uint8_t key_id[MODSIG_KEY_ID_LEN];
	uint8_t build_id[MODSIG_BUILD_ID_LEN];
	uint8_t value[MODSIG_VALUE_LEN];
};

static void sign(struct signed_rec *s, struct key *k, const char *name, const uint8_t *build,
		 const uint8_t sha[32])
{
	uint8_t digest[32];
	mbedtls_mpi r, sv;

	modsig_message_digest(name, build, sha, digest);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&sv);
	assert_int_equal(
	    mbedtls_ecdsa_sign(&k->ctx.grp, &r, &sv, &k->ctx.d, digest, 32, test_rng, &rng_state),
	    0);
	assert_int_equal(mbedtls_mpi_write_binary(&r, s->value, 32), 0);
	assert_int_equal(mbedtls_mpi_write_binary(&sv, s->value + 32, 32), 0);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&sv);
	memcpy(s->key_id, k->id, sizeof(s->key_id));
	memcpy(s->build_id, build, sizeof(s->build_id));
	s->rec = (struct modsig_record){.algo = MODSIG_ALGO,
					.key_id = s->key_id,
					.build_id = s->build_id,
					.value = s->value,
					.key_id_len = MODSIG_KEY_ID_LEN,
					.build_id_len = MODSIG_BUILD_ID_LEN,
					.value_len = MODSIG_VALUE_LEN};
}

/* Keys and signatures are made with the libc heap, before modsig takes mbedtls' allocator. */
static struct signed_rec good, by_theirs, their_sig_our_id, for_build_b, for_other_name;
static struct trust_pair {
	struct modsig_trust trust;
} trust_a;

static int setup(void **state)
{
	(void)state;
	mbedtls_platform_set_calloc_free(calloc, free);
	make_key(&ours);
	make_key(&theirs);
	sha256("module image", 12, image_sha);
	sign(&good, &ours, "fatfs", build_a, image_sha);
	sign(&by_theirs, &theirs, "fatfs", build_a, image_sha);
	/* Their signature, claiming our key id. */
	sign(&their_sig_our_id, &theirs, "fatfs", build_a, image_sha);
	memcpy(their_sig_our_id.key_id, ours.id, MODSIG_KEY_ID_LEN);
	sign(&for_build_b, &ours, "fatfs", build_b, image_sha);
	sign(&for_other_name, &ours, "signal", build_a, image_sha);
	mbedtls_ecdsa_free(&ours.ctx);
	mbedtls_ecdsa_free(&theirs.ctx);
	trust_a.trust = (struct modsig_trust){.pubkey = ours.pub, .build_id = build_a};
	return 0;
}

static void expect(const struct modsig_record *rec, const char *name, const uint8_t sha[32],
		   int status, const char *reason)
{
	const char *why = NULL;

	assert_int_equal(modsig_verify(&trust_a.trust, name, sha, rec, &why), status);
	assert_non_null(why);
	assert_string_equal(why, reason);
}

static void test_good_signature(void **state)
{
	(void)state;
	expect(&good.rec, "fatfs", image_sha, MV_OK, "signature ok");
	/* Again: the static heap is reused, not exhausted. */
	for (int i = 0; i < 3; i++)
		expect(&good.rec, "fatfs", image_sha, MV_OK, "signature ok");
}

static void test_unsigned_and_malformed(void **state)
{
	struct signed_rec bad = good;

	(void)state;
	expect(NULL, "fatfs", image_sha, MV_ERR_DENIED, "not signed");
	bad.rec.algo = "rsa2048-sha256";
	expect(&bad.rec, "fatfs", image_sha, MV_ERR_DENIED,
	       "signature: unknown algorithm (want " MODSIG_ALGO ")");
	bad = good;
	bad.rec.algo = NULL;
	expect(&bad.rec, "fatfs", image_sha, MV_ERR_DENIED,
	       "signature: unknown algorithm (want " MODSIG_ALGO ")");
	static const char *malformed = "signature: malformed (key-id, build-id or value)";
	bad = good;
	bad.rec.value_len = 63;
	expect(&bad.rec, "fatfs", image_sha, MV_ERR_DENIED, malformed);
	bad = good;
	bad.rec.key_id = NULL;
	expect(&bad.rec, "fatfs", image_sha, MV_ERR_DENIED, malformed);
	bad = good;
	bad.rec.build_id_len = 17;
	expect(&bad.rec, "fatfs", image_sha, MV_ERR_DENIED, malformed);
}

static void test_wrong_signatures(void **state)
{
	uint8_t other_sha[32];
	struct signed_rec flipped = good;

	(void)state;
	/* A changed image (its hash updated to match): the signed digest differs. */
	memcpy(other_sha, image_sha, 32);
	other_sha[5] ^= 1;
	expect(&good.rec, "fatfs", other_sha, MV_ERR_DENIED, "bad signature");
	/* A flipped bit in s, and r = 0 (out of range). */
	flipped.rec.value = flipped.value;
	flipped.value[40] ^= 0x10;
	expect(&flipped.rec, "fatfs", image_sha, MV_ERR_DENIED, "bad signature");
	flipped = good;
	flipped.rec.value = flipped.value;
	memset(flipped.value, 0, 32);
	expect(&flipped.rec, "fatfs", image_sha, MV_ERR_DENIED, "bad signature");
	/* Signed for fatfs, served as signal. */
	expect(&good.rec, "signal", image_sha, MV_ERR_DENIED, "bad signature");
	expect(&for_other_name.rec, "signal", image_sha, MV_OK, "signature ok");
}

static void test_other_key_and_build(void **state)
{
	(void)state;
	expect(&by_theirs.rec, "fatfs", image_sha, MV_ERR_DENIED, "signed by another key");
	/* Claiming our key id does not help: their signature does not verify under our key. */
	expect(&their_sig_our_id.rec, "fatfs", image_sha, MV_ERR_DENIED, "bad signature");
	expect(&for_build_b.rec, "fatfs", image_sha, MV_ERR_DENIED, "signed for another build");
	/* A forged build id (say, ours on build b's signature) breaks the signature instead. */
	struct signed_rec forged = for_build_b;

	forged.rec.build_id = forged.build_id;
	memcpy(forged.build_id, build_a, MODSIG_BUILD_ID_LEN);
	expect(&forged.rec, "fatfs", image_sha, MV_ERR_DENIED, "bad signature");
}

/* The digest mkbundle.py signs, spelled out: the two sides must agree byte for byte. */
static void test_message_layout(void **state)
{
	uint8_t msg[80], want[32], got[32];

	(void)state;
	memset(msg, 0, sizeof(msg));
	memcpy(msg, "modvisor module", 16);
	memcpy(msg + 16, "fatfs", 5);
	memcpy(msg + 32, build_a, 16);
	memcpy(msg + 48, image_sha, 32);
	sha256(msg, sizeof(msg), want);
	modsig_message_digest("fatfs", build_a, image_sha, got);
	assert_memory_equal(got, want, 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_message_layout),	   cmocka_unit_test(test_good_signature),
	    cmocka_unit_test(test_unsigned_and_malformed), cmocka_unit_test(test_wrong_signatures),
	    cmocka_unit_test(test_other_key_and_build),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
